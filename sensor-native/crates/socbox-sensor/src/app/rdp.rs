//! RDP connection setup: the client's X.224 Connection Request in a TPKT
//! (T.123 / ISO 8073, MS-RDPBCGR §2.2.1.1) with its `Cookie: mstshash=`
//! and RDP_NEG_REQ, and the server's Connection Confirm with RDP_NEG_RSP.

use super::protocol::StreamProtocol;
use super::session::{AppItem, AppOutput, ChunkCtx};
use crate::decode::be16;
use crate::event::{Body, RdpBody};
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

const TPKT_VERSION: u8 = 3;
const X224_CONNECTION_REQUEST: u8 = 0xe0;
const X224_CONNECTION_CONFIRM: u8 = 0xd0;
const NEG_REQ: u8 = 1;
const NEG_RSP: u8 = 2;
/// A connection request is short; anything longer is not one.
const MAX_PDU: usize = 1024;

/// Does a stream start with a TPKT carrying an X.224 Connection Request?
pub(crate) fn looks_like_rdp(first: &[u8]) -> bool {
    matches!(first, [TPKT_VERSION, 0, _, _, _, code, ..] if code & 0xf0 == X224_CONNECTION_REQUEST)
}

const PROTOCOLS: [(u32, &str); 4] = [(1, "tls"), (2, "hybrid"), (4, "rdstls"), (8, "hybrid_ex")];

fn selected_name(p: u32) -> Option<&'static str> {
    match p {
        0 => Some("rdp"),
        _ => PROTOCOLS.iter().find(|(bit, _)| *bit == p).map(|(_, n)| *n),
    }
}

fn requested_names(flags: u32) -> Vec<String> {
    if flags == 0 {
        return vec!["rdp".into()];
    }
    PROTOCOLS
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, n)| (*n).to_owned())
        .collect()
}

/// The X.224 TPDU of a whole TPKT at the start of `b`, if there is one:
/// (code, variable part).
fn tpdu(b: &[u8]) -> Option<Option<(u8, &[u8])>> {
    if b.first() != Some(&TPKT_VERSION) {
        return Some(None);
    }
    let len = usize::from(be16(b, 2)?);
    let pdu = b.get(4..len)?;
    // LI counts the header after itself; the fixed part is 6 bytes.
    let li = usize::from(*pdu.first()?);
    let (Some(&code), Some(var)) = (pdu.get(1), pdu.get(7..=li.min(pdu.len() - 1))) else {
        return Some(None);
    };
    let var = if li < 6 { &[][..] } else { var };
    Some(Some((code & 0xf0, var)))
}

/// Parses a Connection Request's variable part: cookie and requested
/// protocols.
fn parse_request(var: &[u8]) -> RdpBody {
    let mut body = RdpBody::default();
    let mut rest = var;
    if rest.starts_with(b"Cookie: mstshash=") {
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .unwrap_or(rest.len());
        body.cookie = Some(String::from_utf8_lossy(&rest[17..end]).into_owned());
        rest = rest.get(end + 2..).unwrap_or(&[]);
    } else if rest.starts_with(b"Cookie: ") {
        // A routing token (load balancers): not a user name.
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .unwrap_or(rest.len());
        rest = rest.get(end + 2..).unwrap_or(&[]);
    }
    body.protocols = match rest {
        [NEG_REQ, _, 8, 0, a, b, c, d, ..] => requested_names(u32::from_le_bytes([*a, *b, *c, *d])),
        _ => vec!["rdp".into()],
    };
    body
}

/// Parses a Connection Confirm's variable part: the selected protocol.
fn parse_confirm(var: &[u8]) -> Option<&'static str> {
    match var {
        [NEG_RSP, _, 8, 0, a, b, c, d, ..] => selected_name(u32::from_le_bytes([*a, *b, *c, *d])),
        // RDP_NEG_FAILURE: nothing was selected.
        [3, ..] => None,
        _ => Some("rdp"),
    }
}

#[derive(Debug, Default)]
pub(crate) struct RdpSession {
    client: Vec<u8>,
    server: Vec<u8>,
    request: Option<(i64, RdpBody)>,
    /// Finished: the request (and confirm) were read or cannot be.
    done: bool,
    client_done: bool,
}

impl RdpSession {
    fn report(&mut self, out: &mut Vec<AppOutput>) {
        if let Some((ts_us, body)) = self.request.take() {
            out.push(AppOutput {
                ts_us,
                item: AppItem::Event(Body::Rdp(body)),
            });
        }
    }
}

impl StreamProtocol for RdpSession {
    fn app(&self) -> &'static str {
        "rdp"
    }

    fn on_chunk(&mut self, ctx: ChunkCtx, chunk: StreamChunk<'_>, out: &mut Vec<AppOutput>) -> u32 {
        if self.done {
            return 0;
        }
        let from_client = ctx.dir == Direction::Orig;
        if from_client && self.client_done {
            return 0;
        }
        let StreamChunk::Data(data) = chunk else {
            if from_client {
                self.client_done = true;
            } else {
                self.done = true;
                self.report(out);
            }
            return 0;
        };
        let buf = if from_client {
            &mut self.client
        } else {
            &mut self.server
        };
        buf.extend_from_slice(&data[..data.len().min(MAX_PDU + 1 - buf.len().min(MAX_PDU + 1))]);
        let parsed = tpdu(buf);
        let too_long = buf.len() > MAX_PDU;
        match parsed {
            // Not whole yet.
            None if !too_long => 0,
            Some(Some((X224_CONNECTION_REQUEST, var))) if from_client => {
                self.request = Some((ctx.ts_us, parse_request(var)));
                self.client_done = true;
                self.client = Vec::new();
                0
            }
            Some(Some((X224_CONNECTION_CONFIRM, var))) if !from_client => {
                if let Some((_, body)) = &mut self.request {
                    body.selected = parse_confirm(var);
                }
                self.done = true;
                self.report(out);
                0
            }
            _ => {
                if from_client {
                    self.client_done = true;
                } else {
                    self.done = true;
                    self.report(out);
                }
                1
            }
        }
    }

    fn done(&self) -> bool {
        self.done
    }

    fn finish(&mut self, _ts_us: i64, out: &mut Vec<AppOutput>) {
        self.report(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tpkt(code: u8, var: &[u8]) -> Vec<u8> {
        let mut x224 = vec![(6 + var.len()) as u8, code, 0, 0, 0, 0, 0];
        x224.extend_from_slice(var);
        let mut t = vec![3, 0];
        t.extend_from_slice(&((4 + x224.len()) as u16).to_be_bytes());
        t.extend(x224);
        t
    }

    fn run(pieces: &[(Direction, Vec<u8>)]) -> Vec<RdpBody> {
        let mut s = RdpSession::default();
        let mut out = Vec::new();
        for (i, (dir, data)) in pieces.iter().enumerate() {
            let ctx = ChunkCtx {
                dir: *dir,
                ts_us: i as i64,
                orig_port: 5000,
                resp_port: 3389,
                inspect_body: 0,
            };
            for piece in data.chunks(5) {
                s.on_chunk(ctx, StreamChunk::Data(piece), &mut out);
            }
        }
        s.finish(9, &mut out);
        out.into_iter()
            .map(|o| match o.item {
                AppItem::Event(b) => match b {
                    Body::Rdp(r) => r,
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn request_with_cookie_and_confirm() {
        let req = tpkt(
            0xe0,
            b"Cookie: mstshash=alice\r\n\x01\x00\x08\x00\x0b\x00\x00\x00",
        );
        assert!(looks_like_rdp(&req));
        let conf = tpkt(0xd0, b"\x02\x1f\x08\x00\x02\x00\x00\x00");
        let got = run(&[(Direction::Orig, req), (Direction::Resp, conf)]);
        assert_eq!(
            got,
            [RdpBody {
                cookie: Some("alice".into()),
                protocols: vec!["tls".into(), "hybrid".into(), "hybrid_ex".into()],
                selected: Some("hybrid"),
            }]
        );
    }

    #[test]
    fn plain_request_without_reply_and_a_failure() {
        assert_eq!(
            run(&[(Direction::Orig, tpkt(0xe0, b""))]),
            [RdpBody {
                cookie: None,
                protocols: vec!["rdp".into()],
                selected: None
            }]
        );
        let failed = run(&[
            (
                Direction::Orig,
                tpkt(0xe0, b"\x01\x00\x08\x00\x00\x00\x00\x00"),
            ),
            (
                Direction::Resp,
                tpkt(0xd0, b"\x03\x00\x08\x00\x05\x00\x00\x00"),
            ),
        ]);
        assert_eq!(failed[0].selected, None);
        assert!(run(&[(Direction::Orig, b"\x03\x00\x00\x05\x00".to_vec())]).is_empty());
    }
}

//! Kerberos KDC exchanges over UDP and TCP port 88 (RFC 4120): AS and TGS
//! requests joined with their reply (AS-REP, TGS-REP or KRB-ERROR). The
//! ASN.1 DER is decoded by rusticata's `kerberos-parser`. Replies are
//! joined to the oldest waiting request of the flow (KDC exchanges carry no
//! clear id; clients wait for each reply), and a request without a reply
//! after 5 s of capture time, or at the end of the flow, goes out alone.

mod names;

use std::collections::VecDeque;

use der_parser::asn1_rs::FromDer;
use kerberos_parser::krb5::{KdcRep, KdcReq, KrbError, PrincipalName};
use kerberos_parser::krb5_parser::{parse_as_rep, parse_as_req, parse_tgs_rep, parse_tgs_req};
use names::{error_name, etype_name};

use super::{AppItem, AppOutput, ChunkCtx};
use crate::event::{Body, KerberosBody};
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

pub(crate) const PORT: u16 = 88;
/// How long a request waits for its reply.
const REPLY_TIMEOUT_US: i64 = 5_000_000;
/// Requests waiting per flow.
const MAX_WAITING: usize = 16;
/// Longest TCP message read (tickets with large PACs stay well below).
const MESSAGE_CAP: usize = 64 * 1024;

/// Whether either port is the KDC's.
pub(crate) fn is_kerberos_port(a: u16, b: u16) -> bool {
    a == PORT || b == PORT
}

#[derive(Debug)]
struct Waiting {
    ts_us: i64,
    body: KerberosBody,
}

/// One flow's KDC exchanges.
#[derive(Debug, Default)]
pub(crate) struct Kerberos {
    waiting: VecDeque<Waiting>,
    /// TCP only: a length-prefixed message being collected per direction.
    tcp: [TcpFraming; 2],
    /// Requests dropped because too many were waiting.
    pub(crate) dropped: u32,
}

#[derive(Debug, Default)]
struct TcpFraming {
    buf: Vec<u8>,
    /// Bytes of an over-long message still to skip.
    skip: usize,
    lost: bool,
}

/// A decoded KDC message.
enum Message<'a> {
    Request(&'static str, KdcReq<'a>),
    Reply(&'static str, KdcRep<'a>),
    Error(KrbError<'a>),
}

fn decode(b: &[u8]) -> Option<Message<'_>> {
    Some(match b.first()? {
        0x6a => Message::Request("AS", parse_as_req(b).ok()?.1),
        0x6c => Message::Request("TGS", parse_tgs_req(b).ok()?.1),
        0x6b => Message::Reply("AS", parse_as_rep(b).ok()?.1),
        0x6d => Message::Reply("TGS", parse_tgs_rep(b).ok()?.1),
        0x7e => Message::Error(KrbError::from_der(b).ok()?.1),
        _ => return None,
    })
}

fn principal(p: &PrincipalName) -> Option<String> {
    let s = p.name_string.join("/");
    (!s.is_empty()).then_some(s)
}

impl Kerberos {
    /// Requests waiting for a reply.
    #[cfg(test)]
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Bytes held for TCP framing.
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.tcp.iter().map(|t| t.buf.len()).sum()
    }

    /// One UDP datagram (or TCP message); returns 1 when it is not a KDC
    /// message.
    pub(crate) fn on_message(
        &mut self,
        from_client: bool,
        ts_us: i64,
        msg: &[u8],
        proto: &'static str,
        out: &mut Vec<AppOutput>,
    ) -> u32 {
        self.expire(ts_us, out);
        let Some(m) = decode(msg) else {
            return 1;
        };
        match m {
            Message::Request(kind, req) if from_client => {
                let b = &req.req_body;
                let body = KerberosBody {
                    request: kind,
                    client: b.cname.as_ref().and_then(principal),
                    realm: (!b.realm.0.is_empty()).then(|| b.realm.0.clone()),
                    service: b.sname.as_ref().and_then(principal),
                    etypes: b.etype.iter().map(|e| etype_name(e.0)).collect(),
                    proto,
                    ..KerberosBody::default()
                };
                if self.waiting.len() >= MAX_WAITING {
                    self.dropped += 1;
                    let oldest = self.waiting.pop_front();
                    emit(out, oldest);
                }
                self.waiting.push_back(Waiting { ts_us, body });
            }
            Message::Reply(kind, rep) if !from_client => {
                if let Some(i) = self.waiting.iter().position(|w| w.body.request == kind) {
                    let mut w = self.waiting.remove(i);
                    if let Some(w) = &mut w {
                        w.body.ticket_etype = Some(etype_name(rep.ticket.enc_part.etype.0));
                        if w.body.client.is_none() {
                            w.body.client = principal(&rep.cname);
                        }
                    }
                    emit(out, w);
                }
            }
            Message::Error(e) if !from_client => {
                let w = self.waiting.pop_front();
                if let Some(mut w) = w {
                    w.body.error = Some(error_name(e.error_code.0));
                    if w.body.client.is_none() {
                        w.body.client = e.cname.as_ref().and_then(principal);
                    }
                    emit(out, Some(w));
                }
            }
            // A request from the server or a reply from the client.
            _ => return 1,
        }
        0
    }

    /// Requests older than the reply timeout go out without a reply.
    fn expire(&mut self, now_us: i64, out: &mut Vec<AppOutput>) {
        while self
            .waiting
            .front()
            .is_some_and(|w| now_us.saturating_sub(w.ts_us) > REPLY_TIMEOUT_US)
        {
            let w = self.waiting.pop_front();
            emit(out, w);
        }
    }

    /// TCP: 4-byte length before each message. Returns unparsable count.
    pub(crate) fn on_chunk(
        &mut self,
        ctx: ChunkCtx,
        chunk: StreamChunk<'_>,
        out: &mut Vec<AppOutput>,
    ) -> u32 {
        let from_client = ctx.dir == Direction::Orig;
        let i = usize::from(!from_client);
        let mut data = match chunk {
            StreamChunk::Data(d) => d,
            StreamChunk::Gap => {
                self.tcp[i] = TcpFraming {
                    lost: true,
                    ..TcpFraming::default()
                };
                return 0;
            }
        };
        let mut bad = 0;
        while !data.is_empty() && !self.tcp[i].lost {
            let f = &mut self.tcp[i];
            if f.skip > 0 {
                let take = f.skip.min(data.len());
                f.skip -= take;
                data = &data[take..];
                continue;
            }
            let want = if f.buf.len() < 4 {
                4
            } else {
                4 + (u32::from_be_bytes([f.buf[0], f.buf[1], f.buf[2], f.buf[3]]) & 0x7fff_ffff)
                    as usize
            };
            if want == 4 && f.buf.len() == 4 {
                // An empty message: nothing to read, on to the next length.
                f.buf.clear();
                continue;
            }
            if want > 4 + MESSAGE_CAP {
                f.skip = want - f.buf.len();
                f.buf.clear();
                continue;
            }
            let take = (want - f.buf.len()).min(data.len());
            f.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if f.buf.len() == want && want > 4 {
                let msg = std::mem::take(&mut f.buf);
                bad += self.on_message(from_client, ctx.ts_us, &msg[4..], "tcp", out);
            }
        }
        bad
    }

    /// End of the flow: waiting requests go out without a reply.
    pub(crate) fn finish(&mut self, out: &mut Vec<AppOutput>) {
        while let Some(w) = self.waiting.pop_front() {
            emit(out, Some(w));
        }
    }
}

fn emit(out: &mut Vec<AppOutput>, w: Option<Waiting>) {
    if let Some(w) = w {
        out.push(AppOutput {
            ts_us: w.ts_us,
            item: AppItem::Event(Body::Kerberos(Box::new(w.body))),
        });
    }
}

#[cfg(test)]
mod tests;

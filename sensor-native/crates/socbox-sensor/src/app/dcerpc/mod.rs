//! DCE/RPC over a named pipe (SMB) or a TCP connection: which interfaces a
//! client binds (by presentation context) and which operations it calls.
//! The client's PDUs are read: binds and alter-contexts give the interface
//! of each context id, a request's first fragment its opnum. Of the server,
//! only the endpoint mapper's answers are read: where interfaces listen, so
//! that calls whose bind is not in the capture can be attributed
//! (`endpoints.rs`).

mod endpoints;
#[cfg(test)]
pub(crate) use endpoints::tests as endpoints_tests;
mod interfaces;
mod pdu;

pub use endpoints::{InterfaceMemory, RpcEndpoint};

use pdu::{Header, PduStream, ALTER_CONTEXT, BIND, PFC_FIRST_FRAG, REQUEST};

use super::{AppItem, AppOutput, ChunkCtx};
use crate::event::{Body, DceRpcBody};
use crate::flow::Direction;
use crate::reassembly::StreamChunk;
use endpoints::{response_stub, towers};

/// Events per connection (the contract's bound).
pub(crate) const EVENTS_PER_CONNECTION: u16 = 64;
/// Presentation contexts remembered per connection.
const MAX_CONTEXTS: usize = 64;

#[derive(Debug)]
struct Context {
    id: u16,
    uuid: String,
    bound_us: i64,
    called: bool,
}

/// One DCE/RPC request, or a bound interface never called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    pub ts_us: i64,
    pub body: DceRpcBody,
}

/// The client side of one DCE/RPC association.
#[derive(Debug)]
pub(crate) struct DceRpcConn {
    transport: &'static str,
    pipe: Option<String>,
    client: PduStream,
    contexts: Vec<Context>,
}

/// Whether a stream's first bytes are a DCE/RPC bind or request PDU (how a
/// connection on an unknown port is recognised).
pub(crate) fn looks_like_dcerpc(first: &[u8]) -> bool {
    Header::parse(first).is_some_and(|h| matches!(h.ptype, BIND | REQUEST | ALTER_CONTEXT))
        && first[4] & 0xee == 0
}

impl DceRpcConn {
    pub(crate) fn new(transport: &'static str, pipe: Option<String>) -> Self {
        Self {
            transport,
            pipe,
            client: PduStream::default(),
            contexts: Vec::new(),
        }
    }

    /// Bytes held for framing.
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.client.held()
    }

    /// Whether the client's bytes stopped looking like DCE/RPC.
    pub(crate) fn is_lost(&self) -> bool {
        self.client.is_lost()
    }

    /// A named-pipe write starts a message: a stream whose framing was lost
    /// starts again there.
    pub(crate) fn message_boundary(&mut self) {
        if self.client.is_lost() {
            self.client.reset();
        }
    }

    /// Takes client bytes; calls found go to `out` while `budget` lasts.
    /// Returns how many times framing was lost.
    pub(crate) fn on_client(
        &mut self,
        ts_us: i64,
        chunk: StreamChunk<'_>,
        budget: &mut u16,
        out: &mut Vec<Call>,
    ) -> u32 {
        let Self {
            client,
            contexts,
            transport,
            pipe,
        } = self;
        client.feed(chunk, &mut |p| {
            let Some(h) = Header::parse(p) else { return };
            match h.ptype {
                BIND | ALTER_CONTEXT => bind(&h, p, ts_us, contexts),
                REQUEST if h.flags & PFC_FIRST_FRAG != 0 => {
                    let (Some(ctx), Some(opnum)) = (h.u16_at(p, 20), h.u16_at(p, 22)) else {
                        return;
                    };
                    let context = contexts.iter_mut().find(|c| c.id == ctx);
                    let uuid = context.map(|c| {
                        c.called = true;
                        c.uuid.clone()
                    });
                    if *budget > 0 {
                        *budget -= 1;
                        out.push(Call {
                            ts_us,
                            body: body(transport, pipe, uuid, Some(opnum)),
                        });
                    }
                }
                _ => {}
            }
        })
    }

    /// End of the association: interfaces bound but never called give one
    /// event each.
    pub(crate) fn finish(&mut self, budget: &mut u16, out: &mut Vec<Call>) {
        let contexts = std::mem::take(&mut self.contexts);
        // Clients offer one interface under several contexts (transfer
        // syntaxes, bind-time features): it counts as called if any was.
        for (i, c) in contexts.iter().enumerate() {
            let used = contexts.iter().any(|o| o.uuid == c.uuid && o.called);
            let first = contexts[..i].iter().all(|o| o.uuid != c.uuid);
            if !used && first && *budget > 0 {
                *budget -= 1;
                out.push(Call {
                    ts_us: c.bound_us,
                    body: body(self.transport, &self.pipe, Some(c.uuid.clone()), None),
                });
            }
        }
    }
}

/// The endpoint mapper's port: its answers say where interfaces listen.
const EPMAPPER_PORT: u16 = 135;
/// Endpoints taken from one endpoint-mapper connection.
const MAX_ENDPOINTS_PER_CONNECTION: usize = 64;

/// DCE/RPC straight over TCP (endpoint mapper, dynamic ports).
#[derive(Debug)]
pub(crate) struct DceRpcTcp {
    conn: DceRpcConn,
    budget: u16,
    calls: Vec<Call>,
    done: bool,
    /// The endpoint mapper's answers (port 135 only).
    server: PduStream,
    endpoints: usize,
}

impl Default for DceRpcTcp {
    fn default() -> Self {
        Self {
            conn: DceRpcConn::new("tcp", None),
            budget: EVENTS_PER_CONNECTION,
            calls: Vec::new(),
            done: false,
            server: PduStream::default(),
            endpoints: 0,
        }
    }
}

impl DceRpcTcp {
    /// Takes a chunk; returns how many times framing was lost.
    pub(crate) fn on_chunk(
        &mut self,
        ctx: ChunkCtx,
        chunk: StreamChunk<'_>,
        out: &mut Vec<AppOutput>,
    ) -> u32 {
        if ctx.dir == Direction::Resp && ctx.resp_port == EPMAPPER_PORT && !self.done {
            return self.on_mapper_answer(ctx.ts_us, chunk, out);
        }
        if ctx.dir != Direction::Orig || self.done {
            return 0;
        }
        let lost = self
            .conn
            .on_client(ctx.ts_us, chunk, &mut self.budget, &mut self.calls);
        if self.budget == 0 || self.conn.is_lost() {
            self.finish(out);
        }
        self.take(out);
        lost
    }

    /// The endpoint mapper's responses: the towers they hold go out as
    /// endpoints.
    fn on_mapper_answer(
        &mut self,
        ts_us: i64,
        chunk: StreamChunk<'_>,
        out: &mut Vec<AppOutput>,
    ) -> u32 {
        let mut found = Vec::new();
        // The answers only add knowledge: framing lost in them is not a
        // malformed packet of the connection, reading them just stops.
        self.server.feed(chunk, &mut |p| {
            let Some(h) = Header::parse(p) else { return };
            if h.flags & PFC_FIRST_FRAG != 0 {
                if let Some(stub) = response_stub(&h, p) {
                    found.extend(towers(stub));
                }
            }
        });
        for e in found {
            if self.endpoints < MAX_ENDPOINTS_PER_CONNECTION {
                self.endpoints += 1;
                out.push(AppOutput {
                    ts_us,
                    item: AppItem::RpcEndpoint(Box::new(e)),
                });
            }
        }
        0
    }

    /// Nothing more to read: the budget is spent or the stream is not
    /// DCE/RPC (any more).
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    pub(crate) fn finish(&mut self, out: &mut Vec<AppOutput>) {
        if !self.done {
            self.done = true;
            self.conn.finish(&mut self.budget, &mut self.calls);
        }
        self.take(out);
    }

    fn take(&mut self, out: &mut Vec<AppOutput>) {
        out.extend(self.calls.drain(..).map(|c| AppOutput {
            ts_us: c.ts_us,
            item: AppItem::Event(Body::DceRpc(Box::new(c.body))),
        }));
    }
}

fn bind(h: &Header, p: &[u8], ts_us: i64, contexts: &mut Vec<Context>) {
    let Some(&count) = p.get(24) else { return };
    let mut at = 28;
    for _ in 0..count {
        let (Some(id), Some(&n_transfer), Some(uuid)) =
            (h.u16_at(p, at), p.get(at + 2), h.uuid_at(p, at + 4))
        else {
            return;
        };
        at += 24 + 20 * usize::from(n_transfer);
        if let Some(c) = contexts.iter_mut().find(|c| c.id == id) {
            if c.uuid != uuid {
                *c = Context {
                    id,
                    uuid,
                    bound_us: ts_us,
                    called: false,
                };
            }
        } else if contexts.len() < MAX_CONTEXTS {
            contexts.push(Context {
                id,
                uuid,
                bound_us: ts_us,
                called: false,
            });
        }
    }
}

fn body(
    transport: &'static str,
    pipe: &Option<String>,
    uuid: Option<String>,
    opnum: Option<u16>,
) -> DceRpcBody {
    let iface = uuid.as_deref().and_then(interfaces::lookup);
    DceRpcBody {
        transport,
        pipe: pipe.clone(),
        service: iface.map(|i| i.service),
        operation: iface
            .zip(opnum)
            .and_then(|(i, n)| interfaces::operation(i, n)),
        interface: uuid,
        opnum,
        inferred: None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A little-endian PDU with the given type, flags and body.
    pub(crate) fn pdu(ptype: u8, flags: u8, body: &[u8]) -> Vec<u8> {
        let mut p = vec![5, 0, ptype, flags, 0x10, 0, 0, 0];
        p.extend_from_slice(&((16 + body.len()) as u16).to_le_bytes());
        p.extend_from_slice(&[0, 0, 1, 0, 0, 0]);
        p.extend_from_slice(body);
        p
    }

    /// UUID bytes in little-endian NDR layout.
    pub(crate) fn uuid_bytes(s: &str) -> Vec<u8> {
        let hex: Vec<u8> = (0..16)
            .map(|i| {
                let s = s.replace('-', "");
                u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()
            })
            .collect();
        let mut b = hex.clone();
        b[0..4].reverse();
        b[4..6].reverse();
        b[6..8].reverse();
        b
    }

    /// A bind PDU with one context per (id, uuid).
    pub(crate) fn bind_pdu(contexts: &[(u16, &str)]) -> Vec<u8> {
        let mut body = vec![
            0xb8,
            0x10,
            0xb8,
            0x10,
            0,
            0,
            0,
            0,
            contexts.len() as u8,
            0,
            0,
            0,
        ];
        for (id, uuid) in contexts {
            body.extend_from_slice(&id.to_le_bytes());
            body.extend_from_slice(&[1, 0]);
            body.extend(uuid_bytes(uuid));
            body.extend_from_slice(&[2, 0, 0, 0]);
            body.extend(uuid_bytes("8a885d04-1ceb-11c9-9fe8-08002b104860"));
            body.extend_from_slice(&[2, 0, 0, 0]);
        }
        pdu(BIND, 3, &body)
    }

    pub(crate) fn request_pdu(ctx: u16, opnum: u16, flags: u8) -> Vec<u8> {
        let mut body = vec![0, 0, 0, 0];
        body.extend_from_slice(&ctx.to_le_bytes());
        body.extend_from_slice(&opnum.to_le_bytes());
        body.extend_from_slice(&[0xaa; 24]);
        pdu(REQUEST, flags, &body)
    }

    const SVCCTL: &str = "367abb81-9844-35f1-ad32-98f038001003";
    const DRSUAPI: &str = "e3514235-4b06-11d1-ab04-00c04fc2dcd2";

    fn run(stream: &[u8], budget: &mut u16) -> Vec<Call> {
        let mut c = DceRpcConn::new("tcp", None);
        let mut out = Vec::new();
        for piece in stream.chunks(7) {
            c.on_client(5, StreamChunk::Data(piece), budget, &mut out);
        }
        c.finish(budget, &mut out);
        out
    }

    #[test]
    fn binds_and_requests_give_interface_and_operation() {
        let mut s = bind_pdu(&[(0, SVCCTL), (1, DRSUAPI)]);
        s.extend(request_pdu(0, 15, 3));
        s.extend(request_pdu(0, 12, 1));
        // A later fragment of the same call is not another request.
        s.extend(request_pdu(0, 12, 2));
        let calls = run(&s, &mut EVENTS_PER_CONNECTION.clone());
        let got: Vec<_> = calls
            .iter()
            .map(|c| (c.body.service, c.body.opnum, c.body.operation))
            .collect();
        assert_eq!(
            got,
            [
                (Some("svcctl"), Some(15), Some("OpenSCManagerW")),
                (Some("svcctl"), Some(12), Some("CreateServiceW")),
                (Some("drsuapi"), None, None),
            ]
        );
        assert_eq!(calls[2].body.interface.as_deref(), Some(DRSUAPI));
    }

    #[test]
    fn a_request_without_its_bind_keeps_the_opnum() {
        let calls = run(&request_pdu(3, 7, 3), &mut 64);
        assert_eq!(calls.len(), 1);
        assert_eq!(
            (calls[0].body.interface.as_deref(), calls[0].body.opnum),
            (None, Some(7))
        );
    }

    #[test]
    fn events_stop_at_the_budget() {
        let mut s = bind_pdu(&[(0, SVCCTL)]);
        for _ in 0..100 {
            s.extend(request_pdu(0, 6, 3));
        }
        let mut budget = EVENTS_PER_CONNECTION;
        assert_eq!(run(&s, &mut budget).len(), 64);
        assert_eq!(budget, 0);
    }

    #[test]
    fn recognises_binds_and_requests_only() {
        assert!(looks_like_dcerpc(&bind_pdu(&[(0, SVCCTL)])));
        assert!(looks_like_dcerpc(&request_pdu(0, 1, 3)));
        assert!(!looks_like_dcerpc(&pdu(2, 3, &[0; 8])));
        assert!(!looks_like_dcerpc(b"\x05\x00\x0b\x03GET / HTTP/1.1"));
    }
}

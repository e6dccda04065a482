//! Application protocols over TCP: per-flow session state that reassembles
//! both directions and hands the bytes to the parser the first bytes call
//! for (DNS over TCP, HTTP/1.x, TLS ClientHello).

mod dns_tcp;
mod session;

pub use session::{AppItem, AppOutput, ChunkCtx, Session};

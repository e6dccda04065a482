//! Application protocols over TCP: per-flow session state that reassembles
//! both directions and hands the bytes to the parser the first bytes call
//! for (DNS over TCP, HTTP/1.x, TLS ClientHello).

mod dcerpc;
mod dns_tcp;
mod http;
mod http_body;
mod http_head;
mod kerberos;
#[cfg(test)]
mod lateral_capture_tests;
#[cfg(test)]
mod lateral_robustness_tests;
mod le;
#[cfg(test)]
mod robustness_tests;
mod session;
mod smb;
mod socks;
mod tls;
mod tls_fingerprint;
mod tls_hello;

pub use http::HttpTransaction;
pub use session::{AppItem, AppOutput, ChunkCtx, Session};

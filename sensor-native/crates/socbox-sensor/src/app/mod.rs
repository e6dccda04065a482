//! Application protocols over TCP: per-flow session state that reassembles
//! both directions and hands the bytes to the parser the first bytes call
//! for (DNS over TCP, HTTP/1.x with its bodies as files, TLS handshakes,
//! SSH, RDP, SMTP, FTP).

#[cfg(test)]
mod capture_tests;
pub(crate) mod dcerpc;
mod dns_tcp;
mod ftp;
mod ftp_data;
mod http;
mod http_body;
mod http_file;
mod http_head;
mod kerberos;
#[cfg(test)]
mod lateral_capture_tests;
#[cfg(test)]
mod lateral_robustness_tests;
mod le;
mod line;
mod protocol;
mod rdp;
#[cfg(test)]
mod robustness_tests;
mod session;
mod smb;
mod smtp;
mod smtp_mime;
mod socks;
mod ssh;
mod tls;
mod tls_cert;
mod tls_ciphers;
mod tls_fingerprint;
mod tls_hello;
mod tls_server;
mod tls_session;

pub use ftp_data::{FtpDataChannel, FtpTransfer};
pub use http::HttpTransaction;
pub use http_file::FileItem;
pub(crate) use protocol::{sniff_protocol, StreamProtocol};
pub use session::{AppItem, AppOutput, ChunkCtx, Session};

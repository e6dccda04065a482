//! Transferred files (HTTP bodies, SMB reads/writes, FTP data, SMTP
//! attachments): a streaming [`Digest`] hashes the bytes (SHA-256 and MD5)
//! up to a size cap and types them by their first bytes ([`Magic`]).
//!
//! Every protocol that carries files feeds its bytes here and turns the
//! [`Summary`] into a `file` event (`event::FileBody`).

mod digest;
mod magic;
#[cfg(test)]
mod robustness_tests;

pub use digest::{Digest, Summary, DEFAULT_CAP, HEAD_LEN};
pub use magic::{detect, Magic};

//! The client side of a TLS handshake, as far as the ClientHello: records
//! (RFC 8446 §5.1) are unwrapped and handshake fragments joined, so a hello
//! split across records or segments is read whole.

use super::tls_fingerprint::{ja3, ja4, offered_version};
use super::tls_hello::parse_client_hello;
use crate::decode::be16;
use crate::event::TlsBody;
use crate::reassembly::StreamChunk;

/// Bytes held while waiting for the whole hello: the largest hello fits
/// in a few records.
const MAX_HELLO_BYTES: usize = 64 * 1024;
const CONTENT_HANDSHAKE: u8 = 22;
const CLIENT_HELLO: u8 = 1;

#[derive(Debug, Default)]
pub(crate) struct TlsClient {
    records: Vec<u8>,
    handshake: Vec<u8>,
    done: bool,
}

/// What feeding client bytes gave.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TlsProgress {
    NeedMore,
    Hello(Box<TlsBody>),
    /// Not a readable ClientHello; nothing more will come.
    GaveUp,
}

pub(crate) fn version_name(v: u16) -> String {
    match v {
        0x0304 => "TLSv1.3".into(),
        0x0303 => "TLSv1.2".into(),
        0x0302 => "TLSv1.1".into(),
        0x0301 => "TLSv1.0".into(),
        0x0300 => "SSLv3".into(),
        // Drafts of TLS 1.3 (draft-ietf-tls-tls13 §4.2.1): 0x7f00 + n.
        0x7f00..=0x7fff => format!("TLSv1.3-draft{}", v & 0xff),
        other => format!("0x{other:04x}"),
    }
}

/// Does a stream start like a TLS handshake record?
pub(crate) fn looks_like_tls(first: &[u8]) -> bool {
    first.first() == Some(&CONTENT_HANDSHAKE) && first.get(1) == Some(&3)
}

impl TlsClient {
    pub(crate) fn on_chunk(&mut self, chunk: StreamChunk<'_>) -> TlsProgress {
        if self.done {
            return TlsProgress::NeedMore;
        }
        let StreamChunk::Data(data) = chunk else {
            self.done = true;
            return TlsProgress::GaveUp;
        };
        self.records.extend_from_slice(data);
        let mut at = 0;
        while let (Some(&ty), Some(len)) = (self.records.get(at), be16(&self.records, at + 3)) {
            let Some(fragment) = self.records.get(at + 5..at + 5 + usize::from(len)) else {
                break;
            };
            if ty != CONTENT_HANDSHAKE {
                self.done = true;
                return TlsProgress::GaveUp;
            }
            self.handshake.extend_from_slice(fragment);
            at += 5 + usize::from(len);
        }
        self.records.drain(..at);
        if let (Some(&msg_type), Some(hi), Some(lo)) = (
            self.handshake.first(),
            self.handshake.get(1),
            be16(&self.handshake, 2),
        ) {
            if msg_type != CLIENT_HELLO {
                self.done = true;
                return TlsProgress::GaveUp;
            }
            let len = usize::from(*hi) << 16 | usize::from(lo);
            if let Some(body) = self.handshake.get(4..4 + len) {
                self.done = true;
                let Some(h) = parse_client_hello(body) else {
                    return TlsProgress::GaveUp;
                };
                return TlsProgress::Hello(Box::new(TlsBody {
                    sni: h.sni.clone(),
                    version: version_name(offered_version(&h)),
                    alpn: h
                        .alpn
                        .iter()
                        .map(|p| String::from_utf8_lossy(p).into_owned())
                        .collect(),
                    ja3: ja3(&h),
                    ja4: ja4(&h),
                    ..TlsBody::default()
                }));
            }
        }
        if self.records.len() + self.handshake.len() > MAX_HELLO_BYTES {
            self.done = true;
            return TlsProgress::GaveUp;
        }
        TlsProgress::NeedMore
    }
}

#[cfg(test)]
mod tests {
    use super::super::tls_hello::tests::{hello_body, sni_ext};
    use super::*;

    fn records(handshake: &[u8], record_size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for piece in handshake.chunks(record_size) {
            out.extend_from_slice(&[22, 3, 1]);
            out.extend_from_slice(&(piece.len() as u16).to_be_bytes());
            out.extend_from_slice(piece);
        }
        out
    }

    fn client_hello() -> Vec<u8> {
        let body = hello_body(0x0303, &[0x1301], &[(0, sni_ext("split.example"))]);
        let mut hs = vec![1, 0];
        hs.extend_from_slice(&(body.len() as u16).to_be_bytes());
        hs.extend(body);
        hs
    }

    #[test]
    fn hello_split_across_records_and_chunks() {
        let stream = records(&client_hello(), 20);
        let mut t = TlsClient::default();
        let mut result = None;
        for piece in stream.chunks(7) {
            match t.on_chunk(StreamChunk::Data(piece)) {
                TlsProgress::NeedMore => {}
                other => {
                    result = Some(other);
                    break;
                }
            }
        }
        let Some(TlsProgress::Hello(b)) = result else {
            panic!("no hello: {result:?}")
        };
        assert_eq!(
            (b.sni.as_deref(), b.version.as_str()),
            (Some("split.example"), "TLSv1.2")
        );
        assert_eq!(b.ja3.len(), 32);
        assert!(b.ja4.starts_with("t12d0101"), "{}", b.ja4);
    }

    #[test]
    fn non_hello_streams_give_up() {
        for stream in [
            records(&[2, 0, 0, 1, 0], 100), // ServerHello first
            vec![23, 3, 3, 0, 1, 0],        // application data
        ] {
            let mut t = TlsClient::default();
            assert_eq!(t.on_chunk(StreamChunk::Data(&stream)), TlsProgress::GaveUp);
        }
        let mut t = TlsClient::default();
        assert_eq!(t.on_chunk(StreamChunk::Gap), TlsProgress::GaveUp);
    }
}

//! The client side of a TLS handshake, as far as the ClientHello: records
//! (RFC 8446 §5.1) are unwrapped and handshake fragments joined, so a hello
//! split across records or segments is read whole.

use super::tls_fingerprint::{ja3, ja4, offered_version};
use super::tls_hello::{parse_client_hello, ClientHello};
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

/// Does a stream start like a TLS handshake record, or like a
/// version-2-compatible ClientHello offering SSL 3.0 or TLS?
pub(crate) fn looks_like_tls(first: &[u8]) -> bool {
    (first.first() == Some(&CONTENT_HANDSHAKE) && first.get(1) == Some(&3))
        || v2_hello_len(first).is_some()
}

/// The length of a version-2-compatible ClientHello (RFC 5246 appendix
/// E.2: two-byte header with the top bit set, message type 1, version
/// 3.x), when the stream starts with one. Old Windows TLS stacks and some
/// malware (Glupteba) still send it.
fn v2_hello_len(b: &[u8]) -> Option<usize> {
    let (&h0, &h1, &ty, &major) = (b.first()?, b.get(1)?, b.get(2)?, b.get(3)?);
    (h0 & 0x80 != 0 && ty == CLIENT_HELLO && major == 3)
        .then(|| usize::from(h0 & 0x7f) << 8 | usize::from(h1))
        .filter(|&len| len >= 9)
}

/// Reads a whole version-2-compatible ClientHello message (after its
/// two-byte header): cipher specs of 3 bytes, of which those starting with
/// 0 are TLS suites; no extensions, so no SNI.
fn parse_v2_hello(msg: &[u8]) -> Option<ClientHello> {
    let version = be16(msg, 1)?;
    let specs_len = usize::from(be16(msg, 3)?);
    let session_len = usize::from(be16(msg, 5)?);
    let challenge_len = usize::from(be16(msg, 7)?);
    if specs_len % 3 != 0 || 9 + specs_len + session_len + challenge_len != msg.len() {
        return None;
    }
    let ciphers = msg[9..9 + specs_len]
        .chunks_exact(3)
        .filter(|c| c[0] == 0)
        .map(|c| u16::from_be_bytes([c[1], c[2]]))
        .collect();
    Some(ClientHello {
        legacy_version: version,
        ciphers,
        ..ClientHello::default()
    })
}

fn hello_body(h: &ClientHello) -> TlsBody {
    TlsBody {
        sni: h.sni.clone(),
        version: version_name(offered_version(h)),
        alpn: h
            .alpn
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
        ja3: ja3(h),
        ja4: ja4(h),
        ..TlsBody::default()
    }
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
        if self.handshake.is_empty() {
            if let Some(len) = v2_hello_len(&self.records) {
                let Some(msg) = self.records.get(2..2 + len) else {
                    return self.need_more();
                };
                self.done = true;
                return match parse_v2_hello(msg) {
                    Some(h) => TlsProgress::Hello(Box::new(hello_body(&h))),
                    None => TlsProgress::GaveUp,
                };
            }
        }
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
                return TlsProgress::Hello(Box::new(hello_body(&h)));
            }
        }
        self.need_more()
    }

    fn need_more(&mut self) -> TlsProgress {
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

    /// The version-2-compatible hello of suricata-verify tls-glupteba
    /// (shared/data): TLS 1.0 offered, 29 cipher specs, 16-byte challenge.
    fn glupteba_v2_hello() -> Vec<u8> {
        let mut specs = Vec::new();
        for s in [
            0x39u16, 0x38, 0x35, 0x16, 0x13, 0x0a, 0x33, 0x32, 0x2f, 0x9a, 0x99, 0x96,
        ] {
            specs.extend_from_slice(&[0, (s >> 8) as u8, s as u8]);
        }
        specs.extend_from_slice(&[0x07, 0x00, 0xc0, 0x03, 0x00, 0x80]); // SSL 2 suites
        let mut msg = vec![1, 3, 1];
        msg.extend_from_slice(&(specs.len() as u16).to_be_bytes());
        msg.extend_from_slice(&[0, 0, 0, 16]);
        msg.extend(specs);
        msg.extend_from_slice(&[0xab; 16]);
        let mut out = vec![0x80 | (msg.len() >> 8) as u8, msg.len() as u8];
        out.extend(msg);
        out
    }

    #[test]
    fn version_2_compatible_hello() {
        let stream = glupteba_v2_hello();
        assert!(looks_like_tls(&stream));
        let mut t = TlsClient::default();
        assert_eq!(
            t.on_chunk(StreamChunk::Data(&stream[..10])),
            TlsProgress::NeedMore
        );
        let TlsProgress::Hello(body) = t.on_chunk(StreamChunk::Data(&stream[10..])) else {
            panic!("no hello");
        };
        assert_eq!(
            (body.version.as_str(), body.sni.as_deref()),
            ("TLSv1.0", None)
        );
        assert_eq!(body.ja3.len(), 32);
        // A v2 header whose lengths disagree is not a hello.
        let mut bad = stream.clone();
        bad[8] = 9;
        assert_eq!(
            TlsClient::default().on_chunk(StreamChunk::Data(&bad)),
            TlsProgress::GaveUp
        );
        // SSL 2.0 itself (major 0) and plain bytes with the top bit are not TLS.
        assert!(!looks_like_tls(&[0x80, 0x2e, 1, 0, 2]));
        assert!(!looks_like_tls(&[0xff, 0xff, 0xff, 0xff]));
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

//! The server side of a TLS handshake: records unwrapped and handshake
//! messages joined across records and segments, as far as the ServerHello
//! (selected suite, JA3S, TLS 1.3 or not) and, before TLS 1.3, the
//! Certificate message (leaf certificate).

use super::tls_cert::{leaf_info, CertInfo};
use crate::decode::be16;
use crate::hex_text::lower_hex;
use crate::md5::Md5;
use crate::reassembly::StreamChunk;

const CONTENT_HANDSHAKE: u8 = 22;
const SERVER_HELLO: u8 = 2;
const CERTIFICATE: u8 = 11;
const EXT_SUPPORTED_VERSIONS: u16 = 43;
/// Handshake bytes held: certificate chains are rarely beyond a few tens
/// of KiB.
const MAX_HANDSHAKE: usize = 128 * 1024;

/// What a ServerHello says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerHello {
    pub legacy_version: u16,
    pub cipher: u16,
    pub extensions: Vec<u16>,
    /// supported_versions' choice (TLS 1.3).
    pub selected_version: Option<u16>,
}

impl ServerHello {
    /// JA3S (Salesforce): MD5 of `version,cipher,extensions`.
    pub(crate) fn ja3s(&self) -> String {
        let exts: Vec<String> = self.extensions.iter().map(u16::to_string).collect();
        let text = format!("{},{},{}", self.legacy_version, self.cipher, exts.join("-"));
        lower_hex(&Md5::digest(text.as_bytes()))
    }

    pub(crate) fn is_tls13(&self) -> bool {
        self.selected_version
            .is_some_and(|v| v == 0x0304 || (0x7f00..=0x7fff).contains(&v))
    }
}

/// Parses a ServerHello body (after the handshake header).
pub(crate) fn parse_server_hello(b: &[u8]) -> Option<ServerHello> {
    let legacy_version = be16(b, 0)?;
    let sid_len = usize::from(*b.get(34)?);
    let at = 35 + sid_len;
    let cipher = be16(b, at)?;
    b.get(at + 2)?; // compression method
    let mut hello = ServerHello {
        legacy_version,
        cipher,
        extensions: Vec::new(),
        selected_version: None,
    };
    let ext_at = at + 3;
    if ext_at == b.len() {
        return Some(hello);
    }
    let ext_len = usize::from(be16(b, ext_at)?);
    let exts = b.get(ext_at + 2..ext_at + 2 + ext_len)?;
    let mut i = 0;
    while i < exts.len() {
        let ty = be16(exts, i)?;
        let len = usize::from(be16(exts, i + 2)?);
        let data = exts.get(i + 4..i + 4 + len)?;
        hello.extensions.push(ty);
        if ty == EXT_SUPPORTED_VERSIONS {
            hello.selected_version = be16(data, 0);
        }
        i += 4 + len;
    }
    Some(hello)
}

/// The first certificate of a Certificate message (TLS ≤ 1.2, RFC 5246
/// §7.4.2): a 3-byte list length, then 3-byte length-prefixed DER.
pub(crate) fn leaf_certificate(b: &[u8]) -> Option<&[u8]> {
    let u24 = |at: usize| -> Option<usize> {
        let s = b.get(at..at + 3)?;
        Some(usize::from(s[0]) << 16 | usize::from(s[1]) << 8 | usize::from(s[2]))
    };
    let first = u24(3)?;
    let der = b.get(6..6 + first)?;
    (!der.is_empty()).then_some(der)
}

#[derive(Debug, Default)]
pub(crate) struct TlsServer {
    records: Vec<u8>,
    handshake: Vec<u8>,
    pub hello: Option<ServerHello>,
    pub cert: Option<CertInfo>,
    /// Nothing more to read (certificate seen, encrypted, or unreadable).
    pub done: bool,
}

impl TlsServer {
    pub(crate) fn on_chunk(&mut self, chunk: StreamChunk<'_>) {
        if self.done {
            return;
        }
        let StreamChunk::Data(data) = chunk else {
            self.done = true;
            return;
        };
        self.records.extend_from_slice(data);
        let mut at = 0;
        let mut other = false;
        while let (Some(&ty), Some(len)) = (self.records.get(at), be16(&self.records, at + 3)) {
            let Some(fragment) = self.records.get(at + 5..at + 5 + usize::from(len)) else {
                break;
            };
            if ty != CONTENT_HANDSHAKE {
                // ChangeCipherSpec, alert or data: no certificate in clear
                // will follow.
                other = true;
                break;
            }
            self.handshake.extend_from_slice(fragment);
            at += 5 + usize::from(len);
        }
        self.records.drain(..at);
        self.read_messages();
        self.done |= other;
        if self.records.len() + self.handshake.len() > MAX_HANDSHAKE {
            self.done = true;
        }
        if self.done {
            self.records = Vec::new();
            self.handshake = Vec::new();
        }
    }

    fn read_messages(&mut self) {
        let mut at = 0;
        while !self.done {
            let hs = &self.handshake[at..];
            let (Some(&msg_type), Some(&hi), Some(lo)) = (hs.first(), hs.get(1), be16(hs, 2))
            else {
                break;
            };
            let len = usize::from(hi) << 16 | usize::from(lo);
            if len > MAX_HANDSHAKE {
                self.done = true;
                break;
            }
            let Some(body) = hs.get(4..4 + len) else {
                break;
            };
            match msg_type {
                SERVER_HELLO if self.hello.is_none() => {
                    self.hello = parse_server_hello(body);
                    // TLS 1.3 encrypts everything after the ServerHello.
                    if self.hello.as_ref().is_none_or(ServerHello::is_tls13) {
                        self.done = true;
                    }
                }
                CERTIFICATE => {
                    self.cert = leaf_certificate(body).map(leaf_info);
                    self.done = true;
                }
                // Server key exchange, certificate request: keep reading.
                12 | 13 => {}
                // ServerHelloDone or anything else: no certificate.
                _ => self.done = true,
            }
            at += 4 + len;
        }
        self.handshake.drain(..at.min(self.handshake.len()));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A ServerHello handshake message (header included).
    pub(crate) fn server_hello(cipher: u16, exts: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut b = 0x0303u16.to_be_bytes().to_vec();
        b.extend_from_slice(&[9; 32]);
        b.push(0);
        b.extend_from_slice(&cipher.to_be_bytes());
        b.push(0);
        let mut e = Vec::new();
        for (ty, data) in exts {
            e.extend_from_slice(&ty.to_be_bytes());
            e.extend_from_slice(&(data.len() as u16).to_be_bytes());
            e.extend_from_slice(data);
        }
        b.extend_from_slice(&(e.len() as u16).to_be_bytes());
        b.extend(e);
        message(SERVER_HELLO, &b)
    }

    pub(crate) fn message(ty: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![ty];
        m.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        m.extend_from_slice(body);
        m
    }

    pub(crate) fn certificate(der: &[u8]) -> Vec<u8> {
        let n = der.len() as u32;
        let mut b = (n + 3).to_be_bytes()[1..].to_vec();
        b.extend_from_slice(&n.to_be_bytes()[1..]);
        b.extend_from_slice(der);
        message(CERTIFICATE, &b)
    }

    pub(crate) fn records(handshake: &[u8], size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for piece in handshake.chunks(size) {
            out.extend_from_slice(&[22, 3, 3]);
            out.extend_from_slice(&(piece.len() as u16).to_be_bytes());
            out.extend_from_slice(piece);
        }
        out
    }

    #[test]
    fn hello_and_certificate_across_records_and_chunks() {
        let hs = [
            server_hello(0xc02f, &[(0xff01, vec![0]), (11, vec![1, 0])]),
            certificate(b"DER bytes"),
        ]
        .concat();
        let stream = records(&hs, 13);
        let mut s = TlsServer::default();
        for piece in stream.chunks(5) {
            s.on_chunk(StreamChunk::Data(piece));
        }
        assert!(s.done);
        let h = s.hello.unwrap();
        assert_eq!(
            (h.cipher, h.extensions.clone(), h.is_tls13()),
            (0xc02f, vec![0xff01, 11], false)
        );
        // md5("771,49199,65281-11")
        use md5_reference::Digest as _;
        let expect: String = md5_reference::Md5::digest(b"771,49199,65281-11")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(h.ja3s(), expect);
        assert_eq!(s.cert.unwrap().sha1, leaf_info(b"DER bytes").sha1);
    }

    #[test]
    fn tls13_stops_at_the_hello_and_ccs_ends_reading() {
        let mut s = TlsServer::default();
        s.on_chunk(StreamChunk::Data(&records(
            &server_hello(0x1301, &[(43, vec![3, 4])]),
            500,
        )));
        assert!(s.done && s.hello.as_ref().unwrap().is_tls13() && s.cert.is_none());
        let mut s = TlsServer::default();
        let mut stream = records(&server_hello(0x002f, &[]), 500);
        stream.extend_from_slice(&[20, 3, 3, 0, 1, 1]);
        s.on_chunk(StreamChunk::Data(&stream));
        assert!(s.done && s.cert.is_none());
        assert_eq!(s.hello.unwrap().extensions, Vec::<u16>::new());
    }
}

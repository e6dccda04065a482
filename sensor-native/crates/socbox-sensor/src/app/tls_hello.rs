//! The TLS ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) and the
//! extensions fingerprints need.

use crate::decode::be16;

/// What a ClientHello offers, in wire order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ClientHello {
    pub legacy_version: u16,
    pub ciphers: Vec<u16>,
    /// Extension types in the order sent.
    pub extensions: Vec<u16>,
    pub sni: Option<String>,
    pub alpn: Vec<Vec<u8>>,
    pub groups: Vec<u16>,
    pub point_formats: Vec<u8>,
    pub signature_algorithms: Vec<u16>,
    pub supported_versions: Vec<u16>,
}

const EXT_SERVER_NAME: u16 = 0;
const EXT_SUPPORTED_GROUPS: u16 = 10;
const EXT_EC_POINT_FORMATS: u16 = 11;
const EXT_SIGNATURE_ALGORITHMS: u16 = 13;
const EXT_ALPN: u16 = 16;
const EXT_SUPPORTED_VERSIONS: u16 = 43;

/// A reader over a byte slice that fails (None) instead of panicking.
struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn u8(&mut self) -> Option<u8> {
        let v = *self.b.get(self.at)?;
        self.at += 1;
        Some(v)
    }
    fn u16(&mut self) -> Option<u16> {
        let v = be16(self.b, self.at)?;
        self.at += 2;
        Some(v)
    }
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let v = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(v)
    }
    fn vec8(&mut self) -> Option<&'a [u8]> {
        let n = usize::from(self.u8()?);
        self.bytes(n)
    }
    fn vec16(&mut self) -> Option<&'a [u8]> {
        let n = usize::from(self.u16()?);
        self.bytes(n)
    }
}

fn u16s(b: &[u8]) -> Vec<u16> {
    b.chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect()
}

/// Parses a ClientHello message body (after the 4-byte handshake header).
pub(crate) fn parse_client_hello(body: &[u8]) -> Option<ClientHello> {
    let mut r = Reader { b: body, at: 0 };
    let mut hello = ClientHello {
        legacy_version: r.u16()?,
        ..ClientHello::default()
    };
    r.bytes(32)?; // random
    r.vec8()?; // legacy session id
    hello.ciphers = u16s(r.vec16()?);
    r.vec8()?; // compression methods
               // SSL 3.0 and early TLS hellos may end here, without extensions.
    if r.at == body.len() {
        return Some(hello);
    }
    let exts = r.vec16()?;
    let mut e = Reader { b: exts, at: 0 };
    while e.at < exts.len() {
        let ty = e.u16()?;
        let data = e.vec16()?;
        hello.extensions.push(ty);
        let mut d = Reader { b: data, at: 0 };
        match ty {
            EXT_SERVER_NAME => {
                let list = d.vec16()?;
                let mut l = Reader { b: list, at: 0 };
                while l.at < list.len() {
                    let name_type = l.u8()?;
                    let name = l.vec16()?;
                    if name_type == 0 && hello.sni.is_none() {
                        hello.sni = Some(String::from_utf8_lossy(name).to_ascii_lowercase());
                    }
                }
            }
            EXT_ALPN => {
                let list = d.vec16()?;
                let mut l = Reader { b: list, at: 0 };
                while l.at < list.len() {
                    hello.alpn.push(l.vec8()?.to_vec());
                }
            }
            EXT_SUPPORTED_GROUPS => hello.groups = u16s(d.vec16()?),
            EXT_EC_POINT_FORMATS => hello.point_formats = d.vec8()?.to_vec(),
            EXT_SIGNATURE_ALGORITHMS => hello.signature_algorithms = u16s(d.vec16()?),
            EXT_SUPPORTED_VERSIONS => hello.supported_versions = u16s(d.vec8()?),
            _ => {}
        }
    }
    Some(hello)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A ClientHello body with the given parts; extensions as (type, data).
    pub(crate) fn hello_body(
        version: u16,
        ciphers: &[u16],
        extensions: &[(u16, Vec<u8>)],
    ) -> Vec<u8> {
        let mut b = version.to_be_bytes().to_vec();
        b.extend_from_slice(&[7; 32]);
        b.push(0);
        b.extend_from_slice(&((ciphers.len() * 2) as u16).to_be_bytes());
        for c in ciphers {
            b.extend_from_slice(&c.to_be_bytes());
        }
        b.extend_from_slice(&[1, 0]);
        let mut exts = Vec::new();
        for (ty, data) in extensions {
            exts.extend_from_slice(&ty.to_be_bytes());
            exts.extend_from_slice(&(data.len() as u16).to_be_bytes());
            exts.extend_from_slice(data);
        }
        b.extend_from_slice(&(exts.len() as u16).to_be_bytes());
        b.extend(exts);
        b
    }

    pub(crate) fn sni_ext(name: &str) -> Vec<u8> {
        let mut d = ((name.len() + 3) as u16).to_be_bytes().to_vec();
        d.push(0);
        d.extend_from_slice(&(name.len() as u16).to_be_bytes());
        d.extend_from_slice(name.as_bytes());
        d
    }

    #[test]
    fn parses_offers() {
        let alpn = [&[0u8, 12, 2][..], b"h2", &[8], b"http/1.1"].concat();
        let body = hello_body(
            0x0303,
            &[0x1301, 0xc02f],
            &[
                (0, sni_ext("Example.COM")),
                (16, alpn),
                (10, vec![0, 4, 0, 0x1d, 0, 0x17]),
                (11, vec![1, 0]),
                (13, vec![0, 2, 4, 3]),
                (43, vec![4, 3, 4, 3, 3]),
                (0xff01, vec![0]),
            ],
        );
        let h = parse_client_hello(&body).unwrap();
        assert_eq!(h.legacy_version, 0x0303);
        assert_eq!(h.ciphers, [0x1301, 0xc02f]);
        assert_eq!(h.extensions, [0, 16, 10, 11, 13, 43, 0xff01]);
        assert_eq!(h.sni.as_deref(), Some("example.com"));
        assert_eq!(h.alpn, [b"h2".to_vec(), b"http/1.1".to_vec()]);
        assert_eq!((h.groups, h.point_formats), (vec![0x1d, 0x17], vec![0]));
        assert_eq!(
            (h.signature_algorithms, h.supported_versions),
            (vec![0x0403], vec![0x0304, 0x0303])
        );
    }

    #[test]
    fn cut_hellos_fail_without_panicking() {
        let body = hello_body(0x0303, &[0x1301], &[(0, sni_ext("a.b"))]);
        for cut in 0..body.len() - 1 {
            let _ = parse_client_hello(&body[..cut]);
        }
        assert!(parse_client_hello(&body[..body.len() - 1]).is_none());
        let no_ext = &body[..2 + 32 + 1 + 4 + 2];
        assert_eq!(
            parse_client_hello(no_ext).unwrap().extensions,
            Vec::<u16>::new()
        );
    }
}

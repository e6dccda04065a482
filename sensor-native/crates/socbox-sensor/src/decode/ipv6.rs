use std::net::{IpAddr, Ipv6Addr};

use super::{be16, be32, DecodeError, Fragment, IpPacket};

const HOP_BY_HOP: u8 = 0;
const ROUTING: u8 = 43;
const FRAGMENT: u8 = 44;
const AUTH: u8 = 51;
const DEST_OPTS: u8 = 60;
const MOBILITY: u8 = 135;
const HIP: u8 = 139;
const SHIM6: u8 = 140;
const EXPERIMENT_1: u8 = 253;
const EXPERIMENT_2: u8 = 254;

/// A crafted packet could chain extension headers; real ones have a few.
const MAX_EXTENSION_HEADERS: usize = 16;

/// Parses an IPv6 header (RFC 8200) and walks its extension headers to the
/// transport protocol.
pub(crate) fn parse(b: &[u8]) -> Result<IpPacket<'_>, DecodeError> {
    if b.len() < 40 {
        return Err(DecodeError::Truncated("IPv6 header"));
    }
    if b[0] >> 4 != 6 {
        return Err(DecodeError::Invalid("IPv6 version"));
    }
    let payload_len = usize::from(be16(b, 4).unwrap_or(0));
    // Jumbograms (payload length 0) and snap-cut captures: take what is there.
    let end = if payload_len == 0 {
        b.len()
    } else {
        (40 + payload_len).min(b.len())
    };
    let src: [u8; 16] = b[8..24].try_into().unwrap_or([0; 16]);
    let dst: [u8; 16] = b[24..40].try_into().unwrap_or([0; 16]);
    let mut next = b[6];
    let mut at = 40;
    let mut fragment = None;
    for _ in 0..MAX_EXTENSION_HEADERS {
        let len = match next {
            HOP_BY_HOP | ROUTING | DEST_OPTS | MOBILITY | HIP | SHIM6 | EXPERIMENT_1
            | EXPERIMENT_2 => {
                let hdr_len = *b
                    .get(at + 1)
                    .ok_or(DecodeError::Truncated("IPv6 extension"))?;
                (usize::from(hdr_len) + 1) * 8
            }
            AUTH => {
                let hdr_len = *b
                    .get(at + 1)
                    .ok_or(DecodeError::Truncated("IPv6 extension"))?;
                (usize::from(hdr_len) + 2) * 4
            }
            FRAGMENT => {
                let off = be16(b, at + 2).ok_or(DecodeError::Truncated("IPv6 fragment"))?;
                let id = be32(b, at + 4).ok_or(DecodeError::Truncated("IPv6 fragment"))?;
                let more = off & 1 == 1;
                let offset = u32::from(off >> 3) * 8;
                if more || offset != 0 {
                    fragment = Some(Fragment { id, offset, more });
                }
                8
            }
            _ => {
                if at > end {
                    return Err(DecodeError::Truncated("IPv6 extension"));
                }
                return Ok(IpPacket {
                    src: IpAddr::V6(Ipv6Addr::from(src)),
                    dst: IpAddr::V6(Ipv6Addr::from(dst)),
                    proto: next,
                    payload: &b[at..end],
                    fragment,
                });
            }
        };
        next = b[at];
        at += len;
        if at > end {
            return Err(DecodeError::Truncated("IPv6 extension"));
        }
    }
    Err(DecodeError::Invalid("IPv6 extension header chain"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An IPv6 header (next header `next`) before `rest`.
    pub(crate) fn ipv6(src: Ipv6Addr, dst: Ipv6Addr, next: u8, rest: &[u8]) -> Vec<u8> {
        let mut p = vec![0x60, 0, 0, 0];
        p.extend_from_slice(&(rest.len() as u16).to_be_bytes());
        p.extend_from_slice(&[next, 64]);
        p.extend_from_slice(&src.octets());
        p.extend_from_slice(&dst.octets());
        p.extend_from_slice(rest);
        p
    }

    const A: Ipv6Addr = Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1);
    const B: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);

    #[test]
    fn skips_extension_headers() {
        // hop-by-hop (8 bytes) → destination options (16 bytes) → UDP
        let mut rest = vec![DEST_OPTS, 0, 0, 0, 0, 0, 0, 0];
        rest.extend_from_slice(&[17, 1]);
        rest.extend_from_slice(&[0; 14]);
        rest.extend_from_slice(b"udp!");
        let p = ipv6(A, B, HOP_BY_HOP, &rest);
        let ip = parse(&p).unwrap();
        assert_eq!(
            (ip.proto, ip.payload, ip.fragment),
            (17, &b"udp!"[..], None)
        );
        assert_eq!(ip.src, IpAddr::V6(A));
    }

    #[test]
    fn fragment_header_marks_fragment() {
        let mut rest = vec![17, 0, 0x00, 0x11]; // offset 16, more
        rest.extend_from_slice(&7u32.to_be_bytes());
        rest.extend_from_slice(b"data");
        let p = ipv6(A, B, FRAGMENT, &rest);
        let ip = parse(&p).unwrap();
        assert_eq!(
            ip.fragment,
            Some(Fragment {
                id: 7,
                offset: 16,
                more: true
            })
        );
        assert_eq!(ip.payload, b"data");
    }

    #[test]
    fn broken_chains_are_errors() {
        let short_ext = ipv6(A, B, HOP_BY_HOP, &[17, 4, 0, 0]);
        let loop_of_exts = ipv6(
            A,
            B,
            DEST_OPTS,
            &[DEST_OPTS, 0, 0, 0, 0, 0, 0, 0].repeat(20),
        );
        let v4 = {
            let mut p = ipv6(A, B, 17, b"");
            p[0] = 0x40;
            p
        };
        for (name, p, err) in [
            (
                "short",
                &short_ext[..30],
                DecodeError::Truncated("IPv6 header"),
            ),
            (
                "ext",
                &short_ext[..],
                DecodeError::Truncated("IPv6 extension"),
            ),
            (
                "chain",
                &loop_of_exts[..],
                DecodeError::Invalid("IPv6 extension header chain"),
            ),
            ("version", &v4[..], DecodeError::Invalid("IPv6 version")),
        ] {
            assert_eq!(parse(p), Err(err), "{name}");
        }
    }
}

use std::net::{IpAddr, Ipv4Addr};

use super::{be16, DecodeError, Fragment, IpPacket};

/// Parses an IPv4 header (RFC 791). The payload is cut to the total length;
/// a capture cut by the snap length keeps what there is.
pub(crate) fn parse(b: &[u8]) -> Result<IpPacket<'_>, DecodeError> {
    if b.len() < 20 {
        return Err(DecodeError::Truncated("IPv4 header"));
    }
    if b[0] >> 4 != 4 {
        return Err(DecodeError::Invalid("IPv4 version"));
    }
    let header_len = usize::from(b[0] & 0x0f) * 4;
    if header_len < 20 {
        return Err(DecodeError::Invalid("IPv4 header length"));
    }
    if b.len() < header_len {
        return Err(DecodeError::Truncated("IPv4 options"));
    }
    let total_len = usize::from(be16(b, 2).unwrap_or(0));
    // TSO/offloaded captures write 0 as the total length; take what is there.
    let end = if total_len == 0 {
        b.len()
    } else if total_len < header_len {
        return Err(DecodeError::Invalid("IPv4 total length"));
    } else {
        total_len.min(b.len())
    };
    let flags_offset = be16(b, 6).unwrap_or(0);
    let more = flags_offset & 0x2000 != 0;
    let offset = u32::from(flags_offset & 0x1fff) * 8;
    let fragment = (more || offset != 0).then(|| Fragment {
        id: u32::from(be16(b, 4).unwrap_or(0)),
        offset,
        more,
    });
    Ok(IpPacket {
        src: IpAddr::V4(Ipv4Addr::new(b[12], b[13], b[14], b[15])),
        dst: IpAddr::V4(Ipv4Addr::new(b[16], b[17], b[18], b[19])),
        proto: b[9],
        payload: &b[header_len..end],
        fragment,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An IPv4 header without options before `payload`.
    pub(crate) fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, payload: &[u8]) -> Vec<u8> {
        let total = (20 + payload.len()) as u16;
        let mut p = vec![0x45, 0];
        p.extend_from_slice(&total.to_be_bytes());
        p.extend_from_slice(&[0x12, 0x34, 0, 0, 64, proto, 0, 0]);
        p.extend_from_slice(&src);
        p.extend_from_slice(&dst);
        p.extend_from_slice(payload);
        p
    }

    #[test]
    fn parses_and_cuts_padding() {
        let mut p = ipv4([10, 0, 0, 1], [8, 8, 8, 8], 17, b"payload");
        p.extend_from_slice(&[0; 6]); // ethernet padding
        let ip = parse(&p).unwrap();
        assert_eq!(ip.src, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(ip.dst, IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8)));
        assert_eq!(
            (ip.proto, ip.payload, ip.fragment),
            (17, &b"payload"[..], None)
        );
    }

    #[test]
    fn fragments_are_marked() {
        let mut p = ipv4([1, 1, 1, 1], [2, 2, 2, 2], 17, b"x");
        p[6] = 0x20; // more fragments, offset 0
        assert_eq!(
            parse(&p).unwrap().fragment,
            Some(Fragment {
                id: 0x1234,
                offset: 0,
                more: true
            })
        );
        p[6] = 0x00;
        p[7] = 3; // last fragment at 24 bytes
        assert_eq!(
            parse(&p).unwrap().fragment,
            Some(Fragment {
                id: 0x1234,
                offset: 24,
                more: false
            })
        );
    }

    #[test]
    fn rejects_broken_headers() {
        let good = ipv4([1, 1, 1, 1], [2, 2, 2, 2], 6, b"");
        let mut bad_ihl = good.clone();
        bad_ihl[0] = 0x44;
        let mut long_ihl = good.clone();
        long_ihl[0] = 0x4f;
        let mut bad_total = good.clone();
        bad_total[3] = 10;
        let mut v6 = good.clone();
        v6[0] = 0x65;
        for (name, p, err) in [
            ("short", &good[..19], DecodeError::Truncated("IPv4 header")),
            (
                "ihl",
                &bad_ihl[..],
                DecodeError::Invalid("IPv4 header length"),
            ),
            (
                "options",
                &long_ihl[..],
                DecodeError::Truncated("IPv4 options"),
            ),
            (
                "total",
                &bad_total[..],
                DecodeError::Invalid("IPv4 total length"),
            ),
            ("version", &v6[..], DecodeError::Invalid("IPv4 version")),
        ] {
            assert_eq!(parse(p), Err(err), "{name}");
        }
    }
}

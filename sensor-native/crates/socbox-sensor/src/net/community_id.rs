//! Community ID v1 flow hashing (https://github.com/corelight/community-id-spec):
//! `"1:" + base64(sha1(seed, saddr, daddr, proto, 0, sport, dport))` with the
//! endpoints ordered so both directions of a flow hash alike.

use std::net::IpAddr;

use sha1::{Digest, Sha1};

use crate::decode::proto;

/// The five-tuple of one packet as seen on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlowTuple {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: u8,
    /// Ports; for ICMP the type and code.
    pub src_port: u16,
    pub dst_port: u16,
}

/// ICMP request/reply type pairs that make an ICMP exchange two-way (spec
/// "ICMP"): (type, counterpart).
const ICMP4_PAIRS: &[(u16, u16)] = &[
    (8, 0),
    (0, 8),
    (13, 14),
    (14, 13),
    (15, 16),
    (16, 15),
    (10, 9),
    (9, 10),
    (17, 18),
    (18, 17),
];
const ICMP6_PAIRS: &[(u16, u16)] = &[
    (128, 129),
    (129, 128),
    (133, 134),
    (134, 133),
    (135, 136),
    (136, 135),
    (130, 131),
    (131, 130),
    (144, 145),
    (145, 144),
];

/// Flow ports of an ICMP message as community-id sees them: the type, and
/// the counterpart type of request/reply pairs (so both directions match)
/// or else the code.
pub fn icmp_ports(ip_proto: u8, icmp_type: u8, code: u8) -> (u16, u16) {
    let pairs = if ip_proto == proto::ICMP {
        ICMP4_PAIRS
    } else {
        ICMP6_PAIRS
    };
    let t = u16::from(icmp_type);
    match pairs.iter().find(|(ty, _)| *ty == t) {
        Some((_, counterpart)) => (t, *counterpart),
        None => (t, u16::from(code)),
    }
}

fn has_ports(p: u8) -> bool {
    matches!(p, proto::TCP | proto::UDP | 132 /* SCTP */)
}

/// The community-id v1 string of a flow, with seed 0 unless given.
pub fn community_id_v1(t: &FlowTuple, seed: u16) -> String {
    CommunityId::v1(t, seed).as_str().to_owned()
}

/// A community-id v1 held inline (always 30 ASCII bytes): a flow keeps its
/// id without a heap string of its own.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommunityId([u8; 30]);

impl CommunityId {
    pub fn v1(t: &FlowTuple, seed: u16) -> Self {
        Self(community_id_text(t, seed))
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        debug_assert!(self.0.is_ascii());
        // SAFETY: the bytes are ASCII by construction ("1:" and the base64
        // alphabet, written only by `community_id_text`), so UTF-8. Not
        // checked again: events are read through this id several times
        // each (encoders, the ended-flows list).
        #[allow(unsafe_code)]
        unsafe {
            std::str::from_utf8_unchecked(&self.0)
        }
    }
}

impl std::fmt::Debug for CommunityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// True when `id` is the community-id v1 (seed 0) of `t`; allocates nothing,
/// so the wire encoder can afford to check every event.
pub fn is_community_id_v1(t: &FlowTuple, id: &str) -> bool {
    id.len() == 30 && community_id_text(t, 0) == id.as_bytes()
}

/// `"1:" + base64(sha1(...))`: always 30 ASCII bytes.
fn community_id_text(t: &FlowTuple, seed: u16) -> [u8; 30] {
    let (mut sport, mut dport) = (t.src_port, t.dst_port);
    let mut one_way = false;
    if t.proto == proto::ICMP || t.proto == proto::ICMPV6 {
        let pairs = if t.proto == proto::ICMP {
            ICMP4_PAIRS
        } else {
            ICMP6_PAIRS
        };
        match pairs.iter().find(|(ty, _)| *ty == t.src_port) {
            Some((_, counterpart)) => dport = *counterpart,
            None => one_way = true,
        }
    }
    let (mut saddr, mut daddr) = (t.src, t.dst);
    let ordered = (saddr, sport) <= (daddr, dport);
    if !one_way && !ordered {
        std::mem::swap(&mut saddr, &mut daddr);
        std::mem::swap(&mut sport, &mut dport);
    }
    let mut h = Sha1::new();
    h.update(seed.to_be_bytes());
    match (saddr, daddr) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            h.update(s.octets());
            h.update(d.octets());
        }
        _ => {
            h.update(to_v6_octets(saddr));
            h.update(to_v6_octets(daddr));
        }
    }
    h.update([t.proto, 0]);
    if has_ports(t.proto) || t.proto == proto::ICMP || t.proto == proto::ICMPV6 {
        h.update(sport.to_be_bytes());
        h.update(dport.to_be_bytes());
    }
    let digest: [u8; 20] = h.finalize().into();
    let mut out = [0u8; 30];
    out[..2].copy_from_slice(b"1:");
    base64_into(&digest, &mut out[2..]);
    out
}

fn to_v6_octets(ip: IpAddr) -> [u8; 16] {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    }
}

/// Standard base64 with padding (RFC 4648 §4) into `out`, which holds
/// exactly `4 * ceil(len / 3)` bytes.
fn base64_into(bytes: &[u8], out: &mut [u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (chunk, dst) in bytes.chunks(3).zip(out.chunks_mut(4)) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, d) in dst.iter_mut().enumerate() {
            *d = if i <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * i) & 63) as usize]
            } else {
                b'='
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuple(src: &str, dst: &str, proto: u8, sp: u16, dp: u16) -> FlowTuple {
        FlowTuple {
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            proto,
            src_port: sp,
            dst_port: dp,
        }
    }

    /// The community-id spec's baseline vectors (seed 0 and 1).
    #[test]
    fn spec_vectors() {
        let v6a = "fe80:1:203:405:607:809:a0b:c0d";
        let v6b = "fe80:1011:1213:1415:1617:1819:1a1b:1c1d";
        let cases = [
            (
                tuple("1.2.3.4", "5.6.7.8", 6, 1122, 3344),
                0,
                "1:wCb3OG7yAFWelaUydu0D+125CLM=",
            ),
            (
                tuple("5.6.7.8", "1.2.3.4", 6, 3344, 1122),
                0,
                "1:wCb3OG7yAFWelaUydu0D+125CLM=",
            ),
            (
                tuple("1.2.3.4", "5.6.7.8", 17, 1122, 3344),
                0,
                "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=",
            ),
            (
                tuple("5.6.7.8", "1.2.3.4", 17, 3344, 1122),
                0,
                "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=",
            ),
            (
                tuple("1.2.3.4", "5.6.7.8", 132, 1122, 3344),
                0,
                "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=",
            ),
            (
                tuple("1.2.3.4", "5.6.7.8", 1, 8, 0),
                0,
                "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=",
            ),
            (
                tuple("5.6.7.8", "1.2.3.4", 1, 0, 0),
                0,
                "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=",
            ),
            (
                tuple("1.2.3.4", "5.6.7.8", 1, 11, 0),
                0,
                "1:f/YiSyWqczrTgfUCZlBUnvHRcPk=",
            ),
            (
                tuple(v6a, v6b, 58, 128, 0),
                0,
                "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=",
            ),
            (
                tuple("1.2.3.4", "5.6.7.8", 46, 0, 0),
                0,
                "1:ikv3kmf89luf73WPz1jOs49S768=",
            ),
            (
                tuple("1.2.3.4", "5.6.7.8", 6, 1122, 3344),
                1,
                "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=",
            ),
            (
                tuple("1.2.3.4", "5.6.7.8", 17, 1122, 3344),
                1,
                "1:OShq+iKDAMVouh/4bMxB9Sz4amw=",
            ),
            (
                tuple("1.2.3.4", "5.6.7.8", 1, 8, 0),
                1,
                "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=",
            ),
            (
                tuple(v6a, v6b, 58, 128, 129),
                1,
                "1:IO27GQzPuCtNnwFvjWALMHu5tJE=",
            ),
        ];
        for (t, seed, expect) in cases {
            assert_eq!(community_id_v1(&t, seed), expect, "{t:?} seed {seed}");
            assert_eq!(
                is_community_id_v1(&t, expect),
                seed == 0,
                "{t:?} seed {seed}"
            );
        }
    }

    #[test]
    fn icmp_ports_pair_requests_and_replies() {
        assert_eq!(icmp_ports(1, 8, 0), (8, 0));
        assert_eq!(icmp_ports(1, 0, 0), (0, 8));
        assert_eq!(icmp_ports(1, 3, 1), (3, 1));
        assert_eq!(icmp_ports(58, 128, 0), (128, 129));
    }

    #[test]
    fn base64_padding() {
        for (input, expect) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
        ] {
            let mut s = vec![0u8; input.len().div_ceil(3) * 4];
            base64_into(input, &mut s);
            assert_eq!(s, expect.as_bytes());
        }
    }
}

//! Which shard takes a packet: a hash of the unordered pair of its IP
//! addresses. Both directions of a flow, the fragments of a datagram, an FTP
//! control connection and its data connections, and a DCE/RPC endpoint-mapper
//! lookup and the call that follows all share that pair, so one pipeline sees
//! everything that joins them. Packets to a multicast group go by the group
//! alone: mDNS and LLMNR answers come from other hosts than the query's
//! responder and join the query by its group. Frames without an IP header go
//! to shard 0.

use crate::capture::RawPacket;
use crate::decode::{network_layer, Network};

/// The shard of `p` among `shards` (0 when there is one). The same packet
/// gets the same shard on every run and machine: the hash is unseeded.
pub fn shard_of(p: &RawPacket<'_>, shards: usize) -> usize {
    if shards <= 1 {
        return 0;
    }
    let Ok(net) = network_layer(p.link_type, p.data) else {
        return 0;
    };
    // The addresses sit at fixed places whatever the options or extension
    // headers; a header too short for them goes to shard 0 (the pipeline
    // there counts it malformed).
    let h = match net {
        Network::Ipv4(b) => match (b.get(12..16), b.get(16..20)) {
            (Some(_), Some(group)) if group[0] & 0xf0 == 0xe0 => mix(u32_of(group).into()),
            (Some(a), Some(z)) => pair_hash(u32_of(a).into(), u32_of(z).into()),
            _ => return 0,
        },
        Network::Ipv6(b) => match (b.get(8..24), b.get(24..40)) {
            (Some(_), Some(group)) if group[0] == 0xff => mix(fold(group)),
            (Some(a), Some(z)) => pair_hash(fold(a), fold(z)),
            _ => return 0,
        },
        Network::Other => return 0,
    };
    // The high bits scaled into 0..shards: no modulo bias worth naming.
    ((u128::from(h) * shards as u128) >> 64) as usize
}

fn u32_of(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// An IPv6 address folded to 64 bits, mixed so both halves count.
fn fold(b: &[u8]) -> u64 {
    let hi = u64::from_be_bytes(b[..8].try_into().unwrap_or_default());
    let lo = u64::from_be_bytes(b[8..16].try_into().unwrap_or_default());
    mix(hi) ^ lo
}

/// The same for (a, z) and (z, a).
fn pair_hash(a: u64, z: u64) -> u64 {
    let (lo, hi) = if a <= z { (a, z) } else { (z, a) };
    mix(mix(lo) ^ hi.rotate_left(29))
}

/// splitmix64's finaliser: every input bit moves every output bit.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::LinkType;

    fn ipv4(src: [u8; 4], dst: [u8; 4]) -> Vec<u8> {
        let mut f = vec![0u8; 14];
        f[12..14].copy_from_slice(&0x0800u16.to_be_bytes());
        let mut ip = vec![0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0];
        ip.extend(src);
        ip.extend(dst);
        f.extend(ip);
        f
    }

    fn ipv6(src: [u8; 16], dst: [u8; 16]) -> Vec<u8> {
        let mut f = vec![0u8; 14];
        f[12..14].copy_from_slice(&0x86ddu16.to_be_bytes());
        let mut ip = vec![0x60, 0, 0, 0, 0, 0, 17, 64];
        ip.extend(src);
        ip.extend(dst);
        f.extend(ip);
        f
    }

    fn pkt(data: &[u8]) -> RawPacket<'_> {
        RawPacket {
            ts_us: 0,
            link_type: LinkType::ETHERNET,
            data,
            orig_len: data.len() as u32,
        }
    }

    #[test]
    fn both_directions_share_a_shard_and_pairs_spread() {
        let mut seen = [0usize; 4];
        for i in 0..=255u8 {
            for j in [1u8, 77, 200] {
                let (a, z) = ([10, 0, i, 1], [192, 168, j, i]);
                let there = shard_of(&pkt(&ipv4(a, z)), 4);
                assert_eq!(there, shard_of(&pkt(&ipv4(z, a)), 4));
                seen[there] += 1;
                let (a6, mut z6) = ([0xfd; 16], [0x20; 16]);
                z6[15] = i;
                z6[3] = j;
                let there6 = shard_of(&pkt(&ipv6(a6, z6)), 4);
                assert_eq!(there6, shard_of(&pkt(&ipv6(z6, a6)), 4));
                seen[there6] += 1;
            }
        }
        // 1536 pairs over 4 shards: each gets a fair part.
        assert!(seen.iter().all(|&n| (300..470).contains(&n)), "{seen:?}");
    }

    /// An mDNS query and the answers of other hosts to the group.
    #[test]
    fn packets_to_a_multicast_group_share_its_shard() {
        for shards in [2, 3, 5, 8] {
            let group = shard_of(&pkt(&ipv4([10, 0, 0, 1], [224, 0, 0, 251])), shards);
            let mut v6_group = [0u8; 16];
            v6_group[0] = 0xff;
            v6_group[1] = 0x02;
            v6_group[15] = 0xfb;
            let group6 = shard_of(&pkt(&ipv6([0xfe; 16], v6_group)), shards);
            for host in 2..60u8 {
                let answer = ipv4([10, 0, host, 7], [224, 0, 0, 251]);
                assert_eq!(shard_of(&pkt(&answer), shards), group);
                let mut from = [0xfe; 16];
                from[15] = host;
                assert_eq!(shard_of(&pkt(&ipv6(from, v6_group)), shards), group6);
            }
        }
    }

    #[test]
    fn one_shard_non_ip_and_short_headers_go_to_shard_0() {
        let frame = ipv4([10, 0, 0, 1], [10, 0, 0, 2]);
        assert_eq!(shard_of(&pkt(&frame), 1), 0);
        let mut arp = frame.clone();
        arp[12..14].copy_from_slice(&0x0806u16.to_be_bytes());
        assert_eq!(shard_of(&pkt(&arp), 8), 0);
        for cut in 0..frame.len() - 1 {
            let short = &frame[..cut];
            assert_eq!(shard_of(&pkt(short), 8), 0, "cut at {cut}");
        }
        let v6 = ipv6([1; 16], [2; 16]);
        assert_eq!(shard_of(&pkt(&v6[..50]), 8), 0);
    }

    #[test]
    fn the_shard_is_fixed_across_runs() {
        // Unseeded: what every run on every machine computes (worked out
        // apart from this code), for 2 to 6 shards.
        for (a, z, expected) in [
            ([10, 0, 0, 1], [10, 0, 0, 2], [0, 1, 1, 2, 2]),
            ([172, 16, 5, 4], [1, 1, 1, 1], [1, 1, 2, 3, 3]),
            ([10, 1, 2, 3], [8, 8, 8, 8], [1, 2, 2, 3, 4]),
        ] {
            let frame = ipv4(a, z);
            let got: Vec<usize> = (2..=6).map(|n| shard_of(&pkt(&frame), n)).collect();
            assert_eq!(got, expected, "{a:?} {z:?}");
        }
    }
}

//! Per-flow ICMP accounting for the `icmp` event: first type and code,
//! packets, payload bytes, largest payload and the payload's byte entropy
//! (tunnels carry dense, near-random payloads; pings carry patterns).

use crate::decode::proto;
use crate::event::IcmpBody;

/// The identifier of a query/reply ICMP message (echo, timestamp,
/// information, address mask; ICMPv6 echo): the first two bytes after the
/// type, code and checksum. Two exchanges between the same hosts with
/// different identifiers (two `ping` processes) are two flows, as in Zeek and
/// Suricata; community-id leaves it out, so both share one flow id.
pub fn query_id(ip_proto: u8, icmp_type: u8, rest: &[u8]) -> Option<u16> {
    let has_id = if ip_proto == proto::ICMPV6 {
        matches!(icmp_type, 128 | 129)
    } else {
        matches!(icmp_type, 0 | 8 | 13 | 14 | 15 | 16 | 17 | 18)
    };
    match rest {
        [hi, lo, ..] if has_id => Some(u16::from_be_bytes([*hi, *lo])),
        _ => None,
    }
}

/// Payload bytes counted into the entropy.
pub const ENTROPY_BYTES: u32 = 4096;

#[derive(Debug, Clone)]
pub struct IcmpStats {
    icmp_type: u8,
    code: u8,
    pkts: u64,
    bytes: u64,
    max_len: u64,
    counted: u32,
    histogram: [u32; 256],
}

impl IcmpStats {
    pub fn new(icmp_type: u8, code: u8) -> Self {
        Self {
            icmp_type,
            code,
            pkts: 0,
            bytes: 0,
            max_len: 0,
            counted: 0,
            histogram: [0; 256],
        }
    }

    /// One message's payload (after type, code and checksum).
    pub fn add(&mut self, payload: &[u8]) {
        let len = payload.len() as u64;
        self.pkts += 1;
        self.bytes += len;
        self.max_len = self.max_len.max(len);
        let room = (ENTROPY_BYTES - self.counted) as usize;
        for &b in &payload[..payload.len().min(room)] {
            self.histogram[usize::from(b)] += 1;
        }
        self.counted += payload.len().min(room) as u32;
    }

    /// Shannon entropy of the counted bytes, thousandths of a bit per byte.
    pub fn entropy_milli(&self) -> u16 {
        if self.counted == 0 {
            return 0;
        }
        let n = f64::from(self.counted);
        let bits: f64 = self
            .histogram
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| {
                let p = f64::from(c) / n;
                -p * p.log2()
            })
            .sum();
        (bits * 1000.0).round().clamp(0.0, 8000.0) as u16
    }

    pub fn body(&self) -> IcmpBody {
        IcmpBody {
            icmp_type: self.icmp_type,
            code: self.code,
            pkts: self.pkts,
            bytes: self.bytes,
            max_len: self.max_len,
            entropy_milli: self.entropy_milli(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_ids_only_of_query_reply_types() {
        assert_eq!(query_id(proto::ICMP, 8, &[0x12, 0x34, 0, 1]), Some(0x1234));
        assert_eq!(query_id(proto::ICMP, 0, &[0, 7]), Some(7));
        assert_eq!(query_id(proto::ICMP, 13, &[0, 9, 0, 0]), Some(9));
        assert_eq!(query_id(proto::ICMPV6, 129, &[1, 0]), Some(256));
        // Unreachable quotes the failed packet, no identifier; ICMPv6 type 0 is reserved.
        assert_eq!(query_id(proto::ICMP, 3, &[0, 0, 0, 0]), None);
        assert_eq!(query_id(proto::ICMPV6, 0, &[0, 7]), None);
        assert_eq!(query_id(proto::ICMP, 8, &[1]), None);
    }

    #[test]
    fn sizes_and_entropy() {
        let mut s = IcmpStats::new(8, 0);
        s.add(&[0x61; 32]);
        s.add(&[]);
        let b = s.body();
        assert_eq!(
            (b.icmp_type, b.pkts, b.bytes, b.max_len, b.entropy_milli),
            (8, 2, 32, 32, 0)
        );
        let mut s = IcmpStats::new(8, 0);
        s.add(&(0..=255u8).collect::<Vec<_>>());
        assert_eq!(s.entropy_milli(), 8000);
        let mut s = IcmpStats::new(0, 0);
        s.add(&[0, 1, 0, 1]);
        assert_eq!(s.entropy_milli(), 1000);
    }

    #[test]
    fn entropy_counts_only_the_first_bytes() {
        let mut s = IcmpStats::new(8, 0);
        s.add(&vec![7u8; ENTROPY_BYTES as usize]);
        s.add(&(0..=255u8).cycle().take(10_000).collect::<Vec<_>>());
        assert_eq!(s.entropy_milli(), 0);
        assert_eq!(s.body().bytes, u64::from(ENTROPY_BYTES) + 10_000);
    }
}

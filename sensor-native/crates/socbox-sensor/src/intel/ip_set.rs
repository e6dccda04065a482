use foldhash::HashMap;
use std::net::IpAddr;

use super::domain_set::Seen;
use super::list_ids::ListIds;
use crate::net::cidr::{ip_bits, mask};
use crate::net::Cidr;

/// Address and CIDR entries of all lists. Blocks are kept by prefix length,
/// so a lookup is one hash probe per prefix length in use, longest first.
/// IPv4 keys are one `u64` (prefix and bits) and values a packed `u32`, so
/// a slot is 16 bytes.
#[derive(Debug, Default, Clone)]
pub struct IpSet {
    v4: HashMap<u64, u32>,
    v6: HashMap<(u128, u8), u32>,
    lists: ListIds,
    /// Prefix lengths present per family, longest first.
    v4_prefixes: Vec<u8>,
    v6_prefixes: Vec<u8>,
    /// One bit per IPv4 /24 that some entry covers, built once loading is
    /// done when there are several prefix lengths: most addresses are in
    /// no listed block, and one bit test then stands for a hash probe per
    /// prefix length.
    v4_covered: Option<Box<[u64]>>,
}

/// Prefix lengths from which a lookup tests the /24 bitmap first.
const COVERED_MIN_PREFIXES: usize = 3;
/// Entries shorter than this would set too many bits: no bitmap then.
const COVERED_SHORTEST: u8 = 8;

fn v4_key(prefix: u8, bits: u128) -> u64 {
    (u64::from(prefix) << 32) | (bits as u64 & 0xffff_ffff)
}

impl IpSet {
    pub fn insert(&mut self, cidr: Cidr, list: u32) {
        // Built again by `shrink`; until then every prefix is probed.
        self.v4_covered = None;
        let (bits, width) = ip_bits(cidr.network());
        let prefix = cidr.prefix();
        let slot = if width == 32 {
            self.v4.entry(v4_key(prefix, bits)).or_insert(u32::MAX)
        } else {
            self.v6.entry((bits, prefix)).or_insert(u32::MAX)
        };
        *slot = if *slot == u32::MAX {
            ListIds::one(list)
        } else {
            self.lists.add(*slot, list)
        };
        let prefixes = if width == 32 {
            &mut self.v4_prefixes
        } else {
            &mut self.v6_prefixes
        };
        if !prefixes.contains(&prefix) {
            prefixes.push(prefix);
            prefixes.sort_unstable_by(|a, b| b.cmp(a));
        }
    }

    /// Makes room for `entries` more IPv4 entries (nearly all of a feed).
    pub(crate) fn reserve(&mut self, entries: usize) {
        self.v4.reserve(entries);
    }

    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops spare capacity once loading is done and builds the /24
    /// bitmap.
    pub(crate) fn shrink(&mut self) {
        self.v4.shrink_to_fit();
        self.v6.shrink_to_fit();
        self.v4_covered = None;
        let shortest = self.v4_prefixes.last().copied().unwrap_or(0);
        if self.v4_prefixes.len() >= COVERED_MIN_PREFIXES && shortest >= COVERED_SHORTEST {
            let mut bits = vec![0u64; (1 << 24) / 64].into_boxed_slice();
            for &key in self.v4.keys() {
                let prefix = (key >> 32) as u8;
                let first = (key as u32 >> 8) as usize;
                let count = 1usize << 24u8.saturating_sub(prefix);
                for b in first..first + count {
                    bits[b >> 6] |= 1 << (b & 63);
                }
            }
            self.v4_covered = Some(bits);
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.v4.capacity() * 17
            + self.v6.capacity() * 33
            + self.lists.heap_bytes()
            + self.v4_covered.as_ref().map_or(0, |b| b.len() * 8)
    }

    /// Calls `hit(list, block)` once per list holding a block that contains
    /// `ip`, with the most specific block.
    pub fn lookup(&self, ip: IpAddr, mut hit: impl FnMut(u32, Cidr)) {
        if self.is_empty() {
            return;
        }
        let (bits, width) = ip_bits(ip);
        if let (32, Some(covered)) = (width, &self.v4_covered) {
            let b = (bits as u32 >> 8) as usize;
            if covered[b >> 6] >> (b & 63) & 1 == 0 {
                return;
            }
        }
        let prefixes = if width == 32 {
            &self.v4_prefixes
        } else {
            &self.v6_prefixes
        };
        let mut seen = Seen::default();
        for &prefix in prefixes {
            let masked = bits & mask(width, prefix);
            let found = if width == 32 {
                self.v4.get(&v4_key(prefix, masked))
            } else {
                self.v6.get(&(masked, prefix))
            };
            let Some(packed) = found else {
                continue;
            };
            for &id in self.lists.get(packed) {
                if seen.first(id) {
                    if let Some(block) = Cidr::new(ip, prefix) {
                        hit(id, block);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_specific_block_per_list() {
        let mut set = IpSet::default();
        for (entry, list) in [
            ("10.0.0.0/8", 0),
            ("10.1.0.0/16", 0),
            ("10.1.2.3", 1),
            ("2001:db8::/32", 2),
            ("::ffff:10.1.2.3", 3),
        ] {
            set.insert(entry.parse().unwrap(), list);
        }
        let cases: &[(&str, &[(u32, &str)])] = &[
            ("10.1.2.3", &[(1, "10.1.2.3/32"), (0, "10.1.0.0/16")]),
            ("10.9.9.9", &[(0, "10.0.0.0/8")]),
            ("11.0.0.1", &[]),
            ("2001:db8:1::1", &[(2, "2001:db8::/32")]),
            ("::ffff:10.1.2.3", &[(3, "::ffff:10.1.2.3/128")]),
        ];
        for (ip, expect) in cases {
            let mut got = Vec::new();
            set.lookup(ip.parse().unwrap(), |id, b| got.push((id, b.to_string())));
            let expect: Vec<(u32, String)> =
                expect.iter().map(|(i, e)| (*i, e.to_string())).collect();
            assert_eq!(got, expect, "{ip}");
        }
    }

    #[test]
    fn covered_bitmap_changes_no_answer() {
        let entries = [
            ("10.0.0.0/8", 0),
            ("192.168.4.0/22", 1),
            ("203.0.113.7", 2),
            ("198.51.100.0/24", 3),
            ("198.51.100.128/25", 4),
        ];
        let (mut with, mut without) = (IpSet::default(), IpSet::default());
        for (entry, list) in entries {
            with.insert(entry.parse().unwrap(), list);
            without.insert(entry.parse().unwrap(), list);
        }
        with.shrink();
        assert!(with.v4_covered.is_some());
        assert!(without.v4_covered.is_none());
        for ip in [
            "10.200.1.1",
            "11.0.0.1",
            "192.168.7.255",
            "192.168.8.0",
            "192.168.3.255",
            "203.0.113.7",
            "203.0.113.8",
            "198.51.100.200",
            "198.51.100.1",
            "198.51.101.1",
            "0.0.0.0",
            "255.255.255.255",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            with.lookup(ip, |id, c| a.push((id, c)));
            without.lookup(ip, |id, c| b.push((id, c)));
            assert_eq!(a, b, "{ip}");
        }
    }
}

use foldhash::HashMap;
use std::net::IpAddr;

use super::list_ids::ListIds;
use crate::net::cidr::{ip_bits, mask};
use crate::net::Cidr;

/// Address and CIDR entries of all lists. Blocks are kept by prefix length,
/// so a lookup is one hash probe per prefix length in use, longest first.
#[derive(Debug, Default, Clone)]
pub struct IpSet {
    /// (width 32/128, prefix, masked bits) → lists.
    blocks: HashMap<(u8, u8, u128), ListIds>,
    /// Prefix lengths present per family, longest first.
    v4_prefixes: Vec<u8>,
    v6_prefixes: Vec<u8>,
}

impl IpSet {
    pub fn insert(&mut self, cidr: Cidr, list: u32) {
        let (bits, width) = ip_bits(cidr.network());
        let key = (width, cidr.prefix(), bits);
        match self.blocks.get_mut(&key) {
            Some(ids) => ids.add(list),
            None => {
                self.blocks.insert(key, ListIds::One(list));
            }
        }
        let prefixes = if width == 32 {
            &mut self.v4_prefixes
        } else {
            &mut self.v6_prefixes
        };
        if !prefixes.contains(&cidr.prefix()) {
            prefixes.push(cidr.prefix());
            prefixes.sort_unstable_by(|a, b| b.cmp(a));
        }
    }

    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Calls `hit(list, block)` once per list holding a block that contains
    /// `ip`, with the most specific block.
    pub fn lookup(&self, ip: IpAddr, mut hit: impl FnMut(u32, Cidr)) {
        if self.blocks.is_empty() {
            return;
        }
        let (bits, width) = ip_bits(ip);
        let prefixes = if width == 32 {
            &self.v4_prefixes
        } else {
            &self.v6_prefixes
        };
        let mut seen: Vec<u32> = Vec::new();
        for &prefix in prefixes {
            let Some(ids) = self
                .blocks
                .get(&(width, prefix, bits & mask(width, prefix)))
            else {
                continue;
            };
            for &id in ids.as_slice() {
                if !seen.contains(&id) {
                    seen.push(id);
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
}

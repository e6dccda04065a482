//! IPv4 and IPv6 fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5).
//! Overlapping pieces keep the bytes that arrived first, so a later piece
//! cannot rewrite what was already seen (the classic overlap evasion).

use std::collections::VecDeque;

use foldhash::HashMap;
use std::net::IpAddr;

use crate::decode::Fragment;

/// Bounds of the reassembly table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentLimits {
    /// Capture time after which an incomplete datagram is dropped.
    pub timeout_us: i64,
    /// Datagrams being reassembled at once; the oldest is dropped beyond it.
    pub max_datagrams: usize,
    /// Bytes held over all datagrams.
    pub max_bytes: usize,
}

impl Default for FragmentLimits {
    fn default() -> Self {
        Self {
            timeout_us: 30_000_000,
            max_datagrams: 4096,
            max_bytes: 16 << 20,
        }
    }
}

/// The largest IP datagram.
const MAX_DATAGRAM: usize = 65_535;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    src: IpAddr,
    dst: IpAddr,
    proto: u8,
    id: u32,
}

#[derive(Debug, Default)]
struct Datagram {
    /// (offset, bytes) in arrival order.
    pieces: Vec<(usize, Vec<u8>)>,
    /// Known once the last piece (more = false) arrived.
    total: Option<usize>,
    held: usize,
    first_us: i64,
}

impl Datagram {
    fn complete(&self) -> Option<Vec<u8>> {
        let total = self.total?;
        let mut spans: Vec<(usize, usize)> =
            self.pieces.iter().map(|(o, b)| (*o, o + b.len())).collect();
        spans.sort_unstable();
        let mut covered = 0;
        for (start, end) in spans {
            if start > covered {
                return None;
            }
            covered = covered.max(end);
        }
        if covered < total {
            return None;
        }
        let mut out = vec![0u8; total];
        // Later pieces first, so earlier arrivals overwrite them: first wins.
        for (offset, bytes) in self.pieces.iter().rev() {
            let end = (offset + bytes.len()).min(total);
            if *offset < end {
                out[*offset..end].copy_from_slice(&bytes[..end - offset]);
            }
        }
        Some(out)
    }
}

/// Counters of the reassembler.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FragmentStats {
    pub reassembled: u64,
    /// Datagrams given up (timeout, table full, too big).
    pub dropped: u64,
}

#[derive(Debug, Default)]
pub struct Fragments {
    limits: FragmentLimits,
    table: HashMap<Key, Datagram>,
    order: VecDeque<(i64, Key)>,
    held: usize,
    stats: FragmentStats,
}

impl Fragments {
    pub fn new(limits: FragmentLimits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Bytes held over all incomplete datagrams.
    pub fn held_bytes(&self) -> usize {
        self.held
    }

    pub fn stats(&self) -> FragmentStats {
        self.stats
    }

    /// Adds one fragment; returns the whole transport payload once every
    /// piece is there.
    pub fn add(
        &mut self,
        ts_us: i64,
        src: IpAddr,
        dst: IpAddr,
        proto: u8,
        frag: Fragment,
        payload: &[u8],
    ) -> Option<Vec<u8>> {
        self.expire(ts_us);
        let key = Key {
            src,
            dst,
            proto,
            id: frag.id,
        };
        let offset = frag.offset as usize;
        if offset + payload.len() > MAX_DATAGRAM {
            self.drop_datagram(&key);
            return None;
        }
        let d = self.table.entry(key).or_insert_with(|| {
            self.order.push_back((ts_us, key));
            Datagram {
                first_us: ts_us,
                ..Datagram::default()
            }
        });
        if !frag.more {
            d.total = Some(offset + payload.len());
        }
        d.pieces.push((offset, payload.to_vec()));
        d.held += payload.len();
        self.held += payload.len();
        if let Some(whole) = d.complete() {
            self.remove(&key);
            self.stats.reassembled += 1;
            return Some(whole);
        }
        while self.table.len() > self.limits.max_datagrams || self.held > self.limits.max_bytes {
            let Some((_, oldest)) = self.order.pop_front() else {
                break;
            };
            self.drop_datagram(&oldest);
        }
        None
    }

    fn expire(&mut self, now_us: i64) {
        while let Some(&(ts, key)) = self.order.front() {
            if now_us.saturating_sub(ts) <= self.limits.timeout_us {
                break;
            }
            self.order.pop_front();
            // The key may have completed and come back since; check its age.
            if self.table.get(&key).is_some_and(|d| d.first_us == ts) {
                self.drop_datagram(&key);
            }
        }
    }

    fn remove(&mut self, key: &Key) -> bool {
        match self.table.remove(key) {
            Some(d) => {
                self.held -= d.held;
                true
            }
            None => false,
        }
    }

    fn drop_datagram(&mut self, key: &Key) {
        if self.remove(key) {
            self.stats.dropped += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    fn frag(id: u32, offset: u32, more: bool) -> Fragment {
        Fragment { id, offset, more }
    }

    #[test]
    fn reassembles_in_any_order() {
        let data: Vec<u8> = (0..40).collect();
        let orders: &[&[usize]] = &[&[0, 1, 2], &[2, 1, 0], &[1, 2, 0]];
        for order in orders {
            let mut f = Fragments::default();
            let mut out = None;
            for &i in *order {
                let piece = &data[i * 16..((i + 1) * 16).min(40)];
                out = f.add(0, A, B, 17, frag(1, (i * 16) as u32, i < 2), piece);
            }
            assert_eq!(out.as_deref(), Some(&data[..]), "{order:?}");
            assert_eq!(
                f.stats(),
                FragmentStats {
                    reassembled: 1,
                    dropped: 0
                }
            );
            assert_eq!(f.held, 0);
        }
    }

    #[test]
    fn overlaps_keep_the_first_bytes() {
        let mut f = Fragments::default();
        assert_eq!(f.add(0, A, B, 17, frag(9, 0, true), b"AAAAAAAA"), None);
        assert_eq!(
            f.add(0, A, B, 17, frag(9, 0, true), b"XXXXXXXXXXXXXXXX"),
            None
        );
        let whole = f.add(0, A, B, 17, frag(9, 16, false), b"CCCC").unwrap();
        assert_eq!(whole, b"AAAAAAAAXXXXXXXXCCCC");
    }

    #[test]
    fn incomplete_datagrams_time_out_and_are_bounded() {
        let mut f = Fragments::new(FragmentLimits {
            timeout_us: 10,
            max_datagrams: 2,
            max_bytes: 1 << 20,
        });
        for id in 0..3 {
            f.add(0, A, B, 17, frag(id, 0, true), b"12345678");
        }
        assert_eq!(f.table.len(), 2);
        assert_eq!(f.stats().dropped, 1);
        assert_eq!(
            f.add(5, A, B, 17, frag(1, 8, false), b"x"),
            Some(b"12345678x".to_vec())
        );
        f.add(100, A, B, 17, frag(7, 0, true), b"y");
        assert_eq!(f.table.len(), 1, "datagram 2 timed out");
        assert_eq!(
            f.stats(),
            FragmentStats {
                reassembled: 1,
                dropped: 2
            }
        );
        assert!(f
            .add(100, A, B, 17, frag(8, 65_528, false), &[0; 16])
            .is_none());
    }
}

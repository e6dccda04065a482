//! A round's records, walked once for all the shards. Every shard needs
//! every record of a round (its own packets to decode, the others' for
//! their times), and finding a record's shard is the address-pair hash of
//! [`shard_of`]: each shard walking the file itself did that work once per
//! shard, 6% of the samples of a two-shard run. The first shard to reach a
//! round walks it and leaves the result for the others.

use std::sync::{Arc, Mutex};

use super::pick::shard_of;
use super::shard::Rounds;
use crate::capture::{LinesAhead, LinkType, PacketReader, RawPacket, Record};

/// One record of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Item {
    Packet {
        shard: u32,
        ts_us: i64,
        /// Where its bytes are in the capture.
        at: usize,
        len: u32,
        orig_len: u32,
        link_type: LinkType,
    },
    /// A record the reader skipped or found cut short.
    Malformed,
}

impl Item {
    /// The packet, if it is one of `shard`'s.
    pub fn packet_of<'a>(&self, shard: usize, data: &'a [u8]) -> Option<RawPacket<'a>> {
        match *self {
            Self::Packet {
                shard: s,
                ts_us,
                at,
                len,
                orig_len,
                link_type,
            } if s as usize == shard => Some(RawPacket {
                ts_us,
                link_type,
                data: &data[at..at + len as usize],
                orig_len,
            }),
            _ => None,
        }
    }
}

/// The records of one round, and the reader after them.
#[derive(Debug)]
pub(super) struct Round {
    pub items: Vec<Item>,
    pub reader: PacketReader,
    /// The input ended in this round.
    pub at_end: bool,
}

/// Reads one round from where `reader` is, cut as [`Rounds`] says: at most
/// `records` records, or the first record that ends `bytes` or more past
/// the start.
pub(super) fn walk(reader: &PacketReader, data: &[u8], shards: usize, rounds: Rounds) -> Round {
    let mut reader = reader.clone();
    let start = reader.offset();
    let mut items = Vec::with_capacity(rounds.records.min(1 << 12));
    // The walk does little per record, so it waits on memory unless the
    // lines ahead were asked for.
    let mut lines = LinesAhead::default();
    let at_end = loop {
        let item = match reader.next(data) {
            Record::Packet(p) => Item::Packet {
                shard: shard_of(&p, shards) as u32,
                ts_us: p.ts_us,
                at: p.data.as_ptr() as usize - data.as_ptr() as usize,
                len: p.data.len() as u32,
                orig_len: p.orig_len,
                link_type: p.link_type,
            },
            Record::Skipped | Record::Truncated => Item::Malformed,
            Record::End => break true,
        };
        items.push(item);
        lines.reach(data, reader.offset());
        if items.len() >= rounds.records || reader.offset() - start >= rounds.bytes {
            break false;
        }
    };
    Round {
        items,
        reader,
        at_end,
    }
}

/// Rounds kept for the shards that have not taken them yet. Shards stay
/// within the writer's queue (`QUEUED_CHUNKS` rounds) of each other, far
/// fewer than this, so a round is never overwritten before all took it;
/// were it, the late shard would walk the round itself.
const SLOTS: usize = 64;

#[derive(Debug)]
enum Slot {
    Free,
    /// A shard is walking the round.
    Walking,
    Walked {
        round: u64,
        walked: Arc<Round>,
        /// Shards yet to take it.
        left: usize,
    },
}

/// The rounds of one run, shared by its shards.
#[derive(Debug)]
pub(super) struct Walks {
    slots: Vec<Mutex<Slot>>,
    shards: usize,
    rounds: Rounds,
}

impl Walks {
    pub fn new(shards: usize, rounds: Rounds) -> Self {
        Self {
            slots: (0..SLOTS).map(|_| Mutex::new(Slot::Free)).collect(),
            shards,
            rounds,
        }
    }

    /// Round `k`, which starts where `reader` is: as another shard walked
    /// it, or walked here and left for the others. A shard that finds the
    /// round being walked walks it too rather than wait: the same records
    /// either way.
    pub fn take(&self, k: u64, reader: &PacketReader, data: &[u8]) -> Arc<Round> {
        let walk_here = || Arc::new(walk(reader, data, self.shards, self.rounds));
        if self.shards == 1 {
            return walk_here();
        }
        let slot = &self.slots[k as usize % SLOTS];
        {
            let mut s = lock(slot);
            match &mut *s {
                Slot::Walked {
                    round,
                    walked,
                    left,
                } if *round == k => {
                    let walked = Arc::clone(walked);
                    *left -= 1;
                    if *left == 0 {
                        *s = Slot::Free;
                    }
                    return walked;
                }
                Slot::Walking => return walk_here(),
                Slot::Walked { round, .. } if *round > k => return walk_here(),
                _ => *s = Slot::Walking,
            }
        }
        let walked = walk_here();
        *lock(slot) = Slot::Walked {
            round: k,
            walked: Arc::clone(&walked),
            left: self.shards - 1,
        };
        walked
    }
}

/// A slot's lock; a shard that panicked holding it left a valid slot.
fn lock(slot: &Mutex<Slot>) -> std::sync::MutexGuard<'_, Slot> {
    slot.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::CaptureFile;
    use crate::test_data::shared_capture;

    const SMALL: Rounds = Rounds {
        records: 5,
        bytes: 2048,
        finish_flows: 2,
    };

    /// Every round of `path` as walked from its start, one after another.
    fn rounds_of(path: &std::path::Path, shards: usize) -> Vec<Vec<Item>> {
        let capture = CaptureFile::open(path).unwrap();
        let mut reader = capture.reader().unwrap();
        let mut all = Vec::new();
        loop {
            let r = walk(&reader, capture.bytes(), shards, SMALL);
            all.push(r.items);
            reader = r.reader;
            if r.at_end {
                return all;
            }
        }
    }

    #[test]
    fn a_round_walked_once_is_what_each_shard_would_walk() {
        let path = shared_capture("BENIGN/ja4__tls-sni.pcapng");
        let expected = rounds_of(&path, 3);
        let capture = CaptureFile::open(&path).unwrap();
        let walks = Walks::new(3, SMALL);
        let mut readers = vec![capture.reader().unwrap(); 3];
        let mut taken = Vec::new();
        // Shard 2 runs ahead, shard 0 behind: the rounds are walked by
        // whoever comes first and taken by the others.
        for k in 0..expected.len() as u64 {
            for shard in [2, 1, 0] {
                let r = walks.take(k, &readers[shard], capture.bytes());
                readers[shard] = r.reader.clone();
                if shard == 0 {
                    taken.push(r.items.clone());
                }
            }
        }
        assert_eq!(taken, expected);
        assert!(
            walks.slots.iter().all(|s| matches!(*lock(s), Slot::Free)),
            "rounds taken by every shard are let go"
        );
        let mut packets = [0usize; 3];
        for item in expected.iter().flatten() {
            for (shard, n) in packets.iter_mut().enumerate() {
                if let Some(p) = item.packet_of(shard, capture.bytes()) {
                    assert!(!p.data.is_empty());
                    *n += 1;
                }
            }
        }
        assert!(
            packets.iter().filter(|&&n| n > 0).count() > 1,
            "{packets:?}"
        );
    }

    #[test]
    fn a_round_being_walked_is_walked_again_and_stale_rounds_give_way() {
        let path = shared_capture("BENIGN/ja4__tls-sni.pcapng");
        let expected = rounds_of(&path, 2);
        let capture = CaptureFile::open(&path).unwrap();
        let walks = Walks::new(2, SMALL);
        let reader = capture.reader().unwrap();
        *lock(&walks.slots[0]) = Slot::Walking;
        assert_eq!(walks.take(0, &reader, capture.bytes()).items, expected[0]);
        // A round SLOTS on finds round 0 there, taken by one shard only.
        let stale = walk(&reader, capture.bytes(), 2, SMALL);
        *lock(&walks.slots[0]) = Slot::Walked {
            round: 0,
            walked: Arc::new(stale),
            left: 1,
        };
        let later = walks.take(SLOTS as u64, &reader, capture.bytes());
        assert_eq!(later.items, expected[0], "walked from the reader given");
        assert!(
            matches!(*lock(&walks.slots[0]), Slot::Walked { round, left: 1, .. } if round == SLOTS as u64)
        );
    }
}

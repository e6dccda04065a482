//! The flow table's index: 32 bits of a key's hash → the flow's slot, in
//! one array of 8-byte entries with linear probing. A lookup of a flow not
//! in cache costs one miss here (the entry and its neighbours share a cache
//! line) and one on the flow itself; a general hash table with a separate
//! control array costs two here.

/// An entry: hash in the high half, slot + 1 in the low half; 0 is empty.
type Entry = u64;

fn pack(hash: u32, slot: u32) -> Entry {
    (u64::from(hash) << 32) | (u64::from(slot) + 1)
}

fn hash_of(e: Entry) -> u32 {
    (e >> 32) as u32
}

fn slot_of(e: Entry) -> u32 {
    (e as u32).wrapping_sub(1)
}

#[derive(Debug, Default)]
pub(super) struct FlowIndex {
    /// A power of two long (or empty); at most three quarters full. Probes
    /// stay short at that load (a run rarely leaves its cache line), and
    /// the array the lookups miss on spans half the pages of a half-full one.
    entries: Vec<Entry>,
    len: usize,
}

impl FlowIndex {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn mask(&self) -> usize {
        self.entries.len().wrapping_sub(1)
    }

    fn home(&self, hash: u32) -> usize {
        // The low bits: `hash` comes out of a seeded, well-mixed hasher.
        hash as usize & self.mask()
    }

    /// The slot among those stored under `hash` for which `is` holds.
    pub fn find(&self, hash: u32, mut is: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.entries.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = self.home(hash);
        loop {
            let e = self.entries[i];
            if e == 0 {
                return None;
            }
            if hash_of(e) == hash && is(slot_of(e)) {
                return Some(slot_of(e));
            }
            i = (i + 1) & mask;
        }
    }

    /// The entry where a lookup of `hash` starts (a prefetch target).
    pub fn home_entry(&self, hash: u32) -> Option<&Entry> {
        self.entries.get(self.home(hash))
    }

    /// The first slot stored under `hash`, unchecked (a prefetch target:
    /// usually the flow a lookup of `hash` finds).
    pub fn first_slot(&self, hash: u32) -> Option<u32> {
        self.find(hash, |_| true)
    }

    /// Adds `slot` under `hash` (the caller knows it is not there yet).
    /// `slot` must be below `u32::MAX`.
    pub fn insert(&mut self, hash: u32, slot: u32) {
        if (self.len + 1) * 4 > self.entries.len() * 3 {
            self.grow();
        }
        self.place(pack(hash, slot));
        self.len += 1;
    }

    fn place(&mut self, e: Entry) {
        let mask = self.mask();
        let mut i = self.home(hash_of(e));
        while self.entries[i] != 0 {
            i = (i + 1) & mask;
        }
        self.entries[i] = e;
    }

    fn grow(&mut self) {
        let size = (self.entries.len() * 2).max(16);
        let old = std::mem::replace(&mut self.entries, vec![0; size]);
        for e in old.into_iter().filter(|&e| e != 0) {
            self.place(e);
        }
    }

    /// Removes `slot` stored under `hash`; false when it was not there.
    pub fn remove(&mut self, hash: u32, slot: u32) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let mask = self.mask();
        let wanted = pack(hash, slot);
        let mut hole = self.home(hash);
        loop {
            match self.entries[hole] {
                0 => return false,
                e if e == wanted => break,
                _ => hole = (hole + 1) & mask,
            }
        }
        // Backward shift: later entries of the run move into the hole when
        // their home is not after it, so no probe ever stops early.
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let e = self.entries[j];
            if e == 0 {
                break;
            }
            let home = self.home(hash_of(e));
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.entries[hole] = e;
                hole = j;
            }
        }
        self.entries[hole] = 0;
        self.len -= 1;
        true
    }

    pub fn clear(&mut self) {
        self.entries = Vec::new();
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// Against a map: any mix of inserts and removes, with hashes
        /// crowded into few values (long runs, wrap-around), finds exactly
        /// what the map holds.
        #[test]
        fn behaves_like_a_map(ops in prop::collection::vec((any::<bool>(), 0u32..64, 0u32..8), 1..400)) {
            let mut index = FlowIndex::default();
            let mut model: HashMap<u32, u32> = HashMap::new();
            for (add, slot, h) in ops {
                // Few distinct hashes, some at the end of the array.
                let hash = (h + 1).wrapping_mul(0x9e37_79b9);
                let stored = model.get(&slot).copied();
                if add && stored.is_none() {
                    index.insert(hash, slot);
                    model.insert(slot, hash);
                } else if !add {
                    let removed = stored.is_some_and(|hash| index.remove(hash, slot));
                    prop_assert_eq!(removed, model.remove(&slot).is_some());
                }
                prop_assert_eq!(index.len(), model.len());
                for (&slot, &hash) in &model {
                    prop_assert_eq!(index.find(hash, |s| s == slot), Some(slot));
                }
                prop_assert_eq!(index.find(hash.wrapping_add(1), |_| true).is_some(),
                    model.values().any(|&h| h == hash.wrapping_add(1)));
            }
        }
    }

    #[test]
    fn removing_what_is_not_there_changes_nothing() {
        let mut index = FlowIndex::default();
        assert!(!index.remove(1, 1));
        index.insert(1, 1);
        assert!(!index.remove(1, 2));
        assert!(!index.remove(2, 1));
        assert_eq!(index.find(1, |_| true), Some(1));
        index.clear();
        assert_eq!((index.len(), index.find(1, |_| true)), (0, None));
    }
}

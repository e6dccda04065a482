use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::list_ids::ListIds;

/// A string-keyed IOC table: strings live in one arena, the hash table holds
/// only an entry index, and an entry is 12 bytes. Lookups never allocate.
#[derive(Debug, Default, Clone)]
pub(crate) struct StrTable {
    arena: Vec<u8>,
    entries: Vec<Entry>,
    table: HashTable<u32>,
    lists: ListIds,
    hasher: foldhash::fast::RandomState,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    len: u32,
    lists: u32,
}

impl StrTable {
    fn key<'a>(arena: &'a [u8], e: &Entry) -> &'a [u8] {
        &arena[e.start as usize..(e.start + e.len) as usize]
    }

    /// Adds `key` to `list`; false when the arena is full (4 GiB of keys).
    pub(crate) fn insert(&mut self, key: &[u8], list: u32) -> bool {
        let hash = self.hasher.hash_one(key);
        let (arena, entries) = (&self.arena, &mut self.entries);
        if let Some(&i) = self
            .table
            .find(hash, |&i| Self::key(arena, &entries[i as usize]) == key)
        {
            let e = &mut entries[i as usize];
            e.lists = self.lists.add(e.lists, list);
            return true;
        }
        let (Ok(start), Ok(len), Ok(index)) = (
            u32::try_from(self.arena.len()),
            u32::try_from(key.len()),
            u32::try_from(self.entries.len()),
        ) else {
            return false;
        };
        if start.checked_add(len).is_none() {
            return false;
        }
        self.arena.extend_from_slice(key);
        self.entries.push(Entry {
            start,
            len,
            lists: ListIds::one(list),
        });
        let (hasher, arena, entries) = (&self.hasher, &self.arena, &self.entries);
        self.table.insert_unique(hash, index, |&i| {
            hasher.hash_one(Self::key(arena, &entries[i as usize]))
        });
        true
    }

    /// Makes room for `entries` more keys of `bytes` in all, so loading a
    /// large list does not rehash and copy the table as it grows.
    pub(crate) fn reserve(&mut self, entries: usize, bytes: usize) {
        self.arena.reserve(bytes);
        self.entries.reserve(entries);
        let (hasher, arena, all) = (&self.hasher, &self.arena, &self.entries);
        self.table.reserve(entries, |&i| {
            hasher.hash_one(Self::key(arena, &all[i as usize]))
        });
    }

    /// The lists that hold exactly `key`.
    pub(crate) fn get(&self, key: &[u8]) -> Option<&[u32]> {
        if self.entries.is_empty() {
            return None;
        }
        let hash = self.hasher.hash_one(key);
        let i = self.table.find(hash, |&i| {
            Self::key(&self.arena, &self.entries[i as usize]) == key
        })?;
        Some(self.lists.get(&self.entries[*i as usize].lists))
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Drops spare capacity once loading is done.
    pub(crate) fn shrink(&mut self) {
        self.arena.shrink_to_fit();
        self.entries.shrink_to_fit();
        let (hasher, arena, entries) = (&self.hasher, &self.arena, &self.entries);
        self.table
            .shrink_to_fit(|&i| hasher.hash_one(Self::key(arena, &entries[i as usize])));
    }

    /// Heap bytes held (arena, entries, table slots and control bytes).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.table.capacity() * 5
            + self.lists.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_keys_with_their_lists() {
        let mut t = StrTable::default();
        assert_eq!(t.get(b"a"), None);
        t.reserve(2, 18);
        for (k, l) in [
            ("a.example", 0),
            ("b.example", 1),
            ("a.example", 2),
            ("", 3),
        ] {
            assert!(t.insert(k.as_bytes(), l));
        }
        t.shrink();
        assert_eq!(t.len(), 3);
        assert_eq!(t.get(b"a.example"), Some(&[0, 2][..]));
        assert_eq!(t.get(b"b.example"), Some(&[1][..]));
        assert_eq!(t.get(b""), Some(&[3][..]));
        assert_eq!(t.get(b"c.example"), None);
        assert!(t.heap_bytes() > 0);
    }
}

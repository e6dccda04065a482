/// The lists of one entry, packed in a `u32`: nearly every entry is in one
/// list, so the slot holds that list id; entries in several lists hold
/// `MANY | index` into a side table. Keeps a hash-table slot at 4 bytes.
#[derive(Debug, Default, Clone)]
pub(crate) struct ListIds {
    many: Vec<Vec<u32>>,
}

const MANY: u32 = 1 << 31;

impl ListIds {
    /// The packed value for an entry that is in `list` only.
    pub(crate) fn one(list: u32) -> u32 {
        debug_assert!(list < MANY);
        list
    }

    /// `packed` with `list` added (no duplicates).
    pub(crate) fn add(&mut self, packed: u32, list: u32) -> u32 {
        if packed & MANY == 0 {
            if packed == list {
                return packed;
            }
            self.many.push(vec![packed, list]);
            return MANY | (self.many.len() - 1) as u32;
        }
        let ids = &mut self.many[(packed & !MANY) as usize];
        if !ids.contains(&list) {
            ids.push(list);
        }
        packed
    }

    pub(crate) fn get<'a>(&'a self, packed: &'a u32) -> &'a [u32] {
        if *packed & MANY == 0 {
            std::slice::from_ref(packed)
        } else {
            &self.many[(*packed & !MANY) as usize]
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.many.capacity() * 24 + self.many.iter().map(|v| v.capacity() * 4).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_without_duplicates() {
        let mut ids = ListIds::default();
        let mut p = ListIds::one(3);
        p = ids.add(p, 3);
        assert_eq!(ids.get(&p), [3]);
        p = ids.add(p, 5);
        p = ids.add(p, 3);
        p = ids.add(p, 7);
        assert_eq!(ids.get(&p), [3, 5, 7]);
        let q = ids.add(ListIds::one(1), 2);
        assert_eq!((ids.get(&q), ids.get(&p)), (&[1, 2][..], &[3, 5, 7][..]));
    }
}

//! Entries by time, earliest first, for times that mostly come in order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Entries earliest first, when most arrive in order (capture times): those
/// queue up in order, a heap keeps the few that came late. Adding one and
/// dropping the earliest are a look at one end; as one heap of a million,
/// every drop walked a path of cache lines down through it.
#[derive(Debug, Clone)]
pub(crate) struct OldestFirst<T> {
    in_order: VecDeque<T>,
    late: BinaryHeap<Reverse<T>>,
}

impl<T> Default for OldestFirst<T> {
    fn default() -> Self {
        Self {
            in_order: VecDeque::new(),
            late: BinaryHeap::new(),
        }
    }
}

impl<T: Ord + Copy> OldestFirst<T> {
    pub(crate) fn push(&mut self, e: T) {
        match self.in_order.back() {
            Some(last) if e < *last => self.late.push(Reverse(e)),
            _ => self.in_order.push_back(e),
        }
    }

    /// The earliest entry that `live` accepts; earlier ones it refuses are
    /// dropped on the way.
    pub(crate) fn earliest(&mut self, mut live: impl FnMut(&T) -> bool) -> Option<T> {
        while let Some(e) = self.in_order.front() {
            if live(e) {
                break;
            }
            self.in_order.pop_front();
        }
        while let Some(Reverse(e)) = self.late.peek() {
            if live(e) {
                break;
            }
            self.late.pop();
        }
        match (self.in_order.front(), self.late.peek()) {
            (Some(a), Some(Reverse(b))) => Some(*a.min(b)),
            (a, b) => a.copied().or(b.map(|Reverse(e)| *e)),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.in_order.len() + self.late.len()
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.in_order.retain(&mut keep);
        self.late.retain(|Reverse(e)| keep(e));
    }

    pub(crate) fn clear(&mut self) {
        self.in_order.clear();
        self.late.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same earliest live entry as one heap, whatever the order of
        /// arrival and whichever entries die meanwhile.
        #[test]
        fn earliest_live_as_a_heap(ops in prop::collection::vec((0u8..3, 0i64..50), 0..200)) {
            let mut q = OldestFirst::default();
            let mut heap = BinaryHeap::new();
            let mut dead = std::collections::HashSet::new();
            for (seq, (op, t)) in ops.into_iter().enumerate() {
                match op {
                    0 | 1 => {
                        q.push((t, seq));
                        heap.push(Reverse((t, seq)));
                    }
                    _ => {
                        dead.insert(t);
                    }
                }
                let live = |e: &(i64, usize)| !dead.contains(&e.0);
                while heap.peek().is_some_and(|Reverse(e)| !live(e)) {
                    heap.pop();
                }
                prop_assert_eq!(q.earliest(live), heap.peek().map(|Reverse(e)| *e));
            }
        }
    }
}

//! Every ASCII-case-insensitive occurrence of a set of literals in a
//! buffer, as an overlapping Aho-Corasick search would report them, found
//! faster on long buffers (HTTP bodies, raw payload).
//!
//! Each literal of 4 bytes or more is filed under its rarest 4-byte window
//! (its "gram"). The scan hashes the case-folded 4 bytes at each position
//! and tests one bit of a small table (kept within L1/L2): most positions
//! stop there. Where the bit is set, the exact gram is looked up and the
//! literals filed under it are compared in full around the position. A
//! literal contains its gram, so no occurrence is missed; the bit table only
//! decides how much comparing is done. This scans a few times faster than
//! the DFA over a thousand ET literals (whose table is tens of MB) and costs
//! next to nothing to build. Literals of 1-3 bytes (a handful per plan) go
//! to a small Aho-Corasick automaton.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

const GRAM: usize = 4;

/// ASCII letters to lower case, other bytes to something (a hash input:
/// bytes equal ignoring ASCII case fold to the same value).
#[inline(always)]
fn fold(w: u32) -> u32 {
    w | 0x2020_2020
}

#[inline(always)]
fn bit_of(w: u32, shift: u32) -> usize {
    (w.wrapping_mul(0x9E37_79B1) >> shift) as usize
}

/// How common a byte is in traffic (higher: more common), by kind. A gram of
/// rare bytes passes the bit test less often.
fn commonness(b: u8) -> u32 {
    match b.to_ascii_lowercase() {
        0 | b' ' | 0xff => 255,
        b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' | b'h' | b'l' => 220,
        b'\r' | b'\n' | b'\t' | b'.' | b',' | b'-' | b'_' | b'=' | b'"' | b'\'' | b'<' | b'>'
        | b'/' | b':' | b';' | b'(' | b')' => 190,
        b'a'..=b'z' => 180,
        b'0'..=b'9' => 170,
        0x21..=0x7e => 120,
        0x01..=0x1f => 80,
        _ => 60,
    }
}

/// One literal filed under a gram: which, and where the gram starts in it.
#[derive(Debug, Clone, Copy)]
struct Filed {
    gram: u32,
    literal: u32,
    offset: u32,
}

#[derive(Debug)]
pub struct LiteralSet {
    /// Lower-case literals, by id.
    literals: Vec<Box<[u8]>>,
    /// One bit per hashed folded gram.
    bits: Box<[u64]>,
    shift: u32,
    /// Literals of 4+ bytes sorted by folded gram.
    filed: Box<[Filed]>,
    /// Literals of 1-3 bytes: (automaton, literal id per automaton pattern).
    short: Option<(AhoCorasick, Vec<u32>)>,
    longest: usize,
}

impl LiteralSet {
    /// A set over `literals` (lower case); the ids it reports are their
    /// indices. The error is the short automaton's.
    pub fn new(literals: Vec<Vec<u8>>) -> Result<Self, String> {
        let (mut filed, mut short, mut short_ids) = (Vec::new(), Vec::new(), Vec::new());
        for (id, lit) in literals.iter().enumerate() {
            if lit.len() < GRAM {
                short.push(lit.clone());
                short_ids.push(id as u32);
                continue;
            }
            let offset = (0..=lit.len() - GRAM)
                .min_by_key(|&j| lit[j..j + GRAM].iter().map(|&b| commonness(b)).sum::<u32>())
                .unwrap_or(0);
            let gram = fold(u32::from_le_bytes(gram_at(lit, offset)));
            filed.push(Filed {
                gram,
                literal: id as u32,
                offset: offset as u32,
            });
        }
        filed.sort_unstable_by_key(|f| f.gram);
        // About 1/256 of the bits set: few positions go past the bit test,
        // and the table stays within 32 KB.
        let bits_log2 = (filed.len().max(1) * 256)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(12, 18);
        let shift = 32 - bits_log2;
        let mut bits = vec![0u64; 1 << (bits_log2 - 6)].into_boxed_slice();
        for f in &filed {
            let b = bit_of(f.gram, shift);
            bits[b >> 6] |= 1 << (b & 63);
        }
        let short = if short.is_empty() {
            None
        } else {
            let automaton = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&short)
                .map_err(|e| e.to_string())?;
            Some((automaton, short_ids))
        };
        Ok(Self {
            longest: literals.iter().map(Vec::len).max().unwrap_or(0),
            literals: literals.into_iter().map(Vec::into_boxed_slice).collect(),
            bits,
            shift,
            filed: filed.into_boxed_slice(),
            short,
        })
    }

    /// Length of the longest literal.
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// Calls `found(id)` for every occurrence of a literal in `hay` that
    /// ends after `from` (a literal may be reported several times, in no
    /// particular order).
    pub fn for_each(&self, hay: &[u8], from: usize, found: &mut impl FnMut(u32)) {
        if let Some((automaton, ids)) = &self.short {
            let start = from.saturating_sub(GRAM - 2);
            for m in automaton.find_overlapping_iter(&hay[start.min(hay.len())..]) {
                if start + m.end() > from {
                    found(ids[m.pattern().as_usize()]);
                }
            }
        }
        if self.filed.is_empty() || hay.len() < GRAM {
            return;
        }
        // A literal ending after `from` has its gram at or after
        // from - longest + 1.
        let mut i = from.saturating_sub(self.longest.saturating_sub(1));
        let (bits, shift) = (&self.bits[..], self.shift);
        let set = |b: usize| bits[b >> 6] >> (b & 63) & 1 != 0;
        // Five gram positions per 8-byte load.
        while i + 8 <= hay.len() {
            let x = u64::from_le_bytes(hay[i..i + 8].try_into().unwrap_or([0; 8]));
            let x = x | 0x2020_2020_2020_2020;
            let mut any = 0u64;
            for k in 0..5 {
                any |= u64::from(set(bit_of((x >> (8 * k)) as u32, shift))) << k;
            }
            while any != 0 {
                let k = any.trailing_zeros() as usize;
                any &= any - 1;
                self.confirm(hay, i + k, (x >> (8 * k)) as u32, from, found);
            }
            i += 5;
        }
        while i + GRAM <= hay.len() {
            let w = fold(u32::from_le_bytes(gram_at(hay, i)));
            if set(bit_of(w, shift)) {
                self.confirm(hay, i, w, from, found);
            }
            i += 1;
        }
    }

    /// The literals filed under gram `w`, compared in full where the gram
    /// at `at` puts them.
    #[inline(never)]
    fn confirm(&self, hay: &[u8], at: usize, w: u32, from: usize, found: &mut impl FnMut(u32)) {
        let first = self.filed.partition_point(|f| f.gram < w);
        for f in self.filed[first..].iter().take_while(|f| f.gram == w) {
            let lit = &self.literals[f.literal as usize];
            let Some(start) = at.checked_sub(f.offset as usize) else {
                continue;
            };
            let end = start + lit.len();
            if end > from && end <= hay.len() && hay[start..end].eq_ignore_ascii_case(lit) {
                found(f.literal);
            }
        }
    }
}

fn gram_at(bytes: &[u8], at: usize) -> [u8; GRAM] {
    let mut g = [0; GRAM];
    g.copy_from_slice(&bytes[at..at + GRAM]);
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (literal id, end) of every occurrence ending after `from`, as the
    /// overlapping Aho-Corasick search reports them.
    fn expected(lits: &[Vec<u8>], hay: &[u8], from: usize) -> Vec<(u32, usize)> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(lits)
            .unwrap();
        let mut v: Vec<(u32, usize)> = ac
            .find_overlapping_iter(hay)
            .filter(|m| m.end() > from)
            .map(|m| (m.pattern().as_u32(), m.end()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn found(set: &LiteralSet, hay: &[u8], from: usize) -> Vec<u32> {
        let mut v = Vec::new();
        set.for_each(hay, from, &mut |id| v.push(id));
        v.sort_unstable();
        v.dedup();
        v
    }

    fn ids(v: &[(u32, usize)]) -> Vec<u32> {
        let mut ids: Vec<u32> = v.iter().map(|x| x.0).collect();
        ids.dedup();
        ids
    }

    #[test]
    fn finds_case_insensitive_overlapping_and_short_literals() {
        let lits: Vec<Vec<u8>> = ["root:x:0:0", "x:0:0:", "pk\x03\x04", "mz", "abcd"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let set = LiteralSet::new(lits.clone()).unwrap();
        assert_eq!(set.longest(), 10);
        let hay = b"..ROOT:X:0:0:..PK\x03\x04 Mz";
        assert_eq!(found(&set, hay, 0), vec![0, 1, 2, 3]);
        assert_eq!(found(&set, hay, 0), ids(&expected(&lits, hay, 0)));
        // Only occurrences ending after `from`.
        assert_eq!(found(&set, hay, 13), vec![2, 3]);
        assert_eq!(found(&set, b"abc", 0), Vec::<u32>::new());
        assert_eq!(found(&set, b"", 0), Vec::<u32>::new());
    }

    fn literal() -> impl Strategy<Value = Vec<u8>> {
        // A small alphabet with both cases and a high byte, so literals
        // overlap and occur often.
        prop::collection::vec(
            prop::sample::select(vec![b'a', b'B', b'c', b'\x00', b'\xe9', b'@', b'`']),
            1..9,
        )
        .prop_map(|l| l.to_ascii_lowercase())
    }

    proptest! {
        #[test]
        fn same_literals_as_overlapping_aho_corasick(
            lits in prop::collection::vec(literal(), 1..40),
            hay in prop::collection::vec(
                prop::sample::select(vec![b'a', b'A', b'b', b'B', b'c', b'C', b'\x00', b'\xe9', b'@', b'`']),
                0..300,
            ),
            from_frac in 0.0f64..1.0,
        ) {
            let mut lits = lits;
            lits.sort();
            lits.dedup();
            let from = (hay.len() as f64 * from_frac) as usize;
            let set = LiteralSet::new(lits.clone()).unwrap();
            prop_assert_eq!(found(&set, &hay, from), ids(&expected(&lits, &hay, from)));
        }
    }
}

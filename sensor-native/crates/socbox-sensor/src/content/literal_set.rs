//! Every literal of a set that occurs in a buffer, ASCII case ignored, as
//! an overlapping Aho-Corasick search would find them, found faster on long
//! buffers (HTTP bodies, raw payload).
//!
//! Each literal of 4 bytes or more is filed under its rarest 4-byte window
//! (its "gram") among its last [`REACH`] bytes. The scan hashes the
//! case-folded 4 bytes at each position and tests one bit of a small table
//! (kept within L1/L2): most positions stop there. Where the bit is set, the
//! exact gram is looked up and the literals filed under it are compared in
//! full around the position. A literal contains its gram, so no occurrence
//! is missed; the bit table only decides how much comparing is done. This
//! scans a few times faster than the DFA over a thousand ET literals (whose
//! table is tens of MB) and costs next to nothing to build. Because the
//! gram is near the literal's end, a stream scanned chunk by chunk re-reads
//! at most `REACH - 1` bytes before each new chunk, not the longest literal.
//!
//! Literals of 1-3 bytes (a handful per plan) are each looked for on their
//! own until their first occurrence, and only within their [`Span`] (where
//! the signatures anchored on them can match: most are at a field's start):
//! only whether they occur matters to the matcher, and a common one is
//! found at once.

use memchr::memmem;

pub(crate) const GRAM: usize = 4;

/// A literal's gram lies within its last `REACH` bytes.
const REACH: usize = 16;

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

/// Where in a field a literal must lie to matter (bytes `lo..hi`, the
/// whole occurrence): a signature's anchor with an offset and depth, or
/// `startsWith`. Only literals of 1-3 bytes are searched within it (each
/// is looked for on its own; the others share one scan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub lo: usize,
    pub hi: usize,
}

impl Span {
    pub(crate) const ANY: Span = Span {
        lo: 0,
        hi: usize::MAX,
    };
    /// Nowhere: the pattern can never match (a negative depth).
    pub(crate) const NONE: Span = Span { lo: 0, hi: 0 };

    /// The smallest span holding both.
    pub(crate) fn union(self, other: Span) -> Span {
        if self == Span::NONE {
            return other;
        }
        if other == Span::NONE {
            return self;
        }
        Span {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }
}

/// One literal filed under a gram: which, and where the gram starts in it.
#[derive(Debug, Clone, Copy)]
struct Filed {
    gram: u32,
    literal: u32,
    offset: u32,
}

/// A literal of 1-3 bytes and how to find it.
#[derive(Debug)]
struct Short {
    id: u32,
    /// Lower case.
    bytes: Box<[u8]>,
    /// Set when the literal has no ASCII letter (then case cannot matter).
    exact: Option<memmem::Finder<'static>>,
    /// Where it must lie; searched nowhere else.
    span: Span,
}

impl Short {
    /// Whether the literal occurs in `hay` (ASCII case ignored); `wide`:
    /// the CPU has AVX2.
    fn occurs_in(&self, hay: &[u8], wide: bool) -> bool {
        // memmem skips ahead on a rare byte: faster over a long payload
        // than comparing every position, slower to set up for a short field.
        #[cfg(target_arch = "x86_64")]
        if wide && (self.exact.is_none() || hay.len() < 31 + self.bytes.len()) {
            #[allow(unsafe_code)]
            // SAFETY: `wide` is only set when the CPU has AVX2.
            return unsafe { self.occurs_avx2(hay) };
        }
        let _ = wide;
        if let Some(f) = &self.exact {
            return f.find(hay).is_some();
        }
        let (first, n) = (self.bytes[0], self.bytes.len());
        memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay)
            .any(|at| hay.len() - at >= n && hay[at..at + n].eq_ignore_ascii_case(&self.bytes))
    }

    /// [`Self::occurs_in`] 32 positions at a time: every byte of the
    /// literal compared in one vector (a common first letter made a memchr2
    /// scan stop every few bytes). The last positions are compared in a
    /// copy padded with zeros, those whose literal would reach past the end
    /// left out: a memchr2 or memmem search of a tail that short cost more
    /// to set up than the window costs.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn occurs_avx2(&self, hay: &[u8]) -> bool {
        let n = self.bytes.len();
        let mut i = 0;
        while i + 31 + n <= hay.len() {
            if starts_at(&self.bytes, &hay[i..]) != 0 {
                return true;
            }
            i += 32;
        }
        // Fewer than 31 + n bytes are left: fewer than 32 positions.
        let rest = &hay[i..];
        if rest.len() < n {
            return false;
        }
        let mut padded = [0u8; 64];
        padded[..rest.len()].copy_from_slice(rest);
        let starts = rest.len() - n + 1;
        starts_at(&self.bytes, &padded) & ((1u32 << starts) - 1) != 0
    }
}

/// Bit p set: `literal` (lower case, 1-3 bytes) is at `window[p..]`, ASCII
/// case ignored, for p below 32: every byte of it compared in one vector.
/// `window` holds at least 31 + the literal's length bytes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn starts_at(literal: &[u8], window: &[u8]) -> u32 {
    use std::arch::x86_64::*;
    let mut all = _mm256_set1_epi8(-1);
    for (j, &b) in literal.iter().enumerate() {
        let bytes = &window[j..j + 32];
        // SAFETY: `bytes` is 32 readable bytes; the load is unaligned.
        #[allow(unsafe_code)]
        let v = unsafe { _mm256_loadu_si256(bytes.as_ptr().cast()) };
        // 0x20 folds a letter to lower case; other bytes compare as they are.
        let fold = _mm256_set1_epi8(if b.is_ascii_lowercase() { 0x20 } else { 0 });
        let eq = _mm256_cmpeq_epi8(_mm256_or_si256(v, fold), _mm256_set1_epi8(b as i8));
        all = _mm256_and_si256(all, eq);
    }
    _mm256_movemask_epi8(all) as u32
}

#[derive(Debug)]
pub struct LiteralSet {
    /// Lower-case literals, by id.
    literals: Vec<Box<[u8]>>,
    /// One bit per hashed folded gram (32-bit words: the vector scan
    /// gathers them).
    bits: Box<[u32]>,
    bits_log2: u32,
    /// Literals of 4+ bytes, by their gram's bit, then gram.
    filed: Box<[Filed]>,
    /// Set bits in the words before each word of `bits`.
    rank: Box<[u32]>,
    /// Per set bit (in order), where its literals start in `filed`; one
    /// more entry for the end.
    runs: Box<[u32]>,
    /// Literals of 1-3 bytes.
    short: Box<[Short]>,
    /// Most bytes from a filed gram's start to its literal's end.
    reach: usize,
    /// The CPU has AVX2: grams are hashed and tested eight at a time.
    wide: bool,
}

impl LiteralSet {
    /// A set over `literals` (lower case); the ids it reports are their
    /// indices. An empty literal is refused.
    #[cfg(test)]
    pub fn new(literals: Vec<Vec<u8>>) -> Result<Self, String> {
        let spans = vec![Span::ANY; literals.len()];
        Self::spanned(literals, &spans)
    }

    /// [`Self::new`], with where each literal must lie (`spans[id]`): a
    /// literal of 1-3 bytes is reported only when it occurs there.
    pub(crate) fn spanned(literals: Vec<Vec<u8>>, spans: &[Span]) -> Result<Self, String> {
        let (mut filed, mut short, mut reach) = (Vec::new(), Vec::new(), 0);
        for (id, lit) in literals.iter().enumerate() {
            if lit.is_empty() {
                return Err(format!("literal {id} is empty"));
            }
            if lit.len() < GRAM {
                let bytes: Box<[u8]> = lit.to_ascii_lowercase().into_boxed_slice();
                let exact = (!bytes.iter().any(u8::is_ascii_alphabetic))
                    .then(|| memmem::Finder::new(&bytes).into_owned());
                short.push(Short {
                    id: id as u32,
                    bytes,
                    exact,
                    span: spans.get(id).copied().unwrap_or(Span::ANY),
                });
                continue;
            }
            let offset = (lit.len().saturating_sub(REACH)..=lit.len() - GRAM)
                .min_by_key(|&j| lit[j..j + GRAM].iter().map(|&b| commonness(b)).sum::<u32>())
                .unwrap_or(0);
            reach = reach.max(lit.len() - offset);
            let gram = fold(u32::from_le_bytes(gram_at(lit, offset)));
            filed.push(Filed {
                gram,
                literal: id as u32,
                offset: offset as u32,
            });
        }
        // About 1/256 to 1/512 of the bits set: few positions go past the
        // bit test, and the table is no larger than that needs (its reads
        // are random: a table twice the size is a scan up to a third slower
        // once it leaves L1), at most 32 KB. The scan is compiled for each
        // size with constants.
        let bits_log2 = (filed.len().max(1) * 256)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(12, 18);
        let shift = 32 - bits_log2;
        let mut bits = vec![0u32; 1 << (bits_log2 - 5)].into_boxed_slice();
        for f in &filed {
            let b = bit_of(f.gram, shift);
            bits[b >> 5] |= 1 << (b & 31);
        }
        // Filed by bit, so a set bit's literals are found by its rank among
        // the set bits (no search over all grams).
        filed.sort_unstable_by_key(|f| (bit_of(f.gram, shift), f.gram));
        let mut rank = Vec::with_capacity(bits.len());
        let mut set_before = 0u32;
        for w in bits.iter() {
            rank.push(set_before);
            set_before += w.count_ones();
        }
        let mut runs = Vec::with_capacity(set_before as usize + 1);
        let mut last_bit = None;
        for (k, f) in filed.iter().enumerate() {
            let b = bit_of(f.gram, shift);
            if last_bit != Some(b) {
                runs.push(k as u32);
                last_bit = Some(b);
            }
        }
        runs.push(filed.len() as u32);
        Ok(Self {
            literals: literals.into_iter().map(Vec::into_boxed_slice).collect(),
            bits,
            bits_log2,
            filed: filed.into_boxed_slice(),
            rank: rank.into_boxed_slice(),
            runs: runs.into_boxed_slice(),
            short: short.into_boxed_slice(),
            reach,
            wide: has_avx2(),
        })
    }

    /// The same set scanning one gram at a time (to test the vector scan
    /// against).
    #[cfg(test)]
    fn narrow(mut self) -> Self {
        self.wide = false;
        self
    }

    /// Calls `found(id)` for every literal that occurs in `hay` ending
    /// after `from` (at least once; a literal may be reported several
    /// times, in no particular order). Only bytes from `from - reach + 1` on
    /// are read for literals of 4 bytes or more, so a stream scanned chunk
    /// by chunk costs about its length.
    pub fn for_each(&self, hay: &[u8], from: usize, found: &mut impl FnMut(u32)) {
        self.shorts(hay, from, found);
        if self.filed.is_empty() || hay.len() < GRAM {
            return;
        }
        // A literal ending after `from` has its gram at or after
        // from - reach + 1.
        let i = from.saturating_sub(self.reach.saturating_sub(1));
        match self.bits_log2 {
            12 => self.scan::<12>(hay, i, from, found),
            13 => self.scan::<13>(hay, i, from, found),
            14 => self.scan::<14>(hay, i, from, found),
            15 => self.scan::<15>(hay, i, from, found),
            16 => self.scan::<16>(hay, i, from, found),
            17 => self.scan::<17>(hay, i, from, found),
            _ => self.scan::<18>(hay, i, from, found),
        }
    }

    /// The short literals in `hay` ending after `from`.
    fn shorts(&self, hay: &[u8], from: usize, found: &mut impl FnMut(u32)) {
        if self.short.is_empty() {
            return;
        }
        #[cfg(target_arch = "x86_64")]
        if self.wide && hay.len() < 32 {
            #[allow(unsafe_code)]
            // SAFETY: `wide` is only set when the CPU has AVX2.
            return unsafe { self.shorts_in_one_window(hay, from, found) };
        }
        for s in &self.short {
            // An occurrence starting here or later ends after `from`, and
            // one that matters lies within the span.
            let start = from.saturating_sub(s.bytes.len() - 1).max(s.span.lo);
            let end = hay.len().min(s.span.hi);
            if start < end && s.occurs_in(&hay[start..end], self.wide) {
                found(s.id);
            }
        }
    }

    /// [`Self::shorts`] for a field shorter than one vector (most hosts,
    /// URIs, agents, DNS names): copied once into a padded window that
    /// serves every literal, instead of a copy per literal.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn shorts_in_one_window(&self, hay: &[u8], from: usize, found: &mut impl FnMut(u32)) {
        debug_assert!(hay.len() < 32);
        let mut padded = [0u8; 64];
        padded[..hay.len()].copy_from_slice(hay);
        for s in &self.short {
            let n = s.bytes.len();
            let hay_end = hay.len().min(s.span.hi);
            if hay_end < n {
                continue;
            }
            // Starts from `from - (n - 1)` on (ending after `from`) and in
            // the span, and no later than the last whole occurrence there
            // (none in the padding).
            let start = from.saturating_sub(n - 1).max(s.span.lo);
            let end = hay_end - n + 1; // below 32
            let starts = if start >= end {
                0
            } else {
                ((1u32 << end) - 1) & !((1u32 << start) - 1)
            };
            if starts_at(&s.bytes, &padded) & starts != 0 {
                found(s.id);
            }
        }
    }

    /// The gram positions of `hay` from `i` on, with the bit table's size
    /// known to the compiler (no bounds checks, constant shifts).
    fn scan<const LOG: u32>(
        &self,
        hay: &[u8],
        mut i: usize,
        from: usize,
        found: &mut impl FnMut(u32),
    ) {
        #[cfg(target_arch = "x86_64")]
        if self.wide {
            #[allow(unsafe_code)]
            // SAFETY: `wide` is only set when the CPU has AVX2.
            unsafe {
                i = self.scan_avx2::<LOG>(hay, i, from, found);
            }
        }
        let bits = &self.bits[..1 << (LOG - 5)];
        let set = |w: u32| {
            let b = bit_of(w, 32 - LOG);
            bits[b >> 5] & (1 << (b & 31)) != 0
        };
        // Five gram positions per 8-byte load; a set bit is rare, so each
        // test is a well-predicted branch.
        while i + 8 <= hay.len() {
            let x = u64::from_le_bytes(hay[i..i + 8].try_into().unwrap_or([0; 8]));
            let x = x | 0x2020_2020_2020_2020;
            for k in 0..5 {
                let w = (x >> (8 * k)) as u32;
                if set(w) {
                    self.confirm(hay, i + k, w, from, found);
                }
            }
            i += 5;
        }
        while i + GRAM <= hay.len() {
            let w = fold(u32::from_le_bytes(gram_at(hay, i)));
            if set(w) {
                self.confirm(hay, i, w, from, found);
            }
            i += 1;
        }
    }

    /// [`Self::scan`] eight gram positions at a time while 16 bytes can be
    /// loaded: the grams are folded and hashed in one vector and their bits
    /// gathered from the table, so a position costs about one instruction
    /// instead of ten. Returns the first position left to scan.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn scan_avx2<const LOG: u32>(
        &self,
        hay: &[u8],
        mut i: usize,
        from: usize,
        found: &mut impl FnMut(u32),
    ) -> usize {
        use std::arch::x86_64::*;
        let bits = &self.bits[..1 << (LOG - 5)];
        // Dword k of the result is bytes k..k+4 (lanes hold the same 16
        // bytes; the upper lane makes grams 4-7).
        let spread = _mm256_setr_epi8(
            0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, //
            4, 5, 6, 7, 5, 6, 7, 8, 6, 7, 8, 9, 7, 8, 9, 10,
        );
        let case = _mm256_set1_epi32(0x2020_2020);
        let mul = _mm256_set1_epi32(0x9E37_79B1_u32 as i32);
        let shift = _mm_cvtsi32_si128((32 - LOG) as i32);
        let low5 = _mm256_set1_epi32(31);
        while i + 16 <= hay.len() {
            let chunk = &hay[i..i + 16];
            // SAFETY: `chunk` is 16 readable bytes; the load is unaligned.
            #[allow(unsafe_code)]
            let v = unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
            let grams = _mm256_or_si256(
                _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(v), spread),
                case,
            );
            let b = _mm256_srl_epi32(_mm256_mullo_epi32(grams, mul), shift);
            // SAFETY: b < 2^LOG, so every word index b >> 5 is within
            // `bits` (2^(LOG-5) words).
            #[allow(unsafe_code)]
            let words = unsafe {
                _mm256_i32gather_epi32::<4>(bits.as_ptr().cast(), _mm256_srli_epi32::<5>(b))
            };
            let hit = _mm256_slli_epi32::<31>(_mm256_srlv_epi32(words, _mm256_and_si256(b, low5)));
            let mut mask = _mm256_movemask_ps(_mm256_castsi256_ps(hit)) as u32;
            if mask != 0 {
                let mut w = [0u32; 8];
                // SAFETY: `w` is 32 writable bytes.
                #[allow(unsafe_code)]
                unsafe {
                    _mm256_storeu_si256(w.as_mut_ptr().cast(), grams)
                };
                while mask != 0 {
                    let k = mask.trailing_zeros() as usize;
                    self.confirm(hay, i + k, w[k], from, found);
                    mask &= mask - 1;
                }
            }
            i += 8;
        }
        i
    }

    /// The literals filed under gram `w`, compared in full where the gram
    /// at `at` puts them.
    #[inline(never)]
    fn confirm(&self, hay: &[u8], at: usize, w: u32, from: usize, found: &mut impl FnMut(u32)) {
        let b = bit_of(w, 32 - self.bits_log2);
        let below = self.bits[b >> 5] & ((1u32 << (b & 31)) - 1);
        let r = (self.rank[b >> 5] + below.count_ones()) as usize;
        let run = self.runs[r] as usize..self.runs[r + 1] as usize;
        for f in self.filed[run].iter().filter(|f| f.gram == w) {
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

fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

fn gram_at(bytes: &[u8], at: usize) -> [u8; GRAM] {
    let mut g = [0; GRAM];
    g.copy_from_slice(&bytes[at..at + GRAM]);
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasickBuilder;
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
        assert!(
            (GRAM..=10).contains(&set.reach),
            "grams are within the literals"
        );
        let hay = b"..ROOT:X:0:0:..PK\x03\x04 Mz";
        assert_eq!(found(&set, hay, 0), vec![0, 1, 2, 3]);
        assert_eq!(found(&set, hay, 0), ids(&expected(&lits, hay, 0)));
        // Only occurrences ending after `from`.
        assert_eq!(found(&set, hay, 13), vec![2, 3]);
        assert_eq!(found(&set, b"abc", 0), Vec::<u32>::new());
        assert_eq!(found(&set, b"", 0), Vec::<u32>::new());
    }

    #[test]
    fn a_long_literal_is_found_whatever_chunk_boundary_it_spans() {
        let lit = b"this literal is longer than the reach of a gram".to_vec();
        let set = LiteralSet::new(vec![lit.clone(), b"xy".to_vec()]).unwrap();
        assert!(set.reach <= REACH);
        let mut hay = b"..........".to_vec();
        hay.extend_from_slice(&lit.to_ascii_uppercase());
        hay.extend_from_slice(b"..........");
        let end = 10 + lit.len();
        for from in 0..hay.len() {
            let expect: Vec<u32> = if from < end { vec![0] } else { vec![] };
            assert_eq!(found(&set, &hay, from), expect, "from {from}");
        }
        assert!(LiteralSet::new(vec![Vec::new()]).is_err());
    }

    #[test]
    fn every_table_size_finds_what_aho_corasick_finds() {
        // Sets of growing size get tables of 2^12 to 2^18 bits; each is
        // scanned by its own compiled loop.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut sizes = Vec::new();
        for n in [8, 24, 48, 100, 200, 400, 900] {
            let mut lits: Vec<Vec<u8>> = (0..n)
                .map(|_| {
                    let len = 4 + (next() % 9) as usize;
                    (0..len)
                        .map(|_| b"abcdxyz@"[(next() % 8) as usize])
                        .collect()
                })
                .collect();
            lits.sort();
            lits.dedup();
            let mut hay: Vec<u8> = (0..3000)
                .map(|_| b"abcdxyzABCD@ "[(next() % 13) as usize])
                .collect();
            for lit in lits.iter().step_by(7) {
                let at = (next() % hay.len() as u64) as usize;
                hay.splice(at..at, lit.to_ascii_uppercase());
            }
            let set = LiteralSet::new(lits.clone()).unwrap();
            sizes.push(set.bits_log2);
            for from in [0, 1000] {
                let expect = ids(&expected(&lits, &hay, from));
                assert!(!expect.is_empty());
                assert_eq!(found(&set, &hay, from), expect, "{n} literals from {from}");
            }
            let narrow = set.narrow();
            assert_eq!(found(&narrow, &hay, 0), ids(&expected(&lits, &hay, 0)));
        }
        assert_eq!(sizes, [12, 13, 14, 15, 16, 17, 18]);
    }

    fn literal() -> impl Strategy<Value = Vec<u8>> {
        // A small alphabet with both cases and a high byte, so literals
        // overlap and occur often.
        prop::collection::vec(
            prop::sample::select(vec![b'a', b'B', b'c', b'\x00', b'\xe9', b'@', b'`']),
            1..24,
        )
        .prop_map(|l| l.to_ascii_lowercase())
    }

    proptest! {
        #[test]
        fn same_literals_as_overlapping_aho_corasick(
            lits in prop::collection::vec(literal(), 1..40),
            hay in prop::collection::vec(
                prop::sample::select(vec![b'a', b'A', b'b', b'B', b'c', b'C', b'\x00', b'\xe9', b'@', b'`']),
                0..600,
            ),
            from_frac in 0.0f64..1.0,
            planted in prop::option::of((any::<prop::sample::Index>(), any::<prop::sample::Index>())),
        ) {
            let mut lits = lits;
            lits.sort();
            lits.dedup();
            // Long literals rarely occur by chance: one is planted (upper
            // case) at a random place, so chunk boundaries fall inside it.
            let mut hay = hay;
            if let Some((which, at)) = planted {
                let lit = which.get(&lits).to_ascii_uppercase();
                let at = at.index(hay.len() + 1);
                hay.splice(at..at, lit);
            }
            let from = (hay.len() as f64 * from_frac) as usize;
            let set = LiteralSet::new(lits.clone()).unwrap();
            let expect = ids(&expected(&lits, &hay, from));
            prop_assert_eq!(&found(&set, &hay, from), &expect);
            // The vector scan (where the CPU has it) and the one-gram scan
            // find the same.
            prop_assert_eq!(&found(&set.narrow(), &hay, from), &expect);
        }

        /// With spans, a short literal is reported when an occurrence lies
        /// wholly in its span (and ends after `from`); a longer one as
        /// without (its span only narrows the short literals' searches).
        #[test]
        fn short_literals_only_within_their_spans(
            lits in prop::collection::vec(literal(), 1..12),
            hay in prop::collection::vec(
                prop::sample::select(vec![b'a', b'A', b'b', b'B', b'c', b'\x00', b'@']),
                0..120,
            ),
            spans in prop::collection::vec((0usize..80, 0usize..100, any::<bool>()), 12),
            from in 0usize..120,
        ) {
            let mut lits = lits;
            lits.sort();
            lits.dedup();
            let spans: Vec<Span> = spans
                .iter()
                .map(|&(lo, len, any)| if any { Span::ANY } else { Span { lo, hi: lo + len } })
                .collect();
            let from = from.min(hay.len());
            let ac = AhoCorasickBuilder::new().ascii_case_insensitive(true).build(&lits).unwrap();
            let mut expect: Vec<u32> = ac
                .find_overlapping_iter(&hay)
                .filter(|m| m.end() > from)
                .filter(|m| {
                    let (id, span) = (m.pattern().as_usize(), spans[m.pattern().as_usize()]);
                    lits[id].len() >= GRAM || (m.start() >= span.lo && m.end() <= span.hi)
                })
                .map(|m| m.pattern().as_u32())
                .collect();
            expect.sort_unstable();
            expect.dedup();
            let set = LiteralSet::spanned(lits.clone(), &spans).unwrap();
            prop_assert_eq!(&found(&set, &hay, from), &expect);
            prop_assert_eq!(&found(&set.narrow(), &hay, from), &expect);
        }
    }

    #[test]
    fn a_span_bounds_a_short_literal_in_a_short_field_and_a_long_one() {
        let spans = [Span { lo: 0, hi: 3 }, Span { lo: 4, hi: 6 }, Span::NONE];
        let lits = vec![b"cws".to_vec(), b"ab".to_vec(), b"x".to_vec()];
        let set = LiteralSet::spanned(lits, &spans).unwrap();
        assert_eq!(found(&set, b"CWS.ab", 0), vec![0, 1]);
        assert_eq!(found(&set, b".CWSab", 0), vec![1]);
        assert_eq!(found(&set, b"..CWS.ab", 0), Vec::<u32>::new());
        // Past one vector: each literal searched in its span alone.
        let mut long = b".CWS.ab".to_vec();
        long.extend(std::iter::repeat_n(b'x', 100));
        long.extend_from_slice(b"ab cws");
        assert_eq!(found(&set, &long, 0), Vec::<u32>::new());
        long.remove(0);
        assert_eq!(found(&set, &long, 0), vec![0, 1]);
        assert_eq!(found(&set, &long, 3), vec![1], "CWS ends at 3, not after");
    }
}

//! Confirms a candidate: every pattern of a field in rule order, with
//! Suricata's window semantics, and backtracking over earlier occurrences
//! when a later relative pattern does not fit (as Suricata's content
//! inspection does), bounded like its recursion limit.

use super::literal_set::Span;

/// One compiled content pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub bytes: Vec<u8>,
    pub nocase: bool,
    pub negated: bool,
    pub starts_with: bool,
    pub ends_with: bool,
    pub offset: Option<i64>,
    pub depth: Option<i64>,
    pub distance: Option<i64>,
    pub within: Option<i64>,
}

impl Pattern {
    pub fn literal(bytes: &[u8]) -> Self {
        Self {
            bytes: bytes.to_vec(),
            nocase: false,
            negated: false,
            starts_with: false,
            ends_with: false,
            offset: None,
            depth: None,
            distance: None,
            within: None,
        }
    }

    fn relative(&self) -> bool {
        self.distance.is_some() || self.within.is_some()
    }

    /// The window `[lo, hi)` the whole match must lie in. Saturating: a
    /// plan may say any i64 (an offset near i64::MAX plus a depth).
    fn window(&self, prev_end: Option<usize>, len: usize) -> Option<(usize, usize)> {
        let (lo, hi) = if self.relative() {
            let prev = i64::try_from(prev_end.unwrap_or(0)).unwrap_or(i64::MAX);
            let base = prev.saturating_add(self.distance.unwrap_or(0));
            (base, self.within.map(|w| base.saturating_add(w)))
        } else {
            let off = self.offset.unwrap_or(0);
            (off, self.depth.map(|d| off.saturating_add(d)))
        };
        let lo = lo.max(0) as usize;
        let hi = hi.map_or(len, |h| (h.max(0) as usize).min(len));
        (lo <= hi).then_some((lo, hi))
    }

    /// Where in its field a match of this pattern must lie, whatever the
    /// other patterns: `[offset, offset + depth)`, the first bytes with
    /// `startsWith`; for a relative window, measured from the field's start
    /// when `first` (no positive pattern before it: ET's `content:"CWS";
    /// within:3;`), else anywhere (it moves with the match before it). Its
    /// anchor search reads no further.
    pub(crate) fn absolute_span(&self, first: bool) -> Span {
        if self.relative() && !first {
            return Span::ANY;
        }
        match self.window(None, usize::MAX) {
            // startsWith: at 0 only, and only when the window starts there.
            Some((0, _)) if self.starts_with => Span {
                lo: 0,
                hi: self.bytes.len(),
            },
            Some(_) if self.starts_with => Span::NONE,
            Some((lo, hi)) => Span { lo, hi },
            None => Span::NONE,
        }
    }

    fn eq_at(&self, hay: &[u8], at: usize) -> bool {
        let cand = &hay[at..at + self.bytes.len()];
        // Byte by byte: the literals are short, and a call to memcmp for a
        // handful of bytes costs more than the loop.
        if self.nocase {
            cand.eq_ignore_ascii_case(&self.bytes)
        } else {
            cand.iter().zip(&self.bytes).all(|(a, b)| a == b)
        }
    }

    /// Starts of the occurrences that fit the window and anchors.
    #[inline]
    fn occurrences<'a>(&'a self, hay: &'a [u8], prev_end: Option<usize>) -> Occurrences<'a> {
        let n = self.bytes.len();
        let (lo, hi) = self.window(prev_end, hay.len()).unwrap_or((1, 0));
        let last = if hi >= lo + n { hi - n + 1 } else { lo };
        let (from, to) = if self.starts_with {
            (lo, if lo == 0 { last.min(1) } else { lo })
        } else if self.ends_with {
            let at = hay.len().saturating_sub(n);
            if at >= lo && at < last && hay.len() >= n {
                (at, at + 1)
            } else {
                (lo, lo)
            }
        } else {
            (lo, last)
        };
        // Start positions from..to; the literal's first byte is at one.
        let first = self.bytes[0];
        let (a, b) = if self.nocase {
            (first.to_ascii_lowercase(), first.to_ascii_uppercase())
        } else {
            (first, first)
        };
        Occurrences {
            pattern: self,
            hay,
            at: from,
            to: to.max(from),
            first: (a, b),
        }
    }
}

/// Start positions left to look at below this many are walked byte by
/// byte: for a datagram or a URI that is quicker than a call to memchr for
/// each start byte found (a DNS message holds a dozen zero bytes).
const SHORT_WINDOW: usize = 64;

/// The occurrences of a pattern in a window, in order: candidate starts by
/// the literal's first byte (memchr over long windows), then the whole
/// literal.
struct Occurrences<'a> {
    pattern: &'a Pattern,
    hay: &'a [u8],
    /// Next start position to look at.
    at: usize,
    /// End (exclusive) of the start positions.
    to: usize,
    /// The first byte in both cases (the same twice unless nocase).
    first: (u8, u8),
}

impl Iterator for Occurrences<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let (a, b) = self.first;
        while self.at < self.to {
            let window = &self.hay[self.at..self.to];
            let found = if window.len() <= SHORT_WINDOW {
                window.iter().position(|&c| c == a || c == b)
            } else {
                memchr::memchr2(a, b, window)
            };
            let Some(i) = found else {
                self.at = self.to;
                return None;
            };
            let at = self.at + i;
            self.at = at + 1;
            if self.pattern.eq_at(self.hay, at) {
                return Some(at);
            }
        }
        None
    }
}

/// How many occurrences one confirmation may try before it gives up
/// (Suricata's default inspection recursion limit).
pub const RECURSION_LIMIT: u32 = 3000;

/// True when `patterns` (one field's, in rule order) all hold on `hay`.
pub fn patterns_hold(patterns: &[Pattern], hay: &[u8]) -> bool {
    let mut budget = RECURSION_LIMIT;
    chain(patterns, hay, None, &mut budget)
}

fn chain(patterns: &[Pattern], hay: &[u8], prev_end: Option<usize>, budget: &mut u32) -> bool {
    let Some((p, rest)) = patterns.split_first() else {
        return true;
    };
    if p.negated {
        if p.occurrences(hay, prev_end).next().is_some() {
            return false;
        }
        return chain(rest, hay, prev_end, budget);
    }
    // Later patterns that are not relative do not depend on where this one
    // matched: one occurrence is enough.
    let needs_position = rest.iter().any(|q| q.relative());
    for at in p.occurrences(hay, prev_end) {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        if chain(rest, hay, Some(at + p.bytes.len()), budget) {
            return true;
        }
        if !needs_position {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pat(s: &str) -> Pattern {
        Pattern::literal(s.as_bytes())
    }

    #[test]
    fn absolute_windows() {
        // ET 2008983-like: content:"/gate.php"; offset 0; depth 9 on http.uri.
        let p = Pattern {
            depth: Some(9),
            ..pat("/gate.php")
        };
        assert!(patterns_hold(std::slice::from_ref(&p), b"/gate.php?id=1"));
        assert!(!patterns_hold(&[p], b"/x/gate.php"));
        let p = Pattern {
            offset: Some(2),
            depth: Some(3),
            ..pat("abc")
        };
        assert!(patterns_hold(std::slice::from_ref(&p), b"xxabc"));
        assert!(!patterns_hold(std::slice::from_ref(&p), b"xabcx"));
        assert!(!patterns_hold(&[p], b"xxxabc"));
    }

    #[test]
    fn relative_windows_and_backtracking() {
        // content:"a"; content:"b"; distance:1; within:2 → b starts 1..2 after a ends.
        let a = pat("a");
        let b = Pattern {
            distance: Some(1),
            within: Some(2),
            ..pat("b")
        };
        assert!(patterns_hold(&[a.clone(), b.clone()], b"a.b"));
        assert!(patterns_hold(&[a.clone(), b.clone()], b"a.bz"));
        assert!(!patterns_hold(&[a.clone(), b.clone()], b"ab"));
        assert!(patterns_hold(&[a.clone(), b.clone()], b"a..b"));
        assert!(!patterns_hold(&[a.clone(), b.clone()], b"a...b"));
        // The first "a" does not fit; the second does: backtracking finds it.
        assert!(patterns_hold(&[a.clone(), b.clone()], b"a....a.b"));
        // Negative distance: "b" may overlap "ab".
        let back = Pattern {
            distance: Some(-1),
            within: Some(1),
            ..pat("b")
        };
        assert!(patterns_hold(&[pat("ab"), back.clone()], b"xab"));
        assert!(!patterns_hold(&[pat("ac"), back], b"xacb"));
    }

    #[test]
    fn nocase_anchors_and_negation() {
        let p = Pattern {
            nocase: true,
            ..pat("User-Agent")
        };
        assert!(patterns_hold(&[p], b"x USER-AGENT y"));
        let s = Pattern {
            starts_with: true,
            ..pat("POST")
        };
        assert!(patterns_hold(std::slice::from_ref(&s), b"POST"));
        assert!(!patterns_hold(&[s], b"XPOST"));
        let e = Pattern {
            ends_with: true,
            ..pat(".exe")
        };
        assert!(patterns_hold(std::slice::from_ref(&e), b"/a.exe"));
        assert!(!patterns_hold(&[e], b"/a.exe?x"));
        let not = Pattern {
            negated: true,
            ..pat("Referer")
        };
        assert!(patterns_hold(&[pat("Host"), not.clone()], b"Host: x"));
        assert!(!patterns_hold(
            &[pat("Host"), not],
            b"Host: x\r\nReferer: y"
        ));
        // A relative negation only looks in its window.
        let not_after = Pattern {
            negated: true,
            distance: Some(0),
            within: Some(3),
            ..pat("zz")
        };
        assert!(patterns_hold(&[pat("a"), not_after.clone()], b"a...zz"));
        assert!(!patterns_hold(&[pat("a"), not_after], b"a.zz"));
    }

    /// A real ET rule, hand-checked: ET MALWARE Win32/Agent.XYZ CnC-style
    /// `http.uri; content:"/api/"; startswith; content:".php?id="; distance:0;`
    #[test]
    fn et_style_uri_chain() {
        let first = Pattern {
            starts_with: true,
            ..pat("/api/")
        };
        let second = Pattern {
            distance: Some(0),
            ..pat(".php?id=")
        };
        let sig = [first, second];
        assert!(patterns_hold(&sig, b"/api/x.php?id=5"));
        assert!(!patterns_hold(&sig, b"/x/api/x.php?id=5"));
        assert!(!patterns_hold(&sig, b"/api/x.phpid="));
    }

    /// Slow but obviously right: every combination of occurrences.
    fn reference(patterns: &[Pattern], hay: &[u8], prev: Option<usize>) -> bool {
        let Some((p, rest)) = patterns.split_first() else {
            return true;
        };
        let n = p.bytes.len();
        let fits = |at: usize| {
            let Some((lo, hi)) = p.window(prev, hay.len()) else {
                return false;
            };
            at >= lo
                && at + n <= hi
                && (!p.starts_with || at == 0)
                && (!p.ends_with || at + n == hay.len())
                && p.eq_at(hay, at)
        };
        let all: Vec<usize> = (0..=hay.len().saturating_sub(n))
            .filter(|&at| at + n <= hay.len() && fits(at))
            .collect();
        if p.negated {
            all.is_empty() && reference(rest, hay, prev)
        } else {
            all.into_iter().any(|at| reference(rest, hay, Some(at + n)))
        }
    }

    fn arb_pattern() -> impl Strategy<Value = Pattern> {
        (
            "[ab]{1,2}",
            any::<bool>(),
            prop::option::of(0i64..4),
            prop::option::of(1i64..6),
            prop::option::of(-2i64..3),
            prop::option::of(1i64..5),
            0u8..8,
        )
            .prop_map(|(s, relative, off, depth, dist, within, flags)| Pattern {
                bytes: s.into_bytes(),
                nocase: flags & 1 != 0,
                negated: flags & 2 != 0 && flags & 4 == 0,
                starts_with: flags == 4,
                ends_with: flags == 6,
                offset: if relative { None } else { off },
                depth: if relative { None } else { depth },
                distance: if relative { dist } else { None },
                within: if relative { within } else { None },
            })
    }

    #[test]
    fn an_absolute_span_is_the_window_a_match_must_lie_in() {
        let with = |f: &dyn Fn(&mut Pattern)| {
            let mut p = pat("CWS");
            f(&mut p);
            p
        };
        let span = |lo, hi| Span { lo, hi };
        assert_eq!(pat("CWS").absolute_span(true), Span::ANY);
        let bounded = with(&|p| (p.offset, p.depth) = (Some(4), Some(8)));
        assert_eq!(bounded.absolute_span(false), span(4, 12));
        let starts = with(&|p| p.starts_with = true);
        assert_eq!(starts.absolute_span(false), span(0, 3));
        // ET's `content:"CWS"; within:3;` as a field's first pattern.
        let within = with(&|p| p.within = Some(3));
        assert_eq!(within.absolute_span(true), span(0, 3));
        assert_eq!(
            within.absolute_span(false),
            Span::ANY,
            "moves with the match before"
        );
        let never = with(&|p| p.depth = Some(-1));
        assert_eq!(never.absolute_span(false), Span::NONE);
        let huge = with(&|p| (p.offset, p.depth) = (Some(i64::MAX), Some(i64::MAX)));
        assert_eq!(huge.absolute_span(false).lo, i64::MAX as usize);
    }

    proptest! {
        #[test]
        fn agrees_with_brute_force(
            patterns in prop::collection::vec(arb_pattern(), 1..4),
            hay in "[abAB.]{0,12}",
        ) {
            prop_assert_eq!(
                patterns_hold(&patterns, hay.as_bytes()),
                reference(&patterns, hay.as_bytes(), None)
            );
        }

        /// Haystacks longer than [`SHORT_WINDOW`]: the walk starts with
        /// memchr and goes on byte by byte once what is left is short.
        /// (Two patterns and few occurrences: the budget is never reached.)
        #[test]
        fn agrees_with_brute_force_on_long_haystacks(
            patterns in prop::collection::vec(arb_pattern(), 1..3),
            head in "[abAB.]{0,12}",
            fill in 40usize..120,
            tail in "[abAB.]{0,12}",
        ) {
            let hay = [head.as_bytes(), &vec![b'.'; fill], tail.as_bytes()].concat();
            prop_assert_eq!(
                patterns_hold(&patterns, &hay),
                reference(&patterns, &hay, None)
            );
        }
    }
}

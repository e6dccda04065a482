//! JavaScript regular expressions (the plan's `regex`) over bytes, with
//! the `regex` crate's engine. Literals are one char per byte, so chars
//! U+0080–U+00FF become `\xNN` and the pattern runs without Unicode; what
//! Rust cannot express (lookaround, backreferences, …) is refused with its
//! reason.
//!
//! A regex is checked when the plan loads (its syntax, and the size of its
//! automaton, so a refusal is still reported then), and its matcher is
//! built the first time a candidate needs it. The default pack has ~400
//! regexes, most of which never run on a given capture; building them all
//! was half of the content signatures' load time.

use std::sync::OnceLock;

use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::MatchKind;
use regex_syntax::hir::Hir;

/// Most memory one compiled regex may take.
const SIZE_LIMIT: usize = 1 << 20;

const TOO_LARGE: &str = "regex: too large";

/// A signature's regex: parsed and size-checked, built on first use.
#[derive(Debug, Clone)]
pub struct JsRegex {
    hir: Hir,
    built: OnceLock<Option<Regex>>,
}

impl JsRegex {
    /// Whether the regex matches anywhere in `haystack`. A matcher that
    /// cannot be built (not seen in practice: its size was checked at load)
    /// matches nothing, so its signature stays silent rather than firing.
    pub fn is_match(&self, haystack: &[u8]) -> bool {
        self.built
            .get_or_init(|| build(&self.hir))
            .as_ref()
            .is_some_and(|r| r.is_match(haystack))
    }
}

/// `source` with JavaScript `flags`, or why it is refused.
pub fn compile_js_regex(source: &str, flags: &str) -> Result<JsRegex, String> {
    let mut parser = regex_syntax::ParserBuilder::new();
    parser.unicode(false).utf8(false);
    for f in flags.chars() {
        match f {
            'i' => parser.case_insensitive(true),
            's' => parser.dot_matches_new_line(true),
            'm' => parser.multi_line(true),
            // Global and sticky do not change whether a match exists.
            'g' | 'y' => &mut parser,
            other => return Err(format!("regex flag {other:?} is not supported")),
        };
    }
    // JavaScript's `.` never matches line terminators without `s`; Rust's
    // `.` without `s` only excludes `\n`. Close enough for detection; noted.
    let hir = parser
        .build()
        .parse(&to_byte_pattern(source)?)
        .map_err(|e| syntax_refusal(&e.to_string()))?;
    // The automaton the matcher is built from, at its size limit, so that a
    // regex too large is refused now rather than found out on its first
    // candidate. One that is near the limit or over it is built now: the
    // matcher may not need that automaton at all (a set of literals is
    // searched for directly), or may need a second one as large.
    let built = OnceLock::new();
    let nfa = thompson::Compiler::new()
        .configure(nfa_config())
        .build_from_hir(&hir);
    if !nfa.is_ok_and(|nfa| nfa.memory_usage() <= SIZE_LIMIT / 2) {
        let regex = build(&hir).ok_or_else(|| TOO_LARGE.to_owned())?;
        let _ = built.set(Some(regex));
    }
    Ok(JsRegex { hir, built })
}

/// Only whether a match exists is asked, so no capture groups are kept.
fn nfa_config() -> thompson::Config {
    thompson::Config::new()
        .nfa_size_limit(Some(SIZE_LIMIT))
        .which_captures(WhichCaptures::None)
}

fn build(hir: &Hir) -> Option<Regex> {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(false)
                .which_captures(WhichCaptures::None)
                .nfa_size_limit(Some(SIZE_LIMIT))
                .hybrid_cache_capacity(SIZE_LIMIT),
        )
        .build_from_hir(hir)
        .ok()
}

fn syntax_refusal(text: &str) -> String {
    let reason = if text.contains("look-around") {
        "look-around"
    } else if text.contains("backreference") {
        "backreference"
    } else {
        "syntax Rust's regex does not accept"
    };
    format!("regex: {reason}")
}

fn to_byte_pattern(source: &str) -> Result<String, String> {
    let mut out = String::with_capacity(source.len());
    for c in source.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            b @ 0x80..=0xff => out.push_str(&format!("\\x{b:02X}")),
            _ => return Err("regex: a char above U+00FF is not one byte".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_what_rust_can_and_names_the_rest() {
        let r = compile_js_regex(r"^\/[a-z]{4}\.php\?id=\d+$", "i").unwrap();
        assert!(r.is_match(b"/GATE.php?id=12"));
        assert!(!r.is_match(b"/gate.php?id="));
        let bytes = compile_js_regex("\u{e9}\\x00", "").unwrap();
        assert!(bytes.is_match(&[b'x', 0xe9, 0]));
        for (src, flags, why) in [
            (r"foo(?=bar)", "", "look-around"),
            (r"(a)\1", "", "backreference"),
            ("a", "u", "flag"),
            ("\u{3042}", "", "above U+00FF"),
            ("a{2", "", "syntax"),
            ("[a-z]{1000}{1000}", "", "too large"),
        ] {
            let err = compile_js_regex(src, flags).unwrap_err();
            assert!(err.contains(why), "{src}: {err}");
        }
    }

    #[test]
    fn flags_and_bytes_mean_what_they_do_in_javascript() {
        let case = |src: &str, flags: &str, hay: &[u8]| {
            compile_js_regex(src, flags).unwrap().is_match(hay)
        };
        assert!(case("a.b", "s", b"a\nb"));
        assert!(!case("a.b", "", b"a\nb"));
        assert!(case("^b$", "m", b"a\nb\nc"));
        assert!(!case("^b$", "", b"a\nb\nc"));
        assert!(case("ABC", "gi", b"xabcx"));
        // Without Unicode, `.` and classes take any byte, not only UTF-8.
        assert!(case(r"\x00.\xff", "", &[0, 0x80, 0xff]));
        assert!(!case("abc", "", b"ab"));
    }

    #[test]
    fn a_clone_builds_its_own_matcher_or_shares_a_built_one() {
        let r = compile_js_regex("needle", "").unwrap();
        let before = r.clone();
        assert!(r.is_match(b"hay needle hay"));
        let after = r.clone();
        for copy in [before, after] {
            assert!(copy.is_match(b"needle"));
            assert!(!copy.is_match(b"hay"));
        }
    }

    /// The regex crate, built at once as signatures' regexes were before:
    /// its answer, or why it refused.
    fn reference(source: &str, flags: &str, hay: &[u8]) -> Result<bool, Option<regex::Error>> {
        let mut b = regex::bytes::RegexBuilder::new(&to_byte_pattern(source).map_err(|_| None)?);
        b.unicode(false)
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(SIZE_LIMIT);
        for f in flags.chars() {
            match f {
                'i' => b.case_insensitive(true),
                's' => b.dot_matches_new_line(true),
                'm' => b.multi_line(true),
                _ => &mut b,
            };
        }
        b.build().map(|r| r.is_match(hay)).map_err(Some)
    }

    use proptest::prelude::*;

    /// Regexes mostly well formed (atoms joined, alternated, repeated and
    /// grouped), now and then with a piece Rust refuses.
    fn js_regex() -> impl Strategy<Value = String> {
        let atom = prop::sample::select(vec![
            "a", "B", "ab", "\\x00", "\\xff", "\u{e9}", ".", "\\d", "\\w", "\\s", "[a-c]",
            "[^\\n]", "\\n", "\\b", "^", "$", "(?=x)", "\\1", "[", "a{2",
        ])
        .prop_map(str::to_owned);
        atom.prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("(?:{a}|{b})")),
                (
                    inner.clone(),
                    prop::sample::select(vec!["*", "+", "?", "{2}", "{1,3}", "{300}{300}"])
                )
                    .prop_map(|(a, r)| format!("(?:{a}){r}")),
                inner.prop_map(|a| format!("({a})")),
            ]
        })
    }

    proptest! {
        /// Built on first use, a regex refuses and matches as the regex
        /// crate built at load did. It may take a regex the crate found too
        /// large: without capture groups its automata are smaller.
        #[test]
        fn answers_as_the_regex_crate_built_at_once(
            source in js_regex(),
            flags in "[imsgy]{0,3}",
            hay in prop::collection::vec(prop::sample::select(vec![b'a', b'A', b'b', b'B', b'\n', 0, 0xe9, 0xff, b'1', b' ', b'x', b'_']), 0..32),
        ) {
            let ours = compile_js_regex(&source, &flags).map(|r| r.is_match(&hay));
            let theirs = reference(&source, &flags, &hay);
            match (ours, theirs) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{:?} /{}/ on {:?}", source, flags, hay),
                (Err(why), Err(_)) => prop_assert!(why.starts_with("regex"), "{}", why),
                (Ok(_), Err(Some(regex::Error::CompiledTooBig(_)))) => {}
                (ours, theirs) => prop_assert!(false, "{:?} /{}/: ours {:?}, regex crate {:?}", source, flags, ours, theirs),
            }
        }
    }
}

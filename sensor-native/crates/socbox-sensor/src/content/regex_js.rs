//! JavaScript regular expressions (the plan's `regex`) for Rust's `regex`
//! crate over bytes. Literals are one char per byte, so chars U+0080–U+00FF
//! become `\xNN` and the pattern runs without Unicode; what Rust cannot
//! express (lookaround, backreferences, …) is refused with its reason.

use regex::bytes::{Regex, RegexBuilder};

/// Most memory one compiled regex may take.
const SIZE_LIMIT: usize = 1 << 20;

pub fn compile_js_regex(source: &str, flags: &str) -> Result<Regex, String> {
    let mut b = RegexBuilder::new(&to_byte_pattern(source)?);
    b.unicode(false)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT);
    for f in flags.chars() {
        match f {
            'i' => b.case_insensitive(true),
            's' => b.dot_matches_new_line(true),
            'm' => b.multi_line(true),
            // Global and sticky do not change whether a match exists.
            'g' | 'y' => &mut b,
            other => return Err(format!("regex flag {other:?} is not supported")),
        };
    }
    // JavaScript's `.` never matches line terminators without `s`; Rust's
    // `.` without `s` only excludes `\n`. Close enough for detection; noted.
    b.build().map_err(|e| {
        let text = e.to_string();
        let reason = if text.contains("look-around") {
            "look-around"
        } else if text.contains("backreference") {
            "backreference"
        } else if text.contains("exceeds size limit") {
            "too large"
        } else {
            "syntax Rust's regex does not accept"
        };
        format!("regex: {reason}")
    })
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
        ] {
            let err = compile_js_regex(src, flags).unwrap_err();
            assert!(err.contains(why), "{src}: {err}");
        }
    }
}

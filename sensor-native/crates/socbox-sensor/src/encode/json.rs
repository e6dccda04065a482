//! JSON scalars written straight into a byte buffer. Strings are escaped as
//! `JSON.stringify` does, so a TS re-encoding of a decoded event gives the
//! same bytes.

use std::io::Write as _;
use std::net::IpAddr;

use super::padded::{push_in_place, push_short};
use crate::event::Value;
use crate::intel::Hit;
use crate::net::write_dotted_quad;

/// Writes `s` as a JSON string literal.
pub fn write_json_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Almost every string (names, addresses, ids) needs no escape: one
    // branch-free pass over it (vectorised), then copied once, in
    // fixed-size pieces when it is short (most are).
    if any_needs_escape(bytes) {
        return write_escaped(out, bytes);
    }
    push_quoted(out, bytes);
}

/// Writes `s`, which has no character to escape, as a JSON string literal.
fn write_name(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!any_needs_escape(s.as_bytes()), "{s:?} is no name");
    push_quoted(out, s.as_bytes());
}

/// `bytes`, which need no escape, between quotes.
#[inline(always)]
fn push_quoted(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    if !push_short(out, bytes) {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

#[inline(always)]
fn any_needs_escape(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |any, &b| any | needs_escape(b))
}

#[inline]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

#[cold]
#[inline(never)]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[inline]
pub(crate) fn write_int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_uint(out, v.unsigned_abs());
}

/// Each number below 100 as two decimal digits.
const PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    t
};

/// Decimal digits of `v`, written in a fixed-size chunk (itoa's digits
/// ended at a varying offset and were appended by a memmove call). The
/// test for small numbers is inlined where a number is written; the rest
/// is one call.
#[inline(always)]
fn write_uint(out: &mut Vec<u8>, v: u64) {
    // Most numbers of a line (packet counts, durations, many byte counts)
    // are below 100.
    if v < 100 {
        let [tens, ones] = PAIRS[v as usize];
        match v {
            0..=9 => out.push(ones),
            _ => out.extend_from_slice(&[tens, ones]),
        }
        return;
    }
    write_long_uint(out, v);
}

/// [`write_uint`] of 3 digits or more: the count first, then the digits
/// from the last into a 20-byte chunk in place, eight at a time while the rest
/// needs 64 bits (a timestamp: once), then four at a time in 32-bit
/// arithmetic, cheaper to divide.
#[inline(never)]
fn write_long_uint(out: &mut Vec<u8>, v: u64) {
    let n = decimal_len(v);
    push_in_place(out, |buf: &mut [u8; 20]| {
        let mut end = n;
        let mut wide = v;
        while wide > u64::from(u32::MAX) {
            let low = (wide % 100_000_000) as u32;
            wide /= 100_000_000;
            put_four(buf, end, low % 10_000);
            put_four(buf, end - 4, low / 10_000);
            end -= 8;
        }
        let mut v = wide as u32;
        while v >= 10_000 {
            put_four(buf, end, v % 10_000);
            v /= 10_000;
            end -= 4;
        }
        if v >= 100 {
            buf[end - 2..end].copy_from_slice(&PAIRS[(v % 100) as usize]);
            v /= 100;
            end -= 2;
        }
        if v >= 10 {
            buf[end - 2..end].copy_from_slice(&PAIRS[v as usize]);
        } else {
            buf[end - 1] = b'0' + v as u8;
        }
        n
    });
}

/// The four digits of `v < 10_000` ending at `buf[end]`.
#[inline(always)]
fn put_four(buf: &mut [u8; 20], end: usize, v: u32) {
    buf[end - 4..end - 2].copy_from_slice(&PAIRS[(v / 100) as usize]);
    buf[end - 2..end].copy_from_slice(&PAIRS[(v % 100) as usize]);
}

/// Number of decimal digits of `v > 0`: from its bit length (log10(2) ~
/// 1233/4096), one too few at most, then a comparison with the power of
/// ten that would be one more.
#[inline(always)]
fn decimal_len(v: u64) -> usize {
    const POWERS: [u64; 20] = {
        let mut t = [0u64; 20];
        let mut i = 0;
        let mut p = 1u64;
        while i < 20 {
            t[i] = p;
            p = p.wrapping_mul(10);
            i += 1;
        }
        t
    };
    let bits = 64 - (v | 1).leading_zeros() as usize;
    let guess = (bits * 1233) >> 12;
    guess + usize::from(v >= POWERS[guess])
}

fn write_ip(out: &mut Vec<u8>, ip: IpAddr) {
    match ip {
        IpAddr::V4(v4) => {
            // Quoted dotted quad written in place (digits from a table),
            // straight after the opening quote.
            push_in_place(out, |buf: &mut [u8; 20]| {
                buf[0] = b'"';
                let quad: &mut [u8; 15] = (&mut buf[1..16]).try_into().expect("15 of 20 bytes");
                let n = write_dotted_quad(v4, quad);
                buf[1 + n] = b'"';
                n + 2
            });
        }
        // std's Display applies RFC 5952 (zero compression, lowercase);
        // writing into a Vec cannot fail.
        IpAddr::V6(v6) => {
            out.push(b'"');
            let _ = write!(out, "{v6}");
            out.push(b'"');
        }
    }
}

/// `t / 1000` as JavaScript prints that number: no trailing zeros, no
/// point for whole numbers.
fn write_thousandths(out: &mut Vec<u8>, t: i64) {
    if t < 0 {
        out.push(b'-');
    }
    let t = t.unsigned_abs();
    write_uint(out, t / 1000);
    let frac = t % 1000;
    if frac != 0 {
        let digits = [
            b'.',
            b'0' + (frac / 100) as u8,
            b'0' + (frac / 10 % 10) as u8,
            b'0' + (frac % 10) as u8,
        ];
        let len = if frac % 10 != 0 {
            4
        } else if frac % 100 != 0 {
            3
        } else {
            2
        };
        out.extend_from_slice(&digits[..len]);
    }
}

/// Writes one field value as JSON. Inlined into the encoders, where the
/// value was just made from a known field, so the match on its variant
/// folds away; lists go out of line.
#[inline(always)]
pub fn write_value(out: &mut Vec<u8>, v: &Value<'_>) {
    match *v {
        Value::Str(s) => write_json_str(out, s),
        Value::Name(s) => write_name(out, s),
        Value::Int(i) => write_int(out, i),
        Value::Thousandths(t) => write_thousandths(out, t),
        Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Value::Ip(ip) => write_ip(out, ip),
        Value::StrList(items) => write_str_list(out, items),
        Value::Hits(hits) => write_hits(out, hits),
    }
}

fn write_str_list(out: &mut Vec<u8>, items: &[String]) {
    out.push(b'[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_str(out, s);
    }
    out.push(b']');
}

fn write_hits(out: &mut Vec<u8>, hits: &[Hit]) {
    out.push(b'[');
    for (i, h) in hits.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"list\":");
        write_json_str(out, &h.list);
        out.extend_from_slice(b",\"field\":");
        write_json_str(out, h.field);
        out.extend_from_slice(b",\"indicator\":");
        write_json_str(out, &h.indicator);
        out.push(b'}');
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: Value<'_>) -> String {
        let mut out = Vec::new();
        write_value(&mut out, &v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_escape_like_json_stringify() {
        for (input, expect) in [
            ("plain", r#""plain""#),
            ("q\"b\\s/", r#""q\"b\\s/""#),
            ("\n\r\t\u{8}\u{c}", r#""\n\r\t\b\f""#),
            ("\u{0}\u{1f}\u{7f}", "\"\\u0000\\u001f\u{7f}\""),
            ("日本語 ✓ 😀", "\"日本語 ✓ 😀\""),
        ] {
            assert_eq!(json(Value::Str(input)), expect, "{input:?}");
        }
    }

    #[test]
    fn scalars_and_lists() {
        let list = vec!["a".to_string(), "b\"".to_string()];
        for (v, expect) in [
            (Value::Int(-42), "-42"),
            (Value::Int(1_700_000_000_123), "1700000000123"),
            (Value::Int(0), "0"),
            (Value::Int(i64::MIN), "-9223372036854775808"),
            (Value::Int(i64::MAX), "9223372036854775807"),
            (Value::Name("SF"), r#""SF""#),
            (Value::Name(""), r#""""#),
            (
                Value::Name("1:0123456789abcdefghijklmnopqrstuvwxyz+/="),
                r#""1:0123456789abcdefghijklmnopqrstuvwxyz+/=""#,
            ),
            (Value::Bool(true), "true"),
            (Value::Thousandths(7523), "7.523"),
            (Value::Thousandths(7500), "7.5"),
            (Value::Thousandths(8000), "8"),
            (Value::Thousandths(5), "0.005"),
            (Value::Thousandths(-1250), "-1.25"),
            (Value::Ip("10.0.0.5".parse().unwrap()), r#""10.0.0.5""#),
            (
                Value::Ip("2001:db8:0:0:0:0:0:1".parse().unwrap()),
                r#""2001:db8::1""#,
            ),
            (Value::StrList(&list), r#"["a","b\""]"#),
            (Value::StrList(&[]), "[]"),
        ] {
            assert_eq!(json(v), expect);
        }
    }

    #[test]
    fn digit_counts_at_every_power_of_ten() {
        let mut p = 1u64;
        for _ in 0..20 {
            for v in [p - 1, p, p + 1, p.saturating_mul(2)] {
                if v > 0 {
                    assert_eq!(decimal_len(v), v.to_string().len(), "{v}");
                }
            }
            p = p.saturating_mul(10);
        }
        assert_eq!(decimal_len(u64::MAX), 20);
    }

    proptest::proptest! {
        /// The fast paths write what the general ones do: strings as
        /// serde_json (JSON.stringify's escapes), IPv4, integers (of any
        /// number of digits) and decimals as Rust's Display.
        #[test]
        fn fast_paths_match_the_reference(
            s in "(\\PC|[\\x00-\\x1f\"\\\\])*",
            ip: [u8; 4],
            t in -2_000_000_000i64..2_000_000_000,
            i: i64,
            digits in 0u32..19,
        ) {
            let small = i % 10i64.pow(digits);
            proptest::prop_assert_eq!(json(Value::Int(i)), i.to_string());
            proptest::prop_assert_eq!(json(Value::Int(small)), small.to_string());
            proptest::prop_assert_eq!(json(Value::Str(&s)), serde_json::to_string(&s).unwrap());
            let v4 = std::net::Ipv4Addr::from(ip);
            proptest::prop_assert_eq!(json(Value::Ip(v4.into())), format!("\"{v4}\""));
            proptest::prop_assert_eq!(json(Value::Thousandths(t)), format!("{}", t as f64 / 1000.0));
        }
    }
}

//! JSON scalars written straight into a byte buffer. Strings are escaped as
//! `JSON.stringify` does, so a TS re-encoding of a decoded event gives the
//! same bytes.

use std::io::Write as _;
use std::net::IpAddr;

use crate::event::Value;
use crate::intel::Hit;

/// Writes `s` as a JSON string literal.
pub fn write_json_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Almost every string (names, addresses, ids) needs no escape: one
    // branch-free pass over it (vectorised) and a single copy.
    if !bytes.iter().fold(false, |any, &b| any | needs_escape(b)) {
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    write_escaped(out, bytes);
}

#[inline]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

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

pub(crate) fn write_int(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// Each octet's decimal digits, left-aligned in 3 bytes, and their count.
const OCTETS: [([u8; 3], u8); 256] = {
    let mut t = [([0u8; 3], 0u8); 256];
    let mut o = 0;
    while o < 256 {
        let d = [
            b'0' + (o / 100) as u8,
            b'0' + (o / 10 % 10) as u8,
            b'0' + (o % 10) as u8,
        ];
        t[o] = match o {
            0..=9 => ([d[2], 0, 0], 1),
            10..=99 => ([d[1], d[2], 0], 2),
            _ => (d, 3),
        };
        o += 1;
    }
    t
};

fn write_ip(out: &mut Vec<u8>, ip: IpAddr) {
    match ip {
        IpAddr::V4(v4) => {
            // Quoted dotted quad into a stack buffer, copied once: each
            // octet's digits from a table, stored 3 bytes wide and the end
            // moved by their count.
            let mut buf = [0u8; 20];
            buf[0] = b'"';
            let mut n = 1;
            for (i, o) in v4.octets().into_iter().enumerate() {
                if i > 0 {
                    buf[n] = b'.';
                    n += 1;
                }
                let (digits, len) = OCTETS[usize::from(o)];
                buf[n..n + 3].copy_from_slice(&digits);
                n += usize::from(len);
            }
            buf[n] = b'"';
            out.extend_from_slice(&buf[..n + 1]);
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
    out.extend_from_slice(itoa::Buffer::new().format(t / 1000).as_bytes());
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

    proptest::proptest! {
        /// The fast paths write what the general ones do: strings as
        /// serde_json (JSON.stringify's escapes), IPv4 and decimals as
        /// Rust's Display.
        #[test]
        fn fast_paths_match_the_reference(
            s in "(\\PC|[\\x00-\\x1f\"\\\\])*",
            ip: [u8; 4],
            t in -2_000_000_000i64..2_000_000_000,
        ) {
            proptest::prop_assert_eq!(json(Value::Str(&s)), serde_json::to_string(&s).unwrap());
            let v4 = std::net::Ipv4Addr::from(ip);
            proptest::prop_assert_eq!(json(Value::Ip(v4.into())), format!("\"{v4}\""));
            proptest::prop_assert_eq!(json(Value::Thousandths(t)), format!("{}", t as f64 / 1000.0));
        }
    }
}

//! Client fingerprints of a ClientHello: JA3 (Salesforce, 2017) and JA4
//! (FoxIO, `JA4` part of the JA4+ suite, TCP form `t…`).

use sha2::{Digest, Sha256};

use super::tls_hello::ClientHello;
use crate::hex_text::lower_hex;
use crate::md5::Md5;

/// GREASE values (RFC 8701): 0x?a?a with both bytes equal. Both
/// fingerprints ignore them.
fn is_grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
}

/// Appends `values` in decimal, joined by `-`.
fn push_dec_list(s: &mut String, values: impl Iterator<Item = u16>) {
    let mut digits = itoa::Buffer::new();
    for (i, v) in values.enumerate() {
        if i > 0 {
            s.push('-');
        }
        s.push_str(digits.format(v));
    }
}

/// The JA3 text: `version,ciphers,extensions,groups,point_formats`.
pub(crate) fn ja3_string(h: &ClientHello) -> String {
    let keep = |v: &&u16| !is_grease(**v);
    // Built in place: this runs once per handshake, and `format!` with a
    // string per list was a tenth of fingerprinting.
    let mut s = String::with_capacity(256);
    s.push_str(itoa::Buffer::new().format(h.legacy_version));
    s.push(',');
    push_dec_list(&mut s, h.ciphers.iter().filter(keep).copied());
    s.push(',');
    push_dec_list(&mut s, h.extensions.iter().filter(keep).copied());
    s.push(',');
    push_dec_list(&mut s, h.groups.iter().filter(keep).copied());
    s.push(',');
    push_dec_list(&mut s, h.point_formats.iter().map(|&v| u16::from(v)));
    s
}

/// JA3: the MD5 of the JA3 text, lowercase hex.
pub(crate) fn ja3(h: &ClientHello) -> String {
    lower_hex(&Md5::digest(ja3_string(h).as_bytes()))
}

/// The version a client offers at most: supported_versions if sent,
/// else the legacy field.
pub(crate) fn offered_version(h: &ClientHello) -> u16 {
    h.supported_versions
        .iter()
        .copied()
        .filter(|v| !is_grease(*v))
        .max()
        .unwrap_or(h.legacy_version)
}

fn ja4_version(v: u16) -> &'static str {
    match v {
        0x0304 => "13",
        0x0303 => "12",
        0x0302 => "11",
        0x0301 => "10",
        0x0300 => "s3",
        0x0002 => "s2",
        0xfeff => "d1",
        0xfefd => "d2",
        0xfefc => "d3",
        _ => "00",
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends the first 12 hex characters of the SHA-256 of `text`, or twelve
/// zeros for an empty list (JA4 spec).
fn push_truncated_sha256(s: &mut String, text: &[u8]) {
    if text.is_empty() {
        s.push_str("000000000000");
        return;
    }
    for &b in &Sha256::digest(text)[..6] {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
}

/// Appends `values` as 4-digit lowercase hex, joined by `,`.
fn push_hex_list(out: &mut Vec<u8>, values: &[u16]) {
    for (i, &v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend([12, 8, 4, 0].map(|shift| HEX[usize::from((v >> shift) & 15)]));
    }
}

/// ALPN part of JA4_a: first and last character of the first protocol;
/// `00` without ALPN, `99` when either is not an ASCII letter or digit
/// (what FoxIO's reference gives for `tls-non-ascii-alpn.pcapng` in
/// PARSERS/ja4).
fn push_ja4_alpn(s: &mut String, alpn: Option<&Vec<u8>>) {
    let Some(p) = alpn.filter(|p| !p.is_empty()) else {
        s.push_str("00");
        return;
    };
    let (first, last) = (p[0], p[p.len() - 1]);
    if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() {
        s.push(char::from(first));
        s.push(char::from(last));
    } else {
        s.push_str("99");
    }
}

/// Appends a count of at most 99 as two digits.
fn push_count(s: &mut String, n: usize) {
    let n = n.min(99) as u8;
    s.push(char::from(b'0' + n / 10));
    s.push(char::from(b'0' + n % 10));
}

/// JA4 (TCP): `t{version}{d|i}{ciphers:02}{extensions:02}{alpn}_{b}_{c}`.
pub(crate) fn ja4(h: &ClientHello) -> String {
    let mut ciphers: Vec<u16> = h
        .ciphers
        .iter()
        .copied()
        .filter(|v| !is_grease(*v))
        .collect();
    let mut extensions: Vec<u16> = h
        .extensions
        .iter()
        .copied()
        .filter(|v| !is_grease(*v))
        .collect();
    let mut s = String::with_capacity(36);
    s.push('t');
    s.push_str(ja4_version(offered_version(h)));
    s.push(if h.sni.is_some() { 'd' } else { 'i' });
    push_count(&mut s, ciphers.len());
    push_count(&mut s, extensions.len());
    push_ja4_alpn(&mut s, h.alpn.first());
    s.push('_');
    ciphers.sort_unstable();
    let mut text = Vec::with_capacity(256);
    push_hex_list(&mut text, &ciphers);
    push_truncated_sha256(&mut s, &text);
    s.push('_');
    // SNI and ALPN are already in part a; the rest sorted, then the
    // signature algorithms in the order sent.
    extensions.retain(|&e| e != 0 && e != 16);
    extensions.sort_unstable();
    text.clear();
    push_hex_list(&mut text, &extensions);
    let sigs: Vec<u16> = h
        .signature_algorithms
        .iter()
        .copied()
        .filter(|v| !is_grease(*v))
        .collect();
    if !sigs.is_empty() {
        text.push(b'_');
        push_hex_list(&mut text, &sigs);
    }
    push_truncated_sha256(&mut s, &text);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grease() {
        for (v, g) in [
            (0x0a0a, true),
            (0xfafa, true),
            (0x1a2a, false),
            (0x0a0b, false),
            (0x1301, false),
        ] {
            assert_eq!(is_grease(v), g, "{v:04x}");
        }
    }

    #[test]
    fn alpn_part() {
        for (alpn, expect) in [
            (None, "00"),
            (Some(b"h2".to_vec()), "h2"),
            (Some(b"http/1.1".to_vec()), "h1"),
            (Some(vec![0xab, b'x']), "99"),
            (Some(vec![]), "00"),
        ] {
            let mut s = String::new();
            push_ja4_alpn(&mut s, alpn.as_ref());
            assert_eq!(s, expect);
        }
    }
}

//! Client fingerprints of a ClientHello: JA3 (Salesforce, 2017) and JA4
//! (FoxIO, `JA4` part of the JA4+ suite, TCP form `t…`).

use std::fmt::Write as _;

use md5::Md5;
use sha2::{Digest, Sha256};

use super::tls_hello::ClientHello;

/// GREASE values (RFC 8701): 0x?a?a with both bytes equal. Both
/// fingerprints ignore them.
fn is_grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
}

fn join_dec(values: impl Iterator<Item = u32>) -> String {
    let mut s = String::new();
    let mut digits = itoa::Buffer::new();
    for (i, v) in values.enumerate() {
        if i > 0 {
            s.push('-');
        }
        s.push_str(digits.format(v));
    }
    s
}

/// The JA3 text: `version,ciphers,extensions,groups,point_formats`.
pub(crate) fn ja3_string(h: &ClientHello) -> String {
    let keep = |v: &&u16| !is_grease(**v);
    format!(
        "{},{},{},{},{}",
        h.legacy_version,
        join_dec(h.ciphers.iter().filter(keep).map(|&v| u32::from(v))),
        join_dec(h.extensions.iter().filter(keep).map(|&v| u32::from(v))),
        join_dec(h.groups.iter().filter(keep).map(|&v| u32::from(v))),
        join_dec(h.point_formats.iter().map(|&v| u32::from(v))),
    )
}

/// JA3: the MD5 of the JA3 text, lowercase hex.
pub(crate) fn ja3(h: &ClientHello) -> String {
    hex::encode(Md5::digest(ja3_string(h).as_bytes()))
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

/// First 12 hex characters of the SHA-256 of `text`, or twelve zeros for
/// an empty list (JA4 spec).
fn truncated_sha256(text: &str) -> String {
    if text.is_empty() {
        return "000000000000".into();
    }
    hex::encode(Sha256::digest(text.as_bytes()))[..12].to_owned()
}

fn hex_list(values: &[u16]) -> String {
    let mut s = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{v:04x}");
    }
    s
}

/// ALPN part of JA4_a: first and last character of the first protocol;
/// `00` without ALPN, `99` when either is not an ASCII letter or digit
/// (what FoxIO's reference gives for `tls-non-ascii-alpn.pcapng` in
/// PARSERS/ja4).
fn ja4_alpn(alpn: Option<&Vec<u8>>) -> String {
    let Some(p) = alpn.filter(|p| !p.is_empty()) else {
        return "00".into();
    };
    let (first, last) = (p[0], p[p.len() - 1]);
    if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() {
        format!("{}{}", first as char, last as char)
    } else {
        "99".into()
    }
}

/// JA4 (TCP): `t{version}{d|i}{ciphers:02}{extensions:02}{alpn}_{b}_{c}`.
pub(crate) fn ja4(h: &ClientHello) -> String {
    let ciphers: Vec<u16> = h
        .ciphers
        .iter()
        .copied()
        .filter(|v| !is_grease(*v))
        .collect();
    let extensions: Vec<u16> = h
        .extensions
        .iter()
        .copied()
        .filter(|v| !is_grease(*v))
        .collect();
    let a = format!(
        "t{}{}{:02}{:02}{}",
        ja4_version(offered_version(h)),
        if h.sni.is_some() { 'd' } else { 'i' },
        ciphers.len().min(99),
        extensions.len().min(99),
        ja4_alpn(h.alpn.first()),
    );
    let mut sorted_ciphers = ciphers;
    sorted_ciphers.sort_unstable();
    // SNI and ALPN are already in part a; the rest sorted, then the
    // signature algorithms in the order sent.
    let mut sorted_ext: Vec<u16> = extensions
        .into_iter()
        .filter(|&e| e != 0 && e != 16)
        .collect();
    sorted_ext.sort_unstable();
    let mut c_text = hex_list(&sorted_ext);
    let sigs: Vec<u16> = h
        .signature_algorithms
        .iter()
        .copied()
        .filter(|v| !is_grease(*v))
        .collect();
    if !sigs.is_empty() {
        c_text.push('_');
        c_text.push_str(&hex_list(&sigs));
    }
    format!(
        "{a}_{}_{}",
        truncated_sha256(&hex_list(&sorted_ciphers)),
        truncated_sha256(&c_text)
    )
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
            assert_eq!(ja4_alpn(alpn.as_ref()), expect);
        }
    }
}

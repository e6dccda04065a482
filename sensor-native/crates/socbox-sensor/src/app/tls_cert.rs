//! The server's leaf certificate: SHA-1 of its DER, and with `x509-parser`
//! the subject and issuer as RFC 4514 strings and the validity in ms.

use crate::hex_text::lower_hex;
use sha1::{Digest as _, Sha1};
use x509_parser::der_parser::asn1_rs::{Any, Tag};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

/// What a `tls` event reports of the leaf certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CertInfo {
    pub subject: Option<String>,
    pub issuer: Option<String>,
    pub not_before: Option<i64>,
    pub not_after: Option<i64>,
    pub sha1: String,
    /// DNS names the certificate is for (see `cert_names`).
    pub names: Vec<String>,
}

/// Reads a DER certificate; the hash is there even when the rest cannot be
/// parsed.
pub(crate) fn leaf_info(der: &[u8]) -> CertInfo {
    let mut info = CertInfo {
        sha1: lower_hex(&Sha1::digest(der)),
        ..CertInfo::default()
    };
    if let Ok((_, cert)) = X509Certificate::from_der(der) {
        info.subject = Some(rfc4514(cert.subject()));
        info.issuer = Some(rfc4514(cert.issuer()));
        let validity = cert.validity();
        info.not_before = validity.not_before.timestamp().checked_mul(1000);
        info.not_after = validity.not_after.timestamp().checked_mul(1000);
        info.names = cert_names(&cert);
    }
    info
}

/// Most names kept per certificate (shared hosting certificates list
/// hundreds; the first ones name the service).
const MAX_NAMES: usize = 64;

/// The DNS names a certificate is for, lower case, in certificate order,
/// without duplicates: its subjectAltName dNSName entries; when it has
/// none, the subject's common name if it looks like a host name (what TLS
/// clients check, RFC 6125 §6.4.4). Malware servers often send no SNI-worthy
/// name anywhere else.
fn cert_names(cert: &X509Certificate<'_>) -> Vec<String> {
    use x509_parser::extensions::GeneralName;
    fn push(names: &mut Vec<String>, n: &str) {
        let n = n.trim().trim_end_matches('.').to_ascii_lowercase();
        if looks_like_host(&n) && !names.contains(&n) && names.len() < MAX_NAMES {
            names.push(n);
        }
    }
    let mut names: Vec<String> = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for g in &san.value.general_names {
            if let GeneralName::DNSName(n) = g {
                push(&mut names, n);
            }
        }
    }
    if names.is_empty() {
        for cn in cert.subject().iter_common_name() {
            if let Ok(v) = cn.as_str() {
                push(&mut names, v);
            }
        }
    }
    names
}

/// A host name or wildcard (`*.example.com`): at least two labels of
/// letters, digits, `-`, `_`; not an address.
fn looks_like_host(n: &str) -> bool {
    let name = n.strip_prefix("*.").unwrap_or(n);
    name.len() <= 253
        && name.contains('.')
        && name.parse::<std::net::IpAddr>().is_err()
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// RFC 4514 §3 short names; other types print as dotted OIDs.
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.6" => "C",
        "2.5.4.9" => "STREET",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => return None,
    })
}

/// The distinguished name as RFC 4514 writes it: RDNs last to first,
/// joined by `,`; multi-valued RDNs joined by `+`.
pub(crate) fn rfc4514(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    let rdns: Vec<_> = name.iter_rdn().collect();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, attr) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            let oid = attr.attr_type().to_id_string();
            match short_name(&oid) {
                Some(short) => {
                    out.push_str(short);
                    out.push('=');
                    match string_value(attr.attr_value()) {
                        Some(v) => escape_into(&mut out, &v),
                        None => hex_value(&mut out, attr.attr_value()),
                    }
                }
                None => {
                    out.push_str(&oid);
                    out.push('=');
                    hex_value(&mut out, attr.attr_value());
                }
            }
        }
    }
    out
}

/// The text of a directory string, whatever its ASN.1 string type.
fn string_value(v: &Any<'_>) -> Option<String> {
    let d = v.data;
    Some(match v.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::NumericString
        | Tag::VisibleString => String::from_utf8_lossy(d).into_owned(),
        // T.61 in certificates is Latin-1 in practice.
        Tag::TeletexString => d.iter().map(|&b| char::from(b)).collect(),
        Tag::BmpString => {
            let units: Vec<u16> = d
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Tag::UniversalString => d
            .chunks_exact(4)
            .map(|c| {
                char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])).unwrap_or('\u{fffd}')
            })
            .collect(),
        _ => return None,
    })
}

/// `#` and the hex of the value's BER encoding (RFC 4514 §2.4).
fn hex_value(out: &mut String, v: &Any<'_>) {
    out.push('#');
    let tag = v.tag().0;
    let class = v.class() as u8;
    let constructed = u8::from(v.header.is_constructed());
    let mut ber = Vec::with_capacity(v.data.len() + 6);
    if tag < 31 {
        ber.push(class << 6 | constructed << 5 | tag as u8);
    } else {
        // Rare high tags: the leading byte and the number, base 128.
        ber.push(class << 6 | constructed << 5 | 31);
        let mut digits = Vec::new();
        let mut t = tag;
        loop {
            digits.push((t & 0x7f) as u8);
            t >>= 7;
            if t == 0 {
                break;
            }
        }
        for (i, d) in digits.iter().rev().enumerate() {
            ber.push(if i + 1 < digits.len() { d | 0x80 } else { *d });
        }
    }
    let len = v.data.len();
    if len < 128 {
        ber.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        ber.push(0x80 | bytes.len() as u8);
        ber.extend(bytes);
    }
    ber.extend_from_slice(v.data);
    out.push_str(&lower_hex(&ber));
}

/// RFC 4514 §2.4 escaping of a string value.
fn escape_into(out: &mut String, v: &str) {
    let last = v.chars().count().saturating_sub(1);
    for (i, c) in v.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        let mut s = String::new();
        escape_into(&mut s, " #a,b+c\"d\\ ");
        assert_eq!(s, "\\ #a\\,b\\+c\\\"d\\\\\\ ");
        let mut s = String::new();
        escape_into(&mut s, "#x");
        assert_eq!(s, "\\#x");
    }

    #[test]
    fn host_names() {
        for (n, ok) in [
            ("server15.xn--j1ahhq.xn--p1ai", true),
            ("*.example.com", true),
            ("localhost", false),
            ("10.0.0.1", false),
            ("AsyncRAT Server", false),
            ("a..b", false),
            ("", false),
        ] {
            assert_eq!(looks_like_host(n), ok, "{n}");
        }
    }

    #[test]
    fn garbage_still_has_a_hash() {
        let info = leaf_info(b"not a certificate");
        assert_eq!(info.sha1.len(), 40);
        assert_eq!(info.subject, None);
    }
}

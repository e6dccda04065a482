use super::{columns, Value};

/// A TLS handshake: the ClientHello, then what the server sent when seen
/// (`kind: "tls"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsBody {
    /// server_name, lowercase.
    pub sni: Option<String>,
    /// Highest offered version: `TLSv1.3`, `TLSv1.2`, …
    pub version: String,
    /// ALPN protocols in offered order.
    pub alpn: Vec<String>,
    pub ja3: String,
    pub ja4: String,
    /// Selected suite: IANA name or `0x<hex>`.
    pub cipher: Option<String>,
    /// JA3S of the ServerHello, MD5 hex.
    pub ja3s: Option<String>,
    /// Of the leaf certificate, RFC 4514.
    pub subject: Option<String>,
    pub issuer: Option<String>,
    /// Validity of the leaf certificate, ms since the epoch.
    pub not_before: Option<i64>,
    pub not_after: Option<i64>,
    /// SHA-1 of the leaf certificate's DER, hex.
    pub cert_sha1: Option<String>,
    /// DNS names of the leaf certificate: subjectAltName dNSName entries,
    /// else a host-name-like subject CN; lower case.
    pub san: Vec<String>,
}

impl TlsBody {
    pub const COLUMNS: &'static [&'static str] = columns!(
        "sni",
        "version",
        "alpn",
        "ja3",
        "ja4",
        "cipher",
        "ja3s",
        "subject",
        "issuer",
        "not_before",
        "not_after",
        "cert_sha1",
        "san"
    );

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        fn s(v: &Option<String>) -> Option<Value<'_>> {
            v.as_deref().map(Value::Str)
        }
        match i {
            0 => s(&self.sni),
            1 => Some(Value::Str(&self.version)),
            2 => (!self.alpn.is_empty()).then_some(Value::StrList(&self.alpn)),
            3 => Some(Value::Str(&self.ja3)),
            4 => Some(Value::Str(&self.ja4)),
            5 => s(&self.cipher),
            6 => s(&self.ja3s),
            7 => s(&self.subject),
            8 => s(&self.issuer),
            9 => self.not_before.map(Value::Int),
            10 => self.not_after.map(Value::Int),
            11 => s(&self.cert_sha1),
            12 => (!self.san.is_empty()).then_some(Value::StrList(&self.san)),
            _ => None,
        }
    }
}

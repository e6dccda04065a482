use super::{columns, Value};

/// A TLS ClientHello (`kind: "tls"`).
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
}

impl TlsBody {
    pub const COLUMNS: &'static [&'static str] = columns!("sni", "version", "alpn", "ja3", "ja4");

    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        match i {
            0 => self.sni.as_deref().map(Value::Str),
            1 => Some(Value::Str(&self.version)),
            2 => (!self.alpn.is_empty()).then_some(Value::StrList(&self.alpn)),
            3 => Some(Value::Str(&self.ja3)),
            4 => Some(Value::Str(&self.ja4)),
            _ => None,
        }
    }
}

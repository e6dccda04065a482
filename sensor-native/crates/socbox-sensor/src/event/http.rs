use super::{columns, Value};

/// One HTTP/1.x request and its response (`kind: "http"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpBody {
    pub method: Option<String>,
    /// Host header, lowercase.
    pub host: Option<String>,
    pub uri: Option<String>,
    pub user_agent: Option<String>,
    pub referrer: Option<String>,
    /// Absent when no response was seen.
    pub status: Option<u16>,
    pub content_type: Option<String>,
    pub location: Option<String>,
    /// Response body length after de-chunking, bytes.
    pub body_len: Option<u64>,
}

impl HttpBody {
    pub const COLUMNS: &'static [&'static str] = columns!(
        "method",
        "host",
        "uri",
        "user_agent",
        "referrer",
        "status",
        "content_type",
        "location",
        "body_len"
    );

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        fn s(v: &Option<String>) -> Option<Value<'_>> {
            v.as_deref().map(Value::Str)
        }
        match i {
            0 => s(&self.method),
            1 => s(&self.host),
            2 => s(&self.uri),
            3 => s(&self.user_agent),
            4 => s(&self.referrer),
            5 => self.status.map(|v| Value::Int(i64::from(v))),
            6 => s(&self.content_type),
            7 => s(&self.location),
            8 => self
                .body_len
                .map(|v| Value::Int(i64::try_from(v).unwrap_or(i64::MAX))),
            _ => None,
        }
    }
}

use std::borrow::Cow;

use super::{columns, Value};

/// A DNS transaction (`kind: "dns"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsBody {
    /// Lowercase, no trailing dot.
    pub query: String,
    pub qtype: Cow<'static, str>,
    /// Absent when no response was seen.
    pub rcode: Option<Cow<'static, str>>,
    /// Addresses and names in answer order; absent when empty.
    pub answers: Vec<String>,
    /// Smallest answer TTL, seconds.
    pub ttl: Option<u32>,
    /// `udp` or `tcp`.
    pub proto: &'static str,
    pub trans_id: u16,
}

impl DnsBody {
    pub const COLUMNS: &'static [&'static str] =
        columns!("query", "qtype", "rcode", "answers", "ttl", "proto", "trans_id");

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        match i {
            0 => Some(Value::Str(&self.query)),
            1 => Some(Value::Str(&self.qtype)),
            2 => self.rcode.as_deref().map(Value::Str),
            3 => (!self.answers.is_empty()).then_some(Value::StrList(&self.answers)),
            4 => self.ttl.map(|t| Value::Int(i64::from(t))),
            5 => Some(Value::Str(self.proto)),
            6 => Some(Value::Int(i64::from(self.trans_id))),
            _ => None,
        }
    }
}

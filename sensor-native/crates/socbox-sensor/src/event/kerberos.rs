use super::{columns, Value};

/// One Kerberos KDC request joined with its reply (`kind: "kerberos"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KerberosBody {
    /// `AS` or `TGS`.
    pub request: &'static str,
    /// Client principal name.
    pub client: Option<String>,
    pub realm: Option<String>,
    /// Server principal, components joined by `/`.
    pub service: Option<String>,
    /// Requested encryption types, in order.
    pub etypes: Vec<String>,
    /// Encryption type of the issued ticket.
    pub ticket_etype: Option<String>,
    /// KRB-ERROR name; absent on success or without a reply.
    pub error: Option<String>,
    /// `udp` or `tcp`.
    pub proto: &'static str,
}

impl KerberosBody {
    pub const COLUMNS: &'static [&'static str] = columns!(
        "request",
        "client",
        "realm",
        "service",
        "etypes",
        "ticket_etype",
        "error",
        "proto"
    );

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        fn s(v: &Option<String>) -> Option<Value<'_>> {
            v.as_deref().map(Value::Str)
        }
        match i {
            0 => Some(Value::Str(self.request)),
            1 => s(&self.client),
            2 => s(&self.realm),
            3 => s(&self.service),
            4 => (!self.etypes.is_empty()).then_some(Value::StrList(&self.etypes)),
            5 => s(&self.ticket_etype),
            6 => s(&self.error),
            7 => Some(Value::Str(self.proto)),
            _ => None,
        }
    }
}

use super::{columns, Value};

/// An RDP X.224 connection request and the server's choice (`kind: "rdp"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RdpBody {
    /// The `mstshash=` user name.
    pub cookie: Option<String>,
    /// Requested security protocols: `rdp`, `tls`, `hybrid`, `rdstls`,
    /// `hybrid_ex`.
    pub protocols: Vec<String>,
    /// The server's choice; absent without a reply.
    pub selected: Option<&'static str>,
}

impl RdpBody {
    pub const COLUMNS: &'static [&'static str] = columns!("cookie", "protocols", "selected");

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        match i {
            0 => self.cookie.as_deref().map(Value::Str),
            1 => (!self.protocols.is_empty()).then_some(Value::StrList(&self.protocols)),
            2 => self.selected.map(Value::Str),
            _ => None,
        }
    }
}

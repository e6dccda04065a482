use super::{columns, Value};

/// One DCE/RPC request, or a bound interface never called
/// (`kind: "dcerpc"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DceRpcBody {
    /// `smb` (over a named pipe) or `tcp`.
    pub transport: &'static str,
    /// Named pipe, over SMB.
    pub pipe: Option<String>,
    /// Bound interface UUID, lower case; absent when the bind was not seen.
    pub interface: Option<String>,
    /// Well-known name of the interface.
    pub service: Option<&'static str>,
    /// Absent for a bound interface that was never called.
    pub opnum: Option<u16>,
    /// Well-known name of the operation.
    pub operation: Option<&'static str>,
    /// True when `interface` was not bound on this connection but learned
    /// for its server endpoint (an earlier bind, an endpoint-mapper answer).
    pub inferred: Option<bool>,
}

impl DceRpcBody {
    pub const COLUMNS: &'static [&'static str] = columns!(
        "transport",
        "pipe",
        "interface",
        "service",
        "opnum",
        "operation",
        "inferred"
    );

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        match i {
            0 => Some(Value::Str(self.transport)),
            1 => self.pipe.as_deref().map(Value::Str),
            2 => self.interface.as_deref().map(Value::Str),
            3 => self.service.map(Value::Str),
            4 => self.opnum.map(|v| Value::Int(i64::from(v))),
            5 => self.operation.map(Value::Str),
            6 => self.inferred.map(Value::Bool),
            _ => None,
        }
    }
}

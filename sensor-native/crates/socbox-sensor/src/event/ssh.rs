use super::{columns, Value};

/// The identification strings of an SSH connection (`kind: "ssh"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SshBody {
    /// The client's, e.g. `SSH-2.0-OpenSSH_9.6`.
    pub client: Option<String>,
    pub server: Option<String>,
}

impl SshBody {
    pub const COLUMNS: &'static [&'static str] = columns!("client", "server");

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        match i {
            0 => self.client.as_deref().map(Value::Str),
            1 => self.server.as_deref().map(Value::Str),
            _ => None,
        }
    }
}

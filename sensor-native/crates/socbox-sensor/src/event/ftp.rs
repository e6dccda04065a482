use super::{columns, Value};

/// One FTP command with its reply (`kind: "ftp"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FtpBody {
    /// Upper case, e.g. `USER`, `STOR`.
    pub command: String,
    /// Never kept for `PASS`.
    pub arg: Option<String>,
    /// Reply code; absent without a reply.
    pub reply: Option<u16>,
    /// The session's USER.
    pub user: Option<String>,
}

impl FtpBody {
    pub const COLUMNS: &'static [&'static str] = columns!("command", "arg", "reply", "user");

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        match i {
            0 => Some(Value::Str(&self.command)),
            1 => self.arg.as_deref().map(Value::Str),
            2 => self.reply.map(|v| Value::Int(i64::from(v))),
            3 => self.user.as_deref().map(Value::Str),
            _ => None,
        }
    }
}

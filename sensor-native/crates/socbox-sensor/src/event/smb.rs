use super::{columns, Value};

/// One SMB operation (`kind: "smb"`): a session setup, tree connect,
/// create, close of an open that moved data, rename or delete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmbBody {
    /// Major version of the negotiated dialect: 1, 2 or 3.
    pub version: u8,
    /// `SESSION_SETUP`, `TREE_CONNECT`, `CREATE`, `CLOSE`, `RENAME`, `DELETE`.
    pub command: &'static str,
    /// NT status name, `0x<hex>` when not a common one; absent without a
    /// response.
    pub status: Option<String>,
    /// Tree path as sent, e.g. `\\10.0.0.5\ADMIN$`.
    pub tree: Option<String>,
    /// Last component of the tree path, upper case.
    pub share: Option<String>,
    pub name: Option<String>,
    pub new_name: Option<String>,
    /// True when `name` is a named pipe on `IPC$`.
    pub pipe: Option<bool>,
    /// CREATE: a new file was created or an old one overwritten.
    pub created: Option<bool>,
    pub bytes_read: Option<u64>,
    pub bytes_written: Option<u64>,
    pub user: Option<String>,
    pub domain: Option<String>,
    pub workstation: Option<String>,
}

impl SmbBody {
    pub const COLUMNS: &'static [&'static str] = columns!(
        "version",
        "command",
        "status",
        "tree",
        "share",
        "name",
        "new_name",
        "pipe",
        "created",
        "bytes_read",
        "bytes_written",
        "user",
        "domain",
        "workstation"
    );

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        fn s(v: &Option<String>) -> Option<Value<'_>> {
            v.as_deref().map(Value::Str)
        }
        let int = |v: Option<u64>| v.map(|v| Value::Int(i64::try_from(v).unwrap_or(i64::MAX)));
        match i {
            0 => Some(Value::Int(i64::from(self.version))),
            1 => Some(Value::Str(self.command)),
            2 => s(&self.status),
            3 => s(&self.tree),
            4 => s(&self.share),
            5 => s(&self.name),
            6 => s(&self.new_name),
            7 => self.pipe.map(Value::Bool),
            8 => self.created.map(Value::Bool),
            9 => int(self.bytes_read),
            10 => int(self.bytes_written),
            11 => s(&self.user),
            12 => s(&self.domain),
            13 => s(&self.workstation),
            _ => None,
        }
    }
}

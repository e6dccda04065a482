use super::{columns, Value};

/// One SMTP mail transaction, or a session that only did STARTTLS
/// (`kind: "smtp"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmtpBody {
    /// HELO/EHLO argument.
    pub helo: Option<String>,
    /// MAIL FROM address.
    pub from: Option<String>,
    /// RCPT TO addresses.
    pub to: Vec<String>,
    /// Subject, when the message went in clear.
    pub subject: Option<String>,
    /// Message size in bytes.
    pub bytes: Option<u64>,
    /// STARTTLS was accepted (later commands are unseen).
    pub starttls: bool,
    /// Last reply code.
    pub status: Option<u16>,
}

impl SmtpBody {
    pub const COLUMNS: &'static [&'static str] =
        columns!("helo", "from", "to", "subject", "bytes", "starttls", "status");

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        fn s(v: &Option<String>) -> Option<Value<'_>> {
            v.as_deref().map(Value::Str)
        }
        match i {
            0 => s(&self.helo),
            1 => s(&self.from),
            2 => (!self.to.is_empty()).then_some(Value::StrList(&self.to)),
            3 => s(&self.subject),
            4 => self
                .bytes
                .map(|b| Value::Int(i64::try_from(b).unwrap_or(i64::MAX))),
            5 => self.starttls.then_some(Value::Bool(true)),
            6 => self.status.map(|v| Value::Int(i64::from(v))),
            _ => None,
        }
    }
}

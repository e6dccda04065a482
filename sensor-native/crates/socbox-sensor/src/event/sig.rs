use std::sync::Arc;

use super::{columns, Value};

/// The record of a content-signature hit (`kind: "sig"`), tied by `flow`,
/// `ts` and `on` to the event that hit (`conn` for raw payload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigBody {
    pub id: Arc<str>,
    pub set: Arc<str>,
    pub class: Arc<str>,
    pub msg: Arc<str>,
    /// Where it matched: `http.uri`, `payload`, …
    pub field: &'static str,
    pub on: &'static str,
}

impl SigBody {
    pub const COLUMNS: &'static [&'static str] =
        columns!("id", "set", "class", "msg", "field", "on");

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        match i {
            0 => Some(Value::Str(&self.id)),
            1 => Some(Value::Str(&self.set)),
            2 => Some(Value::Str(&self.class)),
            3 => Some(Value::Str(&self.msg)),
            4 => Some(Value::Str(self.field)),
            5 => Some(Value::Str(self.on)),
            _ => None,
        }
    }
}

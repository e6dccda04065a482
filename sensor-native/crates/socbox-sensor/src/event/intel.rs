use std::sync::Arc;

use super::{columns, Value};

/// The record of one intel hit (`kind: "intel"`), tied by `flow`, `ts` and
/// `on` to the event that hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntelBody {
    pub list: Arc<str>,
    /// `domain`, `ip`, …
    pub ioc: &'static str,
    /// The list entry that matched.
    pub indicator: String,
    /// The observed value.
    pub value: String,
    /// The field that hit, e.g. `query`.
    pub field: &'static str,
    /// Kind of the event that hit.
    pub on: &'static str,
}

impl IntelBody {
    pub const COLUMNS: &'static [&'static str] =
        columns!("list", "ioc", "indicator", "value", "field", "on");

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        match i {
            0 => Some(Value::Str(&self.list)),
            1 => Some(Value::Str(self.ioc)),
            2 => Some(Value::Str(&self.indicator)),
            3 => Some(Value::Str(&self.value)),
            4 => Some(Value::Str(self.field)),
            5 => Some(Value::Str(self.on)),
            _ => None,
        }
    }
}

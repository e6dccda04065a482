use super::{columns, Value};

/// One ICMP or ICMPv6 flow's sizes and payload entropy (`kind: "icmp"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcmpBody {
    /// Type and code of the first packet.
    pub icmp_type: u8,
    pub code: u8,
    pub pkts: u64,
    /// Payload bytes both ways.
    pub bytes: u64,
    /// Largest payload.
    pub max_len: u64,
    /// Shannon entropy of the payload bytes in thousandths of a bit per
    /// byte (0–8000), over at most the first 4 KiB; printed as bits.
    pub entropy_milli: u16,
}

impl IcmpBody {
    pub const COLUMNS: &'static [&'static str] =
        columns!("type", "code", "pkts", "bytes", "max_len", "entropy");

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        let int = |v: u64| Some(Value::Int(i64::try_from(v).unwrap_or(i64::MAX)));
        match i {
            0 => int(u64::from(self.icmp_type)),
            1 => int(u64::from(self.code)),
            2 => int(self.pkts),
            3 => int(self.bytes),
            4 => int(self.max_len),
            5 => Some(Value::Thousandths(i64::from(self.entropy_milli))),
            _ => None,
        }
    }
}

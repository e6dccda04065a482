use std::borrow::Cow;

use super::{columns, Value};
use crate::flow::FlagLetters;

/// A finished (or, past the active timeout, reported) flow (`kind: "conn"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnBody {
    /// `tcp`, `udp`, `icmp`, or the IP protocol number.
    pub proto: Cow<'static, str>,
    /// Detected application protocol (`dns`, `http`, `tls`, `smb`, `dcerpc`,
    /// `kerberos`, …).
    pub app: Option<&'static str>,
    /// Zeek-style connection state: S0, S1, SF, REJ, S2, S3, RSTO, RSTR,
    /// RSTOS0, RSTRH, SH, SHR, OTH.
    pub state: &'static str,
    /// Transport payload bytes sent by the originator (retransmissions
    /// included).
    pub orig_bytes: u64,
    pub resp_bytes: u64,
    pub orig_pkts: u64,
    pub resp_pkts: u64,
    /// Last packet minus first packet, ms.
    pub duration: i64,
    /// TCP only: the flags each side ever sent, as letters in bit order
    /// (`FSRPAUEC`), `""` for none.
    pub orig_flags: Option<FlagLetters>,
    pub resp_flags: Option<FlagLetters>,
}

impl ConnBody {
    pub const COLUMNS: &'static [&'static str] = columns!(
        "proto",
        "app",
        "state",
        "orig_bytes",
        "resp_bytes",
        "orig_pkts",
        "resp_pkts",
        "duration",
        "orig_flags",
        "resp_flags"
    );

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        let int = |v: u64| Some(Value::Int(i64::try_from(v).unwrap_or(i64::MAX)));
        match i {
            0 => Some(Value::Str(&self.proto)),
            1 => self.app.map(Value::Name),
            2 => Some(Value::Name(self.state)),
            3 => int(self.orig_bytes),
            4 => int(self.resp_bytes),
            5 => int(self.orig_pkts),
            6 => int(self.resp_pkts),
            7 => Some(Value::Int(self.duration)),
            8 => self.orig_flags.as_ref().map(|f| Value::Name(f.as_str())),
            9 => self.resp_flags.as_ref().map(|f| Value::Name(f.as_str())),
            _ => None,
        }
    }
}

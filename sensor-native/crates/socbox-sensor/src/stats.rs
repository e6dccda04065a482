/// Counters of one source, as `stats()` reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub packets: u64,
    /// Bytes on the wire (original lengths).
    pub bytes: u64,
    /// Packets or records that could not be decoded; reading went on.
    pub malformed: u64,
    /// Events emitted.
    pub events: u64,
    /// Application state not kept because a per-connection cap was reached
    /// (SMB requests, trees and opens; Kerberos requests waiting).
    pub app_dropped: u64,
    /// SMB3 encrypted or compressed messages, skipped unread.
    pub encrypted: u64,
}

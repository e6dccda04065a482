//! Capture files: classic pcap and pcapng, read from a memory map.
//!
//! Readers yield [`RawPacket`]s borrowing the mapped bytes: no copy per packet.

mod endian;
mod error;
mod file;
mod link_type;
mod pcap;
mod pcapng;
mod prefetch;
#[cfg(test)]
mod robustness_tests;

pub use error::{CaptureError, CaptureErrorKind};
pub use file::{CaptureFile, CaptureFormat, PacketReader, SharedBytes};
pub use link_type::LinkType;
pub(crate) use prefetch::{prefetch_value, prefetch_whole, LinesAhead};

/// One captured frame as stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawPacket<'a> {
    /// Capture time, microseconds since the epoch.
    pub ts_us: i64,
    pub link_type: LinkType,
    /// The captured bytes (possibly cut at the snap length).
    pub data: &'a [u8],
    /// Length of the frame on the wire.
    pub orig_len: u32,
}

/// What a reader found at the next record: a packet, a record it had to
/// skip (counted as malformed by the caller), or the end of the data.
#[derive(Debug, PartialEq, Eq)]
pub enum Record<'a> {
    Packet(RawPacket<'a>),
    /// A record that could not be used; reading goes on after it.
    Skipped,
    /// The file ends inside a record: everything after is lost.
    Truncated,
    End,
}

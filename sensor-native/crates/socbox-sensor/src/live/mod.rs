//! Live capture on a network interface: an AF_PACKET socket with a
//! TPACKET_V3 ring (the kernel fills blocks of packets in shared memory, no
//! copy and no system call per packet), an optional BPF filter compiled by
//! libpcap loaded at run time, and the kernel's drop counters.
//!
//! libpcap is not linked: `npm install` builds on machines without
//! libpcap-dev, and only a filter needs the library (`libpcap.so.0.8`/`.1`),
//! loaded when one is given, with a clear error when it is missing.

mod bpf;
mod error;
mod ring;
mod source;

pub use bpf::compile_filter;
pub use error::LiveError;
pub use ring::RingStats;
pub use source::{LiveOptions, LiveSource, LiveStats};

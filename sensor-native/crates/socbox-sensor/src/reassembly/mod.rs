//! Putting split data back together: IP fragments into datagrams, TCP
//! segments into byte streams. Both are bounded: memory caps and timeouts
//! make them give up rather than grow.

mod fragments;
mod tcp_stream;

pub use fragments::{FragmentLimits, FragmentStats, Fragments};
pub use tcp_stream::{StreamChunk, TcpStream};

//! Putting split data back together: IP fragments into datagrams, TCP
//! segments into byte streams. Both are bounded: memory caps and timeouts
//! make them give up rather than grow.

mod fragments;

pub use fragments::{FragmentLimits, FragmentStats, Fragments};

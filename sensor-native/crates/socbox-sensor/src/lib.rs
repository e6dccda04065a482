//! socbox sensor core: turns capture files into the events of `dsl/schema/README.md`.
//!
//! The layers, each in its own module, go from bytes to events:
//! `capture` (pcap/pcapng records) → `decode` (link, IP, transport) → protocol
//! parsers (`dns`) → `pipeline` (joins, timeouts, intel matching) → `encode`
//! (NDJSON lines and wire batch v2). `source` ties them to one file.
//!
//! This crate has no napi dependency: the binding crate `socbox-node` is a
//! thin shell over [`source::EventSource`], so everything here is testable
//! with plain `cargo test`.
#![deny(unsafe_code)]

pub mod app;
pub mod boundary;
pub mod capture;
pub mod content;
pub mod decode;
pub mod dns;
pub mod encode;
pub mod ended_flows;
pub mod event;
pub mod file;
pub mod flow;
mod hex_text;
pub mod intel;
pub mod live;
pub mod md5;
pub mod net;
pub mod outbox;
pub mod pipeline;
pub mod plan_load;
pub mod reassembly;
pub mod resume_marks;
pub mod sharded;
pub mod source;
pub mod stats;

#[cfg(test)]
mod plan_robustness_tests;
#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
pub(crate) mod test_data;

//! `socbox events FILE` on every core: the file's packets are shared out to
//! pipelines on their own threads by the pair of addresses they are between
//! (see [`pick`]), and their events written in an order fixed by the capture
//! alone. The live agent and resumable [`crate::source::EventSource`] keep
//! the single pipeline.

pub mod pick;
mod progress;
mod run;
mod shard;
#[cfg(test)]
mod tests;
mod walk;
mod writer;

pub use run::{RunError, ShardedRun};

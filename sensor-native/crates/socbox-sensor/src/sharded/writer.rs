//! The writer of a run: round k of shard 0, 1, …, then round k+1. Each
//! shard's part of a round depends only on the capture, so the bytes written
//! do not depend on the threads' timing.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender};

use super::shard::{Chunk, Ends};

/// Why writing stopped before the end.
#[derive(Debug)]
pub(super) enum Stopped {
    Write(io::Error),
    /// A shard ended without its last chunk: it panicked, or the run was
    /// dropped.
    ShardGone(usize),
    /// The writer panicked (a bug).
    Panicked(String),
}

/// Writes every shard's chunks in round order until all sent their last.
/// Emptied buffers go back to their shard to be filled again.
pub(super) fn write_rounds(
    from: &[Receiver<Chunk>],
    give_back: &[SyncSender<Vec<u8>>],
    w: &mut impl Write,
) -> Result<(), Stopped> {
    let mut done = vec![false; from.len()];
    while done.iter().any(|d| !d) {
        for (shard, rx) in from.iter().enumerate() {
            while !done[shard] {
                let Ok(chunk) = rx.recv() else {
                    return Err(Stopped::ShardGone(shard));
                };
                w.write_all(&chunk.lines).map_err(Stopped::Write)?;
                let _ = give_back[shard].try_send(chunk.lines);
                match chunk.ends {
                    Ends::Nothing => {}
                    Ends::Round => break,
                    Ends::Run => done[shard] = true,
                }
            }
        }
    }
    w.flush().map_err(Stopped::Write)
}

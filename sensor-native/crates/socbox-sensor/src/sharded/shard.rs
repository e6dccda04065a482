//! One shard of a run: a whole pipeline over the packets whose address pair
//! hashes to it. Every shard walks every record of the mapped file (a walk is
//! a small part of decoding), so no thread hands packets out and nothing is
//! copied; a shard skips the packets of the others but keeps their times, so
//! its flows time out at the same capture times as in one pipeline that took
//! every packet.

use std::collections::VecDeque;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;

use super::pick::shard_of;
use super::progress::Progress;
use crate::capture::{CaptureFile, PacketReader, Record, SharedBytes};
use crate::encode::write_ndjson_line;
use crate::event::Event;
use crate::flow::ahead::DEPTH;
use crate::flow::FlowAhead;
use crate::pipeline::Pipeline;

/// Where a shard's part of a round ends, as the writer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ends {
    /// More of this round follows (the end of input, flows ended in steps).
    Nothing,
    Round,
    /// The shard's last chunk.
    Run,
}

/// NDJSON lines of one shard for (part of) one round.
#[derive(Debug)]
pub(super) struct Chunk {
    pub lines: Vec<u8>,
    pub ends: Ends,
}

/// How records are cut into rounds. All shards cut at the same records, so
/// the writer, taking round k of shard 0, 1, … in turn, writes the same
/// bytes whatever the threads' timing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rounds {
    pub records: usize,
    pub bytes: usize,
    /// Flows ended per chunk at the end of input.
    pub finish_flows: usize,
}

impl Default for Rounds {
    fn default() -> Self {
        Self {
            records: 4096,
            bytes: 1 << 20,
            finish_flows: 1024,
        }
    }
}

pub(super) struct Shard {
    pub index: usize,
    pub shards: usize,
    pub rounds: Rounds,
    pub data: SharedBytes,
    pub reader: PacketReader,
    /// Shard 0 owns the file: it moves the read window (the others stay
    /// within a few rounds of it) and counts unusable records once.
    pub capture: Option<CaptureFile>,
    pub pipeline: Pipeline,
    pub to_writer: SyncSender<Chunk>,
    /// Emptied buffers back from the writer.
    pub spare: Receiver<Vec<u8>>,
    pub progress: Arc<Progress>,
}

impl Shard {
    /// Runs to the end of input, or until the writer is gone (it failed,
    /// or the run was dropped).
    pub fn run(mut self) {
        let mut queue = VecDeque::new();
        // Latest time among the other shards' packets since this shard's
        // last one: what the single pipeline would have expired at.
        let mut clock = i64::MIN;
        loop {
            let start = self.reader.offset();
            let mut records = 0;
            // A second cursor DEPTH records ahead, once the table is big
            // enough for it to pay: the flows of this shard's packets there
            // are asked for before their turn.
            let mut peek = self.pipeline.looks_ahead().then(|| self.reader.clone());
            let mut ahead = FlowAhead::default();
            for _ in 1..DEPTH {
                self.look_ahead(&mut peek, &mut ahead);
            }
            let at_end = loop {
                if let Some(capture) = &mut self.capture {
                    capture.reading_at(self.reader.offset());
                }
                self.look_ahead(&mut peek, &mut ahead);
                match self.reader.next(&self.data) {
                    Record::Packet(p) => {
                        if shard_of(&p, self.shards) == self.index {
                            if clock > p.ts_us {
                                self.pipeline.clock_to(clock, &mut queue);
                            }
                            clock = i64::MIN;
                            self.pipeline.on_packet(&p, &mut queue);
                        } else {
                            clock = clock.max(p.ts_us);
                        }
                    }
                    Record::Skipped | Record::Truncated => {
                        if self.index == 0 {
                            self.pipeline.count_malformed_record();
                        }
                    }
                    Record::End => break true,
                }
                records += 1;
                if records >= self.rounds.records
                    || self.reader.offset() - start >= self.rounds.bytes
                {
                    break false;
                }
            };
            // The round's clock reaches every shard, so flows of a quiet
            // shard end with the round they time out in, not at its next
            // packet.
            if clock != i64::MIN {
                self.pipeline.clock_to(clock, &mut queue);
                clock = i64::MIN;
            }
            if !at_end {
                if !self.send(&mut queue, Ends::Round) {
                    return;
                }
                continue;
            }
            loop {
                let done = self
                    .pipeline
                    .finish_some(&mut queue, self.rounds.finish_flows);
                let ends = if done { Ends::Run } else { Ends::Nothing };
                if !self.send(&mut queue, ends) || done {
                    return;
                }
            }
        }
    }

    /// Moves `peek` one record on and hands its packet, if this shard's,
    /// to the pipeline's look-ahead.
    fn look_ahead(&self, peek: &mut Option<PacketReader>, ahead: &mut FlowAhead) {
        let Some(peek) = peek else {
            return;
        };
        match peek.next(&self.data) {
            Record::Packet(p) if shard_of(&p, self.shards) == self.index => {
                self.pipeline.look_ahead(ahead, Some(&p));
            }
            _ => self.pipeline.look_ahead(ahead, None),
        }
    }

    /// Encodes and sends the queued events; false when the writer is gone.
    fn send(&mut self, queue: &mut VecDeque<Event>, ends: Ends) -> bool {
        let mut lines = self.spare.try_recv().unwrap_or_default();
        lines.clear();
        for e in queue.drain(..) {
            write_ndjson_line(&mut lines, &e);
        }
        let slot = &self.progress.slots[self.index];
        let c = self.pipeline.counters();
        slot.packets.store(c.packets, Relaxed);
        slot.bytes.store(c.bytes, Relaxed);
        slot.malformed.store(c.malformed, Relaxed);
        slot.events.store(c.events, Relaxed);
        slot.app_dropped.store(c.app_dropped, Relaxed);
        slot.encrypted.store(c.encrypted, Relaxed);
        slot.offset.store(self.reader.offset() as u64, Relaxed);
        if let Some(link) = self.reader.link_type() {
            self.progress.set_link_type(link);
        }
        !self.progress.stopping() && self.to_writer.send(Chunk { lines, ends }).is_ok()
    }
}

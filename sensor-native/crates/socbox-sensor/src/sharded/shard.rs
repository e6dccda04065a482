//! One shard of a run: a whole pipeline over the packets whose address pair
//! hashes to it. Every shard goes through every record of the mapped file,
//! walked once for all (see [`super::walk`]), so no thread hands packets out
//! and nothing is copied; a shard skips the packets of the others but keeps their times, so
//! its flows time out at the same capture times as in one pipeline that took
//! every packet.

use std::collections::VecDeque;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;

use super::progress::Progress;
use super::walk::{Item, Walks};
use crate::capture::{CaptureFile, PacketReader, SharedBytes};
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
    pub rounds: Rounds,
    pub data: SharedBytes,
    /// At the start of the next round.
    pub reader: PacketReader,
    pub walks: Arc<Walks>,
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
        let data = self.data.clone();
        for k in 0.. {
            if let Some(capture) = &mut self.capture {
                capture.reading_at(self.reader.offset());
            }
            let round = self.walks.take(k, &self.reader, &data);
            let mine = |i: usize| {
                let item = round.items.get(i)?;
                item.packet_of(self.index, &data)
            };
            // The flows of this shard's packets DEPTH records ahead are
            // asked for before their turn, once the table is big enough
            // for it to pay.
            let looks_ahead = self.pipeline.looks_ahead();
            let mut ahead = FlowAhead::default();
            if looks_ahead {
                for i in 0..DEPTH - 1 {
                    self.pipeline.look_ahead(&mut ahead, mine(i).as_ref());
                }
            }
            for (i, item) in round.items.iter().enumerate() {
                if looks_ahead {
                    self.pipeline
                        .look_ahead(&mut ahead, mine(i + DEPTH - 1).as_ref());
                }
                if let Some(p) = item.packet_of(self.index, &data) {
                    if clock > p.ts_us {
                        self.pipeline.clock_to(clock, &mut queue);
                    }
                    clock = i64::MIN;
                    self.pipeline.on_packet(&p, &mut queue);
                } else if let Item::Packet { ts_us, .. } = *item {
                    clock = clock.max(ts_us);
                } else if self.index == 0 {
                    self.pipeline.count_malformed_record();
                }
            }
            self.reader = round.reader.clone();
            // The round's clock reaches every shard, so flows of a quiet
            // shard end with the round they time out in, not at its next
            // packet.
            if clock != i64::MIN {
                self.pipeline.clock_to(clock, &mut queue);
                clock = i64::MIN;
            }
            if !round.at_end {
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

    /// Encodes and sends the queued events; false when the writer is gone.
    fn send(&mut self, queue: &mut VecDeque<Event>, ends: Ends) -> bool {
        let mut lines = self.spare.try_recv().unwrap_or_default();
        lines.clear();
        // Encoded where they lie, then dropped together: drained, each
        // event was first moved out of the queue (a memcpy call per event,
        // 0.25% of a sharded run's samples).
        for e in queue.iter() {
            write_ndjson_line(&mut lines, e);
        }
        queue.clear();
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

//! Events on their way out of a source, and which of them went out.
//!
//! Every queued event remembers the packet (by byte offset) whose arrival
//! produced it. That gives an exact restart point: all events of the packets
//! before `emit_offset` went out, plus the first `emit_skip` of the packet at
//! it. A restarted source re-reads the packets before that point only to
//! rebuild the flows and queries that were open, and discards their events
//! here (they went out before), so nothing is lost and nothing comes twice.
//! Flows torn by the re-read (see [`EndedFlows`]) are named by the run
//! before; what their tails produce is suppressed.

use std::collections::{HashMap, VecDeque};

use crate::event::{Body, Event};
use crate::resume_marks::EndedFlows;

#[derive(Debug, Default)]
pub struct Outbox {
    queue: VecDeque<Event>,
    /// (offset of the packet that produced them, how many still queued), in
    /// queue order.
    triggers: VecDeque<(u64, usize)>,
    /// Of the first trigger: events already handed out, and their oldest
    /// time (µs). A restart must rebuild their flows too, so the packet's
    /// events come out in the same order and the right ones are skipped.
    front_handed: usize,
    front_oldest_us: Option<i64>,
    /// Flows whose `conn` event was produced.
    ended: EndedFlows,
    /// Community id → last packet time (µs) of flows the re-read tears.
    torn: HashMap<String, i64>,
    /// Events of packets before `emit_from`, and the first `emit_skip` of
    /// the packet at it, went out in the run before.
    emit_from: u64,
    emit_skip: usize,
    scratch: VecDeque<Event>,
    discarded: u64,
}

impl Outbox {
    /// An outbox that starts emitting at `emit_from` (after `emit_skip` of
    /// the events there), suppressing the tails of `torn` flows that began
    /// before `torn_before` (µs).
    pub fn new(emit_from: u64, emit_skip: u64, torn: &[(String, i64)], torn_before: i64) -> Self {
        let mut ended = EndedFlows::default();
        for (flow, last) in torn {
            // Still torn at any later resume time up to its end.
            ended.ended(flow, torn_before.saturating_sub(1), *last);
        }
        Self {
            emit_from,
            emit_skip: usize::try_from(emit_skip).unwrap_or(usize::MAX),
            ended,
            torn: torn.iter().cloned().collect(),
            ..Self::default()
        }
    }

    /// Whether the packet at `at` produces events that go out (rather than
    /// only rebuilding state).
    pub fn emits_at(&self, at: u64) -> bool {
        at >= self.emit_from
    }

    /// Runs `produce` for the packet (or end of input) at byte `at` and
    /// queues what it adds, less what the run before already handed out.
    pub fn produce(&mut self, at: u64, produce: impl FnOnce(&mut VecDeque<Event>)) {
        // The end of input may produce at the same offset several times:
        // what is left of `emit_skip` carries over to the next call.
        let skip = match at.cmp(&self.emit_from) {
            std::cmp::Ordering::Less => usize::MAX,
            std::cmp::Ordering::Equal => self.emit_skip,
            std::cmp::Ordering::Greater => 0,
        };
        if skip == 0 && self.torn.is_empty() {
            // Nothing to discard (all but restarts): the events go straight
            // into the queue, without a move through `scratch` each.
            let before = self.queue.len();
            produce(&mut self.queue);
            for e in self.queue.range(before..) {
                note_ended(&mut self.ended, e);
            }
            let queued = self.queue.len() - before;
            self.count_trigger(at, queued);
            return;
        }
        produce(&mut self.scratch);
        let mut queued = 0;
        let mut i = 0;
        for e in self.scratch.drain(..) {
            note_ended(&mut self.ended, &e);
            // The torn copy of a flow the run before reported whole.
            if matches!(self.torn.get(e.flow.as_str()), Some(&last) if e.ts.saturating_mul(1000) <= last)
            {
                self.discarded += 1;
                continue;
            }
            i += 1;
            if i <= skip {
                self.discarded += 1;
            } else {
                self.queue.push_back(e);
                queued += 1;
            }
        }
        if at == self.emit_from {
            self.emit_skip = skip.saturating_sub(i);
        }
        self.count_trigger(at, queued);
    }

    fn count_trigger(&mut self, at: u64, queued: usize) {
        if queued > 0 {
            match self.triggers.back_mut() {
                // Events of one offset are one trigger, however many calls.
                Some(last) if last.0 == at => last.1 += queued,
                _ => self.triggers.push_back((at, queued)),
            }
        }
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Moves up to `max` queued events into `out` (emptied first), so a
    /// caller that hands out batch after batch reuses one vector.
    pub fn take_into(&mut self, max: usize, out: &mut Vec<Event>) {
        out.clear();
        let n = self.queue.len().min(max);
        if n >= self.queue.len() - n && out.capacity() >= n {
            // The batch is most of the queue (the usual case) and `out`
            // has room for one: the queue's buffer becomes the batch and
            // `out`'s the queue, so only the events after the batch move,
            // not the whole batch each time. (A queue handed over starts
            // at its buffer's start: handing it out moves nothing.)
            let mut rest = std::mem::take(out);
            rest.extend(self.queue.drain(n..));
            *out = Vec::from(std::mem::replace(&mut self.queue, VecDeque::from(rest)));
        } else {
            out.extend(self.queue.drain(..n));
        }
        let mut left = n;
        while left > 0 {
            let Some(front) = self.triggers.front_mut() else {
                break;
            };
            let take = front.1.min(left);
            left -= take;
            front.1 -= take;
            if front.1 == 0 {
                self.triggers.pop_front();
                self.front_handed = 0;
                self.front_oldest_us = None;
            } else {
                self.front_handed += take;
                let oldest = out[n - take..].iter().map(|e| e.ts.saturating_mul(1000));
                self.front_oldest_us = oldest.chain(self.front_oldest_us).min();
            }
        }
    }

    /// Time (µs) of the oldest event queued or of a packet partly handed
    /// out: a restart must rebuild from there.
    pub fn oldest_us(&self) -> Option<i64> {
        let queued = self.queue.iter().map(|e| e.ts.saturating_mul(1000));
        queued.chain(self.front_oldest_us).min()
    }

    /// Where a restart begins to emit; `next_unread` is the offset of the
    /// next record not read yet.
    pub fn emit_offset(&self, next_unread: u64) -> u64 {
        match self.triggers.front() {
            Some(&(at, _)) => at,
            None => next_unread.max(self.emit_from),
        }
    }

    /// Events of the packet at [`Self::emit_offset`] already handed out.
    pub fn emit_skip(&self) -> u64 {
        if self.triggers.is_empty() {
            0
        } else {
            self.front_handed as u64
        }
    }

    /// Events produced again while rebuilding, and not handed out.
    pub fn discarded(&self) -> u64 {
        self.discarded
    }

    pub fn ended(&mut self) -> &mut EndedFlows {
        &mut self.ended
    }
}

/// Notes the flow of a `conn` event as ended.
fn note_ended(ended: &mut EndedFlows, e: &Event) {
    if let Body::Conn(c) = &e.body {
        // Widened to whole milliseconds on both sides (events carry ms).
        let first = e.ts.saturating_mul(1000);
        let last = e.ts.saturating_add(c.duration).saturating_add(2);
        ended.ended(&e.flow, first, last.saturating_mul(1000));
    }
}

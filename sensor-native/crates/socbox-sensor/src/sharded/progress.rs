//! Counters of a run's shards, read by `stats()` while they run: each shard
//! stores its own after every round, the reader sums them.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::capture::LinkType;
use crate::stats::Counters;

#[derive(Debug, Default)]
pub(super) struct Slot {
    pub packets: AtomicU64,
    pub bytes: AtomicU64,
    pub malformed: AtomicU64,
    pub events: AtomicU64,
    pub app_dropped: AtomicU64,
    pub encrypted: AtomicU64,
    /// Byte offset of the next record the shard reads.
    pub offset: AtomicU64,
}

#[derive(Debug, Default)]
pub(super) struct Progress {
    pub slots: Vec<Slot>,
    /// 0 until known, else 1 << 16 | the link type.
    link_type: AtomicU32,
    /// The run was dropped before its end: shards stop at their next round.
    stop: AtomicBool,
    /// The writer is done (the end, an error, or a shard gone).
    finished: Mutex<bool>,
    finished_changed: Condvar,
}

impl Progress {
    pub fn new(shards: usize, start: u64) -> Self {
        Self {
            slots: (0..shards)
                .map(|_| Slot {
                    offset: AtomicU64::new(start),
                    ..Slot::default()
                })
                .collect(),
            ..Self::default()
        }
    }

    pub fn counters(&self) -> Counters {
        let sum = |f: fn(&Slot) -> &AtomicU64| self.slots.iter().map(|s| f(s).load(Relaxed)).sum();
        Counters {
            packets: sum(|s| &s.packets),
            bytes: sum(|s| &s.bytes),
            malformed: sum(|s| &s.malformed),
            events: sum(|s| &s.events),
            app_dropped: sum(|s| &s.app_dropped),
            encrypted: sum(|s| &s.encrypted),
        }
    }

    /// Where the slowest shard reads: everything before is decoded.
    pub fn offset(&self) -> u64 {
        let offsets = self.slots.iter().map(|s| s.offset.load(Relaxed));
        offsets.min().unwrap_or(0)
    }

    pub fn set_link_type(&self, link: LinkType) {
        self.link_type.store(1 << 16 | u32::from(link.0), Relaxed);
    }

    pub fn link_type(&self) -> Option<LinkType> {
        let v = self.link_type.load(Relaxed);
        (v != 0).then_some(LinkType(v as u16))
    }

    pub fn stop(&self) {
        self.stop.store(true, Relaxed);
    }

    pub fn stopping(&self) -> bool {
        self.stop.load(Relaxed)
    }

    pub fn set_finished(&self) {
        let mut finished = self.finished.lock().unwrap_or_else(|p| p.into_inner());
        *finished = true;
        self.finished_changed.notify_all();
    }

    /// Waits up to `timeout` for the writer to be done; whether it is.
    pub fn wait_finished(&self, timeout: Duration) -> bool {
        let finished = self.finished.lock().unwrap_or_else(|p| p.into_inner());
        let (finished, _) = self
            .finished_changed
            .wait_timeout_while(finished, timeout, |done| !*done)
            .unwrap_or_else(|p| p.into_inner());
        *finished
    }
}

//! Where a capture can be read again after a restart without losing events.
//!
//! Events of a packet may come out long after it was read: an open flow is
//! reported when it ends, a DNS query when its response comes. A restart at
//! the read offset would lose them, so the safe place is the offset of the
//! oldest packet whose events are not all out yet. The pipeline knows the
//! capture *time* of that packet (a flow's first packet, a query); these
//! marks turn a time into an offset: the first packet with a time at least
//! that high comes no later than the packet itself.
//!
//! Only packets that raise the highest time seen are marked: the first packet
//! reaching a time is always one of them. Marks before the answer are
//! dropped, and past [`MAX_MARKS`] every other mark is dropped; from then on
//! the mark *before* the first one at the time is used, which stays on the
//! safe (earlier) side.

use std::collections::VecDeque;

/// About 16 MiB of marks at most.
const MAX_MARKS: usize = 1 << 20;

#[derive(Debug, Clone)]
pub struct ResumeMarks {
    /// (capture time µs, byte offset of the packet), both increasing.
    marks: VecDeque<(i64, u64)>,
    max_ts: i64,
    /// The last answer; answers never go back (a time that jumps backwards
    /// in the capture could otherwise pull them before a saved position).
    floor: u64,
    /// Capture time that goes with `floor`: packets of the re-read stretch
    /// older than it belong to flows whose events are all out.
    floor_ts: i64,
    thinned: bool,
}

impl ResumeMarks {
    /// Marks for reading that starts at byte `start`.
    pub fn new(start: u64) -> Self {
        Self {
            marks: VecDeque::new(),
            max_ts: i64::MIN,
            floor: start,
            floor_ts: i64::MIN,
            thinned: false,
        }
    }

    /// A packet at byte `offset` with capture time `ts_us` was read.
    pub fn packet(&mut self, ts_us: i64, offset: u64) {
        if ts_us <= self.max_ts {
            return;
        }
        self.max_ts = ts_us;
        if self.marks.len() == MAX_MARKS {
            // Room for the one over the limit, once: the buffer never
            // doubles past it (16 MiB more, faulted in afresh).
            self.marks.reserve_exact(1);
        }
        self.marks.push_back((ts_us, offset));
        if self.marks.len() > MAX_MARKS {
            // Every other mark (the first, third, …) stays, in place: a
            // copy into a new buffer each time faulted in megabytes of
            // fresh pages, over and over with many flows open.
            let mut keep = false;
            self.marks.retain(|_| {
                keep = !keep;
                keep
            });
            self.thinned = true;
        }
    }

    /// The offset to resume at, given the capture time of the oldest packet
    /// whose events are still pending (None: nothing pending) and the offset
    /// of the next unread record.
    pub fn resume_offset(&mut self, oldest_pending_us: Option<i64>, next: u64) -> u64 {
        let Some(oldest) = oldest_pending_us else {
            self.marks.clear();
            self.floor = self.floor.max(next);
            self.floor_ts = self.floor_ts.max(whole_ms(self.max_ts));
            return self.floor;
        };
        self.floor_ts = self.floor_ts.max(oldest);
        let first_at = self.marks.partition_point(|&(ts, _)| ts < oldest);
        let chosen = if self.thinned {
            first_at.checked_sub(1)
        } else {
            (first_at < self.marks.len()).then_some(first_at)
        };
        if let Some(i) = chosen {
            self.floor = self.floor.max(self.marks[i].1);
            self.marks.drain(..i);
        }
        self.floor
    }

    /// The capture time that goes with the last answer of
    /// [`Self::resume_offset`] (`i64::MIN` before any packet).
    pub fn floor_time(&self) -> i64 {
        self.floor_ts
    }

    /// Starts again at a saved time as well as a saved offset.
    pub fn with_time(mut self, ts_us: i64) -> Self {
        self.floor_ts = ts_us;
        self
    }
}

/// `t` (µs) rounded down to a whole millisecond. Resume times are whole
/// milliseconds because events carry milliseconds: whether a flow began
/// before a resume time is then exact from its event.
pub fn whole_ms(t: i64) -> i64 {
    if t == i64::MIN {
        t
    } else {
        t.div_euclid(1000) * 1000
    }
}

pub use crate::ended_flows::EndedFlows;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_pending_resumes_at_the_next_record() {
        let mut m = ResumeMarks::new(24);
        m.packet(10, 24);
        m.packet(20, 100);
        assert_eq!(m.resume_offset(None, 180), 180);
    }

    #[test]
    fn pending_state_resumes_at_its_first_packet() {
        let mut m = ResumeMarks::new(24);
        for (ts, at) in [(10, 24), (20, 100), (30, 180), (40, 260)] {
            m.packet(ts, at);
        }
        assert_eq!(m.resume_offset(Some(20), 340), 100);
        // A time between packets: the first packet at or after it.
        assert_eq!(m.resume_offset(Some(25), 340), 180);
        // Answers never go back, even for an older time reported later.
        assert_eq!(m.resume_offset(Some(10), 340), 180);
    }

    #[test]
    fn only_packets_raising_the_time_are_marks() {
        let mut m = ResumeMarks::new(0);
        m.packet(50, 10);
        m.packet(40, 20); // time went back: the first packet at >= 40 is at 10
        m.packet(60, 30);
        assert_eq!(m.resume_offset(Some(40), 40), 10);
    }

    #[test]
    fn thinned_marks_stay_on_the_early_side() {
        let mut m = ResumeMarks::new(0);
        let n = MAX_MARKS as i64 + 1;
        for i in 0..n {
            m.packet(i * 10, (i * 100) as u64);
        }
        assert!(m.thinned && m.marks.len() <= MAX_MARKS);
        // Thinned in place: the buffer did not grow past the limit.
        assert!(
            m.marks.capacity() <= MAX_MARKS + 1,
            "{}",
            m.marks.capacity()
        );
        // The first, third, … marks stayed.
        assert_eq!(m.marks[1], (20, 200));
        // The packet with time 10_001 * 10 is at 10_001 * 100; the answer may
        // be earlier, never later.
        let at = m.resume_offset(Some(10_001 * 10), (n * 100) as u64);
        assert!((9_990 * 100..=10_001 * 100).contains(&at), "{at}");
    }
}

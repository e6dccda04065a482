//! Flows whose events are all out, kept while a restart could tear them.
//!
//! A restart re-reads from a resume time `t` to rebuild the flows open at
//! the stop, discarding the events of that stretch (they went out before).
//! A flow that ended before the stop but began before `t` and had packets
//! after it would come back as a torn copy made of its tail; when that copy
//! ends after the stop, its events would be new and wrong. [`EndedFlows::torn`]
//! names those flows (community id, last packet time), so the restarted
//! source suppresses what their tails produce. Flows ending before the
//! saved resume time can never be torn again and are pruned.
//!
//! One flow ends per `conn` event, so this is on the per-packet path of
//! short flows. Flows end in order of their deadline, which is their last
//! packet plus a timeout of their kind (closed TCP, UDP, established TCP…):
//! their last-packet times form a few ascending runs interleaved. They are
//! kept as such runs (a new entry goes to the back of the run it extends),
//! so adding one and forgetting the earliest are a look at a few ends, with
//! no allocation per flow (the flow id is stored inline).

use std::collections::VecDeque;

/// Past this many the earliest ending are forgotten: about 20 MiB.
const MAX_ENDED: usize = 1 << 18;

/// Ascending runs kept at most; an entry older than the end of every run
/// is then put in place in one of them.
const MAX_RUNS: usize = 8;

/// A run's spare capacity is given back past this many entries.
const KEEP_CAPACITY: usize = 4096;

/// A flow id, inline when short (community ids v1 are 30 bytes).
#[derive(Debug, Clone)]
enum FlowName {
    Short { len: u8, bytes: [u8; 30] },
    Long(Box<str>),
}

impl FlowName {
    fn new(s: &str) -> Self {
        let mut bytes = [0u8; 30];
        match bytes.get_mut(..s.len()) {
            Some(head) => {
                head.copy_from_slice(s.as_bytes());
                Self::Short {
                    len: s.len() as u8,
                    bytes,
                }
            }
            None => Self::Long(s.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Whole UTF-8 text copied in `new`: never the fallback.
            Self::Short { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or("")
            }
            Self::Long(s) => s,
        }
    }
}

#[derive(Debug, Clone)]
struct Ended {
    /// Last packet (µs) and order of arrival: the sort key.
    last: i64,
    seq: u64,
    first: i64,
    flow: FlowName,
}

impl Ended {
    fn key(&self) -> (i64, u64) {
        (self.last, self.seq)
    }
}

#[derive(Debug, Clone)]
pub struct EndedFlows {
    /// Each ascending by (last µs, sequence); none empty.
    runs: Vec<VecDeque<Ended>>,
    /// Emptied runs, kept for their buffers.
    spare: Vec<VecDeque<Ended>>,
    len: usize,
    max: usize,
    seq: u64,
    /// Flows forgotten for space (a restart may then bring a torn copy).
    pub forgotten: u64,
    cache: Option<(i64, Vec<(String, i64)>)>,
}

impl Default for EndedFlows {
    fn default() -> Self {
        Self::with_max(MAX_ENDED)
    }
}

impl EndedFlows {
    fn with_max(max: usize) -> Self {
        Self {
            runs: Vec::new(),
            spare: Vec::new(),
            len: 0,
            max,
            seq: 0,
            forgotten: 0,
            cache: None,
        }
    }

    /// Flow `flow` had packets from `first` to `last` (µs) and has ended.
    pub fn ended(&mut self, flow: &str, first: i64, last: i64) {
        if last <= first {
            return;
        }
        self.seq += 1;
        let e = Ended {
            last,
            seq: self.seq,
            first,
            flow: FlowName::new(flow),
        };
        // The run whose end is latest at or before `last` (its sequence
        // is lower: the entry is in order at its back).
        let fits = self
            .runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.back().map(|b| (b.last, i)))
            .filter(|&(end, _)| end <= last)
            .max();
        match fits {
            Some((_, i)) => self.runs[i].push_back(e),
            None if self.runs.len() < MAX_RUNS => {
                let mut run = self.spare.pop().unwrap_or_default();
                run.push_back(e);
                self.runs.push(run);
            }
            None => {
                // Older than every run's end: in place in the run where
                // the fewest entries move.
                let (i, at) = self
                    .runs
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (i, r.partition_point(|x| x.last <= last)))
                    .min_by_key(|&(i, at)| self.runs[i].len() - at)
                    .unwrap_or((0, 0));
                self.runs[i].insert(at, e);
            }
        }
        self.len += 1;
        if matches!(&self.cache, Some((t, _)) if first < *t && *t <= last) {
            self.cache = None;
        }
        if self.len > self.max {
            self.pop_first();
            self.forgotten += 1;
        }
    }

    /// The run holding the entry that ends first.
    fn first_run(&self) -> Option<usize> {
        self.runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.front().map(|f| (f.key(), i)))
            .min()
            .map(|(_, i)| i)
    }

    fn pop_first(&mut self) {
        if let Some(i) = self.first_run() {
            self.pop_from(i);
        }
    }

    /// Forgets the first entry of run `i`.
    fn pop_from(&mut self, i: usize) {
        if self.runs[i].pop_front().is_some() {
            self.len -= 1;
        }
        if self.runs[i].is_empty() {
            let run = self.runs.swap_remove(i);
            if run.capacity() <= KEEP_CAPACITY {
                self.spare.push(run);
            }
        }
    }

    /// Forgets flows that end before `t` (resume times never go back).
    pub fn prune_before(&mut self, t: i64) {
        while let Some(i) = self.first_run() {
            if self.runs[i].front().is_some_and(|f| f.last >= t) {
                break;
            }
            self.pop_from(i);
        }
        // Runs do not keep much more room than they hold.
        for r in &mut self.runs {
            if r.capacity() > KEEP_CAPACITY && r.len() * 2 < r.capacity() {
                r.shrink_to(r.len() + r.len() / 2);
            }
        }
    }

    /// The flows a restart at `t` would tear: began before it, ended at
    /// or after it. Each community id once, with its latest end.
    pub fn torn(&mut self, t: i64) -> &[(String, i64)] {
        if !matches!(&self.cache, Some((at, _)) if *at == t) {
            let mut out: Vec<(String, i64)> = self
                .runs
                .iter()
                .flatten()
                .filter(|e| e.last >= t && e.first < t)
                .map(|e| (e.flow.as_str().to_owned(), e.last))
                .collect();
            latest_per_flow(&mut out);
            self.cache = Some((t, out));
        }
        self.cache.as_ref().map_or(&[], |(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Sorts `(flow, end)` pairs by flow and keeps each flow once, with its
/// latest end.
fn latest_per_flow(out: &mut Vec<(String, i64)>) {
    out.sort();
    out.dedup_by(|b, a| {
        let same = a.0 == b.0;
        if same {
            a.1 = a.1.max(b.1);
        }
        same
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn flows_across_the_resume_time_are_torn() {
        let mut e = EndedFlows::default();
        e.ended("a", 100, 200);
        e.ended("b", 150, 300);
        e.ended("c", 250, 260);
        e.ended("a", 210, 220); // the same 5-tuple again later
        assert_eq!(e.torn(160), [("a".to_owned(), 200), ("b".to_owned(), 300)]);
        assert_eq!(e.torn(100), [], "a flow is not torn at its own start");
        assert_eq!(e.torn(255), [("b".to_owned(), 300), ("c".to_owned(), 260)]);
        e.ended("d", 240, 400); // invalidates the cached answer for 255
        assert_eq!(e.torn(255).len(), 3);
        e.prune_before(261);
        assert_eq!(e.len(), 2);
        assert_eq!(e.torn(350), [("d".to_owned(), 400)]);
    }

    #[test]
    fn long_flow_ids_are_kept_whole() {
        let mut e = EndedFlows::default();
        let long = "x".repeat(40);
        e.ended(&long, 1, 5);
        e.ended("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", 2, 6);
        assert_eq!(
            e.torn(3),
            [("1:LQU9qZlK+B5F3KDmev6m5PMibrg=".to_owned(), 6), (long, 5)]
        );
    }

    /// The straightforward model: a map ordered by (last, sequence), and
    /// the same cached answer (kept when a flow is forgotten).
    #[derive(Default)]
    struct Model {
        flows: BTreeMap<(i64, u64), (i64, String)>,
        seq: u64,
        forgotten: u64,
        cache: Option<(i64, Vec<(String, i64)>)>,
    }

    impl Model {
        fn ended(&mut self, flow: &str, first: i64, last: i64, max: usize) {
            if last <= first {
                return;
            }
            self.seq += 1;
            self.flows
                .insert((last, self.seq), (first, flow.to_owned()));
            if matches!(&self.cache, Some((t, _)) if first < *t && *t <= last) {
                self.cache = None;
            }
            if self.flows.len() > max {
                self.flows.pop_first();
                self.forgotten += 1;
            }
        }

        fn prune_before(&mut self, t: i64) {
            self.flows.retain(|&(last, _), _| last >= t);
        }

        fn torn(&mut self, t: i64) -> Vec<(String, i64)> {
            if let Some((at, v)) = &self.cache {
                if *at == t {
                    return v.clone();
                }
            }
            let mut out: Vec<(String, i64)> = self
                .flows
                .range((t, 0)..)
                .filter(|(_, (first, _))| *first < t)
                .map(|(&(last, _), (_, flow))| (flow.clone(), last))
                .collect();
            latest_per_flow(&mut out);
            self.cache = Some((t, out.clone()));
            out
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// (flow, first, last as an offset back from the latest time).
        Ended(u8, i64, i64),
        Prune(i64),
        Torn(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (0u8..12, 0i64..40, 0i64..300).prop_map(|(f, d, back)| Op::Ended(f, d, back)),
            1 => (0i64..400).prop_map(Op::Prune),
            1 => (0i64..400).prop_map(Op::Torn),
        ]
    }

    proptest! {
        /// Any mix of flows ending out of order (many runs, entries older
        /// than every run), overflow, pruning and queries answers exactly
        /// like the ordered map. Resume times never go back (as in a
        /// source): pruning and queries are at or after the last prune.
        #[test]
        fn behaves_like_an_ordered_map(ops in prop::collection::vec(op(), 1..300), max in 1usize..40) {
            let mut e = EndedFlows::with_max(max);
            let mut m = Model::default();
            let (mut now, mut floor) = (0i64, i64::MIN);
            for op in ops {
                match op {
                    Op::Ended(f, d, back) => {
                        now += 1;
                        let last = now - back;
                        let name = if f == 11 { "y".repeat(33) } else { format!("1:{f}") };
                        e.ended(&name, last - d, last);
                        m.ended(&name, last - d, last, max);
                    }
                    Op::Prune(t) => {
                        floor = floor.max(now - t);
                        e.prune_before(floor);
                        m.prune_before(floor);
                    }
                    Op::Torn(t) => {
                        let t = floor.max(now - t);
                        prop_assert_eq!(e.torn(t).to_vec(), m.torn(t));
                    }
                }
                prop_assert_eq!(e.len(), m.flows.len());
                prop_assert_eq!(e.forgotten, m.forgotten);
                prop_assert!(e.runs.len() <= MAX_RUNS && e.runs.iter().all(|r| !r.is_empty()));
            }
        }
    }
}

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use foldhash::HashMap;
use std::collections::hash_map::Entry;
use std::net::IpAddr;

use super::{ConnHistory, Direction, FlowKey};

/// Flows the table gave up, still boxed: a flow is a few hundred bytes, so
/// handing it on moves the box, not the flow.
pub type EndedFlows<S> = Vec<Box<Flow<S>>>;
use crate::decode::{proto, TcpFlags};
use crate::net::{community_id_v1, FlowTuple};

/// Bounds and timeouts of the flow table (capture time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowLimits {
    /// Most flows at once; the one due first is evicted beyond it.
    pub max_flows: usize,
    /// TCP before the handshake completed.
    pub tcp_attempt_us: i64,
    pub tcp_established_us: i64,
    /// TCP after both FINs or a RST: late ACKs still join the flow.
    pub tcp_closed_us: i64,
    pub udp_us: i64,
    pub other_us: i64,
    /// A long flow is reported every this often, then counted afresh.
    pub active_us: i64,
}

impl Default for FlowLimits {
    fn default() -> Self {
        Self {
            max_flows: 1 << 20,
            tcp_attempt_us: 30_000_000,
            tcp_established_us: 300_000_000,
            tcp_closed_us: 5_000_000,
            udp_us: 60_000_000,
            other_us: 60_000_000,
            active_us: 1_800_000_000,
        }
    }
}

fn idle_timeout<S>(limits: &FlowLimits, f: &Flow<S>) -> i64 {
    match f.proto {
        proto::TCP if f.history.closed() => limits.tcp_closed_us,
        proto::TCP if f.history.established() => limits.tcp_established_us,
        proto::TCP => limits.tcp_attempt_us,
        proto::UDP => limits.udp_us,
        _ => limits.other_us,
    }
}

/// Counters of one flow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    pub orig_bytes: u64,
    pub resp_bytes: u64,
    pub orig_pkts: u64,
    pub resp_pkts: u64,
}

/// A flow and the caller's per-flow state `S`.
#[derive(Debug)]
pub struct Flow<S> {
    pub orig: (IpAddr, u16),
    pub resp: (IpAddr, u16),
    pub proto: u8,
    pub community_id: String,
    /// Start of the current record (reset by the active timeout).
    pub first_us: i64,
    pub last_us: i64,
    pub traffic: Traffic,
    pub history: ConnHistory,
    /// Detected application protocol.
    pub app: Option<&'static str>,
    pub session: S,
    generation: u64,
}

/// What a `conn` event reports about a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnRecord {
    pub orig: (IpAddr, u16),
    pub resp: (IpAddr, u16),
    pub proto: u8,
    pub community_id: String,
    pub first_us: i64,
    pub last_us: i64,
    pub traffic: Traffic,
    pub state: &'static str,
    pub app: Option<&'static str>,
    /// TCP only: union of the flags each side sent.
    pub tcp_flags: Option<(u8, u8)>,
}

impl<S> Flow<S> {
    pub fn record(&self) -> ConnRecord {
        ConnRecord {
            orig: self.orig,
            resp: self.resp,
            proto: self.proto,
            community_id: self.community_id.clone(),
            first_us: self.first_us,
            last_us: self.last_us,
            traffic: self.traffic,
            state: self.history.state(self.proto, self.traffic.resp_pkts),
            app: self.app,
            tcp_flags: (self.proto == crate::decode::proto::TCP)
                .then_some((self.history.orig_flags, self.history.resp_flags)),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlowTableStats {
    pub created: u64,
    /// Flows ended early because the table was full.
    pub evicted: u64,
}

/// A timer or age entry: (time, flow generation, slot). Entries of flows
/// already gone (another generation in the slot, or none) are skipped.
type SlotEntry = Reverse<(i64, u64, u32)>;

#[derive(Debug)]
pub struct FlowTable<S> {
    limits: FlowLimits,
    /// Key → slot in `slots`: the hash table holds a u32, not the flow.
    index: HashMap<FlowKey, u32>,
    /// Flows by slot, boxed: a flow is a few hundred bytes, and ending one
    /// hands on the box, not the flow. Freed slots are reused.
    slots: Vec<Option<Box<Flow<S>>>>,
    free: Vec<u32>,
    /// When to look at a flow again, earliest first.
    due: BinaryHeap<SlotEntry>,
    /// Start of each flow's current record, oldest first (an entry is stale
    /// once its flow is gone or its record restarted): the oldest pending
    /// packet without a walk over every flow.
    starts: BinaryHeap<SlotEntry>,
    next_generation: u64,
    stats: FlowTableStats,
}

impl<S: Default> FlowTable<S> {
    pub fn new(limits: FlowLimits) -> Self {
        Self {
            limits,
            index: HashMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            due: BinaryHeap::new(),
            starts: BinaryHeap::new(),
            next_generation: 0,
            stats: FlowTableStats::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The live flow of this generation in `slot`.
    fn live(&self, slot: u32, generation: u64) -> Option<&Flow<S>> {
        match self.slots.get(slot as usize) {
            Some(Some(f)) if f.generation == generation => Some(f),
            _ => None,
        }
    }

    /// Start time of the oldest flow not yet reported (None when empty):
    /// its packets must be read again to report it after a restart.
    pub fn oldest_first_us(&mut self) -> Option<i64> {
        while let Some(&Reverse((first, generation, slot))) = self.starts.peek() {
            if self
                .live(slot, generation)
                .is_some_and(|f| f.first_us == first)
            {
                return Some(first);
            }
            self.starts.pop();
        }
        None
    }

    pub fn stats(&self) -> FlowTableStats {
        self.stats
    }

    fn idle_timeout(&self, f: &Flow<S>) -> i64 {
        idle_timeout(&self.limits, f)
    }

    /// Takes the flow out of `slot` and frees the slot.
    fn remove_slot(&mut self, slot: u32) -> Option<Box<Flow<S>>> {
        let flow = self.slots.get_mut(slot as usize)?.take()?;
        let key = FlowKey::new(flow.orig, flow.resp, flow.proto);
        self.index.remove(&key);
        self.free.push(slot);
        // Stale entries of gone flows are dropped once they outnumber the
        // live ones, so the heaps stay proportional to the table.
        let bound = 2 * self.index.len() + 1024;
        if self.starts.len() > bound {
            let slots = &self.slots;
            self.starts.retain(|Reverse((first, g, s))| {
                matches!(slots.get(*s as usize), Some(Some(f)) if f.generation == *g && f.first_us == *first)
            });
        }
        if self.due.len() > 2 * bound {
            let slots = &self.slots;
            self.due.retain(|Reverse((_, g, s))| {
                matches!(slots.get(*s as usize), Some(Some(f)) if f.generation == *g)
            });
        }
        Some(flow)
    }

    /// Accounts one packet from `src` to `dst` and returns its flow and
    /// direction. Flows that ended meanwhile go to `ended`; long flows cut
    /// by the active timeout leave a record in `reports`.
    #[allow(clippy::too_many_arguments)]
    pub fn packet(
        &mut self,
        ts_us: i64,
        src: (IpAddr, u16),
        dst: (IpAddr, u16),
        ip_proto: u8,
        tcp_flags: Option<TcpFlags>,
        payload_len: usize,
        ended: &mut EndedFlows<S>,
        reports: &mut Vec<ConnRecord>,
    ) -> (&mut Flow<S>, Direction) {
        let key = FlowKey::new(src, dst, ip_proto);
        self.packet_keyed(
            key,
            ts_us,
            src,
            dst,
            ip_proto,
            tcp_flags,
            payload_len,
            ended,
            reports,
        )
    }

    /// [`Self::packet`] for an ICMP message: `tag` (the echo identifier)
    /// tells apart exchanges between the same hosts with the same types.
    #[allow(clippy::too_many_arguments)]
    pub fn packet_tagged(
        &mut self,
        ts_us: i64,
        src: (IpAddr, u16),
        dst: (IpAddr, u16),
        ip_proto: u8,
        tag: u16,
        payload_len: usize,
        ended: &mut EndedFlows<S>,
        reports: &mut Vec<ConnRecord>,
    ) -> (&mut Flow<S>, Direction) {
        let key = FlowKey::new(src, dst, ip_proto).tagged(tag);
        self.packet_keyed(
            key,
            ts_us,
            src,
            dst,
            ip_proto,
            None,
            payload_len,
            ended,
            reports,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn packet_keyed(
        &mut self,
        key: FlowKey,
        ts_us: i64,
        src: (IpAddr, u16),
        dst: (IpAddr, u16),
        ip_proto: u8,
        tcp_flags: Option<TcpFlags>,
        payload_len: usize,
        ended: &mut EndedFlows<S>,
        reports: &mut Vec<ConnRecord>,
    ) -> (&mut Flow<S>, Direction) {
        self.expire(ts_us, ended);
        if self.index.len() >= self.limits.max_flows.max(1) && !self.index.contains_key(&key) {
            while self.index.len() >= self.limits.max_flows.max(1) {
                self.evict_one(ended);
            }
        }
        let limits = self.limits;
        // One hash lookup per packet: the entry is found or made in place.
        let slot = match self.index.entry(key) {
            Entry::Occupied(o) => *o.get(),
            Entry::Vacant(v) => {
                // A SYN-ACK opening a flow comes from the responder.
                let from_resp = tcp_flags.is_some_and(|f| f.syn() && f.ack());
                let (orig, resp) = if from_resp { (dst, src) } else { (src, dst) };
                let flow = Box::new(Flow {
                    orig,
                    resp,
                    proto: ip_proto,
                    community_id: community_id_v1(
                        &FlowTuple {
                            src: orig.0,
                            dst: resp.0,
                            proto: ip_proto,
                            src_port: orig.1,
                            dst_port: resp.1,
                        },
                        0,
                    ),
                    first_us: ts_us,
                    last_us: ts_us,
                    traffic: Traffic::default(),
                    history: ConnHistory::default(),
                    app: None,
                    session: S::default(),
                    generation: self.next_generation,
                });
                self.next_generation += 1;
                self.stats.created += 1;
                let check = ts_us.saturating_add(idle_timeout(&limits, &flow));
                let slot = match self.free.pop() {
                    Some(slot) => {
                        self.slots[slot as usize] = Some(flow);
                        slot
                    }
                    None => {
                        // More than u32::MAX flows at once cannot fit in memory.
                        let slot = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
                        self.slots.push(Some(flow));
                        slot
                    }
                };
                let generation = self.next_generation - 1;
                self.due.push(Reverse((check, generation, slot)));
                self.starts.push(Reverse((ts_us, generation, slot)));
                *v.insert(slot)
            }
        };
        let Some(Some(flow)) = self.slots.get_mut(slot as usize) else {
            unreachable!("the index names only occupied slots")
        };
        if ts_us.saturating_sub(flow.first_us) > limits.active_us {
            reports.push(flow.record());
            flow.first_us = ts_us;
            flow.traffic = Traffic::default();
            self.starts.push(Reverse((ts_us, flow.generation, slot)));
        }
        let dir = if src == flow.orig && dst == flow.resp {
            Direction::Orig
        } else {
            Direction::Resp
        };
        flow.last_us = flow.last_us.max(ts_us);
        let bytes = payload_len as u64;
        match dir {
            Direction::Orig => {
                flow.traffic.orig_pkts += 1;
                flow.traffic.orig_bytes += bytes;
            }
            Direction::Resp => {
                flow.traffic.resp_pkts += 1;
                flow.traffic.resp_bytes += bytes;
            }
        }
        if let Some(flags) = tcp_flags {
            let was_closed = flow.history.closed();
            flow.history.on_tcp(dir, flags);
            if !was_closed && flow.history.closed() {
                // Closed flows time out sooner than the check already queued.
                let check = ts_us.saturating_add(limits.tcp_closed_us);
                self.due.push(Reverse((check, flow.generation, slot)));
            }
        }
        (flow, dir)
    }

    /// The flow with this key, if it is in the table.
    pub fn get_mut(&mut self, key: &FlowKey) -> Option<&mut Flow<S>> {
        let slot = *self.index.get(key)?;
        self.slots.get_mut(slot as usize)?.as_deref_mut()
    }

    /// Ends flows idle past their timeout at capture time `now_us`.
    pub fn expire(&mut self, now_us: i64, ended: &mut EndedFlows<S>) {
        while let Some(&Reverse((check, generation, slot))) = self.due.peek() {
            if check > now_us {
                return;
            }
            self.due.pop();
            let Some(flow) = self.live(slot, generation) else {
                continue;
            };
            let deadline = flow.last_us.saturating_add(self.idle_timeout(flow));
            if deadline <= now_us {
                if let Some(f) = self.remove_slot(slot) {
                    ended.push(f);
                }
            } else {
                self.due.push(Reverse((deadline, generation, slot)));
            }
        }
    }

    /// Ends the flow due first, to make room.
    fn evict_one(&mut self, ended: &mut EndedFlows<S>) {
        while let Some(Reverse((_, generation, slot))) = self.due.pop() {
            if self.live(slot, generation).is_some() {
                if let Some(f) = self.remove_slot(slot) {
                    self.stats.evicted += 1;
                    ended.push(f);
                }
                return;
            }
        }
    }

    /// Ends every flow (end of input), oldest first.
    pub fn flush(&mut self, ended: &mut EndedFlows<S>) {
        let mut all: EndedFlows<S> = self.slots.drain(..).flatten().collect();
        all.sort_by_key(|f| (f.first_us, f.generation));
        ended.extend(all);
        self.index.clear();
        self.free.clear();
        self.due.clear();
        self.starts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Table = FlowTable<()>;

    fn ep(s: &str) -> (IpAddr, u16) {
        let (ip, port) = s.rsplit_once(':').unwrap();
        (ip.parse().unwrap(), port.parse().unwrap())
    }

    fn tcp(
        t: &mut Table,
        ts: i64,
        src: &str,
        dst: &str,
        flags: u8,
        len: usize,
        ended: &mut EndedFlows<()>,
    ) -> Direction {
        let mut reports = Vec::new();
        t.packet(
            ts,
            ep(src),
            ep(dst),
            proto::TCP,
            Some(TcpFlags(flags)),
            len,
            ended,
            &mut reports,
        )
        .1
    }

    const C: &str = "10.0.0.1:40000";
    const S: &str = "93.184.216.34:80";

    #[test]
    fn counts_both_directions_of_one_connection() {
        let mut t = Table::new(FlowLimits::default());
        let mut ended = Vec::new();
        assert_eq!(tcp(&mut t, 0, C, S, 0x02, 0, &mut ended), Direction::Orig);
        assert_eq!(tcp(&mut t, 10, S, C, 0x12, 0, &mut ended), Direction::Resp);
        tcp(&mut t, 20, C, S, 0x18, 100, &mut ended);
        tcp(&mut t, 30, S, C, 0x18, 1000, &mut ended);
        tcp(&mut t, 40, C, S, 0x11, 0, &mut ended);
        tcp(&mut t, 50, S, C, 0x11, 0, &mut ended);
        assert_eq!(t.len(), 1);
        t.flush(&mut ended);
        let r = ended[0].record();
        assert_eq!((r.orig, r.resp, r.state), (ep(C), ep(S), "SF"));
        assert_eq!(
            r.traffic,
            Traffic {
                orig_bytes: 100,
                resp_bytes: 1000,
                orig_pkts: 3,
                resp_pkts: 3
            }
        );
        assert_eq!((r.first_us, r.last_us), (0, 50));
        assert_eq!(r.community_id, "1:".to_owned() + &r.community_id[2..]);
    }

    #[test]
    fn syn_ack_first_makes_its_receiver_the_originator() {
        let mut t = Table::new(FlowLimits::default());
        let mut ended = Vec::new();
        assert_eq!(tcp(&mut t, 0, S, C, 0x12, 0, &mut ended), Direction::Resp);
        t.flush(&mut ended);
        assert_eq!(ended[0].orig, ep(C));
    }

    #[test]
    fn idle_flows_end_by_state() {
        let mut t = Table::new(FlowLimits::default());
        let mut ended = Vec::new();
        tcp(&mut t, 0, C, S, 0x02, 0, &mut ended); // attempt: 30 s
        tcp(&mut t, 0, "10.0.0.1:40001", S, 0x02, 0, &mut ended);
        tcp(&mut t, 1_000, S, "10.0.0.1:40001", 0x14, 0, &mut ended); // REJ: closed, 5 s
        t.expire(6_100_000, &mut ended);
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0].record().state, "REJ");
        t.expire(30_000_001, &mut ended);
        assert_eq!(ended.len(), 2);
        assert_eq!(ended[1].record().state, "S0");
        assert!(t.is_empty());
    }

    #[test]
    fn a_full_table_evicts_and_counts() {
        let limits = FlowLimits {
            max_flows: 2,
            ..FlowLimits::default()
        };
        let mut t = Table::new(limits);
        let mut ended = Vec::new();
        for port in 0..5u16 {
            let src = format!("10.0.0.1:{}", 1000 + port);
            tcp(&mut t, i64::from(port), &src, S, 0x02, 0, &mut ended);
        }
        assert_eq!((t.len(), t.stats().evicted, ended.len()), (2, 3, 3));
        assert_eq!(ended[0].orig.1, 1000, "the flow due first goes first");
    }

    #[test]
    fn active_timeout_reports_and_restarts_counting() {
        let limits = FlowLimits {
            active_us: 100,
            ..FlowLimits::default()
        };
        let mut t = Table::new(limits);
        let mut ended = Vec::new();
        let mut reports = Vec::new();
        for ts in [0, 50, 150, 160] {
            t.packet(
                ts,
                ep(C),
                ep(S),
                proto::UDP,
                None,
                10,
                &mut ended,
                &mut reports,
            );
        }
        assert_eq!(reports.len(), 1);
        assert_eq!((reports[0].traffic.orig_pkts, reports[0].last_us), (2, 50));
        t.flush(&mut ended);
        assert_eq!((ended[0].first_us, ended[0].traffic.orig_pkts), (150, 2));
    }
}

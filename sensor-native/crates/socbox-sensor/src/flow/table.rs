use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hash::BuildHasher;
use std::net::IpAddr;

use super::index::FlowIndex;
use super::oldest::OldestFirst;
use super::{ConnHistory, Direction, FlowKey};
use crate::capture::{prefetch_value, prefetch_whole};
use crate::decode::{proto, TcpFlags};
use crate::net::{CommunityId, FlowTuple};

/// Flows the table gave up, still boxed: a flow is a couple of hundred
/// bytes, so handing it on moves the box, not the flow.
pub type EndedFlows<S> = Vec<Box<Flow<S>>>;

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

/// One packet as the flow table sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowPacket {
    pub ts_us: i64,
    pub src: (IpAddr, u16),
    pub dst: (IpAddr, u16),
    pub proto: u8,
    /// Tells apart flows of the same endpoints and ports: the ICMP echo
    /// identifier (two pings between the same hosts are two flows); 0
    /// otherwise.
    pub tag: u16,
    /// TCP only.
    pub tcp_flags: Option<TcpFlags>,
    /// Transport payload bytes.
    pub payload_len: usize,
    /// The key's hash as the look-ahead computed it (`flow::ahead`), so it
    /// is not computed twice. Only a hint: a packet whose flow it does not
    /// find is looked up again by its own hash before a flow is made.
    pub hash_hint: Option<u32>,
}

/// A flow and the caller's per-flow state `S`.
#[derive(Debug)]
pub struct Flow<S> {
    pub orig: (IpAddr, u16),
    pub resp: (IpAddr, u16),
    pub proto: u8,
    /// See [`FlowPacket::tag`].
    pub tag: u16,
    /// Computed once, when the flow starts.
    pub community_id: CommunityId,
    /// Start of the current record (reset by the active timeout).
    pub first_us: i64,
    pub last_us: i64,
    pub traffic: Traffic,
    pub history: ConnHistory,
    /// Detected application protocol.
    pub app: Option<&'static str>,
    pub session: S,
    generation: u32,
    /// The key's hash in the index.
    hash: u32,
}

/// What a `conn` event reports about a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnRecord {
    pub orig: (IpAddr, u16),
    pub resp: (IpAddr, u16),
    pub proto: u8,
    pub community_id: CommunityId,
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
            community_id: self.community_id,
            first_us: self.first_us,
            last_us: self.last_us,
            traffic: self.traffic,
            state: self.history.state(self.proto, self.traffic.resp_pkts),
            app: self.app,
            tcp_flags: (self.proto == crate::decode::proto::TCP)
                .then_some((self.history.orig_flags, self.history.resp_flags)),
        }
    }

    /// The key this flow is indexed under.
    pub fn key(&self) -> FlowKey {
        FlowKey::new(self.orig, self.resp, self.proto).tagged(self.tag)
    }

    /// The packet's direction when it belongs to this flow.
    fn direction_of(&self, p: &FlowPacket) -> Option<Direction> {
        if self.proto != p.proto || self.tag != p.tag {
            None
        } else if p.src == self.orig && p.dst == self.resp {
            Some(Direction::Orig)
        } else if p.src == self.resp && p.dst == self.orig {
            Some(Direction::Resp)
        } else {
            None
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
type SlotEntry = Reverse<(i64, u32, u32)>;

#[derive(Debug)]
pub struct FlowTable<S> {
    limits: FlowLimits,
    hasher: foldhash::fast::RandomState,
    /// Key hash → slot in `slots`: 8 bytes per flow (the slot, and 32
    /// bits of the hash so that a probe compares flows only when those
    /// agree), ~16 MB for a million flows rather than the ~100 MB of keys
    /// stored in a table.
    index: FlowIndex,
    /// Flows by slot, boxed: ending one hands on the box, not the flow.
    /// Freed slots are reused.
    slots: Vec<Option<Box<Flow<S>>>>,
    free: Vec<u32>,
    /// When to look at a flow again, earliest first.
    due: BinaryHeap<SlotEntry>,
    /// Start of each flow's current record, oldest first (an entry is stale
    /// once its flow is gone or its record restarted): the oldest pending
    /// packet without a walk over every flow.
    starts: OldestFirst<(i64, u32, u32)>,
    next_generation: u32,
    stats: FlowTableStats,
    /// Boxes of ended flows handed back ([`Self::recycle`]), their
    /// sessions emptied: a new flow takes one still in cache instead of a
    /// fresh allocation.
    spare: Vec<Box<Flow<S>>>,
}

/// Ended flows' boxes kept for reuse at most (4 MB at ~256 B a box). Scan
/// attempts end in bursts of thousands: with 256 kept, 505,788 of the 1 GB
/// mixed capture's new flows were fresh allocations whose first read
/// missed the cache; with 16,384, 10,717 were.
const MAX_SPARE: usize = 1 << 14;

impl<S: Default> FlowTable<S> {
    pub fn new(limits: FlowLimits) -> Self {
        Self {
            limits,
            hasher: foldhash::fast::RandomState::default(),
            index: FlowIndex::default(),
            slots: Vec::new(),
            free: Vec::new(),
            due: BinaryHeap::new(),
            starts: OldestFirst::default(),
            next_generation: 0,
            stats: FlowTableStats::default(),
            spare: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The live flow of this generation in `slot`.
    fn live(&self, slot: u32, generation: u32) -> Option<&Flow<S>> {
        match self.slots.get(slot as usize) {
            Some(Some(f)) if f.generation == generation => Some(f),
            _ => None,
        }
    }

    /// Start time of the oldest flow not yet reported (None when empty):
    /// its packets must be read again to report it after a restart.
    pub fn oldest_first_us(&mut self) -> Option<i64> {
        let slots = &self.slots;
        let (first, _, _) = self.starts.earliest(|&(first, g, s)| {
            matches!(slots.get(s as usize), Some(Some(f)) if f.generation == g && f.first_us == first)
        })?;
        Some(first)
    }

    pub fn stats(&self) -> FlowTableStats {
        self.stats
    }

    fn idle_timeout(&self, f: &Flow<S>) -> i64 {
        idle_timeout(&self.limits, f)
    }

    /// 32 bits of the key's hash (the same for both directions).
    pub fn hash_of(&self, key: &FlowKey) -> u32 {
        let h = self.hasher.hash_one(key);
        (h ^ (h >> 32)) as u32
    }

    /// First stage of a lookup ahead (see [`super::ahead`]): the index entry.
    #[inline]
    pub fn prefetch_index(&self, hash: u32) {
        if let Some(e) = self.index.home_entry(hash) {
            prefetch_value(e);
        }
    }

    /// Second stage: the slot the index names (its line is in cache now).
    #[inline]
    pub fn prefetch_slot(&self, hash: u32) {
        if let Some(slot) = self
            .index
            .first_slot(hash)
            .and_then(|s| self.slots.get(s as usize))
        {
            prefetch_value(slot);
        }
    }

    /// Last stage: the flow, its counters and the start of its session.
    #[inline]
    pub fn prefetch_flow(&self, hash: u32) {
        let slot = self.index.first_slot(hash);
        if let Some(Some(flow)) = slot.and_then(|s| self.slots.get(s as usize)) {
            let flow: &Flow<S> = flow;
            prefetch_value(flow);
            prefetch_value(&flow.traffic);
            prefetch_value(&flow.session);
        }
    }

    /// Takes the flow out of `slot` and frees the slot.
    fn remove_slot(&mut self, slot: u32) -> Option<Box<Flow<S>>> {
        let flow = self.slots.get_mut(slot as usize)?.take()?;
        self.index.remove(flow.hash, slot);
        self.free.push(slot);
        // Stale entries of gone flows are dropped once they outnumber the
        // live ones, so the heaps stay proportional to the table.
        let bound = 2 * self.index.len() + 1024;
        if self.starts.len() > bound {
            let slots = &self.slots;
            self.starts.retain(|&(first, g, s)| {
                matches!(slots.get(s as usize), Some(Some(f)) if f.generation == g && f.first_us == first)
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

    /// The slot of the packet's flow and the packet's direction in it.
    fn find(&self, p: &FlowPacket, hash: u32) -> Option<(u32, Direction)> {
        let mut dir = Direction::Orig;
        let slots = &self.slots;
        let slot = self
            .index
            .find(hash, |slot| match slots.get(slot as usize) {
                Some(Some(f)) => f.direction_of(p).map(|d| dir = d).is_some(),
                _ => false,
            })?;
        Some((slot, dir))
    }

    /// Accounts one packet and returns its flow and direction. Flows that
    /// ended meanwhile go to `ended`; long flows cut by the active timeout
    /// leave a record in `reports`.
    pub fn packet(
        &mut self,
        p: &FlowPacket,
        ended: &mut EndedFlows<S>,
        reports: &mut Vec<ConnRecord>,
    ) -> (&mut Flow<S>, Direction) {
        let ts_us = p.ts_us;
        self.expire(ts_us, ended);
        let key_hash = || self.hash_of(&FlowKey::new(p.src, p.dst, p.proto).tagged(p.tag));
        let mut hash = p.hash_hint.unwrap_or_else(key_hash);
        let mut found = self.find(p, hash);
        if found.is_none() && p.hash_hint.is_some() {
            hash = key_hash();
            found = self.find(p, hash);
        }
        debug_assert!(found.is_none() || hash == key_hash());
        let (slot, dir) = match found {
            Some(found) => found,
            None => {
                while self.index.len() >= self.limits.max_flows.max(1) {
                    if !self.evict_one(ended) {
                        break;
                    }
                }
                self.insert(p, hash)
            }
        };
        let limits = self.limits;
        let Some(Some(flow)) = self.slots.get_mut(slot as usize) else {
            unreachable!("the index names only occupied slots")
        };
        if ts_us.saturating_sub(flow.first_us) > limits.active_us {
            reports.push(flow.record());
            flow.first_us = ts_us;
            flow.traffic = Traffic::default();
            self.starts.push((ts_us, flow.generation, slot));
        }
        flow.last_us = flow.last_us.max(ts_us);
        let bytes = p.payload_len as u64;
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
        if let Some(flags) = p.tcp_flags {
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

    /// Starts the packet's flow; returns its slot and the packet's direction.
    fn insert(&mut self, p: &FlowPacket, hash: u32) -> (u32, Direction) {
        // A SYN-ACK opening a flow comes from the responder.
        let from_resp = p.tcp_flags.is_some_and(|f| f.syn() && f.ack());
        let (orig, resp, dir) = if from_resp {
            (p.dst, p.src, Direction::Resp)
        } else {
            (p.src, p.dst, Direction::Orig)
        };
        let generation = self.next_generation;
        self.next_generation = self.next_generation.wrapping_add(1);
        let flow = Flow {
            orig,
            resp,
            proto: p.proto,
            tag: p.tag,
            community_id: CommunityId::v1(
                &FlowTuple {
                    src: orig.0,
                    dst: resp.0,
                    proto: p.proto,
                    src_port: orig.1,
                    dst_port: resp.1,
                },
                0,
            ),
            first_us: p.ts_us,
            last_us: p.ts_us,
            traffic: Traffic::default(),
            history: ConnHistory::default(),
            app: None,
            session: S::default(),
            generation,
            hash,
        };
        let flow = match self.spare.pop() {
            Some(mut spare) => {
                *spare = flow;
                if let Some(next) = self.spare.last() {
                    let next: &Flow<S> = next;
                    prefetch_whole(next);
                }
                spare
            }
            None => Box::new(flow),
        };
        self.stats.created += 1;
        let check = p.ts_us.saturating_add(idle_timeout(&self.limits, &flow));
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
        self.due.push(Reverse((check, generation, slot)));
        self.starts.push((p.ts_us, generation, slot));
        self.index.insert(hash, slot);
        (slot, dir)
    }

    fn slot_of(&self, key: &FlowKey) -> Option<u32> {
        let hash = self.hash_of(key);
        let slots = &self.slots;
        self.index.find(
            hash,
            |slot| matches!(slots.get(slot as usize), Some(Some(f)) if f.key() == *key),
        )
    }

    /// The flow with this key, if it is in the table.
    pub fn get(&self, key: &FlowKey) -> Option<&Flow<S>> {
        self.slots.get(self.slot_of(key)? as usize)?.as_deref()
    }

    /// The flow with this key, if it is in the table.
    pub fn get_mut(&mut self, key: &FlowKey) -> Option<&mut Flow<S>> {
        let slot = self.slot_of(key)?;
        self.slots.get_mut(slot as usize)?.as_deref_mut()
    }

    /// Takes back the box of an ended flow the caller is done with; its
    /// session is dropped now (what it holds is freed), the box reused.
    pub fn recycle(&mut self, mut flow: Box<Flow<S>>) {
        if self.spare.len() < MAX_SPARE {
            flow.session = S::default();
            self.spare.push(flow);
        }
    }

    /// Ends flows idle past their timeout at capture time `now_us`.
    pub fn expire(&mut self, now_us: i64, ended: &mut EndedFlows<S>) {
        while let Some(&Reverse((check, generation, slot))) = self.due.peek() {
            if check > now_us {
                return;
            }
            self.due.pop();
            // The next flow due is asked for while this one is looked at:
            // flows fall due in bursts (a scan's attempts time out
            // together), each a cache miss.
            if let Some(&Reverse((next, _, next_slot))) = self.due.peek() {
                if next <= now_us {
                    if let Some(Some(f)) = self.slots.get(next_slot as usize) {
                        let f: &Flow<S> = f;
                        prefetch_value(f);
                    }
                }
            }
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

    /// Ends the flow due first, to make room; false when there was none.
    fn evict_one(&mut self, ended: &mut EndedFlows<S>) -> bool {
        while let Some(Reverse((_, generation, slot))) = self.due.pop() {
            if self.live(slot, generation).is_some() {
                if let Some(f) = self.remove_slot(slot) {
                    self.stats.evicted += 1;
                    ended.push(f);
                }
                return true;
            }
        }
        false
    }

    /// Ends every flow (end of input), oldest first.
    pub fn flush(&mut self, ended: &mut EndedFlows<S>) {
        // Sorted by keys copied out of the boxes: a comparison that reads
        // two flows misses the cache twice, and a sort of a million makes
        // twenty million.
        let mut all: Vec<_> = self
            .slots
            .drain(..)
            .flatten()
            .map(|f| ((f.first_us, f.generation), f))
            .collect();
        all.sort_by_key(|(key, _)| *key);
        ended.extend(all.into_iter().map(|(_, f)| f));
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
        let p = FlowPacket {
            ts_us: ts,
            src: ep(src),
            dst: ep(dst),
            proto: proto::TCP,
            tag: 0,
            tcp_flags: Some(TcpFlags(flags)),
            payload_len: len,
            hash_hint: None,
        };
        t.packet(&p, ended, &mut reports).1
    }

    fn other(ts_us: i64, src: &str, dst: &str, proto: u8, tag: u16) -> FlowPacket {
        FlowPacket {
            ts_us,
            src: ep(src),
            dst: ep(dst),
            proto,
            tag,
            tcp_flags: None,
            payload_len: 10,
            hash_hint: None,
        }
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
        let tuple = FlowTuple {
            src: ep(S).0,
            dst: ep(C).0,
            proto: proto::TCP,
            src_port: 80,
            dst_port: 40000,
        };
        assert_eq!(
            r.community_id.as_str(),
            crate::net::community_id_v1(&tuple, 0)
        );
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
            t.packet(&other(ts, C, S, proto::UDP, 0), &mut ended, &mut reports);
        }
        assert_eq!(reports.len(), 1);
        assert_eq!((reports[0].traffic.orig_pkts, reports[0].last_us), (2, 50));
        t.flush(&mut ended);
        assert_eq!((ended[0].first_us, ended[0].traffic.orig_pkts), (150, 2));
    }

    /// Tagged flows (ICMP echo identifiers) leave the index when they end:
    /// the same exchange later is a new flow, not a lookup of a freed slot.
    #[test]
    fn tagged_flows_end_and_start_again() {
        let mut t = Table::new(FlowLimits::default());
        let (mut ended, mut reports) = (Vec::new(), Vec::new());
        let (a, b) = ("10.0.0.1:8", "10.0.0.2:0");
        let (f, dir) = t.packet(&other(0, a, b, proto::ICMP, 7), &mut ended, &mut reports);
        assert_eq!((f.tag, dir), (7, Direction::Orig));
        let (_, dir) = t.packet(&other(1, b, a, proto::ICMP, 7), &mut ended, &mut reports);
        assert_eq!(dir, Direction::Resp);
        t.packet(&other(2, a, b, proto::ICMP, 8), &mut ended, &mut reports);
        assert_eq!(t.len(), 2);
        t.expire(61_000_000, &mut ended);
        assert_eq!((t.len(), ended.len()), (0, 2));
        // Another packet of a gone flow finds nothing stale.
        t.packet(
            &other(61_000_001, a, b, proto::ICMP, 7),
            &mut ended,
            &mut reports,
        );
        t.packet(
            &other(61_000_002, a, b, proto::UDP, 7),
            &mut ended,
            &mut reports,
        );
        assert_eq!((t.len(), t.stats().created), (2, 4));
        let key = FlowKey::new(ep(b), ep(a), proto::ICMP).tagged(7);
        assert_eq!(t.get_mut(&key).map(|f| f.first_us), Some(61_000_001));
        assert!(t.get(&key.tagged(8)).is_none());
        let udp = FlowKey::new(ep(a), ep(b), proto::UDP).tagged(7);
        assert_eq!(t.get(&udp).map(|f| f.proto), Some(proto::UDP));
    }

    /// Prefetches are hints: on an empty table, for flows there or gone,
    /// they change nothing.
    #[test]
    fn prefetching_any_hash_changes_nothing() {
        let mut t = Table::new(FlowLimits::default());
        let (mut ended, mut reports) = (Vec::new(), Vec::new());
        for h in [0, 1, u32::MAX] {
            t.prefetch_index(h);
            t.prefetch_slot(h);
            t.prefetch_flow(h);
        }
        let p = other(0, C, S, proto::UDP, 0);
        t.packet(&p, &mut ended, &mut reports);
        let hash = t.hash_of(&FlowKey::new(p.src, p.dst, p.proto));
        for h in [hash, hash ^ 1] {
            t.prefetch_index(h);
            t.prefetch_slot(h);
            t.prefetch_flow(h);
        }
        t.expire(i64::MAX, &mut ended);
        t.prefetch_flow(hash);
        assert_eq!((t.len(), ended.len()), (0, 1));
    }

    /// A hash hint is only a hint: the right one finds the flow, a wrong
    /// one (or one for another flow) falls back to the key's own hash, so
    /// no flow is made twice and the replies still count in their flow.
    #[test]
    fn a_wrong_hash_hint_still_finds_the_flow() {
        let mut t = Table::new(FlowLimits::default());
        let (mut ended, mut reports) = (Vec::new(), Vec::new());
        let first = other(0, C, S, proto::UDP, 0);
        let hash = t.hash_of(&FlowKey::new(first.src, first.dst, first.proto));
        let elsewhere = other(1, "10.0.0.9:1", S, proto::UDP, 0);
        let other_hash = t.hash_of(&FlowKey::new(elsewhere.src, elsewhere.dst, proto::UDP));
        t.packet(&elsewhere, &mut ended, &mut reports);
        for (i, hint) in [None, Some(hash), Some(hash ^ 1), Some(other_hash), Some(0)]
            .into_iter()
            .enumerate()
        {
            let (src, dst) = if i % 2 == 0 { (C, S) } else { (S, C) };
            let p = FlowPacket {
                hash_hint: hint,
                ..other(2 + i as i64, src, dst, proto::UDP, 0)
            };
            t.packet(&p, &mut ended, &mut reports);
        }
        assert_eq!((t.len(), t.stats().created), (2, 2));
        let f = t.get(&FlowKey::new(ep(C), ep(S), proto::UDP)).unwrap();
        assert_eq!((f.traffic.orig_pkts, f.traffic.resp_pkts), (3, 2));
    }

    /// Many flows: every lookup finds its own flow (the 32-bit hashes in
    /// the index are only a filter), replies included.
    #[test]
    fn many_flows_keep_their_counts() {
        let mut t = Table::new(FlowLimits::default());
        let (mut ended, mut reports) = (Vec::new(), Vec::new());
        for round in 0..3 {
            for port in 0..1500u16 {
                let src = format!("10.0.{}.1:{}", port % 7, 1000 + port);
                let ts = round * 10_000 + i64::from(port);
                t.packet(&other(ts, &src, S, proto::UDP, 0), &mut ended, &mut reports);
                let (_, dir) =
                    t.packet(&other(ts, S, &src, proto::UDP, 0), &mut ended, &mut reports);
                assert_eq!(dir, Direction::Resp);
            }
        }
        assert_eq!((t.len(), t.stats().created), (1500, 1500));
        t.flush(&mut ended);
        assert!(ended.iter().all(|f| (
            f.traffic.orig_pkts,
            f.traffic.resp_pkts,
            f.traffic.orig_bytes
        ) == (3, 3, 30)));
        assert_eq!(ended[0].orig, ep("10.0.0.1:1000"), "oldest first");
        assert!(t.is_empty());
    }
}

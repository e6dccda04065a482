//! Joins DNS queries with their responses: one transaction per (client,
//! server, transport, id). A query without a response is given up after a
//! timeout of capture time, or when too many are pending.

use std::collections::hash_map::Entry;
use std::collections::VecDeque;

use foldhash::HashMap;
use std::net::IpAddr;

use super::{DnsMessage, Question};
use crate::flow::OldestFirst;

/// Bounds of the pending-query table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingLimit {
    /// Capture time after which an unanswered query is emitted alone.
    pub timeout_us: i64,
    /// Most queries waiting at once; the oldest is emitted alone beyond it.
    pub max_pending: usize,
}

impl Default for PendingLimit {
    fn default() -> Self {
        Self {
            timeout_us: 5_000_000,
            max_pending: 100_000,
        }
    }
}

/// One DNS exchange: a query, its response, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsTransaction {
    /// Time of the query, or of the response when no query was seen.
    pub ts_us: i64,
    pub client: (IpAddr, u16),
    pub server: (IpAddr, u16),
    /// IP protocol number of the transport (UDP or TCP).
    pub transport: u8,
    pub id: u16,
    pub question: Question,
    /// Set when a response was seen.
    pub rcode: Option<u8>,
    pub answers: Vec<String>,
    pub min_ttl: Option<u32>,
}

/// (client, server, transport, id) packed into 40 bytes of plain integers:
/// a transaction's key is hashed and compared in four tables, and as
/// tuples of `IpAddr` enums each hash and compare branched on the address
/// family field by field. Five words, each hashed as one (not `u128`s,
/// which pad the key to 48 bytes, nor an array, hashed as a byte slice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key(u64, u64, u64, u64, u64);

impl Key {
    /// Client and server addresses (two words each), then ports, id,
    /// transport and which addresses are IPv6 (so an IPv4 address and an
    /// IPv6 one never share a key).
    fn new(client: (IpAddr, u16), server: (IpAddr, u16), transport: u8, id: u16) -> Self {
        let (c, c_v6) = address_bits(client.0);
        let (s, s_v6) = address_bits(server.0);
        let rest = u64::from(client.1)
            | u64::from(server.1) << 16
            | u64::from(id) << 32
            | u64::from(transport) << 48
            | u64::from(c_v6) << 56
            | u64::from(s_v6) << 57;
        Self((c >> 64) as u64, c as u64, (s >> 64) as u64, s as u64, rest)
    }
}

fn address_bits(ip: IpAddr) -> (u128, bool) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), false),
        IpAddr::V6(v6) => (u128::from(v6), true),
    }
}

#[derive(Debug)]
struct Pending {
    seq: u64,
    tx: DnsTransaction,
}

#[derive(Debug, Default)]
pub struct DnsTransactions {
    limit: PendingLimit,
    pending: HashMap<Key, Pending>,
    /// Queries in arrival order, for timeouts and eviction. Entries whose
    /// query was answered stay until they reach the front (`seq` tells).
    order: VecDeque<(i64, Key, u64)>,
    /// Queries by time, earliest first (capture times may step back, so
    /// `order` is not enough): the oldest pending one without a walk over
    /// all. Entries of queries no longer pending are dropped on the way.
    by_time: OldestFirst<(i64, u64, Key)>,
    next_seq: u64,
    /// Transactions answered within the timeout: a repeated response
    /// (retransmission, a second copy on the wire) is the same transaction.
    answered: HashMap<Key, i64>,
    answered_order: VecDeque<(i64, Key)>,
    /// Pending queries sent to a multicast group (mDNS, LLMNR), by group,
    /// transport and id: responders answer to the group, not the querier.
    by_group: HashMap<((IpAddr, u16), u8, u16), VecDeque<Key>>,
}

impl DnsTransactions {
    pub fn new(limit: PendingLimit) -> Self {
        Self {
            limit,
            ..Self::default()
        }
    }

    /// Queries waiting for a response.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Time of the oldest query still waiting for its response.
    pub fn oldest_pending_us(&mut self) -> Option<i64> {
        let pending = &self.pending;
        let (ts, _, _) = self
            .by_time
            .earliest(|(_, seq, key)| pending.get(key).is_some_and(|p| p.seq == *seq))?;
        Some(ts)
    }

    /// Takes one message seen from `src` to `dst`; finished transactions go
    /// to `out`.
    pub fn on_message(
        &mut self,
        ts_us: i64,
        src: (IpAddr, u16),
        dst: (IpAddr, u16),
        transport: u8,
        msg: DnsMessage,
        out: &mut Vec<DnsTransaction>,
    ) {
        self.expire(ts_us, out);
        if msg.is_response {
            self.on_response(ts_us, src, dst, transport, msg, out);
        } else {
            self.on_query(ts_us, src, dst, transport, msg, out);
        }
    }

    fn on_response(
        &mut self,
        ts_us: i64,
        src: (IpAddr, u16),
        dst: (IpAddr, u16),
        transport: u8,
        msg: DnsMessage,
        out: &mut Vec<DnsTransaction>,
    ) {
        let key = Key::new(dst, src, transport, msg.id);
        let joined = match self.pending.remove(&key) {
            Some(p) => Some((key, p)),
            None if dst.0.is_multicast() => self.take_group_query(dst, transport, msg.id),
            None => None,
        };
        let (key, mut tx) = match joined {
            Some((k, p)) => (k, p.tx),
            None => {
                let seen = self.answered.get(&key).copied();
                if seen.is_some_and(|t| ts_us.saturating_sub(t) <= self.limit.timeout_us) {
                    return; // a repeated response of a finished transaction
                }
                let Some(question) = msg.question else { return };
                let tx = DnsTransaction {
                    ts_us,
                    client: dst,
                    server: src,
                    transport,
                    id: msg.id,
                    question,
                    rcode: None,
                    answers: Vec::new(),
                    min_ttl: None,
                };
                (key, tx)
            }
        };
        tx.rcode = Some(msg.rcode);
        tx.answers = msg.answers;
        tx.min_ttl = msg.min_ttl;
        self.remember_answered(key, ts_us);
        out.push(tx);
    }

    fn on_query(
        &mut self,
        ts_us: i64,
        src: (IpAddr, u16),
        dst: (IpAddr, u16),
        transport: u8,
        msg: DnsMessage,
        out: &mut Vec<DnsTransaction>,
    ) {
        let Some(question) = msg.question else { return };
        let key = Key::new(src, dst, transport, msg.id);
        // A retransmitted query joins the first one: tshark would show two
        // queries, but they are one transaction.
        let Entry::Vacant(slot) = self.pending.entry(key) else {
            return;
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        slot.insert(Pending {
            seq,
            tx: DnsTransaction {
                ts_us,
                client: src,
                server: dst,
                transport,
                id: msg.id,
                question,
                rcode: None,
                answers: Vec::new(),
                min_ttl: None,
            },
        });
        self.order.push_back((ts_us, key, seq));
        self.by_time.push((ts_us, seq, key));
        // Entries of answered queries behind an old pending one are
        // dropped once they outnumber the pending queries.
        if self.by_time.len() > 2 * self.pending.len() + 1024 {
            let pending = &self.pending;
            self.by_time
                .retain(|(_, seq, key)| pending.get(key).is_some_and(|p| p.seq == *seq));
        }
        if dst.0.is_multicast() {
            let queue = self.by_group.entry((dst, transport, msg.id)).or_default();
            if queue.len() >= 64 {
                let pending = &self.pending;
                queue.retain(|k| pending.contains_key(k));
            }
            queue.push_back(key);
        }
        while self.pending.len() > self.limit.max_pending {
            self.pop_oldest(out);
        }
    }

    /// The oldest pending query sent to `group` with this id.
    fn take_group_query(
        &mut self,
        group: (IpAddr, u16),
        transport: u8,
        id: u16,
    ) -> Option<(Key, Pending)> {
        let index = (group, transport, id);
        let queue = self.by_group.get_mut(&index)?;
        let mut found = None;
        while let Some(k) = queue.pop_front() {
            if let Some(p) = self.pending.remove(&k) {
                found = Some((k, p));
                break;
            }
        }
        if queue.is_empty() {
            self.by_group.remove(&index);
        }
        found
    }

    fn remember_answered(&mut self, key: Key, ts_us: i64) {
        self.answered.insert(key, ts_us);
        self.answered_order.push_back((ts_us, key));
        while let Some(&(ts, k)) = self.answered_order.front() {
            let old = ts_us.saturating_sub(ts) > self.limit.timeout_us;
            if !old && self.answered_order.len() <= self.limit.max_pending {
                break;
            }
            self.answered_order.pop_front();
            if self.answered.get(&k) == Some(&ts) {
                self.answered.remove(&k);
            }
        }
    }

    /// Emits queries older than the timeout at capture time `now_us`.
    pub fn expire(&mut self, now_us: i64, out: &mut Vec<DnsTransaction>) {
        while let Some(&(ts, key, seq)) = self.order.front() {
            if now_us.saturating_sub(ts) <= self.limit.timeout_us {
                break;
            }
            self.order.pop_front();
            // Only this entry's own query, if it is still waiting: answered
            // entries are skipped, younger queries wait their turn.
            if self.pending.get(&key).is_some_and(|p| p.seq == seq) {
                if let Some(p) = self.pending.remove(&key) {
                    out.push(p.tx);
                }
            }
        }
    }

    /// Emits every pending query (end of input).
    pub fn flush(&mut self, out: &mut Vec<DnsTransaction>) {
        while !self.order.is_empty() {
            self.pop_oldest(out);
        }
        self.by_group.clear();
        self.by_time.clear();
    }

    fn pop_oldest(&mut self, out: &mut Vec<DnsTransaction>) {
        while let Some((_, key, seq)) = self.order.pop_front() {
            if self.pending.get(&key).is_some_and(|p| p.seq == seq) {
                if let Some(p) = self.pending.remove(&key) {
                    out.push(p.tx);
                }
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_40_bytes_and_tell_families_apart() {
        assert_eq!(std::mem::size_of::<Key>(), 40);
        let v4 = (IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 5)), 53);
        let v6 = (IpAddr::V6(std::net::Ipv6Addr::from(0x0a00_0005u128)), 53);
        assert_ne!(Key::new(v4, S, 17, 1), Key::new(v6, S, 17, 1));
        assert_ne!(Key::new(C, S, 17, 1), Key::new(S, C, 17, 1));
        assert_ne!(Key::new(C, S, 17, 1), Key::new(C, S, 6, 1));
    }

    const C: (IpAddr, u16) = (IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 5)), 40000);
    const S: (IpAddr, u16) = (IpAddr::V4(std::net::Ipv4Addr::new(8, 8, 8, 8)), 53);

    fn msg(id: u16, is_response: bool, name: &str, answers: &[&str]) -> DnsMessage {
        DnsMessage {
            id,
            is_response,
            rcode: 0,
            question: Some(Question {
                name: name.into(),
                qtype: 1,
            }),
            answers: answers.iter().map(|a| a.to_string()).collect(),
            min_ttl: (!answers.is_empty()).then_some(60),
        }
    }

    fn summary(out: &[DnsTransaction]) -> Vec<(i64, &str, Option<u8>, usize)> {
        out.iter()
            .map(|t| (t.ts_us, t.question.name.as_str(), t.rcode, t.answers.len()))
            .collect()
    }

    #[test]
    fn joins_query_and_response() {
        let mut t = DnsTransactions::default();
        let mut out = Vec::new();
        t.on_message(1_000, C, S, 17, msg(7, false, "a.example", &[]), &mut out);
        t.on_message(1_100, C, S, 17, msg(7, false, "a.example", &[]), &mut out);
        assert!(out.is_empty());
        t.on_message(
            2_000,
            S,
            C,
            17,
            msg(7, true, "a.example", &["1.2.3.4"]),
            &mut out,
        );
        assert_eq!(summary(&out), [(1_000, "a.example", Some(0), 1)]);
        assert_eq!((out[0].client, out[0].server), (C, S));
        assert_eq!(t.pending(), 0);
    }

    #[test]
    fn unanswered_queries_time_out_or_flush() {
        let mut t = DnsTransactions::default();
        let mut out = Vec::new();
        t.on_message(0, C, S, 17, msg(1, false, "late.example", &[]), &mut out);
        t.on_message(
            1_000_000,
            C,
            S,
            17,
            msg(2, false, "flushed.example", &[]),
            &mut out,
        );
        t.expire(5_000_000, &mut out);
        assert!(out.is_empty(), "5 s is not yet past the timeout");
        t.expire(5_000_001, &mut out);
        assert_eq!(summary(&out), [(0, "late.example", None, 0)]);
        t.flush(&mut out);
        assert_eq!(summary(&out)[1], (1_000_000, "flushed.example", None, 0));
    }

    #[test]
    fn response_without_query_and_answered_entries_are_skipped_on_expiry() {
        let mut t = DnsTransactions::default();
        let mut out = Vec::new();
        t.on_message(
            10,
            S,
            C,
            17,
            msg(9, true, "orphan.example", &["x"]),
            &mut out,
        );
        assert_eq!(out[0].ts_us, 10);
        assert_eq!((out[0].client, out[0].server), (C, S));
        t.on_message(20, C, S, 17, msg(3, false, "q.example", &[]), &mut out);
        t.on_message(30, S, C, 17, msg(3, true, "q.example", &[]), &mut out);
        t.flush(&mut out);
        assert_eq!(out.len(), 2, "the answered query is not emitted again");
    }

    #[test]
    fn pending_table_is_bounded() {
        let mut t = DnsTransactions::new(PendingLimit {
            timeout_us: 5_000_000,
            max_pending: 2,
        });
        let mut out = Vec::new();
        for id in 0..5 {
            t.on_message(
                i64::from(id),
                C,
                S,
                17,
                msg(id, false, "x.example", &[]),
                &mut out,
            );
        }
        assert_eq!(t.pending(), 2);
        assert_eq!(out.iter().map(|t| t.id).collect::<Vec<_>>(), [0, 1, 2]);
    }

    /// Regression: an answered entry older than the timeout at the front
    /// of the queue made the next (young) query be given up unanswered
    /// (oracle open bug on C2/ndpi__dns-tunnel-iodine.pcap).
    #[test]
    fn expiry_gives_up_only_old_queries() {
        let mut t = DnsTransactions::default();
        let mut out = Vec::new();
        t.on_message(0, C, S, 17, msg(1, false, "old.example", &[]), &mut out);
        t.on_message(10, S, C, 17, msg(1, true, "old.example", &["x"]), &mut out);
        t.on_message(
            4_000_000,
            C,
            S,
            17,
            msg(2, false, "young.example", &[]),
            &mut out,
        );
        t.on_message(
            6_000_000,
            S,
            C,
            17,
            msg(2, true, "young.example", &["y"]),
            &mut out,
        );
        assert_eq!(
            summary(&out),
            [
                (0, "old.example", Some(0), 1),
                (4_000_000, "young.example", Some(0), 1)
            ]
        );
    }

    /// Regression: a retransmitted response became a second transaction
    /// (oracle open bug on PARSERS/ja4/pcap/latest.pcapng).
    #[test]
    fn repeated_responses_are_one_transaction() {
        let mut t = DnsTransactions::default();
        let mut out = Vec::new();
        t.on_message(0, C, S, 17, msg(5, false, "a.example", &[]), &mut out);
        t.on_message(
            10,
            S,
            C,
            17,
            msg(5, true, "a.example", &["1.2.3.4"]),
            &mut out,
        );
        t.on_message(
            20,
            S,
            C,
            17,
            msg(5, true, "a.example", &["1.2.3.4"]),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        // Past the timeout the same id and ports are a new exchange.
        t.on_message(
            6_000_000,
            S,
            C,
            17,
            msg(5, true, "a.example", &["1.2.3.4"]),
            &mut out,
        );
        assert_eq!(out.len(), 2);
    }

    /// mDNS responders answer to the group, without the question; the
    /// answer joins the query sent to that group (oracle open bug on
    /// LATERAL/pcap-attack__LM_rdp_sharprdp.pcapng).
    #[test]
    fn multicast_responses_join_the_group_query() {
        let group: (IpAddr, u16) = ("224.0.0.251".parse().unwrap(), 5353);
        let querier: (IpAddr, u16) = ("192.168.56.1".parse().unwrap(), 5353);
        let responder: (IpAddr, u16) = ("192.168.56.101".parse().unwrap(), 5353);
        let mut t = DnsTransactions::default();
        let mut out = Vec::new();
        t.on_message(
            0,
            querier,
            group,
            17,
            msg(0, false, "host.local", &[]),
            &mut out,
        );
        let mut answer = msg(0, true, "", &["192.168.56.101"]);
        answer.question = None;
        t.on_message(5, responder, group, 17, answer, &mut out);
        assert_eq!(summary(&out), [(0, "host.local", Some(0), 1)]);
        assert_eq!((out[0].client, out[0].server), (querier, group));
        assert_eq!(t.pending(), 0);
    }

    #[test]
    fn oldest_pending_query_by_time() {
        let mut t = DnsTransactions::default();
        let mut out = Vec::new();
        assert_eq!(t.oldest_pending_us(), None);
        let c2 = (C.0, 40001);
        t.on_message(2_000, C, S, 17, msg(1, false, "a.example", &[]), &mut out);
        // Captured later, stamped earlier.
        t.on_message(1_500, c2, S, 17, msg(2, false, "b.example", &[]), &mut out);
        t.on_message(3_000, C, S, 17, msg(3, false, "c.example", &[]), &mut out);
        assert_eq!(t.oldest_pending_us(), Some(1_500));
        t.on_message(3_100, S, c2, 17, msg(2, true, "b.example", &[]), &mut out);
        assert_eq!(t.oldest_pending_us(), Some(2_000));
        t.on_message(3_200, S, C, 17, msg(1, true, "a.example", &[]), &mut out);
        assert_eq!(t.oldest_pending_us(), Some(3_000));
        // The same id again later is a new query: its own time counts.
        t.on_message(3_300, S, C, 17, msg(3, true, "c.example", &[]), &mut out);
        t.on_message(4_000, C, S, 17, msg(3, false, "c.example", &[]), &mut out);
        assert_eq!(t.oldest_pending_us(), Some(4_000));
        t.flush(&mut out);
        assert_eq!((t.oldest_pending_us(), out.len()), (None, 4));
    }

    /// Many answered queries behind one that never is: the time index
    /// stays proportional to what is pending.
    #[test]
    fn time_index_stays_bounded() {
        let mut t = DnsTransactions::default();
        let mut out = Vec::new();
        t.on_message(0, C, S, 17, msg(0, false, "stuck.example", &[]), &mut out);
        for i in 1..5_000u16 {
            let ts = i64::from(i);
            t.on_message(ts, C, S, 17, msg(i, false, "a.example", &[]), &mut out);
            t.on_message(ts, S, C, 17, msg(i, true, "a.example", &[]), &mut out);
        }
        assert_eq!(t.oldest_pending_us(), Some(0));
        assert!(
            t.by_time.len() <= 2 * t.pending() + 1025,
            "{}",
            t.by_time.len()
        );
    }
}

//! From raw packets to finished events: decoding, fragment reassembly, the
//! flow table, TCP sessions, DNS transactions, home-net marking and intel
//! hits.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;

use crate::app::dcerpc::InterfaceMemory;
use crate::app::{AppItem, AppOutput, ChunkCtx, FileItem, FtpTransfer, Session};
use crate::capture::{prefetch_whole, RawPacket};
use crate::content::{ContentMatcher, Field, FieldValues, FlowBitStore, SigDirection};
use crate::decode::{self, proto, DecodeError, IcmpMessage, TcpSegment, UdpDatagram};
use crate::dns::{self, qtype_name, rcode_name, DnsMessage, DnsTransaction, DnsTransactions};
use crate::event::{
    Body, ConnBody, DnsBody, Endpoint, Event, IntelBody, SigBody, DOWNLOAD, UPLOAD,
};
use crate::flow::{
    flag_letters, icmp_query_id, quick_key, ConnRecord, Direction, EndedFlows, Flow, FlowAhead,
    FlowKey, FlowLimits, FlowPacket, FlowTable, IcmpStats,
};
use crate::intel::{Hit, IntelMatcher, IocKind};
use crate::net::{icmp_ports, CommunityId, FlowTuple, HomeNets};
use crate::reassembly::{FragmentLimits, Fragments};
use crate::stats::Counters;

/// Settings of a pipeline.
#[derive(Debug, Default, Clone)]
pub struct PipelineConfig {
    pub home_nets: HomeNets,
    /// IOC sets, shared by the pipelines of one run (shards).
    pub intel: Arc<IntelMatcher>,
    /// Content signatures and their inspection caps.
    pub content: Arc<ContentMatcher>,
    pub dns_limit: dns::PendingLimit,
    pub fragment_limits: FragmentLimits,
    pub flow_limits: FlowLimits,
}

const HTTP_FIELDS: [Field; 7] = [
    Field::HttpMethod,
    Field::HttpUri,
    Field::HttpHost,
    Field::HttpUserAgent,
    Field::HttpReferrer,
    Field::HttpHeader,
    Field::HttpResponseHeader,
];
/// Flows from which the reading loops look ahead: the index, slots and
/// flows of 64k flows are ~20 MB, past any per-core cache. Tests look ahead
/// always, so every run of theirs shows it changes no event.
const LOOK_AHEAD_FLOWS: usize = if cfg!(test) { 1 } else { 1 << 16 };

/// FTP data connections announced and not yet seen, kept at most.
const MAX_FTP_DATA: usize = 4096;

const TLS_FIELDS: [Field; 3] = [Field::TlsSni, Field::TlsSubject, Field::TlsIssuer];

fn b(s: &Option<String>) -> Option<&[u8]> {
    s.as_deref().map(str::as_bytes)
}

/// The endpoints of the flow an application item came from.
#[derive(Debug, Clone, Copy)]
struct FlowContext {
    orig: (IpAddr, u16),
    resp: (IpAddr, u16),
    proto: u8,
    community_id: CommunityId,
}

impl FlowContext {
    /// Owned, so the flow's borrow of the table ends before the pipeline handles its output.
    fn of<S>(flow: &Flow<S>) -> Self {
        FlowContext {
            orig: flow.orig,
            resp: flow.resp,
            proto: flow.proto,
            community_id: flow.community_id,
        }
    }
}

#[derive(Debug)]
pub struct Pipeline {
    home_nets: HomeNets,
    intel: Arc<IntelMatcher>,
    content: Arc<ContentMatcher>,
    /// Signatures a packet or event fired, not yet turned into events.
    fired: Vec<u32>,
    /// Flowbits of the flows that have any, by flow id.
    flowbits: FlowBitStore,
    dns: DnsTransactions,
    fragments: Fragments,
    flows: FlowTable<Session>,
    /// The hash of the current packet's flow key from the look-ahead, for
    /// the flow table (taken by the TCP or UDP lookup; see `on_packet_hashed`).
    hash_hint: Option<u32>,
    finished_dns: Vec<DnsTransaction>,
    ended_flows: EndedFlows<Session>,
    /// At the end of input: flows still to end, oldest first. They end a
    /// part at a time ([`Pipeline::finish_some`]), so a million open flows
    /// never become a million queued events at once.
    closing: VecDeque<Box<Flow<Session>>>,
    /// `closing` holds the table's flows (the end of input began).
    finishing: bool,
    reports: Vec<ConnRecord>,
    app_out: Vec<AppOutput>,
    /// Sessions with an item waiting on capture time (a TLS hello without
    /// the server's answer): (due, flow), earliest first. Stale entries
    /// find nothing due and cost one lookup.
    session_due: BinaryHeap<Reverse<(i64, FlowKey)>>,
    /// FTP data connections announced by control channels, by the address
    /// they go to: what they carry, once the command is seen. Oldest
    /// announcements go first past [`MAX_FTP_DATA`].
    /// (active mode, transfer) by the address the data connection goes to.
    ftp_data: HashMap<(IpAddr, u16), (bool, Option<FtpTransfer>)>,
    ftp_data_order: VecDeque<(IpAddr, u16)>,
    /// DCE/RPC interfaces by server endpoint, for calls whose bind is not
    /// in the capture.
    rpc_interfaces: InterfaceMemory,
    counters: Counters,
}

impl Pipeline {
    pub fn new(config: PipelineConfig) -> Self {
        Self {
            home_nets: config.home_nets,
            intel: config.intel,
            content: config.content,
            fired: Vec::new(),
            flowbits: FlowBitStore::default(),
            dns: DnsTransactions::new(config.dns_limit),
            fragments: Fragments::new(config.fragment_limits),
            hash_hint: None,
            flows: FlowTable::new(config.flow_limits),
            finished_dns: Vec::new(),
            ended_flows: Vec::new(),
            closing: VecDeque::new(),
            finishing: false,
            reports: Vec::new(),
            app_out: Vec::new(),
            session_due: BinaryHeap::new(),
            ftp_data: HashMap::new(),
            ftp_data_order: VecDeque::new(),
            rpc_interfaces: InterfaceMemory::default(),
            counters: Counters::default(),
        }
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Capture time of the oldest packet whose events are not all out yet:
    /// an open flow or a query waiting for its response. None when nothing
    /// is pending. (Fragments waiting for reassembly are not counted: they
    /// time out within seconds.)
    pub fn oldest_pending_us(&mut self) -> Option<i64> {
        // `closing` is oldest first.
        let flows = match (self.flows.oldest_first_us(), self.closing.front()) {
            (Some(a), Some(f)) => Some(a.min(f.first_us)),
            (a, f) => a.or(f.map(|f| f.first_us)),
        };
        match (flows, self.dns.oldest_pending_us()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Replaces the intel matcher (a new match plan); packets from now on
    /// are matched against it, state of open flows is kept.
    pub fn set_intel(&mut self, intel: impl Into<Arc<IntelMatcher>>) {
        self.intel = intel.into();
    }

    /// Replaces the content signatures (a new match plan), like
    /// [`Self::set_intel`]. Payload already inspected is not inspected again.
    pub fn set_content(&mut self, content: Arc<ContentMatcher>) {
        self.content = content;
        // Bits are numbered per plan.
        self.flowbits = FlowBitStore::default();
    }

    pub fn content(&self) -> &ContentMatcher {
        &self.content
    }

    /// Leading bytes of each HTTP body to keep for content matching now
    /// (0: no signature reads `file.data` or `http.request_body`).
    fn body_cap(&self) -> usize {
        if self.content.reads(Field::FileData) || self.content.reads(Field::HttpRequestBody) {
            self.content.caps().body
        } else {
            0
        }
    }

    /// Raw payload bytes to keep per flow direction now (0: no signature
    /// reads raw payload).
    fn payload_cap(&self) -> usize {
        if self.content.reads(Field::Payload) {
            self.content.caps().payload
        } else {
            0
        }
    }

    /// Whether looking ahead pays: only once the flow table outgrows the
    /// caches. With fewer flows their lookups hit anyway and the second
    /// cursor only costs time (a few per cent on the mixed capture).
    pub fn looks_ahead(&self) -> bool {
        self.flows.len() >= LOOK_AHEAD_FLOWS
    }

    /// A packet `flow::ahead::DEPTH` records ahead of the next one handed
    /// to [`Self::on_packet`] (None: no packet there, or one this pipeline
    /// does not take): its flow is asked for in stages, and the packets
    /// already ahead move a stage on.
    #[inline]
    pub fn look_ahead(&self, ahead: &mut FlowAhead, pkt: Option<&RawPacket<'_>>) {
        let hash = pkt
            .and_then(|p| quick_key(p.link_type, p.data))
            .map(|key| self.flows.hash_of(&key));
        ahead.step(&self.flows, hash);
    }

    /// Counts a record the capture reader could not use.
    pub fn count_malformed_record(&mut self) {
        self.counters.malformed += 1;
    }

    /// Takes one packet; events it completes are appended to `out`.
    pub fn on_packet(&mut self, pkt: &RawPacket<'_>, out: &mut VecDeque<Event>) {
        self.on_packet_hashed(pkt, None, out);
    }

    /// [`Self::on_packet`] with the hash of the packet's flow key as the
    /// look-ahead computed it ([`FlowAhead::current`]), so the flow table
    /// does not compute it again (a wrong one only costs a second lookup).
    pub fn on_packet_hashed(
        &mut self,
        pkt: &RawPacket<'_>,
        hash: Option<u32>,
        out: &mut VecDeque<Event>,
    ) {
        self.hash_hint = hash;
        self.counters.packets += 1;
        self.counters.bytes += u64::from(pkt.orig_len.max(pkt.data.len() as u32));
        if self.decode(pkt, out).is_err() {
            self.counters.malformed += 1;
        }
        self.hash_hint = None;
        self.emit_pending(out);
    }

    /// Time moves on without packets (a quiet live link): flows and queries
    /// idle past their timeouts at `now_us` end.
    pub fn advance(&mut self, now_us: i64, out: &mut VecDeque<Event>) {
        self.dns.expire(now_us, &mut self.finished_dns);
        self.flows.expire(now_us, &mut self.ended_flows);
        self.end_flows(out);
        self.emit_pending(out);
    }

    /// The capture clock reached `now_us` on packets this pipeline does not
    /// take (another shard's): what a packet at that time would end first
    /// ends (idle flows and queries, due sessions), so timeouts fall at the
    /// same capture times as in a pipeline that takes every packet.
    pub fn clock_to(&mut self, now_us: i64, out: &mut VecDeque<Event>) {
        self.expire_until(now_us, out);
        self.emit_pending(out);
    }

    /// What time passing to `now_us` ends, before a packet at that time.
    fn expire_until(&mut self, now_us: i64, out: &mut VecDeque<Event>) {
        self.dns.expire(now_us, &mut self.finished_dns);
        self.flows.expire(now_us, &mut self.ended_flows);
        self.end_flows(out);
        self.flush_due_sessions(now_us, out);
    }

    /// End of input: every flow ends and every pending query is emitted.
    pub fn finish(&mut self, out: &mut VecDeque<Event>) {
        while !self.finish_some(out, usize::MAX) {}
    }

    /// The end of input a part at a time: ends up to `flows` more flows
    /// (oldest first, as [`Self::finish`] does); true once everything is
    /// out. Events come in the same order as from one `finish`.
    pub fn finish_some(&mut self, out: &mut VecDeque<Event>, flows: usize) -> bool {
        if !self.finishing {
            self.finishing = true;
            let mut all = Vec::new();
            self.flows.flush(&mut all);
            self.closing.extend(all);
        }
        let n = flows.min(self.closing.len());
        self.ended_flows.extend(self.closing.drain(..n));
        self.end_flows(out);
        if !self.closing.is_empty() {
            return false;
        }
        self.finishing = false;
        self.dns.flush(&mut self.finished_dns);
        self.emit_pending(out);
        true
    }

    fn decode(
        &mut self,
        pkt: &RawPacket<'_>,
        out: &mut VecDeque<Event>,
    ) -> Result<(), DecodeError> {
        let ts_us = pkt.ts_us;
        self.expire_until(ts_us, out);
        let Some(ip) = decode::ip_packet(pkt.link_type, pkt.data)? else {
            return Ok(());
        };
        let reassembled;
        let payload = match ip.fragment {
            None => ip.payload,
            Some(frag) => match self
                .fragments
                .add(ts_us, ip.src, ip.dst, ip.proto, frag, ip.payload)
            {
                Some(whole) => {
                    reassembled = whole;
                    &reassembled
                }
                None => return Ok(()),
            },
        };
        match ip.proto {
            proto::TCP => self.on_tcp(ts_us, ip.src, ip.dst, TcpSegment::parse(payload)?, out),
            proto::UDP => self.on_udp(ts_us, ip.src, ip.dst, UdpDatagram::parse(payload)?, out),
            proto::ICMP | proto::ICMPV6 => {
                let icmp = IcmpMessage::parse(payload)?;
                let (sp, dp) = icmp_ports(ip.proto, icmp.icmp_type, icmp.code);
                let id = icmp_query_id(ip.proto, icmp.icmp_type, icmp.payload);
                let p = FlowPacket {
                    ts_us,
                    src: (ip.src, sp),
                    dst: (ip.dst, dp),
                    proto: ip.proto,
                    tag: id.unwrap_or(0),
                    tcp_flags: None,
                    payload_len: icmp.payload.len(),
                    hash_hint: None,
                };
                let (flow, _) = self
                    .flows
                    .packet(&p, &mut self.ended_flows, &mut self.reports);
                flow.session
                    .icmp
                    .get_or_insert_with(|| Box::new(IcmpStats::new(icmp.icmp_type, icmp.code)))
                    .add(icmp.payload);
                Ok(())
            }
            other => {
                let p = FlowPacket {
                    ts_us,
                    src: (ip.src, 0),
                    dst: (ip.dst, 0),
                    proto: other,
                    tag: 0,
                    tcp_flags: None,
                    payload_len: payload.len(),
                    hash_hint: None,
                };
                self.flows
                    .packet(&p, &mut self.ended_flows, &mut self.reports);
                Ok(())
            }
        }
    }

    fn on_udp(
        &mut self,
        ts_us: i64,
        src: IpAddr,
        dst: IpAddr,
        udp: UdpDatagram<'_>,
        out: &mut VecDeque<Event>,
    ) -> Result<(), DecodeError> {
        let cap = self.payload_cap();
        let mut fired_ctx = None;
        let p = FlowPacket {
            ts_us,
            src: (src, udp.src_port),
            dst: (dst, udp.dst_port),
            proto: proto::UDP,
            tag: 0,
            tcp_flags: None,
            payload_len: udp.payload.len(),
            hash_hint: self.hash_hint.take(),
        };
        let (flow, dir) = self
            .flows
            .packet(&p, &mut self.ended_flows, &mut self.reports);
        if cap > 0 && !udp.payload.is_empty() {
            flow.session.payload.scan_datagram(
                &self.content,
                SigDirection::from(dir),
                udp.payload,
                cap,
                (flow.orig.1, flow.resp.1),
                &mut self.fired,
            );
            if !self.fired.is_empty() {
                fired_ctx = Some((ts_us, FlowContext::of(flow)));
            }
        }
        // A datagram to a DNS port that is not DNS (a tunnel, a damaged
        // message) is reported malformed only after the signatures it fired
        // went out: they are this flow's, not the next packet's.
        let mut decoded = Ok(());
        if dns::is_dns_port(udp.src_port) || dns::is_dns_port(udp.dst_port) {
            match DnsMessage::parse(udp.payload) {
                Ok(msg) => {
                    flow.app = Some("dns");
                    self.dns.on_message(
                        ts_us,
                        (src, udp.src_port),
                        (dst, udp.dst_port),
                        proto::UDP,
                        msg,
                        &mut self.finished_dns,
                    );
                }
                Err(_) => decoded = Err(DecodeError::Invalid("DNS message")),
            }
        } else {
            let ctx = ChunkCtx {
                dir,
                ts_us,
                orig_port: flow.orig.1,
                resp_port: flow.resp.1,
                inspect_body: 0,
            };
            let bad = flow
                .session
                .on_datagram(ctx, udp.payload, &mut self.app_out);
            self.counters.malformed += u64::from(bad);
            flow.session.take_skipped(&mut self.counters);
            flow.app = flow.app.or(flow.session.app());
            if !self.app_out.is_empty() {
                let context = FlowContext::of(flow);
                self.take_app_output(&context, out);
            }
        }
        if let Some(ctx) = fired_ctx {
            self.payload_sigs(ctx, out);
        }
        decoded
    }

    fn on_tcp(
        &mut self,
        ts_us: i64,
        src: IpAddr,
        dst: IpAddr,
        seg: TcpSegment<'_>,
        out: &mut VecDeque<Event>,
    ) -> Result<(), DecodeError> {
        let cap = self.payload_cap();
        let body_cap = self.body_cap();
        let mut fired_ctx = None;
        let p = FlowPacket {
            ts_us,
            src: (src, seg.src_port),
            dst: (dst, seg.dst_port),
            proto: proto::TCP,
            tag: 0,
            tcp_flags: Some(seg.flags),
            payload_len: seg.payload.len(),
            hash_hint: self.hash_hint.take(),
        };
        let (flow, dir) = self
            .flows
            .packet(&p, &mut self.ended_flows, &mut self.reports);
        if !self.ftp_data.is_empty()
            && flow.session.is_undecided()
            && self.ftp_data.contains_key(&flow.resp)
        {
            flow.session.expect_ftp_data();
        }
        let ctx = ChunkCtx {
            dir,
            ts_us,
            orig_port: flow.orig.1,
            resp_port: flow.resp.1,
            inspect_body: body_cap,
        };
        flow.session.payload_cap = cap;
        flow.session.on_segment(ctx, &seg, &mut self.app_out);
        if cap > 0 {
            flow.session.payload.scan_stream(
                &self.content,
                SigDirection::from(dir),
                cap,
                (flow.orig.1, flow.resp.1),
                &mut self.fired,
            );
            if !self.fired.is_empty() {
                fired_ctx = Some((ts_us, FlowContext::of(flow)));
            }
        }
        flow.app = flow.app.or(flow.session.app());
        if let Some(due) = flow.session.take_new_due() {
            let key = FlowKey::new(flow.orig, flow.resp, proto::TCP);
            self.session_due.push(Reverse((due, key)));
        }
        self.counters.malformed += u64::from(flow.session.take_malformed());
        flow.session.take_skipped(&mut self.counters);
        if !self.app_out.is_empty() {
            let context = FlowContext::of(flow);
            self.take_app_output(&context, out);
        }
        if let Some(ctx) = fired_ctx {
            self.payload_sigs(ctx, out);
        }
        Ok(())
    }

    /// Ends the flows the table gave up: their sessions finish, then their
    /// `conn` events go out.
    fn end_flows(&mut self, out: &mut VecDeque<Event>) {
        // The lists are drained in place and handed back, so their buffers
        // are reused rather than allocated again for the next flow.
        let mut reports = std::mem::take(&mut self.reports);
        for r in reports.drain(..) {
            let e = self.conn_event(r);
            self.push_with_intel(e, out);
        }
        self.reports = reports;
        let mut ended = std::mem::take(&mut self.ended_flows);
        let mut flows = ended.drain(..).peekable();
        while let Some(mut flow) = flows.next() {
            // The next ended flow is cold (it was idle till its timeout):
            // its lines are asked for while this one is reported.
            if let Some(next) = flows.peek() {
                let next: &Flow<Session> = next;
                prefetch_whole(next);
            }
            let ctx = ChunkCtx {
                dir: Direction::Orig,
                ts_us: flow.last_us,
                orig_port: flow.orig.1,
                resp_port: flow.resp.1,
                inspect_body: self.body_cap(),
            };
            flow.session.finish(ctx, &mut self.app_out);
            flow.app = flow.app.or(flow.session.app());
            self.counters.malformed += u64::from(flow.session.take_malformed());
            flow.session.take_skipped(&mut self.counters);
            let context = FlowContext::of(&flow);
            self.take_app_output(&context, out);
            self.emit_pending(out);
            if let Some(icmp) = flow.session.icmp.take() {
                let e = self.flow_event(&context, false, Body::Icmp(icmp.body()), flow.first_us);
                self.push_with_intel(e, out);
            }
            let e = self.conn_event(flow.record());
            self.push_with_intel(e, out);
            self.flowbits.forget(flow.community_id.as_str());
            self.flows.recycle(flow);
        }
        drop(flows);
        self.ended_flows = ended;
    }

    /// Sessions whose waiting items fell due by `now_us` report them.
    fn flush_due_sessions(&mut self, now_us: i64, out: &mut VecDeque<Event>) {
        while let Some(&Reverse((due, key))) = self.session_due.peek() {
            if due > now_us {
                return;
            }
            self.session_due.pop();
            let Some(flow) = self.flows.get_mut(&key) else {
                continue;
            };
            flow.session.flush_due(now_us, &mut self.app_out);
            if let Some(due) = flow.session.take_new_due() {
                self.session_due.push(Reverse((due, key)));
            }
            if !self.app_out.is_empty() {
                let context = FlowContext::of(flow);
                self.take_app_output(&context, out);
            }
        }
    }

    /// Queues an event of a flow; a file's hashes are matched against the
    /// hash lists first.
    fn push_file(&mut self, mut e: Event, sigs: &[u32], out: &mut VecDeque<Event>) {
        if let Body::File(f) = &e.body {
            for (hash, field) in [(&f.sha256, "sha256"), (&f.md5, "md5")] {
                if let Some(h) = hash {
                    self.intel.match_exact(IocKind::Hash, h, field, &mut e.hits);
                }
            }
        }
        self.push_with_records(e, sigs, out);
    }

    /// An event of a flow, from its originator to its responder.
    fn flow_event(&self, flow: &FlowContext, ports: bool, body: Body, ts_us: i64) -> Event {
        let mut hits = Vec::new();
        self.match_endpoints(flow.orig.0, flow.resp.0, &mut hits);
        Event {
            ts: ts_us.div_euclid(1000),
            flow: flow.community_id.into(),
            flow_proto: Event::endpoints_flow_proto(flow.proto, ports),
            src: self.endpoint(flow.orig.0, ports.then_some(flow.orig.1)),
            dst: self.endpoint(flow.resp.0, ports.then_some(flow.resp.1)),
            body,
            hits,
        }
    }

    /// Turns what the application parsers found into transactions/events.
    fn take_app_output(&mut self, flow: &FlowContext, out: &mut VecDeque<Event>) {
        let mut items = std::mem::take(&mut self.app_out);
        for o in items.drain(..) {
            match o.item {
                AppItem::Dns { msg, from_orig } => {
                    let (src, dst) = if from_orig {
                        (flow.orig, flow.resp)
                    } else {
                        (flow.resp, flow.orig)
                    };
                    self.dns
                        .on_message(o.ts_us, src, dst, proto::TCP, msg, &mut self.finished_dns);
                }
                AppItem::Http(t) => {
                    let mut hits = Vec::new();
                    if let Some(host) = &t.fields.host {
                        self.match_host(host, "host", &mut hits);
                    }
                    if let Some(uri) = &t.fields.uri {
                        self.intel
                            .match_url(t.fields.host.as_deref(), uri, &mut hits);
                    }
                    self.match_endpoints(flow.orig.0, flow.resp.0, &mut hits);
                    let mut sigs = Vec::new();
                    let ports = (flow.orig.1, flow.resp.1);
                    if !self.content.is_empty() {
                        let f = &t.fields;
                        let mut v = FieldValues::default();
                        v.set(Field::HttpMethod, b(&f.method));
                        v.set(Field::HttpUri, b(&f.uri));
                        v.set(Field::HttpHost, b(&f.host));
                        v.set(Field::HttpUserAgent, b(&f.user_agent));
                        v.set(Field::HttpReferrer, b(&f.referrer));
                        v.set(
                            Field::HttpHeader,
                            (!t.header.is_empty()).then_some(&t.header[..]),
                        );
                        v.set(
                            Field::HttpResponseHeader,
                            (!t.response_header.is_empty()).then_some(&t.response_header[..]),
                        );
                        self.content
                            .matches(&v, &HTTP_FIELDS, SigDirection::Any, ports, &mut sigs);
                    }
                    let e = Event {
                        ts: t.ts_us.div_euclid(1000),
                        flow: flow.community_id.into(),
                        flow_proto: Event::endpoints_flow_proto(flow.proto, true),
                        src: self.endpoint(flow.orig.0, Some(flow.orig.1)),
                        dst: self.endpoint(flow.resp.0, Some(flow.resp.1)),
                        body: Body::Http(t.fields),
                        hits,
                    };
                    self.push_with_records(e, &sigs, out);
                }
                AppItem::RpcEndpoint(e) => self.rpc_interfaces.learn_endpoint(flow.resp.0, &e),
                AppItem::Event(mut body) => {
                    if let Body::DceRpc(d) = &mut body {
                        self.rpc_interfaces.observe((flow.resp.0, flow.resp.1), d);
                    }
                    let e = self.flow_event(flow, true, body, o.ts_us);
                    self.push_file(e, &[], out);
                }
                AppItem::Tls(t) => {
                    let mut hits = Vec::new();
                    if let Some(sni) = &t.sni {
                        self.match_host(sni, "sni", &mut hits);
                    }
                    self.intel
                        .match_exact(IocKind::Ja3, &t.ja3, "ja3", &mut hits);
                    self.intel
                        .match_exact(IocKind::Ja4, &t.ja4, "ja4", &mut hits);
                    if let Some(sha1) = &t.cert_sha1 {
                        self.intel
                            .match_exact(IocKind::Hash, sha1, "cert_sha1", &mut hits);
                    }
                    for name in &t.san {
                        self.match_host(name, "san", &mut hits);
                    }
                    self.match_endpoints(flow.orig.0, flow.resp.0, &mut hits);
                    let mut sigs = Vec::new();
                    let ports = (flow.orig.1, flow.resp.1);
                    if !self.content.is_empty() {
                        let mut v = FieldValues::default();
                        v.set(Field::TlsSni, t.sni.as_deref().map(str::as_bytes));
                        v.set(Field::TlsSubject, t.subject.as_deref().map(str::as_bytes));
                        v.set(Field::TlsIssuer, t.issuer.as_deref().map(str::as_bytes));
                        self.content
                            .matches(&v, &TLS_FIELDS, SigDirection::Any, ports, &mut sigs);
                    }
                    let e = Event {
                        ts: o.ts_us.div_euclid(1000),
                        flow: flow.community_id.into(),
                        flow_proto: Event::endpoints_flow_proto(flow.proto, true),
                        src: self.endpoint(flow.orig.0, Some(flow.orig.1)),
                        dst: self.endpoint(flow.resp.0, Some(flow.resp.1)),
                        body: Body::Tls(t),
                        hits,
                    };
                    self.push_with_records(e, &sigs, out);
                }
                AppItem::FtpData(ch) => {
                    let key = (ch.host.unwrap_or(flow.resp.0), ch.port);
                    // A new announcement does not forget a transfer's name.
                    let keep = ch.transfer.is_none() && self.ftp_data.contains_key(&key);
                    if !keep
                        && self
                            .ftp_data
                            .insert(key, (ch.active, ch.transfer))
                            .is_none()
                    {
                        self.ftp_data_order.push_back(key);
                    }
                    while self.ftp_data_order.len() > MAX_FTP_DATA {
                        if let Some(old) = self.ftp_data_order.pop_front() {
                            self.ftp_data.remove(&old);
                        }
                    }
                }
                AppItem::File(f) => {
                    let FileItem {
                        ts_us,
                        mut body,
                        inspect,
                    } = *f;
                    if body.source == "ftp" {
                        if let Some((active, announced)) = self.ftp_data.remove(&flow.resp) {
                            self.ftp_data_order.retain(|k| *k != flow.resp);
                            // Direction is relative to the FTP client; in
                            // active mode the server opened this connection.
                            if active {
                                body.direction = if body.direction == UPLOAD {
                                    DOWNLOAD
                                } else {
                                    UPLOAD
                                };
                            }
                            match announced {
                                // A directory listing, not a file.
                                Some(t) if !t.file => continue,
                                Some(t) => body.name = t.name,
                                None => {}
                            }
                        }
                    }
                    let mut hits = Vec::new();
                    if let (Some(host), Some(uri)) = (&body.host, &body.uri) {
                        self.intel.match_url(Some(host), uri, &mut hits);
                    }
                    let mut sigs = Vec::new();
                    if !self.content.is_empty() && !inspect.is_empty() {
                        // Downloads are `file.data`, uploads the request body.
                        let (field, dir) = if body.direction == UPLOAD {
                            (Field::HttpRequestBody, SigDirection::ToServer)
                        } else {
                            (Field::FileData, SigDirection::ToClient)
                        };
                        // The request's host and uri travel with the body, so
                        // a signature on both (uri + file.data) can hold here;
                        // one without the body field fired on the http event.
                        let mut v = FieldValues::default();
                        v.set(field, Some(&inspect));
                        v.set(Field::HttpHost, body.host.as_deref().map(str::as_bytes));
                        v.set(Field::HttpUri, body.uri.as_deref().map(str::as_bytes));
                        let fields = [field, Field::HttpHost, Field::HttpUri];
                        let ports = (flow.orig.1, flow.resp.1);
                        self.content.matches(&v, &fields, dir, ports, &mut sigs);
                        sigs.retain(|&i| self.content.signature(i).reads(field));
                    }
                    let mut e = self.flow_event(flow, true, Body::File(body), ts_us);
                    hits.append(&mut e.hits);
                    e.hits = hits;
                    self.push_file(e, &sigs, out);
                }
            }
        }
        self.app_out = items;
    }

    fn emit_pending(&mut self, out: &mut VecDeque<Event>) {
        let mut finished = std::mem::take(&mut self.finished_dns);
        for tx in finished.drain(..) {
            let mut sigs = Vec::new();
            if !self.content.is_empty() {
                let mut v = FieldValues::default();
                v.set(Field::DnsQuery, Some(tx.question.name.as_bytes()));
                let ports = (tx.client.1, tx.server.1);
                self.content
                    .matches(&v, &[Field::DnsQuery], SigDirection::Any, ports, &mut sigs);
            }
            let event = self.dns_event(tx);
            self.push_with_records(event, &sigs, out);
        }
        self.finished_dns = finished;
    }

    fn endpoint(&self, ip: IpAddr, port: Option<u16>) -> Endpoint {
        Endpoint {
            ip,
            port,
            internal: self.home_nets.contains(ip),
        }
    }

    fn conn_event(&self, r: ConnRecord) -> Event {
        let has_ports = matches!(r.proto, proto::TCP | proto::UDP | 132);
        let port = |p: u16| has_ports.then_some(p);
        let mut hits = Vec::new();
        self.match_endpoints(r.orig.0, r.resp.0, &mut hits);
        Event {
            ts: r.first_us.div_euclid(1000),
            flow: r.community_id.into(),
            flow_proto: Event::endpoints_flow_proto(r.proto, has_ports),
            src: self.endpoint(r.orig.0, port(r.orig.1)),
            dst: self.endpoint(r.resp.0, port(r.resp.1)),
            body: Body::Conn(ConnBody {
                proto: match r.proto {
                    proto::TCP => "tcp".into(),
                    proto::UDP => "udp".into(),
                    proto::ICMP | proto::ICMPV6 => "icmp".into(),
                    other => other.to_string().into(),
                },
                app: r.app,
                state: r.state,
                orig_bytes: r.traffic.orig_bytes,
                resp_bytes: r.traffic.resp_bytes,
                orig_pkts: r.traffic.orig_pkts,
                resp_pkts: r.traffic.resp_pkts,
                duration: r.last_us.saturating_sub(r.first_us).div_euclid(1000),
                orig_flags: r.tcp_flags.map(|(o, _)| flag_letters(o)),
                resp_flags: r.tcp_flags.map(|(_, r)| flag_letters(r)),
            }),
            hits,
        }
    }

    fn dns_event(&self, tx: DnsTransaction) -> Event {
        // The id of the query's flow, when still open, spares a SHA-1.
        let key = FlowKey::new(tx.client, tx.server, tx.transport);
        let flow = match self.flows.get(&key) {
            Some(f) => f.community_id,
            None => CommunityId::v1(
                &FlowTuple {
                    src: tx.client.0,
                    dst: tx.server.0,
                    proto: tx.transport,
                    src_port: tx.client.1,
                    dst_port: tx.server.1,
                },
                0,
            ),
        }
        .into();
        let mut hits = Vec::new();
        self.intel
            .match_domain(&tx.question.name, "query", &mut hits);
        for answer in &tx.answers {
            match answer.parse::<IpAddr>() {
                Ok(ip) => self.intel.match_ip(ip, "answers", &mut hits),
                Err(_) => self.intel.match_domain(answer, "answers", &mut hits),
            }
        }
        self.match_endpoints(tx.client.0, tx.server.0, &mut hits);
        Event {
            ts: tx.ts_us.div_euclid(1000),
            flow,
            // community-id orders the endpoints: the flow's id, whichever
            // side began it, is the id of (client, server).
            flow_proto: Event::endpoints_flow_proto(tx.transport, true),
            src: self.endpoint(tx.client.0, Some(tx.client.1)),
            dst: self.endpoint(tx.server.0, Some(tx.server.1)),
            body: Body::Dns(DnsBody {
                query: tx.question.name,
                qtype: qtype_name(tx.question.qtype),
                rcode: tx.rcode.map(rcode_name),
                answers: tx.answers,
                ttl: tx.min_ttl,
                proto: if tx.transport == proto::TCP {
                    "tcp"
                } else {
                    "udp"
                },
                trans_id: tx.id,
            }),
            hits,
        }
    }

    /// A host name (or address literal, with or without a port) against
    /// the domain or IP lists.
    fn match_host(&self, host: &str, field: &'static str, hits: &mut Vec<Hit>) {
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.split_once(']'))
            .map_or_else(
                || {
                    host.rsplit_once(':')
                        .filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()))
                        .map_or(host, |(h, _)| h)
                },
                |(h, _)| h,
            );
        match bare.parse::<IpAddr>() {
            Ok(ip) => self.intel.match_ip(ip, field, hits),
            Err(_) => self
                .intel
                .match_domain(bare.trim_end_matches('.'), field, hits),
        }
    }

    fn match_endpoints(&self, src: IpAddr, dst: IpAddr, hits: &mut Vec<Hit>) {
        self.intel.match_ip(src, "src.ip", hits);
        self.intel.match_ip(dst, "dst.ip", hits);
    }

    /// `sig` events of the signatures raw payload of a flow fired
    /// (`self.fired`); `ctx` is (packet time, the flow).
    fn payload_sigs(&mut self, ctx: (i64, FlowContext), out: &mut VecDeque<Event>) {
        let (ts_us, flow) = ctx;
        let mut fired = std::mem::take(&mut self.fired);
        self.content
            .gate_flowbits(&mut self.flowbits, flow.community_id.as_str(), &mut fired);
        for i in fired {
            let e = Event {
                ts: ts_us.div_euclid(1000),
                flow: flow.community_id.into(),
                flow_proto: Event::endpoints_flow_proto(flow.proto, true),
                src: self.endpoint(flow.orig.0, Some(flow.orig.1)),
                dst: self.endpoint(flow.resp.0, Some(flow.resp.1)),
                body: Body::Sig(self.sig_body(i, "conn")),
                hits: Vec::new(),
            };
            self.counters.events += 1;
            out.push_back(e);
        }
    }

    fn sig_body(&self, i: u32, on: &'static str) -> SigBody {
        let sig = self.content.signature(i);
        SigBody {
            id: sig.id.clone(),
            set: sig.set.clone(),
            class: sig.class.clone(),
            msg: sig.msg.clone(),
            field: sig.hit_field().name(),
            on,
        }
    }

    /// Queues `event`, its `intel` records, then one `sig` event per
    /// signature (index into the content matcher) it fired.
    fn push_with_records(&mut self, event: Event, sigs: &[u32], out: &mut VecDeque<Event>) {
        if sigs.is_empty() {
            return self.push_with_intel(event, out);
        }
        let mut sigs = sigs.to_vec();
        self.content
            .gate_flowbits(&mut self.flowbits, &event.flow, &mut sigs);
        let on = event.kind();
        let records: Vec<Event> = sigs
            .iter()
            .map(|&i| Event {
                ts: event.ts,
                flow: event.flow.clone(),
                flow_proto: event.flow_proto,
                src: event.src,
                dst: event.dst,
                body: Body::Sig(self.sig_body(i, on)),
                hits: Vec::new(),
            })
            .collect();
        self.push_with_intel(event, out);
        self.counters.events += records.len() as u64;
        out.extend(records);
    }

    /// Queues `event`, then one `intel` event per hit it carries.
    fn push_with_intel(&mut self, event: Event, out: &mut VecDeque<Event>) {
        let records: Vec<Event> = event
            .hits
            .iter()
            .map(|h| Event {
                ts: event.ts,
                flow: event.flow.clone(),
                flow_proto: event.flow_proto,
                src: event.src,
                dst: event.dst,
                body: Body::Intel(IntelBody {
                    list: h.list.clone(),
                    ioc: h.ioc,
                    indicator: h.indicator.clone(),
                    value: h.value.clone(),
                    field: h.field,
                    on: event.kind(),
                }),
                hits: Vec::new(),
            })
            .collect();
        self.counters.events += 1 + records.len() as u64;
        out.push_back(event);
        out.extend(records);
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::capture::LinkType;
    use crate::test_data::frames::{dns_query, eth_ipv4, tcp_conversation, udp};

    const CLIENT: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 10);
    const SERVER: Ipv4Addr = Ipv4Addr::new(9, 9, 9, 9);

    fn run(frames: &[Vec<u8>]) -> (Vec<Event>, Counters) {
        let mut p = Pipeline::new(PipelineConfig::default());
        let mut out = VecDeque::new();
        for (i, f) in frames.iter().enumerate() {
            let pkt = RawPacket {
                ts_us: 1_000_000 + i as i64 * 1000,
                link_type: LinkType::ETHERNET,
                data: f,
                orig_len: f.len() as u32,
            };
            p.on_packet(&pkt, &mut out);
        }
        p.finish(&mut out);
        (out.into_iter().collect(), p.counters())
    }

    fn queries(events: &[Event]) -> Vec<&str> {
        events
            .iter()
            .filter_map(|e| match &e.body {
                Body::Dns(d) => Some(d.query.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fragmented_dns_query_is_reassembled() {
        let datagram = udp(40000, 53, &dns_query(7, "fragmented.example.org"));
        let (first, rest) = datagram.split_at(16);
        let frames = [
            eth_ipv4(CLIENT, SERVER, 17, 99, 16, false, rest),
            eth_ipv4(CLIENT, SERVER, 17, 99, 0, true, first),
        ];
        let (events, counters) = run(&frames);
        assert_eq!(queries(&events), ["fragmented.example.org"]);
        assert_eq!(counters.malformed, 0);
        let e = &events[0];
        // The datagram exists from the packet that completed it.
        assert_eq!((e.ts, e.src.internal, e.dst.internal), (1_001, true, false));
    }

    #[test]
    fn a_lone_fragment_gives_no_event_and_no_error() {
        let datagram = udp(40000, 53, &dns_query(7, "lost.example.org"));
        let frames = [eth_ipv4(CLIENT, SERVER, 17, 5, 0, true, &datagram[..16])];
        let (events, counters) = run(&frames);
        assert!(events.is_empty());
        assert_eq!((counters.packets, counters.malformed), (1, 0));
    }

    #[test]
    fn malformed_packets_are_counted_and_reading_goes_on() {
        let good = eth_ipv4(
            CLIENT,
            SERVER,
            17,
            1,
            0,
            false,
            &udp(1, 53, &dns_query(1, "ok.example")),
        );
        let mut bad_dns = good.clone();
        bad_dns.truncate(14 + 20 + 8 + 5);
        bad_dns[14 + 3] = (20 + 8 + 5) as u8; // keep IP length consistent
        let frames = [vec![0u8; 10], bad_dns, good];
        let (events, counters) = run(&frames);
        assert_eq!(queries(&events), ["ok.example"]);
        assert_eq!((counters.packets, counters.malformed), (3, 2));
    }

    fn conns(events: &[Event]) -> Vec<&ConnBody> {
        events
            .iter()
            .filter_map(|e| match &e.body {
                Body::Conn(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tcp_connection_becomes_a_conn_event() {
        let frames = tcp_conversation(
            (CLIENT, 40000),
            (SERVER, 8080),
            &[(true, b"hello"), (false, b"world!")],
        );
        let (events, counters) = run(&frames);
        let c = conns(&events);
        assert_eq!(c.len(), 1);
        let c = c[0];
        assert_eq!((c.proto.as_ref(), c.state, c.app), ("tcp", "SF", None));
        assert_eq!(
            (c.orig_bytes, c.resp_bytes, c.orig_pkts, c.resp_pkts),
            (5, 6, 4, 3)
        );
        assert_eq!(c.duration, 6, "7 packets 1 ms apart");
        assert_eq!(counters.malformed, 0);
        let e = events.iter().find(|e| e.kind() == "conn").unwrap();
        assert_eq!((e.src.port, e.dst.port), (Some(40000), Some(8080)));
    }

    #[test]
    fn dns_over_tcp_is_joined_like_udp() {
        let query = dns_query(77, "tcp.example.net");
        let mut framed = (query.len() as u16).to_be_bytes().to_vec();
        framed.extend_from_slice(&query);
        let mut response = query.clone();
        response[2] = 0x81; // QR=1
        let mut framed_resp = (response.len() as u16).to_be_bytes().to_vec();
        framed_resp.extend_from_slice(&response);
        let frames = tcp_conversation(
            (CLIENT, 40001),
            (SERVER, 53),
            &[(true, &framed), (false, &framed_resp)],
        );
        let (events, _) = run(&frames);
        let dns: Vec<&DnsBody> = events
            .iter()
            .filter_map(|e| match &e.body {
                Body::Dns(d) => Some(d),
                _ => None,
            })
            .collect();
        assert_eq!(dns.len(), 1);
        assert_eq!(
            (dns[0].query.as_str(), dns[0].proto, dns[0].rcode.as_deref()),
            ("tcp.example.net", "tcp", Some("NOERROR"))
        );
        assert_eq!(conns(&events)[0].app, Some("dns"));
    }

    #[test]
    fn icmp_echo_is_one_flow_without_ports() {
        let echo = |src, dst, ty| eth_ipv4(src, dst, 1, 0, 0, false, &[ty, 0, 0, 0, 0, 1, 0, 1]);
        let frames = [echo(CLIENT, SERVER, 8), echo(SERVER, CLIENT, 0)];
        let (events, _) = run(&frames);
        let e = events.iter().find(|e| e.kind() == "conn").unwrap();
        assert_eq!((e.src.port, e.dst.port), (None, None));
        let Body::Conn(c) = &e.body else {
            unreachable!()
        };
        assert_eq!(
            (c.proto.as_ref(), c.state, c.orig_pkts, c.resp_pkts),
            ("icmp", "SF", 1, 1)
        );
        assert_eq!(events.iter().filter(|e| e.kind() == "conn").count(), 1);
    }

    #[test]
    fn two_pings_between_the_same_hosts_are_two_flows_with_one_community_id() {
        // Echo identifiers 1 and 2 (bytes 4-5 of the ICMP message).
        let echo = |src, dst, ty, id: u8| {
            eth_ipv4(
                src,
                dst,
                1,
                0,
                0,
                false,
                &[ty, 0, 0, 0, 0, id, 0, 1, 0x61, 0x62],
            )
        };
        let frames = [
            echo(CLIENT, SERVER, 8, 1),
            echo(CLIENT, SERVER, 8, 2),
            echo(SERVER, CLIENT, 0, 2),
            echo(SERVER, CLIENT, 0, 1),
            echo(CLIENT, SERVER, 8, 1),
        ];
        let (events, _) = run(&frames);
        let conns: Vec<&ConnBody> = conns(&events);
        let mut pkts: Vec<(u64, u64)> = conns.iter().map(|c| (c.orig_pkts, c.resp_pkts)).collect();
        pkts.sort_unstable();
        assert_eq!(pkts, [(1, 1), (2, 1)]);
        let icmp: Vec<&Event> = events.iter().filter(|e| e.kind() == "icmp").collect();
        assert_eq!(icmp.len(), 2);
        // Community-id has no identifier: both flows hash alike (spec vector:
        // 1.2.3.4 -> 5.6.7.8 echo is 1:crodRHL2FEsHjbv3UkRrfbs4bZ0=).
        let ids: Vec<&str> = events
            .iter()
            .filter(|e| e.kind() == "conn")
            .map(|e| e.flow.as_str())
            .collect();
        assert_eq!(ids[0], ids[1]);
        assert_eq!(
            ids[0],
            crate::net::community_id_v1(
                &FlowTuple {
                    src: IpAddr::V4(CLIENT),
                    dst: IpAddr::V4(SERVER),
                    proto: 1,
                    src_port: 8,
                    dst_port: 0
                },
                0
            )
        );
    }

    #[test]
    fn http_exchange_becomes_an_http_event_and_conn_app() {
        let plan = crate::intel::MatchPlan::parse(
            r#"{"v":1,"intel":[{"list":"bad","ioc":"domain","entries":["evil.example"]}]}"#,
        )
        .unwrap();
        let mut p = Pipeline::new(PipelineConfig {
            intel: Arc::new(IntelMatcher::new(&plan)),
            ..PipelineConfig::default()
        });
        let frames = tcp_conversation(
            (CLIENT, 40002),
            (SERVER, 80),
            &[
                (
                    true,
                    b"GET /x HTTP/1.1\r\nHost: www.Evil.example:80\r\n\r\n",
                ),
                (false, b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
            ],
        );
        let mut out = VecDeque::new();
        for (i, f) in frames.iter().enumerate() {
            let pkt = RawPacket {
                ts_us: i as i64 * 1000,
                link_type: LinkType::ETHERNET,
                data: f,
                orig_len: 0,
            };
            p.on_packet(&pkt, &mut out);
        }
        p.finish(&mut out);
        let events: Vec<Event> = out.into_iter().collect();
        let http = events.iter().find(|e| e.kind() == "http").unwrap();
        let Body::Http(h) = &http.body else {
            unreachable!()
        };
        assert_eq!(
            (h.host.as_deref(), h.uri.as_deref(), h.status, h.body_len),
            (Some("www.evil.example:80"), Some("/x"), Some(200), Some(3))
        );
        assert_eq!(http.hits.len(), 1);
        assert_eq!(
            (http.hits[0].indicator.as_str(), http.hits[0].field),
            ("evil.example", "host")
        );
        assert!(events
            .iter()
            .any(|e| matches!(&e.body, Body::Intel(i) if i.on == "http")));
        assert_eq!(conns(&events)[0].app, Some("http"));
        assert_eq!(
            http.flow,
            events.iter().find(|e| e.kind() == "conn").unwrap().flow
        );
    }

    fn run_with_plan(plan: &str, frames: &[Vec<u8>]) -> Vec<Event> {
        let plan = crate::intel::MatchPlan::parse(plan).unwrap();
        let mut p = Pipeline::new(PipelineConfig {
            content: Arc::new(ContentMatcher::new(&plan.content, Default::default())),
            intel: Arc::new(IntelMatcher::new(&plan)),
            ..PipelineConfig::default()
        });
        let mut out = VecDeque::new();
        for (i, f) in frames.iter().enumerate() {
            let pkt = RawPacket {
                ts_us: i as i64 * 1000,
                link_type: LinkType::ETHERNET,
                data: f,
                orig_len: 0,
            };
            p.on_packet(&pkt, &mut out);
        }
        p.finish(&mut out);
        out.into_iter().collect()
    }

    fn sig_summary(events: &[Event]) -> Vec<(String, &'static str, &'static str)> {
        events
            .iter()
            .filter_map(|e| match &e.body {
                Body::Sig(s) => Some((s.id.to_string(), s.field, s.on)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn content_signatures_fire_on_http_fields_and_raw_payload() {
        let plan = r#"{"v":1,"content":[
            {"id":"et-open:1","msg":"uri","class":"malware.c2","patterns":[
                {"literal":"POST","field":"http.method"},
                {"literal":"/gate.php","nocase":true,"field":"http.uri","startsWith":true}]},
            {"id":"et-open:2","msg":"banner","class":"malware.c2","direction":"to_client","patterns":[
                {"literal":"|7c|BOT|7c|","field":"payload"},
                {"literal":"ready","field":"payload","distance":0,"within":8}]},
            {"id":"et-open:3","msg":"not to server","class":"x","direction":"to_server","patterns":[
                {"literal":"|7c|BOT|7c|","field":"payload"}]},
            {"id":"et-open:4","msg":"header","class":"x","patterns":[
                {"literal":"content-length: 0","nocase":true,"field":"http.header"},
                {"literal":"Host","field":"http.header","startsWith":true}]}]}"#;
        let frames = tcp_conversation(
            (CLIENT, 40003),
            (SERVER, 80),
            &[
                (
                    true,
                    b"POST /GATE.php HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                ),
                (
                    false,
                    b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n|7c|BO",
                ),
                (false, b"T|7c| ready"),
            ],
        );
        let events = run_with_plan(plan, &frames);
        assert_eq!(
            sig_summary(&events),
            [
                ("et-open:1".into(), "http.uri", "http"),
                ("et-open:4".into(), "http.header", "http"),
                ("et-open:2".into(), "payload", "conn"),
            ]
        );
        // UDP datagrams are inspected one by one, once per flow.
        let dgram = |p: &[u8]| eth_ipv4(SERVER, CLIENT, 17, 1, 0, false, &udp(7777, 40000, p));
        let hello = eth_ipv4(CLIENT, SERVER, 17, 1, 0, false, &udp(40000, 7777, b"hi"));
        let frames = [
            hello,
            dgram(b"|7c|BOT|7c| ready"),
            dgram(b"|7c|BOT|7c| ready"),
        ];
        assert_eq!(
            sig_summary(&run_with_plan(plan, &frames)),
            [("et-open:2".into(), "payload", "conn")]
        );
    }

    /// A datagram to port 53 that is not DNS (a tunnel, a damaged message)
    /// is counted malformed, yet the signatures it fired are its own flow's:
    /// they once went out with the next packet's flow instead.
    #[test]
    fn signatures_of_a_datagram_that_is_not_dns_stay_with_its_flow() {
        let plan = r#"{"v":1,"content":[{"id":"s:tunnel","msg":"tunnel","class":"x","proto":"udp",
            "patterns":[{"literal":"tunnel-data","field":"payload"}]}]}"#;
        let frames = [
            eth_ipv4(
                CLIENT,
                SERVER,
                17,
                1,
                0,
                false,
                &udp(40001, 53, b"\x01tunnel-data"),
            ),
            eth_ipv4(
                CLIENT,
                SERVER,
                17,
                2,
                0,
                false,
                &udp(40002, 53, &dns_query(7, "example.org")),
            ),
        ];
        let events = run_with_plan(plan, &frames);
        let sigs: Vec<_> = events
            .iter()
            .filter(|e| e.kind() == "sig")
            .map(|e| e.src.port)
            .collect();
        assert_eq!(sigs, [Some(40001)]);
    }

    /// ET-style flowbits chain: a noalert rule marks the flow on the
    /// request, the response's body is judged by the mark.
    #[test]
    fn flowbits_set_on_the_request_decide_on_the_response() {
        let plan = r#"{"v":1,"content":[
            {"id":"s:set","msg":"stage1","class":"x","proto":"http","direction":"to_server",
             "patterns":[{"literal":"/stage1","field":"http.uri"}],
             "flowbits":{"set":["ET.stage1"],"noalert":true}},
            {"id":"s:pe","msg":"pe after stage1","class":"x","proto":"http","direction":"to_client",
             "patterns":[{"literal":"MZ","field":"file.data","startsWith":true}],
             "flowbits":{"isset":["ET.stage1"]}},
            {"id":"s:pe-alone","msg":"pe without stage1","class":"x","proto":"http",
             "patterns":[{"literal":"MZ","field":"file.data","startsWith":true}],
             "flowbits":{"isnotset":["ET.stage1"]}},
            {"id":"s:any","msg":"any request after stage1","class":"x","proto":"http",
             "patterns":[],"flowbits":{"isset":["ET.stage1"]}},
            {"id":"s:orphan","msg":"never set","class":"x","proto":"http",
             "patterns":[{"literal":"/","field":"http.uri"}],"flowbits":{"isset":["nobody"]}}]}"#;
        let exchange = |port: u16, uri: &str| {
            let req = format!("GET {uri} HTTP/1.1\r\nHost: x\r\n\r\n");
            tcp_conversation(
                (CLIENT, port),
                (SERVER, 80),
                &[
                    (true, req.as_bytes()),
                    (
                        false,
                        b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nMZ\x90\x00",
                    ),
                ],
            )
        };
        let mut frames = exchange(40030, "/stage1");
        frames.extend(exchange(40031, "/other"));
        let events = run_with_plan(plan, &frames);
        let flow_of = |port: u16| {
            events
                .iter()
                .find(|e| e.kind() == "http" && e.src.port == Some(port))
                .map(|e| e.flow.clone())
                .unwrap()
        };
        let sigs_of = |flow: &str| {
            let mut s: Vec<(String, &str, &str)> = events
                .iter()
                .filter(|e| e.flow == flow)
                .filter_map(|e| match &e.body {
                    Body::Sig(s) => Some((s.id.to_string(), s.field, s.on)),
                    _ => None,
                })
                .collect();
            s.sort();
            s
        };
        assert_eq!(
            sigs_of(&flow_of(40030)),
            [
                ("s:any".into(), "http.method", "http"),
                ("s:pe".into(), "file.data", "file"),
            ]
        );
        assert_eq!(
            sigs_of(&flow_of(40031)),
            [("s:pe-alone".into(), "file.data", "file")]
        );
        let plan = crate::intel::MatchPlan::parse(plan).unwrap();
        let m = ContentMatcher::new(&plan.content, Default::default());
        let r = m.report();
        assert_eq!(r.loaded, 4);
        assert_eq!(
            r.refused
                .get("flowbits: isset of a bit no signature of the plan sets"),
            Some(&1)
        );
    }

    /// DCE/RPC calls on connections whose bind is not in the capture take
    /// the interface of their server endpoint: from an earlier bind on
    /// another connection, or from the endpoint mapper's answer.
    #[test]
    fn dcerpc_calls_without_their_bind_are_attributed_and_marked_inferred() {
        use crate::app::dcerpc::endpoints_tests::tower_bytes;
        use crate::app::dcerpc::tests::{bind_pdu, pdu, request_pdu};
        const DRSUAPI: &str = "e3514235-4b06-11d1-ab04-00c04fc2dcd2";
        const EPM: &str = "e1af8308-5d1f-11c9-91a4-08002b14a0fa";
        const SVCCTL: &str = "367abb81-9844-35f1-ad32-98f038001003";
        // The endpoint mapper says drsuapi is at port 49667 of the server.
        let mut ask = bind_pdu(&[(0, EPM)]);
        ask.extend(request_pdu(0, 3, 3));
        let mut answer = vec![0u8; 8];
        answer.extend(tower_bytes(DRSUAPI, 49667, [0, 0, 0, 0]));
        let answer = pdu(2, 3, &answer);
        let mut frames = tcp_conversation(
            (CLIENT, 40040),
            (SERVER, 135),
            &[(true, &ask), (false, &answer)],
        );
        // A connection to it that started before the capture: calls only.
        frames.extend(tcp_conversation(
            (CLIENT, 40041),
            (SERVER, 49667),
            &[(true, &request_pdu(1, 3, 3))],
        ));
        // svcctl bound on one connection, then called on another to the same port.
        let mut bound = bind_pdu(&[(0, SVCCTL)]);
        bound.extend(request_pdu(0, 15, 3));
        frames.extend(tcp_conversation(
            (CLIENT, 40042),
            (SERVER, 49670),
            &[(true, &bound)],
        ));
        frames.extend(tcp_conversation(
            (CLIENT, 40043),
            (SERVER, 49670),
            &[(true, &request_pdu(0, 12, 3))],
        ));
        // Nothing known about this endpoint.
        frames.extend(tcp_conversation(
            (CLIENT, 40044),
            (SERVER, 49671),
            &[(true, &request_pdu(0, 1, 3))],
        ));
        let (events, _) = run(&frames);
        let got: Vec<_> = events
            .iter()
            .filter_map(|e| match &e.body {
                Body::DceRpc(d) => Some((e.dst.port, d.service, d.operation, d.inferred)),
                _ => None,
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some(135), Some("epmapper"), Some("ept_map"), None),
                (
                    Some(49667),
                    Some("drsuapi"),
                    Some("DRSGetNCChanges"),
                    Some(true)
                ),
                (Some(49670), Some("svcctl"), Some("OpenSCManagerW"), None),
                (
                    Some(49670),
                    Some("svcctl"),
                    Some("CreateServiceW"),
                    Some(true)
                ),
                (Some(49671), None, None, None),
            ]
        );
    }

    /// `http.header` of a `to_client` signature is the response's block.
    #[test]
    fn http_header_of_to_client_signatures_is_the_response_header() {
        let plan = r#"{"v":1,"content":[
            {"id":"s:resp","msg":"server","class":"x","proto":"http","direction":"to_client",
             "patterns":[{"literal":"Server: EvilCorp","field":"http.header"}]},
            {"id":"s:req","msg":"server in request","class":"x","proto":"http","direction":"to_server",
             "patterns":[{"literal":"Server: EvilCorp","field":"http.header"}]},
            {"id":"s:ua","msg":"request header","class":"x","proto":"http","direction":"to_server",
             "patterns":[{"literal":"X-Bot: 1","field":"http.header"}]}]}"#;
        let frames = tcp_conversation(
            (CLIENT, 40032),
            (SERVER, 80),
            &[
                (true, b"GET / HTTP/1.1\r\nHost: x\r\nX-Bot: 1\r\n\r\n"),
                (
                    false,
                    b"HTTP/1.1 200 OK\r\nServer: EvilCorp\r\nContent-Length: 0\r\n\r\n",
                ),
            ],
        );
        let mut sigs = sig_summary(&run_with_plan(plan, &frames));
        sigs.sort();
        assert_eq!(
            sigs,
            [
                ("s:resp".into(), "http.response_header", "http"),
                ("s:ua".into(), "http.header", "http"),
            ]
        );
    }

    #[test]
    fn http_bodies_reach_file_data_and_request_body_signatures_and_hash_lists() {
        // sha256("MZ") is on a hash list; the response body carries "MZ".
        let plan = r#"{"v":1,"intel":[{"list":"bad.files","ioc":"hash","entries":
            ["9b8db510ef42b8ed54a3712636fda55a4f8cfcd5493e20b74ab00cd4f3979f2d"]}],
            "content":[
            {"id":"s:1","msg":"pe","class":"malware","patterns":[
                {"literal":"MZ","field":"file.data","startsWith":true}]},
            {"id":"s:2","msg":"upload","class":"exfil","patterns":[
                {"literal":"secret","field":"http.request_body"}]},
            {"id":"s:3","msg":"not in the response","class":"x","patterns":[
                {"literal":"secret","field":"file.data"}]}]}"#;
        let frames = tcp_conversation(
            (CLIENT, 40004),
            (SERVER, 80),
            &[
                (
                    true,
                    b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nmy secret",
                ),
                (false, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nMZ"),
            ],
        );
        let events = run_with_plan(plan, &frames);
        let mut sigs = sig_summary(&events);
        sigs.sort();
        assert_eq!(
            sigs,
            [
                ("s:1".into(), "file.data", "file"),
                ("s:2".into(), "http.request_body", "file"),
            ]
        );
        let hashed: Vec<_> = events
            .iter()
            .filter(|e| e.kind() == "file" && !e.hits.is_empty())
            .map(|e| (e.hits[0].field, e.hits[0].list.to_string()))
            .collect();
        assert_eq!(hashed, [("sha256", "bad.files".to_string())]);
    }

    #[test]
    fn ftp_data_connections_become_named_files() {
        let mut frames = tcp_conversation(
            (CLIENT, 40010),
            (SERVER, 21),
            &[
                (false, b"220 ready\r\n"),
                (true, b"PASV\r\n"),
                (false, b"227 Entering Passive Mode (9,9,9,9,200,10)\r\n"),
                (true, b"RETR tool.exe\r\n"),
                (false, b"150 Opening\r\n226 Done\r\n"),
            ],
        );
        frames.extend(tcp_conversation(
            (CLIENT, 40011),
            (SERVER, 51210),
            &[(false, b"MZ"), (false, b"\x90\x00")],
        ));
        let (events, _) = run(&frames);
        let files: Vec<_> = events
            .iter()
            .filter_map(|e| match &e.body {
                Body::File(f) => {
                    Some((f.source, f.direction, f.name.as_deref(), f.size, f.complete))
                }
                _ => None,
            })
            .collect();
        assert_eq!(files, [("ftp", "download", Some("tool.exe"), 4, true)]);
        assert_eq!(
            conns(&events).iter().map(|c| c.app).collect::<Vec<_>>(),
            [Some("ftp"), Some("ftp")]
        );
    }

    /// Active mode: the client says where to connect (PORT, EPRT) and the
    /// server opens the data connection from port 20. A RETR is still a
    /// download and a STOR an upload: direction is relative to the FTP
    /// client, not to the data connection's originator.
    #[test]
    fn ftp_active_mode_keeps_direction_relative_to_the_client() {
        let mut frames = tcp_conversation(
            (CLIENT, 40020),
            (SERVER, 21),
            &[
                (false, b"220 ready\r\n"),
                (true, b"PORT 192,168,1,10,156,65\r\n"),
                (false, b"200 PORT ok\r\n"),
                (true, b"RETR tool.exe\r\n"),
                (false, b"150 Opening\r\n226 Done\r\n"),
                (true, b"EPRT |1|192.168.1.10|40002|\r\n"),
                (false, b"200 EPRT ok\r\n"),
                (true, b"STOR loot.zip\r\n"),
                (false, b"150 Opening\r\n226 Done\r\n"),
            ],
        );
        // 156 * 256 + 65 = 40001: the server sends the file to the client.
        frames.extend(tcp_conversation(
            (SERVER, 20),
            (CLIENT, 40001),
            &[(true, b"MZ\x90\x00")],
        ));
        // The client sends its file over the connection the server opened.
        frames.extend(tcp_conversation(
            (SERVER, 20),
            (CLIENT, 40002),
            &[(false, b"PK\x03\x04rest")],
        ));
        let (events, _) = run(&frames);
        let mut files: Vec<_> = events
            .iter()
            .filter_map(|e| match &e.body {
                Body::File(f) => Some((f.direction, f.name.as_deref(), f.size, e.src.port)),
                _ => None,
            })
            .collect();
        files.sort_unstable();
        assert_eq!(
            files,
            [
                ("download", Some("tool.exe"), 4, Some(20)),
                ("upload", Some("loot.zip"), 8, Some(20)),
            ]
        );
    }
}

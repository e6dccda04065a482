//! A network interface as a source of events, pulled in batches like a
//! capture file. Reading never blocks: a batch holds what the ring has now
//! (possibly nothing); [`LiveSource::wait`] blocks for callers that want to.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use super::bpf::compile_filter;
use super::error::LiveError;
use super::ring::{Ring, RingStats};
use crate::capture::RawPacket;
use crate::content::{ContentMatcher, InspectCaps};
use crate::encode::encode_wire_batch;
use crate::event::Event;
use crate::intel::{IntelMatcher, MatchPlan, PlanError};
use crate::net::HomeNets;
use crate::pipeline::{Pipeline, PipelineConfig};

#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    pub home_nets: Option<Vec<String>>,
    /// Match plan v1 JSON text.
    pub plan: Option<String>,
    /// BPF filter expression (tcpdump syntax); needs libpcap at run time.
    pub filter: Option<String>,
    /// Ring size in MiB (default 64: about 0.5 s of a saturated 1 Gbit/s link).
    pub ring_mib: Option<u32>,
}

/// Counters of a live source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveStats {
    pub packets: u64,
    pub bytes: u64,
    pub malformed: u64,
    pub events: u64,
    /// See [`crate::stats::Counters`].
    pub app_dropped: u64,
    pub encrypted: u64,
    /// The kernel's counters: packets that passed the filter, and those it
    /// dropped because the ring was full (the sensor fell behind).
    pub kernel: RingStats,
}

#[derive(Debug)]
pub struct LiveSource {
    ring: Ring,
    pipeline: Pipeline,
    queue: VecDeque<Event>,
    /// Capture time of the newest packet, to expire flows on a quiet link.
    last_ts_us: i64,
    closed: bool,
}

const BLOCK_SIZE: usize = 1 << 20;

fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

impl LiveSource {
    pub fn open(interface: &str, options: LiveOptions) -> Result<Self, LiveError> {
        let home_nets = match &options.home_nets {
            Some(blocks) => HomeNets::parse(blocks).map_err(|e| {
                LiveError::Options(format!("homeNets: {e}; give CIDR blocks like 10.0.0.0/8"))
            })?,
            None => HomeNets::default(),
        };
        let caps = InspectCaps::default();
        let (intel, content) = match &options.plan {
            Some(json) => {
                let plan = MatchPlan::parse(json).map_err(|e| LiveError::Options(e.to_string()))?;
                (
                    IntelMatcher::new(&plan),
                    ContentMatcher::new(&plan.content, caps),
                )
            }
            None => (
                IntelMatcher::default(),
                ContentMatcher::new::<&str>(&[], caps),
            ),
        };
        let filter = match options.filter.as_deref().map(str::trim) {
            Some(expr) if !expr.is_empty() => {
                Some(compile_filter(expr).map_err(LiveError::Filter)?)
            }
            _ => None,
        };
        let ring_mib = options.ring_mib.unwrap_or(64).clamp(2, 4096) as usize;
        let ring = Ring::open(interface, BLOCK_SIZE, ring_mib, filter.as_deref())?;
        Ok(Self {
            ring,
            pipeline: Pipeline::new(PipelineConfig {
                home_nets,
                intel: Arc::new(intel),
                content: Arc::new(content),
                ..PipelineConfig::default()
            }),
            queue: VecDeque::new(),
            last_ts_us: i64::MIN,
            closed: false,
        })
    }

    /// Matches packets from now on against `plan_json`; a bad plan leaves
    /// the old one.
    pub fn set_plan(&mut self, plan_json: &str) -> Result<(), PlanError> {
        let plan = MatchPlan::parse(plan_json)?;
        let caps = self.pipeline.content().caps();
        self.pipeline.set_intel(IntelMatcher::new(&plan));
        self.pipeline
            .set_content(Arc::new(ContentMatcher::new(&plan.content, caps)));
        Ok(())
    }

    /// Blocks up to `timeout_ms` until packets or events are ready.
    pub fn wait(&self, timeout_ms: i32) -> bool {
        !self.queue.is_empty() || self.ring.wait(timeout_ms)
    }

    /// Up to `max` events from what has arrived; never blocks, may be empty.
    pub fn next_events(&mut self, max: usize) -> Vec<Event> {
        let max = max.max(1);
        let mut read_any = false;
        while self.queue.len() < max && !self.closed {
            let (pipeline, queue, last) =
                (&mut self.pipeline, &mut self.queue, &mut self.last_ts_us);
            let got = self.ring.next_block(|f| {
                *last = (*last).max(f.ts_us);
                let p = RawPacket {
                    ts_us: f.ts_us,
                    link_type: f.link_type,
                    data: f.data,
                    orig_len: f.orig_len,
                };
                pipeline.on_packet(&p, queue);
            });
            if !got {
                break;
            }
            read_any = true;
        }
        if !read_any && !self.closed && self.queue.is_empty() {
            // A quiet link: flows and queries still time out.
            self.pipeline
                .advance(now_us().max(self.last_ts_us), &mut self.queue);
        }
        let n = self.queue.len().min(max);
        self.queue.drain(..n).collect()
    }

    /// One wire batch v2 of up to `max` events (`"n":0` when nothing is ready).
    pub fn next_batch(&mut self, max: usize) -> Vec<u8> {
        let events = self.next_events(max);
        let mut out = Vec::with_capacity(events.len() * 256 + 32);
        encode_wire_batch(&events, &mut out);
        out
    }

    /// Stops reading: every open flow and pending query ends and is queued
    /// for the next batches.
    pub fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            self.pipeline.finish(&mut self.queue);
        }
    }

    pub fn is_drained(&self) -> bool {
        self.closed && self.queue.is_empty()
    }

    pub fn stats(&mut self) -> LiveStats {
        let c = self.pipeline.counters();
        LiveStats {
            packets: c.packets,
            bytes: c.bytes,
            malformed: c.malformed,
            events: c.events,
            app_dropped: c.app_dropped,
            encrypted: c.encrypted,
            kernel: self.ring.stats(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_interface_is_named() {
        let err = LiveSource::open("socbox-nope0", LiveOptions::default()).unwrap_err();
        let msg = err.to_string();
        // Without the privilege the socket call fails before the name is looked up.
        assert!(
            msg.contains("no network interface named \"socbox-nope0\"")
                || msg.contains("CAP_NET_RAW"),
            "{msg}"
        );
    }

    #[test]
    fn a_bad_filter_is_refused_before_any_socket() {
        let options = LiveOptions {
            filter: Some("tcp prot 80".into()),
            ..LiveOptions::default()
        };
        let msg = LiveSource::open("lo", options).unwrap_err().to_string();
        assert!(msg.starts_with("filter: "), "{msg}");
    }

    /// Loopback traffic the test sends itself (needs root or CAP_NET_RAW;
    /// the netns test in test/e2e covers the real thing in CI).
    #[test]
    fn captures_udp_dns_on_loopback_when_permitted() {
        let mut src = match LiveSource::open("lo", LiveOptions::default()) {
            Ok(s) => s,
            Err(LiveError::Permission { .. }) => {
                eprintln!("skipped: live capture needs root or CAP_NET_RAW");
                return;
            }
            Err(e) => panic!("{e}"),
        };
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let server = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        // A DNS query for example.org, type A.
        let query: &[u8] = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03org\x00\x00\x01\x00\x01";
        // Port 53 needs no listener: the query is on the wire either way.
        sock.send_to(query, server.local_addr().unwrap()).unwrap();
        sock.send_to(query, "127.0.0.1:53").unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while std::time::Instant::now() < deadline {
            src.wait(100);
            src.next_events(100);
            if src.stats().packets >= 2 {
                break;
            }
        }
        src.close();
        let events = src.next_events(1000);
        let st = src.stats();
        assert!(st.packets >= 2 && st.kernel.packets >= 2, "{st:?}");
        assert!(
            events.iter().any(|e| e.kind() == "dns"),
            "{:?}",
            events.iter().map(Event::kind).collect::<Vec<_>>()
        );
    }
}

//! One capture file as a source of events, pulled in batches.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::boundary::NdjsonPump;
use crate::capture::{CaptureError, CaptureFile, LinesAhead, PacketReader, Record};
use crate::content::{ContentMatcher, ContentReport, InspectCaps};
use crate::encode::{encode_wire_batch, write_ndjson_line};
use crate::event::Event;
use crate::flow::ahead::DEPTH;
use crate::flow::FlowAhead;
use crate::intel::{IntelMatcher, PlanError};
use crate::net::{CidrError, HomeNets};
use crate::outbox::Outbox;
use crate::pipeline::{Pipeline, PipelineConfig};
use crate::plan_load::{load_plan_file, load_plan_text};
use crate::resume_marks::{whole_ms, ResumeMarks};

/// Flows ended per step at the end of input: the events of the flows still
/// open are queued about a batch at a time, not all at once. Tests take 2,
/// so the small captures they read end in many steps too (and the restart
/// tests cover stops between them).
const FINISH_STEP_FLOWS: usize = if cfg!(test) { 2 } else { 1024 };

/// Options of a source; absent ones take the contract's defaults.
#[derive(Debug, Default, Clone)]
pub struct SourceOptions {
    /// CIDR blocks of the home networks; default RFC 1918 + 100.64/10 +
    /// fc00::/7 + link-local.
    pub home_nets: Option<Vec<String>>,
    /// Match plan v1 JSON text.
    pub plan: Option<String>,
    /// A file holding the match plan (a rule pack or a bare plan), read
    /// here when `plan` is not given.
    pub plan_file: Option<PathBuf>,
    /// Byte offset to start reading at: a record boundary, as `offset` or
    /// `resume_offset` of [`SourceStats`] reported it for the same file.
    pub start_offset: Option<u64>,
    /// Content inspection caps; default 16 KiB of raw payload per flow
    /// direction, 1 MiB per HTTP body.
    pub caps: Option<InspectCaps>,
    /// Exactly-once restart at a [`ResumePoint`] of the same file (then
    /// `start_offset` is ignored).
    pub resume: Option<ResumePoint>,
}

/// Where a source stopped, for a restart that hands out exactly what the
/// stopped one did not. Packets from `read_from` up to `emit_from` are read
/// again only to rebuild the flows and queries that were open (those older
/// than `time_us` are skipped, their flows' events are all out); their
/// events, the first `emit_skip` of the packet at `emit_from`, and what the
/// tails of `torn` flows produce (see `resume_marks::EndedFlows`) went out
/// before and are discarded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumePoint {
    pub read_from: u64,
    pub time_us: i64,
    pub emit_from: u64,
    pub emit_skip: u64,
    /// (community id, last packet time µs).
    pub torn: Vec<(String, i64)>,
}

/// Why a source cannot be opened.
#[derive(Debug)]
pub enum SourceError {
    Capture(CaptureError),
    HomeNets(CidrError),
    Plan(PlanError),
    /// `start_offset` is not where a record starts.
    StartOffset(String),
    /// The threads of a sharded run could not be started.
    Threads(std::io::Error),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Capture(e) => e.fmt(f),
            Self::HomeNets(e) => write!(f, "homeNets: {e}; give CIDR blocks like 10.0.0.0/8"),
            Self::Plan(e) => e.fmt(f),
            Self::StartOffset(why) => write!(f, "startOffset: {why}"),
            Self::Threads(e) => write!(f, "starting the sensor's threads: {e}"),
        }
    }
}

impl std::error::Error for SourceError {}

/// Counters and position of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStats {
    pub packets: u64,
    pub bytes: u64,
    pub malformed: u64,
    pub events: u64,
    /// Byte offset of the next unread record.
    pub offset: u64,
    /// File size in bytes.
    pub size: u64,
    /// Byte offset to start again at after a restart without losing events:
    /// the oldest packet whose events are not all handed out yet (an open
    /// flow, a query waiting for its response, events still queued). Events
    /// of packets from there on that were already handed out come again.
    pub resume_offset: u64,
    /// Events of the packets before this offset were all handed out: where
    /// an exactly-once restart ([`EventSource::resume_point`]) emits again.
    pub emit_offset: u64,
    pub linktype: &'static str,
    /// Content signatures loaded and refused, and the inspection caps.
    pub signatures: usize,
    pub signatures_refused: usize,
    pub payload_cap: usize,
    pub body_cap: usize,
    /// See [`crate::stats::Counters`].
    pub app_dropped: u64,
    pub encrypted: u64,
}

#[derive(Debug)]
pub struct EventSource {
    capture: CaptureFile,
    reader: PacketReader,
    pipeline: Pipeline,
    out: Outbox,
    input_done: bool,
    /// The end of input was read; flows are being ended a part at a time.
    finishing: bool,
    marks: ResumeMarks,
    resume_offset: u64,
    /// Packets of the re-read stretch (see [`Outbox`]) older than this are
    /// skipped: their flows' events are all out.
    warm_time_us: i64,
    /// The batch being handed out and its encoding, kept from call to call:
    /// a fresh megabyte per batch cost a page fault per page (and, with
    /// transparent huge pages, zeroing 2 MB at a time) on every batch.
    batch: Vec<Event>,
    encoded: Vec<u8>,
    /// Bytes of the last batch [`Self::next_batch`] handed out.
    last_batch_len: usize,
    /// The capture's lines asked for ahead of the reader.
    lines: LinesAhead,
}

impl EventSource {
    pub fn open(path: impl AsRef<Path>, options: SourceOptions) -> Result<Self, SourceError> {
        let Opened {
            home_nets,
            intel,
            content,
            capture,
        } = open_parts(path.as_ref(), &options)?;
        let mut reader = capture.reader().map_err(SourceError::Capture)?;
        let resume = options.resume.clone().unwrap_or_default();
        let start = match options
            .resume
            .as_ref()
            .map(|r| r.read_from)
            .or(options.start_offset)
        {
            Some(start) => seek(&mut reader, capture.bytes(), start)?,
            None => reader.offset() as u64,
        };
        let emit_from = options.resume.as_ref().map_or(start, |r| r.emit_from);
        if emit_from < start || emit_from > capture.bytes().len() as u64 {
            return Err(SourceError::StartOffset(format!(
                "emitFrom {emit_from} must lie between startOffset {start} and the end of the file ({} bytes); give both from the same stats() of this file",
                capture.bytes().len()
            )));
        }
        let warm_time_us = options.resume.as_ref().map_or(i64::MIN, |r| r.time_us);
        Ok(Self {
            capture,
            reader,
            pipeline: Pipeline::new(PipelineConfig {
                home_nets,
                intel: Arc::new(intel),
                content: Arc::new(content),
                ..PipelineConfig::default()
            }),
            out: Outbox::new(emit_from, resume.emit_skip, &resume.torn, warm_time_us),
            input_done: false,
            finishing: false,
            marks: ResumeMarks::new(start).with_time(warm_time_us),
            resume_offset: start,
            warm_time_us,
            batch: Vec::new(),
            encoded: Vec::new(),
            last_batch_len: 0,
            lines: LinesAhead::default(),
        })
    }

    /// Matches packets read from now on against `plan_json` (match plan v1);
    /// open flows and queued events stay. A bad plan leaves the old one.
    pub fn set_plan(&mut self, plan_json: &str) -> Result<(), PlanError> {
        let caps = self.pipeline.content().caps();
        let (intel, content) = load_plan_text(plan_json, caps)?;
        self.pipeline.set_intel(intel);
        self.pipeline.set_content(Arc::new(content));
        Ok(())
    }

    /// What loading the current plan's content signatures did.
    pub fn content_report(&self) -> &ContentReport {
        self.pipeline.content().report()
    }

    /// Reads packets until `want` events are queued or the input ends.
    fn fill(&mut self, want: usize) {
        // At the end of input, one event more than wanted stays queued
        // until the last flow ended: the end's events are one trigger
        // (see `Outbox::take`), handed out in part until the whole is out.
        // A second cursor DEPTH records ahead: the flows of its packets are
        // asked for before their turn (see `flow::ahead`).
        // Decided once per call: a table that grows past the size where
        // it pays is looked ahead in from the next call.
        let mut peek = self.pipeline.looks_ahead().then(|| self.reader.clone());
        let mut ahead = FlowAhead::default();
        for _ in 1..DEPTH {
            self.look_ahead(&mut peek, &mut ahead);
        }
        while !self.input_done
            && (self.out.len() < want || (self.finishing && self.out.len() == want))
        {
            let at = self.reader.offset() as u64;
            self.capture.reading_at(at as usize);
            self.lines.reach(self.capture.bytes(), at as usize);
            self.look_ahead(&mut peek, &mut ahead);
            match self.reader.next(self.capture.bytes()) {
                Record::Packet(p) => {
                    self.marks.packet(p.ts_us, at);
                    if self.out.emits_at(at) || p.ts_us >= self.warm_time_us {
                        let pipeline = &mut self.pipeline;
                        let hash = ahead.current();
                        self.out
                            .produce(at, |q| pipeline.on_packet_hashed(&p, hash, q));
                    }
                }
                Record::Skipped => self.pipeline.count_malformed_record(),
                Record::Truncated => {
                    self.pipeline.count_malformed_record();
                }
                Record::End => {
                    self.finishing = true;
                    let at = self.reader.offset() as u64;
                    let pipeline = &mut self.pipeline;
                    let mut done = false;
                    self.out
                        .produce(at, |q| done = pipeline.finish_some(q, FINISH_STEP_FLOWS));
                    self.input_done = done;
                }
            }
        }
    }

    /// Moves `peek` one record on and hands its packet to the pipeline's
    /// look-ahead.
    fn look_ahead(&self, peek: &mut Option<PacketReader>, ahead: &mut FlowAhead) {
        let Some(peek) = peek else {
            return;
        };
        match peek.next(self.capture.bytes()) {
            Record::Packet(p) => self.pipeline.look_ahead(ahead, Some(&p)),
            _ => self.pipeline.look_ahead(ahead, None),
        }
    }

    /// Up to `max` next events; empty at the end of input.
    pub fn next_events(&mut self, max: usize) -> Vec<Event> {
        let mut out = Vec::new();
        self.next_events_into(max, &mut out);
        out
    }

    /// Like [`Self::next_events`], into `out` (emptied first): a caller
    /// handing out batch after batch reuses its vectors.
    fn next_events_into(&mut self, max: usize, out: &mut Vec<Event>) {
        let max = max.max(1);
        self.fill(max);
        self.out.take_into(max, out);
        self.update_resume_offset();
    }

    /// Like [`Self::next_events`], into `self.batch`.
    fn next_batch_events(&mut self, max: usize) {
        let mut batch = std::mem::take(&mut self.batch);
        self.next_events_into(max, &mut batch);
        self.batch = batch;
    }

    fn update_resume_offset(&mut self) {
        // Event times are milliseconds, floored: never later than the packet.
        let queued = self.out.oldest_us();
        let oldest = match (self.pipeline.oldest_pending_us(), queued) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let next = self.reader.offset() as u64;
        let oldest = oldest.map(whole_ms);
        let emit = self.out.emit_offset(next);
        self.resume_offset = self.marks.resume_offset(oldest, next).min(emit);
        let floor = self.marks.floor_time();
        self.out.ended().prune_before(floor);
    }

    /// Where to restart so that exactly what was not handed out comes out.
    pub fn resume_point(&mut self) -> ResumePoint {
        let time_us = self.marks.floor_time();
        let next = self.reader.offset() as u64;
        ResumePoint {
            read_from: self.resume_offset,
            time_us,
            emit_from: self.out.emit_offset(next),
            emit_skip: self.out.emit_skip(),
            torn: self.out.ended().torn(time_us).to_vec(),
        }
    }

    /// One wire batch v2 of up to `max` events, None at the end of input.
    pub fn next_batch(&mut self, max: usize) -> Option<Vec<u8>> {
        self.next_batch_events(max);
        if self.batch.is_empty() {
            return None;
        }
        // Encoded straight into the vector handed out (sized like the last
        // batch), not into `encoded` and then copied.
        let mut out = Vec::with_capacity(self.last_batch_len + self.last_batch_len / 8);
        encode_wire_batch(&self.batch, &mut out);
        self.last_batch_len = out.len();
        Some(out)
    }

    /// Like [`Self::next_batch`], but the bytes stay in a buffer of the
    /// source, valid until the next call: for callers that copy or write
    /// them at once.
    pub fn next_batch_encoded(&mut self, max: usize) -> Option<&[u8]> {
        self.next_batch_events(max);
        if self.batch.is_empty() {
            return None;
        }
        self.encoded.clear();
        encode_wire_batch(&self.batch, &mut self.encoded);
        Some(&self.encoded)
    }

    /// Writes up to `max` events as NDJSON lines to `w`; returns how many,
    /// 0 at the end of input.
    pub fn write_ndjson(&mut self, w: &mut impl Write, max: usize) -> std::io::Result<usize> {
        self.next_batch_events(max);
        self.encoded.clear();
        for e in &self.batch {
            write_ndjson_line(&mut self.encoded, e);
        }
        w.write_all(&self.encoded)?;
        Ok(self.batch.len())
    }

    /// Hands up to `max` events to `pump`, which writes them as NDJSON on
    /// its own thread while this one decodes the next batch; returns how
    /// many, 0 at the end of input, once everything is written. Errors of
    /// writing come back from the call after the batch that met them.
    pub fn pump_ndjson(&mut self, pump: &mut NdjsonPump, max: usize) -> std::io::Result<usize> {
        let mut batch = pump.empty_batch();
        self.next_events_into(max, &mut batch);
        let n = batch.len();
        if n == 0 {
            pump.finish()?;
        } else {
            pump.send(batch)?;
        }
        Ok(n)
    }

    pub fn stats(&self) -> SourceStats {
        let c = self.pipeline.counters();
        SourceStats {
            packets: c.packets,
            bytes: c.bytes,
            malformed: c.malformed,
            events: c.events - self.out.discarded(),
            offset: self.reader.offset() as u64,
            size: self.capture.bytes().len() as u64,
            resume_offset: self.resume_offset,
            emit_offset: self.out.emit_offset(self.reader.offset() as u64),
            linktype: self.reader.link_type().map_or("unknown", |l| l.name()),
            signatures: self.content_report().loaded,
            signatures_refused: self.content_report().refused_total(),
            payload_cap: self.pipeline.content().caps().payload,
            body_cap: self.pipeline.content().caps().body,
            app_dropped: c.app_dropped,
            encrypted: c.encrypted,
        }
    }
}

/// What a source over a file is made of: its options checked, the plan
/// loaded and the capture opened.
pub(crate) struct Opened {
    pub home_nets: HomeNets,
    pub intel: IntelMatcher,
    pub content: ContentMatcher,
    pub capture: CaptureFile,
}

pub(crate) fn open_parts(path: &Path, options: &SourceOptions) -> Result<Opened, SourceError> {
    let home_nets = match &options.home_nets {
        Some(blocks) => HomeNets::parse(blocks).map_err(SourceError::HomeNets)?,
        None => HomeNets::default(),
    };
    let caps = options.caps.unwrap_or_default();
    let load_plan = || match (&options.plan, &options.plan_file) {
        (Some(json), _) => load_plan_text(json, caps),
        (None, Some(path)) => load_plan_file(path, caps),
        (None, None) => Ok((
            IntelMatcher::default(),
            ContentMatcher::new::<&str>(&[], caps),
        )),
    };
    // The capture is mapped and its first window read in while the
    // plan loads (tens of milliseconds of a short run); a bad plan is
    // still the error reported first.
    let (plan, capture) = std::thread::scope(|s| {
        let opening = std::thread::Builder::new()
            .name("capture-open".into())
            .spawn_scoped(s, || CaptureFile::open(path));
        match opening {
            Ok(opening) => {
                let plan = load_plan();
                let capture = opening
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (plan, capture)
            }
            // No thread to be had: one after the other.
            Err(_) => (load_plan(), CaptureFile::open(path)),
        }
    });
    let (intel, content) = plan.map_err(SourceError::Plan)?;
    let capture = capture.map_err(SourceError::Capture)?;
    Ok(Opened {
        home_nets,
        intel,
        content,
        capture,
    })
}

/// Moves `reader` to `start` by walking the records before it (pcapng
/// sections and interfaces ahead of it must be known), without decoding.
fn seek(reader: &mut PacketReader, data: &[u8], start: u64) -> Result<u64, SourceError> {
    if start == 0 {
        return Ok(reader.offset() as u64);
    }
    let mut before = reader.offset() as u64;
    while (reader.offset() as u64) < start {
        before = reader.offset() as u64;
        if reader.next(data) == Record::End {
            break;
        }
    }
    let at = reader.offset() as u64;
    if at == start {
        return Ok(start);
    }
    Err(SourceError::StartOffset(if start > data.len() as u64 {
        format!(
            "{start} is past the end of the file ({} bytes): it is not the capture the offset was taken from",
            data.len()
        )
    } else {
        format!(
            "{start} is not where a record starts (records start at {before} and {at}); give an offset from stats().offset or stats().resumeOffset of this same file"
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Body;
    use crate::test_data::shared_capture;

    fn all_events(src: &mut EventSource) -> Vec<Event> {
        let mut all = Vec::new();
        loop {
            let batch = src.next_events(7);
            if batch.is_empty() {
                return all;
            }
            all.extend(batch);
        }
    }

    fn dns_queries(events: &[Event]) -> Vec<String> {
        let mut q: Vec<String> = events
            .iter()
            .filter_map(|e| match &e.body {
                Body::Dns(d) => Some(d.query.clone()),
                _ => None,
            })
            .collect();
        q.sort();
        q.dedup();
        q
    }

    #[test]
    fn maltrail_dns_queries() {
        let path = shared_capture("MALSITE/maltrail__dns_queries.pcap");
        let mut src = EventSource::open(&path, SourceOptions::default()).unwrap();
        let events = all_events(&mut src);
        assert_eq!(
            dns_queries(&events),
            [
                "badsite.onion.to",
                "clean.example.org",
                "dga1234.wildcard-test.com",
                "evil-test-domain.com",
                "evilname.ip-adress.com",
                "www.evil-parent.com"
            ]
        );
        let stats = src.stats();
        assert_eq!(stats.linktype, "ethernet");
        assert_eq!(stats.offset, stats.size, "read to the end");
        assert_eq!(stats.events, events.len() as u64);
        assert!(stats.packets > 0 && stats.bytes > 0);
    }

    /// Link types and formats across shared captures. Packet counts are
    /// capinfos', unique DNS query counts and names are tshark's
    /// (`-Y dns -T fields -e dns.qry.name`; dns-incomplete is DNS over TCP).
    #[test]
    fn shared_captures_agree_with_tshark() {
        let cases: &[(&str, &str, u64, usize, Option<&str>)] = &[
            (
                "MALSITE/maltrail__dns_queries.pcap",
                "ethernet",
                6,
                6,
                Some("evil-test-domain.com"),
            ),
            (
                "BENIGN/chrissanders-packets__dns_query_response.pcapng",
                "ethernet",
                2,
                1,
                Some("wireshark.org"),
            ),
            (
                "C2/ndpi__dns-tunnel-iodine.pcap",
                "ethernet",
                438,
                222,
                Some("vaaaakardli.pirate.sea"),
            ),
            (
                "suricata-verify/tests/dns/dns-forward-pointer/input.pcap",
                "ethernet",
                2,
                1,
                Some("codemonkey.net"),
            ),
            (
                "suricata-verify/tests/dns/dns-udp-eve-log-srv/input.pcap",
                "raw",
                2,
                1,
                Some("_sip._udp.sip.voice.google.com"),
            ),
            (
                "suricata-verify/pcaps/20250224-dns-additionals-with-cname.pcap",
                "ipv4",
                2,
                1,
                Some("example.com"),
            ),
            (
                "suricata-verify/tests/dns/dns-incomplete/input.pcap",
                "null",
                18,
                2,
                Some("google.net"),
            ),
            (
                "suricata-verify/tests/output-eve-smb-01/input.pcap",
                "linux_sll",
                22,
                0,
                None,
            ),
            ("PARSERS/ja4/pcap/ipv6.pcapng", "null", 9, 0, None),
        ];
        for &(rel, linktype, packets, queries, sample) in cases {
            let mut src = EventSource::open(shared_capture(rel), SourceOptions::default()).unwrap();
            let q = dns_queries(&all_events(&mut src));
            let st = src.stats();
            assert_eq!(
                (st.linktype, st.packets, st.malformed),
                (linktype, packets, 0),
                "{rel}"
            );
            assert_eq!(q.len(), queries, "{rel}: {q:?}");
            if let Some(name) = sample {
                assert!(q.iter().any(|x| x == name), "{rel}: {name} not in {q:?}");
            }
        }
    }

    /// HTTP requests (host, uri) as tshark lists them
    /// (`-Y http.request -T fields -e http.host -e http.request.uri`).
    #[test]
    fn http_requests_agree_with_tshark() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "MALSITE/maltrail__http_trails.pcap",
                &[
                    ("evil-url.example", "/bad/path"),
                    ("hostcheck.example", "/"),
                    ("victim.example", "/malicious-login.php"),
                ],
            ),
            (
                "BENIGN/chrissanders-packets__http_google.pcapng",
                &[("www.google.com", "/")],
            ),
            (
                "MALDL/ndpi__exe_download.pcap",
                &[("144.91.69.195", "/solar.php")],
            ),
            (
                "suricata-verify/tests/http-ipv6/input.pcap",
                &[("[::1]:8000", "/")],
            ),
        ];
        for (rel, expect) in cases {
            let mut src = EventSource::open(shared_capture(rel), SourceOptions::default()).unwrap();
            let mut got: Vec<(String, String)> = all_events(&mut src)
                .into_iter()
                .filter_map(|e| match e.body {
                    Body::Http(h) => Some((h.host.unwrap_or_default(), h.uri.unwrap_or_default())),
                    _ => None,
                })
                .collect();
            got.sort();
            let expect: Vec<(String, String)> = expect
                .iter()
                .map(|(h, u)| (h.to_string(), u.to_string()))
                .collect();
            assert_eq!(got, expect, "{rel}");
            assert_eq!(src.stats().malformed, 0, "{rel}");
        }
    }

    fn tls_events(rel: &str) -> Vec<Event> {
        let mut src = EventSource::open(shared_capture(rel), SourceOptions::default()).unwrap();
        all_events(&mut src)
            .into_iter()
            .filter(|e| e.kind() == "tls")
            .collect()
    }

    /// JA4 and SNI of every ClientHello in FoxIO's expected output for the
    /// PARSERS/ja4 captures (TLS inside SOCKS tunnels included).
    #[test]
    fn ja4_agrees_with_foxio_expected_output() {
        let dir = crate::test_data::shared_data_dir().join("PARSERS/ja4");
        let (mut checked, mut expected_files) = (0, 0);
        let mut listing: Vec<_> = std::fs::read_dir(dir.join("python/test/testdata"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        listing.sort();
        for json_path in listing {
            let name = json_path
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .trim_end_matches(".json")
                .to_owned();
            let rel = format!("PARSERS/ja4/pcap/{name}");
            if !crate::test_data::shared_data_dir().join(&rel).is_file() {
                continue;
            }
            let expected: Vec<serde_json::Value> =
                serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
            let tls = tls_events(&rel);
            for exp in expected.iter().filter(|e| e.get("JA4.1").is_some()) {
                let field = |k: &str| {
                    exp.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let found = tls.iter().find(|e| {
                    e.src.ip.to_string() == field("src")
                        && e.src.port.map(|p| p.to_string()) == Some(field("srcport"))
                        && e.dst.ip.to_string() == field("dst")
                        && e.dst.port.map(|p| p.to_string()) == Some(field("dstport"))
                });
                let Some(e) = found else {
                    panic!("{name}: no tls event for {exp}");
                };
                let Body::Tls(t) = &e.body else {
                    unreachable!()
                };
                assert_eq!(t.ja4, field("JA4.1"), "{name} {exp}");
                let domain = exp.get("domain").and_then(|v| v.as_str());
                assert_eq!(t.sni.as_deref(), domain, "{name} {exp}");
                checked += 1;
            }
            expected_files += 1;
        }
        assert!(
            expected_files >= 10 && checked >= 84,
            "{expected_files} files, {checked} hellos"
        );
    }

    /// JA3 hashes suricata-verify expects (`tls.ja3.hash` in test.yaml of
    /// the TLS 1.3 draft tests).
    #[test]
    fn ja3_agrees_with_suricata_verify() {
        let cases: &[(&str, &[&str])] = &[
            (
                "tls/tls13-draft14/tls13_draft14.pcap",
                &["65825469c473e48f3ee2571129256ab0"],
            ),
            (
                "tls/tls13-draft18/tls13_draft18.pcap",
                &["23d254f72096d25c350e4a4a792f4948"],
            ),
            (
                "tls/tls13-draft22/tls13_draft22.pcap",
                &["786468211b4d23f9b725987b0de9d090"],
            ),
            (
                "tls/tls13-draft23/tls13_draft23.pcap",
                &["0558cf38ebac58d332d7f39308fcd006"],
            ),
            (
                "tls/tls13-draft28/tls13_draft28.pcap",
                &[
                    "43202faa1c8c1760d6f7f4bd9adde4ab",
                    "d00857e0c8e7a7f35e446508c6233460",
                ],
            ),
            (
                "tls/tls13-draft19/tls13_draft19.pcap",
                &[
                    "0e870cb29dd59424064948532781a7f6",
                    "30e5035b2d6787e7b319f75c36c438fe",
                    "e6ae7b5efb58894bd43d6fa73420d267",
                ],
            ),
        ];
        for (rel, hashes) in cases {
            let rel = format!("suricata-verify/tests/{rel}");
            let got: Vec<String> = tls_events(&rel)
                .into_iter()
                .filter_map(|e| match e.body {
                    Body::Tls(t) => Some(t.ja3),
                    _ => None,
                })
                .collect();
            assert_eq!(got, *hashes, "{rel}");
        }
    }

    #[test]
    fn plan_hits_become_hits_and_intel_events() {
        let path = shared_capture("MALSITE/maltrail__dns_queries.pcap");
        let plan = r#"{"v":1,"intel":[{"list":"maltrail.suspicious","ioc":"domain","entries":["onion.to","ip-adress.com"]}],"content":[]}"#;
        let options = SourceOptions {
            plan: Some(plan.into()),
            ..SourceOptions::default()
        };
        let events = all_events(&mut EventSource::open(&path, options).unwrap());
        let mut intel: Vec<(String, String, &str)> = events
            .iter()
            .filter_map(|e| match &e.body {
                Body::Intel(i) => Some((i.indicator.clone(), i.value.clone(), i.on)),
                _ => None,
            })
            .collect();
        intel.sort();
        intel.dedup();
        assert_eq!(
            intel,
            [
                (
                    "ip-adress.com".into(),
                    "evilname.ip-adress.com".into(),
                    "dns"
                ),
                ("onion.to".into(), "badsite.onion.to".into(), "dns"),
            ]
        );
        let hit_queries: Vec<&str> = events
            .iter()
            .filter(|e| !e.hits.is_empty())
            .filter_map(|e| match &e.body {
                Body::Dns(d) => Some(d.query.as_str()),
                _ => None,
            })
            .collect();
        assert!(hit_queries.contains(&"badsite.onion.to"), "{hit_queries:?}");
        assert!(!hit_queries.contains(&"clean.example.org"));
    }

    #[test]
    fn batches_are_wire_v2_and_end_with_none() {
        let path = shared_capture("MALSITE/maltrail__dns_queries.pcap");
        let mut src = EventSource::open(&path, SourceOptions::default()).unwrap();
        let first = src.next_batch(2).expect("a batch");
        assert!(first.starts_with(br#"{"v":2,"n":2,"groups":[{"kind":""#));
        while src.next_batch(1000).is_some() {}
        assert_eq!(src.next_batch(1000), None);
    }

    #[test]
    fn ndjson_lines_are_written_to_the_writer() {
        let path = shared_capture("MALSITE/maltrail__dns_queries.pcap");
        let mut src = EventSource::open(&path, SourceOptions::default()).unwrap();
        let mut out = Vec::new();
        let n = src.write_ndjson(&mut out, 3).unwrap();
        assert_eq!(n, 3);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text
            .lines()
            .all(|l| l.starts_with(r#"{"kind":""#) && !l.contains(' ')));
    }

    #[test]
    fn pumped_ndjson_is_the_same_bytes_as_written_in_line() {
        let rel = "C2/ndpi__dns-tunnel-iodine.pcap";
        let mut inline = Vec::new();
        let mut src = open_at(rel, None).unwrap();
        while src.write_ndjson(&mut inline, 7).unwrap() > 0 {}
        let out = crate::test_data::SharedWriter::new();
        let mut pump = NdjsonPump::new(out.clone()).unwrap();
        let mut src = open_at(rel, None).unwrap();
        let mut events = 0;
        loop {
            let n = src.pump_ndjson(&mut pump, 7).unwrap();
            if n == 0 {
                break;
            }
            events += n;
        }
        // Everything is written once the call that returns 0 is back.
        assert!(events > 100, "{events}");
        assert_eq!(src.stats().events, events as u64);
        assert_eq!(out.bytes(), inline);
    }

    #[test]
    fn bad_options_are_clear_errors() {
        let path = shared_capture("MALSITE/maltrail__dns_queries.pcap");
        let bad_net = SourceOptions {
            home_nets: Some(vec!["10.0.0.0/40".into()]),
            ..SourceOptions::default()
        };
        let msg = EventSource::open(&path, bad_net).unwrap_err().to_string();
        assert!(
            msg.contains("homeNets") && msg.contains("10.0.0.0/40"),
            "{msg}"
        );
        let bad_plan = SourceOptions {
            plan: Some(r#"{"v":9}"#.into()),
            ..SourceOptions::default()
        };
        let msg = EventSource::open(&path, bad_plan.clone())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("version 9"), "{msg}");
        // Both wrong: the plan is reported, as when they were read in turn.
        let msg = EventSource::open("/nonexistent/x.pcap", bad_plan)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("version 9"), "{msg}");
        let msg = EventSource::open("/nonexistent/x.pcap", SourceOptions::default())
            .unwrap_err()
            .to_string();
        assert!(msg.contains("/nonexistent/x.pcap"), "{msg}");
    }

    fn lines(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| {
                let mut out = Vec::new();
                crate::encode::write_ndjson_line(&mut out, e);
                String::from_utf8(out).unwrap()
            })
            .collect()
    }

    fn open_at(rel: &str, start: Option<u64>) -> Result<EventSource, SourceError> {
        let options = SourceOptions {
            start_offset: start,
            ..SourceOptions::default()
        };
        EventSource::open(shared_capture(rel), options)
    }

    /// Stopping anywhere and starting again at `resume_offset` loses no
    /// event of a straight read, while the plain read offset would.
    #[test]
    fn resuming_at_resume_offset_loses_nothing() {
        let rel = "C2/ndpi__dns-tunnel-iodine.pcap";
        let whole = lines(&all_events(&mut open_at(rel, None).unwrap()));
        let mut src = open_at(rel, None).unwrap();
        let (mut before, mut stops, mut behind) = (Vec::new(), 0, 0);
        loop {
            let batch = src.next_events(5);
            if batch.is_empty() {
                break;
            }
            before.extend(lines(&batch));
            let st = src.stats();
            assert!(st.resume_offset <= st.offset);
            behind += usize::from(st.resume_offset < st.offset);
            if before.len() % 40 >= 5 {
                continue;
            }
            stops += 1;
            let mut again = open_at(rel, Some(st.resume_offset)).unwrap();
            assert_eq!(again.stats().offset, st.resume_offset);
            assert_eq!(again.stats().resume_offset, st.resume_offset);
            let after = lines(&all_events(&mut again));
            for line in &whole {
                assert!(
                    before.contains(line) || after.contains(line),
                    "lost after a stop at {}: {line}",
                    st.resume_offset
                );
            }
        }
        assert!(stops >= 4 && behind > 0, "{stops} stops, {behind} behind");
        assert_eq!(src.stats().resume_offset, src.stats().size);
    }

    /// Stopping after any batch and starting again with the saved resume
    /// point (offset, time, emit offset) gives exactly the events of a
    /// straight read, in the same order: nothing lost, nothing twice.
    #[test]
    fn restarting_at_the_resume_point_is_exactly_once() {
        let (mut all_warmed, mut all_torn) = (0, 0);
        for (rel, batch) in [
            ("C2/ndpi__dns-tunnel-iodine.pcap", 5),
            ("MALSITE/maltrail__dns_queries.pcap", 1),
            ("suricata-verify/tests/output-eve-smb-01/input.pcap", 2),
            ("BENIGN/chrissanders-packets__dns_query_response.pcapng", 1),
            ("PARSERS/ja4/pcap/http1.pcapng", 3),
            (
                "LATERAL/pcap-attack__LM_psexec_smb_dcerpc_epm_svcctl.pcapng",
                4,
            ),
            (
                "suricata-verify/tests/bug-4376/syn_retransmit_with_ts.pcap",
                7,
            ),
            ("BENIGN/ndpi__chrome.pcap", 3),
        ] {
            let whole = lines(&all_events(&mut open_at(rel, None).unwrap()));
            let mut src = open_at(rel, None).unwrap();
            let (mut before, mut warmed, mut torn) = (Vec::new(), 0, 0);
            loop {
                let point = src.resume_point();
                warmed += usize::from(point.read_from < point.emit_from);
                torn += point.torn.len();
                let options = SourceOptions {
                    resume: Some(point),
                    ..SourceOptions::default()
                };
                let mut again = EventSource::open(shared_capture(rel), options).unwrap();
                let mut joined = before.clone();
                joined.extend(lines(&all_events(&mut again)));
                if joined != whole {
                    let missing: Vec<_> = whole.iter().filter(|l| !joined.contains(l)).collect();
                    let extra: Vec<_> = joined.iter().filter(|l| !whole.contains(l)).collect();
                    panic!(
                        "{rel}: restart after {} events ({} vs {}): missing {missing:?} extra {extra:?}",
                        before.len(),
                        joined.len(),
                        whole.len()
                    );
                }
                let batch = src.next_events(batch);
                if batch.is_empty() {
                    break;
                }
                before.extend(lines(&batch));
            }
            assert_eq!(before, whole, "{rel}");
            (all_warmed, all_torn) = (all_warmed + warmed, all_torn + torn);
        }
        // Both hard cases happened: re-reading to rebuild open flows, and
        // suppressing the tails of flows torn by it.
        assert!(all_warmed > 50 && all_torn >= 5, "{all_warmed} {all_torn}");
    }

    #[test]
    fn emit_from_must_lie_after_the_start() {
        let rel = "MALSITE/maltrail__dns_queries.pcap";
        let options = SourceOptions {
            resume: Some(ResumePoint {
                read_from: 24,
                emit_from: 10,
                ..ResumePoint::default()
            }),
            ..SourceOptions::default()
        };
        let msg = EventSource::open(shared_capture(rel), options)
            .err()
            .unwrap()
            .to_string();
        assert!(msg.contains("emitFrom 10"), "{msg}");
    }

    #[test]
    fn start_offset_must_be_a_record_boundary() {
        let rel = "MALSITE/maltrail__dns_queries.pcap";
        let src = open_at(rel, None).unwrap();
        let mut reader = src.capture.reader().unwrap();
        reader.next(src.capture.bytes());
        let at = reader.offset() as u64;
        let size = src.stats().size;
        assert_eq!(open_at(rel, Some(at)).unwrap().stats().offset, at);
        assert_eq!(open_at(rel, Some(size)).unwrap().next_batch(10), None);
        let msg = open_at(rel, Some(at + 1)).err().unwrap().to_string();
        assert!(
            msg.contains(&format!("{} is not where a record starts", at + 1)),
            "{msg}"
        );
        let msg = open_at(rel, Some(size + 8)).err().unwrap().to_string();
        assert!(msg.contains("past the end"), "{msg}");
        // pcapng: the interfaces before the offset are known after the seek.
        let rel = "BENIGN/chrissanders-packets__dns_query_response.pcapng";
        let whole = all_events(&mut open_at(rel, None).unwrap());
        let mut first = open_at(rel, None).unwrap();
        let mut reader = first.capture.reader().unwrap();
        reader.next(first.capture.bytes());
        let second_packet = reader.offset() as u64;
        let tail = all_events(&mut open_at(rel, Some(second_packet)).unwrap());
        assert!(!tail.is_empty() && tail.len() <= whole.len());
        assert_eq!(first.stats().linktype, "ethernet");
        all_events(&mut first);
    }

    #[test]
    fn set_plan_swaps_matching_between_batches_without_losing_events() {
        let rel = "C2/ndpi__dns-tunnel-iodine.pcap";
        let whole = all_events(&mut open_at(rel, None).unwrap());
        let mut src = open_at(rel, None).unwrap();
        let head = src.next_events(5);
        assert!(head.iter().all(|e| e.hits.is_empty()));
        let bad = src.set_plan(r#"{"v":9}"#).unwrap_err().to_string();
        assert!(bad.contains("version 9"), "{bad}");
        let plan = r#"{"v":1,"intel":[{"list":"t","ioc":"domain","entries":["pirate.sea"]}],"content":[]}"#;
        src.set_plan(plan).unwrap();
        let tail = all_events(&mut src);
        let non_intel = |v: &[Event]| v.iter().filter(|e| e.kind() != "intel").count();
        assert_eq!(non_intel(&head) + non_intel(&tail), non_intel(&whole));
        assert!(whole.iter().all(|e| e.hits.is_empty()));
        assert!(tail.iter().any(|e| !e.hits.is_empty()));
        assert!(tail.iter().any(|e| e.kind() == "intel"));
    }

    #[test]
    fn set_plan_swaps_content_signatures_between_batches() {
        let rel = "C2/ndpi__dns-tunnel-iodine.pcap";
        let sig = r#"{"v":1,"intel":[],"content":[{"id":"t:1","set":"t","msg":"iodine","class":"malware.c2",
            "proto":"dns","fields":["dns.query"],
            "patterns":[{"literal":".pirate.sea","nocase":true,"field":"dns.query","endsWith":true}]},
            {"id":"t:2","msg":"refused","class":"x","patterns":[{"literal":"x","field":"http.stat_code"}]}]}"#;
        let whole = all_events(&mut open_at(rel, None).unwrap());
        let mut with_sigs = EventSource::open(
            shared_capture(rel),
            SourceOptions {
                plan: Some(sig.into()),
                ..SourceOptions::default()
            },
        )
        .unwrap();
        let all_sigs = all_events(&mut with_sigs);
        let st = with_sigs.stats();
        assert_eq!((st.signatures, st.signatures_refused), (1, 1));
        assert_eq!((st.payload_cap, st.body_cap), (16384, 1 << 20));
        let sigs = |v: &[Event]| v.iter().filter(|e| e.kind() == "sig").count();
        let dns = |v: &[Event]| v.iter().filter(|e| e.kind() == "dns").count();
        assert_eq!(
            sigs(&all_sigs),
            dns(&whole),
            "every query of the tunnel hits"
        );

        let mut src = open_at(rel, None).unwrap();
        let head = src.next_events(40);
        src.set_plan(sig).unwrap();
        let middle = src.next_events(40);
        src.set_plan(r#"{"v":1}"#).unwrap();
        let tail = all_events(&mut src);
        assert_eq!(sigs(&head) + sigs(&tail), 0);
        assert!(sigs(&middle) > 0);
        let others = |v: &[Event]| v.iter().filter(|e| e.kind() != "sig").count();
        assert_eq!(
            others(&head) + others(&middle) + others(&tail),
            others(&whole),
            "no event lost or doubled by the swaps"
        );
        // Each sig follows the dns event it is tied to.
        for (i, e) in middle.iter().enumerate() {
            if let Body::Sig(s) = &e.body {
                assert_eq!((s.on, s.field, &*s.set), ("dns", "dns.query", "t"));
                let tied = middle[..i]
                    .iter()
                    .rev()
                    .find(|p| p.kind() != "sig")
                    .unwrap();
                assert_eq!((tied.kind(), &tied.flow, tied.ts), ("dns", &e.flow, e.ts));
            }
        }
    }
}

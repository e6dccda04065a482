//! napi-rs binding of the socbox sensor: one class, [`FileSource`], over
//! `socbox_sensor::source::EventSource`. Everything real lives in the core
//! crate; this file converts types, and every entry point runs under
//! `Guarded` so a panic becomes a JS error instead of crossing into Node.

use std::fmt::Display;

mod allocator;
mod live;

use napi::bindgen_prelude::Buffer;
use napi::Result;
use napi_derive::napi;
use socbox_sensor::boundary::{CallError, FdWriter, Guarded, NdjsonPump};
use socbox_sensor::content::InspectCaps;
use socbox_sensor::source::{self, EventSource};

pub(crate) fn js_error<E: Display>(e: CallError<E>) -> napi::Error {
    napi::Error::from_reason(e.to_string())
}

/// Options of a capture-file source.
#[napi(object)]
pub struct SourceOptions {
    /// CIDR blocks of the home networks (`internal: true`). Default: RFC 1918,
    /// 100.64.0.0/10, fc00::/7 and link-local.
    pub home_nets: Option<Vec<String>>,
    /// Match plan v1 as JSON text (`dsl/schema/README.md` §3).
    pub plan: Option<String>,
    /// A file holding the match plan: a rule pack (its `plan`) or a bare
    /// plan v1, read by the sensor (no parse and re-serialise in JS).
    /// `plan` wins when both are given.
    pub plan_file: Option<String>,
    /// Byte offset to start at: `offset` or `resumeOffset` of an earlier
    /// source's stats for the same file. Throws when it is not a record
    /// boundary. Right after opening, `stats().offset` equals it.
    pub start_offset: Option<f64>,
    /// Raw payload bytes inspected by content signatures per flow and
    /// direction (default 16384).
    pub payload_cap: Option<u32>,
    /// HTTP body bytes inspected per body (default 1048576).
    pub body_cap: Option<u32>,
    /// Exactly-once restart: `resumePoint()` of an earlier source over the
    /// same file (`startOffset` is then ignored).
    pub resume: Option<ResumePoint>,
}

/// A flow a restart would tear (see `resumePoint`).
#[napi(object)]
pub struct TornFlow {
    pub flow: String,
    pub last_us: f64,
}

/// Where a source stopped, for a restart that hands out exactly what it did
/// not: packets from `readFrom` up to `emitFrom` are read again only to
/// rebuild the flows that were open (those older than `timeUs` skipped);
/// their events, the first `emitSkip` of the packet at `emitFrom`, and the
/// tails of `torn` flows are not handed out again.
#[napi(object)]
pub struct ResumePoint {
    pub read_from: f64,
    pub time_us: Option<f64>,
    pub emit_from: f64,
    pub emit_skip: f64,
    pub torn: Vec<TornFlow>,
}

/// Counters and read position of a source.
#[napi(object)]
pub struct SourceStats {
    /// Packets read.
    pub packets: f64,
    /// Bytes on the wire of those packets.
    pub bytes: f64,
    /// Packets or records that could not be decoded (reading went on).
    pub malformed: f64,
    /// Events produced so far.
    pub events: f64,
    /// Byte offset of the next unread record in the file.
    pub offset: f64,
    /// File size in bytes.
    pub size: f64,
    /// Byte offset to start again at after a restart without losing events:
    /// the oldest packet whose events are not all handed out yet (open
    /// flows, unanswered queries). Events of packets from there on that were
    /// already handed out come again.
    pub resume_offset: f64,
    /// Events of the packets before this offset were all handed out: where
    /// an exactly-once restart (`resumePoint()`) emits again.
    pub emit_offset: f64,
    /// Link type of the capture: `ethernet`, `linux_sll`, `linux_sll2`, `raw`,
    /// `null`, `loop`, `ipv4`, `ipv6` or `unsupported`.
    pub linktype: String,
    /// Content signatures of the plan in force, loaded and refused (see
    /// `contentReport()` for the reasons).
    pub signatures: f64,
    pub signatures_refused: f64,
    /// Inspection caps: raw payload bytes per flow direction, HTTP body bytes.
    pub payload_cap: f64,
    pub body_cap: f64,
    /// Application state not kept because a per-connection cap was reached
    /// (SMB requests, trees, opens and files hashed at once; Kerberos
    /// requests waiting): what was seen of that connection is partial.
    pub app_dropped: f64,
    /// SMB3 encrypted or compressed messages, skipped unread.
    pub encrypted: f64,
}

/// Events of one pcap or pcapng file, read memory-mapped and pulled in
/// batches. Synchronous: each call decodes only as many packets as the
/// requested events need.
#[napi]
pub struct FileSource {
    inner: Guarded<EventSource>,
    /// The writer thread of `pumpNdjson` and its descriptor.
    pump: Option<(i32, NdjsonPump)>,
}

#[napi]
impl FileSource {
    /// Opens `path`. Throws an Error naming the file and what to do when it
    /// cannot be read, is not a capture, or an option is invalid.
    #[napi(constructor)]
    pub fn new(path: String, options: Option<SourceOptions>) -> Result<Self> {
        allocator::keep_freed_pages();
        allocator::no_huge_pages();
        let options = core_options(options)?;
        let inner = Guarded::new(|| EventSource::open(&path, options)).map_err(js_error)?;
        Ok(Self { inner, pump: None })
    }

    /// One wire batch v2 (uncompressed JSON bytes) of up to `maxEvents`
    /// events; `null` at the end of input.
    #[napi]
    pub fn next_batch(&mut self, max_events: u32) -> Result<Option<Buffer>> {
        self.inner
            .with(|s| Ok::<_, String>(s.next_batch(max_events as usize).map(Buffer::from)))
            .map_err(js_error)
    }

    /// Writes up to `maxEvents` events as NDJSON lines straight to the file
    /// descriptor `fd` (which stays open) and returns their number, 0 at the
    /// end of input. A thread of the addon encodes and writes them while the
    /// next call decodes: the lines are complete on `fd` once a call
    /// returned 0 (or threw). A failed write throws from the next call.
    #[napi]
    pub fn pump_ndjson(&mut self, fd: i32, max_events: u32) -> Result<u32> {
        if self.pump.as_ref().is_some_and(|(at, _)| *at != fd) {
            // Another descriptor: what went to the first is written first.
            if let Some((at, mut old)) = self.pump.take() {
                old.finish().map_err(|e| {
                    napi::Error::from_reason(format!("writing NDJSON to fd {at}: {e}"))
                })?;
            }
        }
        let (_, pump) = match &mut self.pump {
            Some(p) => p,
            None => {
                let pump = NdjsonPump::new(FdWriter::new(fd)).map_err(|e| {
                    napi::Error::from_reason(format!("starting the NDJSON writer: {e}"))
                })?;
                self.pump.insert((fd, pump))
            }
        };
        let result = self
            .inner
            .with(|s| {
                s.pump_ndjson(pump, max_events as usize)
                    .map(|n| n as u32)
                    .map_err(|e| format!("writing NDJSON to fd {fd}: {e}"))
            })
            .map_err(js_error);
        if !matches!(result, Ok(n) if n > 0) {
            // The end, or an error: the writer is done either way.
            self.pump = None;
        }
        result
    }

    /// Matches packets read from now on against `planJson` (match plan v1);
    /// open flows and events already queued stay as they are, so nothing is
    /// lost between batches. A plan that does not parse throws and the old
    /// one stays.
    #[napi]
    pub fn set_plan(&mut self, plan_json: String) -> Result<()> {
        self.inner
            .with(|s| s.set_plan(&plan_json).map_err(|e| e.to_string()))
            .map_err(js_error)
    }

    /// What loading the plan's content signatures did, as JSON:
    /// `{"loaded":n,"unanchored":n,"refused":{"reason":count,…}}`.
    #[napi]
    pub fn content_report(&mut self) -> Result<String> {
        self.inner
            .with(|s| {
                let r = s.content_report();
                Ok::<_, String>(
                    serde_json::json!({
                        "loaded": r.loaded,
                        "unanchored": r.unanchored,
                        "refused": r.refused,
                    })
                    .to_string(),
                )
            })
            .map_err(js_error)
    }

    /// Where to restart so that exactly the events not handed out yet come
    /// out (keep it with what was handed out, e.g. in the spool's commit).
    #[napi]
    pub fn resume_point(&mut self) -> Result<ResumePoint> {
        self.inner
            .with(|s| {
                let p = s.resume_point();
                Ok::<_, String>(ResumePoint {
                    read_from: p.read_from as f64,
                    time_us: (p.time_us != i64::MIN).then_some(p.time_us as f64),
                    emit_from: p.emit_from as f64,
                    emit_skip: p.emit_skip as f64,
                    torn: p
                        .torn
                        .into_iter()
                        .map(|(flow, last)| TornFlow {
                            flow,
                            last_us: last as f64,
                        })
                        .collect(),
                })
            })
            .map_err(js_error)
    }

    /// Counters and position so far.
    #[napi]
    pub fn stats(&mut self) -> Result<SourceStats> {
        self.inner
            .with(|s| Ok::<_, String>(js_stats(s.stats())))
            .map_err(js_error)
    }
}

/// The core crate's options from the JS ones, checked.
pub(crate) fn core_options(options: Option<SourceOptions>) -> Result<source::SourceOptions> {
    let count = |name: &str, v: Option<f64>| match v {
        Some(n) if !(n >= 0.0 && n.fract() == 0.0 && n <= 2f64.powi(53)) => {
            Err(napi::Error::from_reason(format!(
                "{name}: {n} is not a byte offset or count (a whole number from 0)"
            )))
        }
        Some(n) => Ok(Some(n as u64)),
        None => Ok(None),
    };
    let time = |name: &str, t: f64| {
        if t.fract() == 0.0 && t.abs() <= 2f64.powi(53) {
            Ok(t as i64)
        } else {
            Err(napi::Error::from_reason(format!(
                "{name}: {t} is not a time in microseconds (a whole number)"
            )))
        }
    };
    let o = options.as_ref();
    let start_offset = count("startOffset", o.and_then(|o| o.start_offset))?;
    let resume = match o.and_then(|o| o.resume.as_ref()) {
        None => None,
        Some(r) => Some(source::ResumePoint {
            read_from: count("resume.readFrom", Some(r.read_from))?.unwrap_or(0),
            time_us: match r.time_us {
                Some(t) => time("resume.timeUs", t)?,
                None => i64::MIN,
            },
            emit_from: count("resume.emitFrom", Some(r.emit_from))?.unwrap_or(0),
            emit_skip: count("resume.emitSkip", Some(r.emit_skip))?.unwrap_or(0),
            torn: r
                .torn
                .iter()
                .map(|t| Ok((t.flow.clone(), time("resume.torn.lastUs", t.last_us)?)))
                .collect::<Result<_>>()?,
        }),
    };
    let options = options.map_or_else(source::SourceOptions::default, |o| source::SourceOptions {
        caps: (o.payload_cap.is_some() || o.body_cap.is_some()).then(|| {
            let d = InspectCaps::default();
            InspectCaps {
                payload: o.payload_cap.map_or(d.payload, |n| n as usize),
                body: o.body_cap.map_or(d.body, |n| n as usize),
            }
        }),
        home_nets: o.home_nets,
        plan: o.plan,
        plan_file: o.plan_file.map(Into::into),
        start_offset,
        resume,
    });
    Ok(options)
}

/// Stats as JS numbers.
pub(crate) fn js_stats(st: source::SourceStats) -> SourceStats {
    SourceStats {
        packets: st.packets as f64,
        bytes: st.bytes as f64,
        malformed: st.malformed as f64,
        events: st.events as f64,
        offset: st.offset as f64,
        size: st.size as f64,
        resume_offset: st.resume_offset as f64,
        emit_offset: st.emit_offset as f64,
        linktype: st.linktype.to_owned(),
        signatures: st.signatures as f64,
        signatures_refused: st.signatures_refused as f64,
        payload_cap: st.payload_cap as f64,
        body_cap: st.body_cap as f64,
        app_dropped: st.app_dropped as f64,
        encrypted: st.encrypted as f64,
    }
}

//! A sharded run against the single pipeline: the same events (as a
//! multiset of NDJSON lines), the same counters, the same bytes on every run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::shard::Rounds;
use super::{RunError, ShardedRun};
use crate::source::{EventSource, SourceOptions, SourceStats};
use crate::test_data::{shared_capture, shared_data_dir, SharedWriter};

/// Small rounds, so the small shared captures span many.
const SMALL: Rounds = Rounds {
    records: 7,
    bytes: 4096,
    finish_flows: 2,
};

fn single(path: &Path, options: SourceOptions) -> (Vec<u8>, SourceStats) {
    let mut src = EventSource::open(path, options).unwrap();
    let mut out = Vec::new();
    while src.write_ndjson(&mut out, 100).unwrap() > 0 {}
    (out, src.stats())
}

fn sharded(
    path: &Path,
    options: &SourceOptions,
    shards: usize,
    rounds: Rounds,
) -> (Vec<u8>, SourceStats) {
    let out = SharedWriter::new();
    let mut run = ShardedRun::start_with(path, options, shards, rounds, out.clone()).unwrap();
    let stats = run.finish().unwrap();
    assert!(run.wait(Duration::ZERO), "finished runs say so");
    (out.bytes(), stats)
}

fn sorted_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    lines.sort_unstable();
    lines
}

/// Every capture of the shared data: the labelled ones, suricata-verify's
/// and the parsers' (14 MB in all).
fn all_shared_captures() -> Vec<PathBuf> {
    let root = shared_data_dir();
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() && name != "intel" {
                dirs.push(path);
            } else if name.ends_with(".pcap") || name.ends_with(".pcapng") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn counters(s: &SourceStats) -> [u64; 6] {
    [
        s.packets,
        s.bytes,
        s.malformed,
        s.events,
        s.app_dropped,
        s.encrypted,
    ]
}

/// The multiset of events equals the single pipeline's on every shared
/// capture, for 2 and 3 shards, and the summed counters agree. Sharding
/// differs only in what joins flows of different address pairs (a DCE/RPC
/// interface learnt from another client's bind, an FTP data connection to a
/// third host): none of the shared captures has one.
#[test]
fn shards_emit_the_single_pipelines_events() {
    let captures = all_shared_captures();
    assert!(captures.len() > 300, "{} captures", captures.len());
    let (mut events, mut multi_shard) = (0, 0);
    for path in &captures {
        let (one, one_stats) = single(path, SourceOptions::default());
        let one_sorted = sorted_lines(&one);
        for shards in [2, 3] {
            let (many, stats) = sharded(path, &SourceOptions::default(), shards, SMALL);
            assert!(
                one_sorted == sorted_lines(&many),
                "{}: {shards} shards differ:\n{}",
                path.display(),
                diff(&one, &many)
            );
            assert_eq!(counters(&stats), counters(&one_stats), "{}", path.display());
            assert_eq!(
                (stats.offset, stats.size, stats.linktype),
                (one_stats.offset, one_stats.size, one_stats.linktype),
                "{}",
                path.display()
            );
        }
        events += one_sorted.len();
        multi_shard += usize::from(one != sharded(path, &SourceOptions::default(), 2, SMALL).0);
    }
    // The comparison has substance: many events, and interleavings that
    // differ from the single pipeline's order (so shards really split).
    assert!(
        events > 5000 && multi_shard > 20,
        "{events} events, {multi_shard} reordered"
    );
}

fn diff(a: &[u8], b: &[u8]) -> String {
    let mut count: HashMap<&[u8], i64> = HashMap::new();
    for l in a.split_inclusive(|&c| c == b'\n') {
        *count.entry(l).or_default() += 1;
    }
    for l in b.split_inclusive(|&c| c == b'\n') {
        *count.entry(l).or_default() -= 1;
    }
    let mut out = String::new();
    for (line, n) in count.into_iter().filter(|(_, n)| *n != 0).take(10) {
        let sign = if n > 0 { "only single" } else { "only sharded" };
        out += &format!("{sign} ({n}): {}", String::from_utf8_lossy(line));
    }
    out
}

/// One shard is the single pipeline: the same bytes in the same order.
#[test]
fn one_shard_writes_the_single_pipelines_bytes() {
    for rel in [
        "C2/ndpi__dns-tunnel-iodine.pcap",
        "LATERAL/pcap-attack__LM_psexec_smb_dcerpc_epm_svcctl.pcapng",
        "BENIGN/ndpi__chrome.pcap",
    ] {
        let path = shared_capture(rel);
        let (one, _) = single(&path, SourceOptions::default());
        for rounds in [SMALL, Rounds::default()] {
            assert!(
                one == sharded(&path, &SourceOptions::default(), 1, rounds).0,
                "{rel}"
            );
        }
    }
}

/// A writer that takes its time now and then, so shards run ahead of it
/// and each other by different amounts on every run.
#[derive(Clone)]
struct Jittery {
    inner: SharedWriter,
    writes: usize,
}

impl std::io::Write for Jittery {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writes += 1;
        if self.writes % 5 == 0 {
            std::thread::sleep(Duration::from_micros((self.writes % 7) as u64 * 100));
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bytes depend on the capture and the shard count only, not on
/// the threads' timing.
#[test]
fn the_same_bytes_on_every_run() {
    let path = shared_capture("LATERAL/pcap-attack__LM_psexec_smb_dcerpc_epm_svcctl.pcapng");
    let options = SourceOptions::default();
    for shards in [2, 4] {
        let (first, _) = sharded(&path, &options, shards, SMALL);
        assert!(!first.is_empty());
        for run in 0..4 {
            let out = Jittery {
                inner: SharedWriter::new(),
                writes: run,
            };
            let mut r =
                ShardedRun::start_with(&path, &options, shards, SMALL, out.clone()).unwrap();
            r.finish().unwrap();
            assert!(out.inner.bytes() == first, "{shards} shards, run {run}");
        }
    }
}

/// The plan is shared by the shards: intel and sig events come out as from
/// one pipeline.
#[test]
fn plan_hits_are_the_same() {
    let path = shared_capture("C2/ndpi__dns-tunnel-iodine.pcap");
    let plan = r#"{"v":1,"intel":[{"list":"t","ioc":"domain","entries":["pirate.sea"]}],
        "content":[{"id":"t:1","set":"t","msg":"iodine","class":"malware.c2","proto":"dns",
        "fields":["dns.query"],"patterns":[{"literal":".pirate.sea","nocase":true,"field":"dns.query","endsWith":true}]}]}"#;
    let options = SourceOptions {
        plan: Some(plan.into()),
        ..SourceOptions::default()
    };
    let (one, one_stats) = single(&path, options.clone());
    let (many, stats) = sharded(&path, &options, 3, SMALL);
    assert!(sorted_lines(&one) == sorted_lines(&many));
    let text = String::from_utf8(many).unwrap();
    assert!(text.contains(r#"{"kind":"intel""#) && text.contains(r#"{"kind":"sig""#));
    assert_eq!((stats.signatures, stats.signatures_refused), (1, 0));
    assert_eq!(counters(&stats), counters(&one_stats));
}

/// Packets of a pcap as (µs, frame).
fn pcap_packets(rel: &str) -> Vec<(i64, Vec<u8>)> {
    use crate::capture::{CaptureFile, Record};
    let capture = CaptureFile::open(shared_capture(rel)).unwrap();
    let mut reader = capture.reader().unwrap();
    let mut packets = Vec::new();
    while let Record::Packet(p) = reader.next(capture.bytes()) {
        packets.push((p.ts_us, p.data.to_vec()));
    }
    packets
}

/// A pcapng (one Ethernet interface) of `packets`, as (interface, µs,
/// frame) in enhanced packet blocks.
fn pcapng(packets: &[(u32, i64, Vec<u8>)]) -> Vec<u8> {
    let block = |out: &mut Vec<u8>, kind: u32, body: &[u8]| {
        let len = 12 + body.len().next_multiple_of(4);
        out.extend(kind.to_le_bytes());
        out.extend((len as u32).to_le_bytes());
        out.extend(body);
        out.resize(out.len() + body.len().next_multiple_of(4) - body.len(), 0);
        out.extend((len as u32).to_le_bytes());
    };
    let mut f = Vec::new();
    let mut shb = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    shb.extend([1, 0, 0, 0]);
    shb.extend((-1i64).to_le_bytes());
    block(&mut f, 0x0a0d_0d0a, &shb);
    let mut idb = 1u16.to_le_bytes().to_vec();
    idb.extend([0, 0]);
    idb.extend(65535u32.to_le_bytes());
    block(&mut f, 1, &idb);
    for (iface, ts, frame) in packets {
        let mut epb = iface.to_le_bytes().to_vec();
        epb.extend(((*ts as u64 >> 32) as u32).to_le_bytes());
        epb.extend((*ts as u32).to_le_bytes());
        epb.extend((frame.len() as u32).to_le_bytes());
        epb.extend((frame.len() as u32).to_le_bytes());
        epb.extend(frame);
        block(&mut f, 6, &epb);
    }
    f
}

/// A capture with unusable records among good ones (an unknown interface:
/// skipped by the reader; frames cut inside their IP header: malformed in
/// the pipeline) and a last record cut short: the same counts and every
/// event of the good packets, as from one pipeline.
#[test]
fn malformed_records_are_counted_once_and_lose_nothing_else() {
    let mut packets: Vec<(u32, i64, Vec<u8>)> = pcap_packets("C2/ndpi__dns-tunnel-iodine.pcap")
        .into_iter()
        .map(|(ts, frame)| (0, ts, frame))
        .collect();
    for (i, (iface, _, frame)) in packets.iter_mut().enumerate() {
        match i % 50 {
            25 => *iface = 7,
            40 => frame.truncate(20),
            _ => {}
        }
    }
    let whole = pcapng(&packets);
    let mut bad = pcapng(&packets[..packets.len() - 1]);
    bad.extend_from_slice(&whole[bad.len()..bad.len() + 30]);
    let path = temp_capture("malformed.pcapng", &bad);
    let (one, one_stats) = single(&path, SourceOptions::default());
    // 9 skipped records, 8 cut frames, the cut last record.
    assert_eq!(one_stats.malformed, 18, "{one_stats:?}");
    assert!(
        one_stats.packets > 400 && one_stats.events > 200,
        "{one_stats:?}"
    );
    for shards in [2, 3] {
        let (many, stats) = sharded(&path, &SourceOptions::default(), shards, SMALL);
        assert!(sorted_lines(&one) == sorted_lines(&many), "{shards}");
        assert_eq!(counters(&stats), counters(&one_stats), "{shards}");
    }
}

fn temp_capture(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("socbox-sharded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_failed_write_is_the_error_and_nothing_hangs() {
    let path = shared_capture("C2/ndpi__dns-tunnel-iodine.pcap");
    let out = SharedWriter::failing_after(2000);
    let mut run = ShardedRun::start_with(&path, &SourceOptions::default(), 3, SMALL, out).unwrap();
    let err = run.finish().unwrap_err();
    assert!(matches!(err, RunError::Write(_)), "{err:?}");
    assert!(
        err.to_string().contains("writing NDJSON: reader gone"),
        "{err}"
    );
    // Asked again, the same answer.
    assert_eq!(run.finish().unwrap_err(), err);
}

#[test]
fn dropping_a_run_stops_its_threads() {
    let path = shared_capture("BENIGN/ndpi__chrome.pcap");
    for _ in 0..5 {
        let run = ShardedRun::start_with(
            &path,
            &SourceOptions::default(),
            3,
            SMALL,
            SharedWriter::new(),
        )
        .unwrap();
        drop(run);
    }
}

#[test]
fn progress_is_summed_while_running_and_complete_at_the_end() {
    let path = shared_capture("BENIGN/ndpi__chrome.pcap");
    let out = SharedWriter::new();
    let mut run = ShardedRun::start_with(&path, &SourceOptions::default(), 2, SMALL, out).unwrap();
    let mut last = 0;
    while !run.wait(Duration::from_micros(200)) {
        let s = run.stats();
        assert!(s.offset >= last && s.offset <= s.size, "{s:?}");
        last = s.offset;
    }
    let (_, one) = single(&path, SourceOptions::default());
    let end = run.finish().unwrap();
    assert_eq!(counters(&end), counters(&one));
    assert_eq!(
        (end.offset, end.resume_offset, end.linktype),
        (end.size, end.size, "ethernet")
    );
}

#[test]
fn offsets_and_resuming_need_one_thread() {
    let path = shared_capture("MALSITE/maltrail__dns_queries.pcap");
    let options = SourceOptions {
        start_offset: Some(24),
        ..SourceOptions::default()
    };
    let msg = ShardedRun::start(&path, &options, 2, SharedWriter::new())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("--threads 1"), "{msg}");
    let msg = ShardedRun::start(
        "/nonexistent/x.pcap",
        &SourceOptions::default(),
        2,
        SharedWriter::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(msg.contains("/nonexistent/x.pcap"), "{msg}");
}

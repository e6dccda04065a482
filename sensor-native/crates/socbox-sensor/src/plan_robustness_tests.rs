//! Property tests of matching: runs of shared-capture frames, with bytes
//! flipped, cut or inserted, go through a pipeline that holds a plan of
//! every pattern option, field and IOC kind, so anchor scans, candidate
//! confirmation, regexes, flow bits and IOC lookups all read damaged
//! traffic; the plan's own text, damaged, is loaded; and signatures are
//! generated with any field, window (negative and huge too), flag, regex
//! and size, loaded and run over seed traffic. Nothing may panic,
//! output must stay valid JSON, and a payload signature fires at most once
//! per flow. `PROPTEST_CASES=100000 cargo test plan_robustness` runs them
//! longer.

use std::collections::BTreeSet;
use std::sync::Arc;

use proptest::prelude::*;

use crate::capture::LinkType;
use crate::content::{ContentMatcher, InspectCaps};
use crate::event::{Body, Event};
use crate::intel::{IntelMatcher, MatchPlan};
use crate::pipeline::PipelineConfig;
use crate::robustness_tests::run_checked;
use crate::test_data::{seed_frames, shared_data_dir};

/// Signatures over every field the seed captures carry (HTTP, DNS, TLS,
/// SMB, Kerberos payload), with absolute and relative windows (negative
/// distances too), negation, short literals, fast patterns, regexes, sizes,
/// ports and flow bits; IOC lists of every kind, some wide enough to hit
/// most events.
const PLAN: &str = include_str!("plan_robustness_plan.json");

fn matchers(plan: &str) -> (IntelMatcher, ContentMatcher) {
    let plan = MatchPlan::parse(plan).expect("the test plan parses");
    let content = ContentMatcher::new(&plan.content, InspectCaps::default());
    (IntelMatcher::new(&plan), content)
}

fn plan_config() -> PipelineConfig {
    static BUILT: std::sync::OnceLock<(Arc<IntelMatcher>, Arc<ContentMatcher>)> =
        std::sync::OnceLock::new();
    let (intel, content) = BUILT.get_or_init(|| {
        let (intel, content) = matchers(PLAN);
        let refused = &content.report().refused;
        assert!(refused.is_empty(), "the test plan loads whole: {refused:?}");
        (Arc::new(intel), Arc::new(content))
    });
    PipelineConfig {
        intel: intel.clone(),
        content: content.clone(),
        ..PipelineConfig::default()
    }
}

/// The frames through a pipeline with [`PLAN`]; checks what must hold of
/// any input and returns the events.
fn run_with_plan(frames: &[(LinkType, Vec<u8>)]) -> Vec<Event> {
    let events = run_checked(plan_config(), frames);
    let mut fired = BTreeSet::new();
    for e in &events {
        let flow = format!("{:?}", e.flow);
        // A flow that ended may start again on the same addresses and
        // ports: a new flow, whose signatures may fire again.
        if let Body::Conn(_) = &e.body {
            fired.retain(|(f, _)| *f != flow);
        }
        if let Body::Sig(s) = &e.body {
            assert!(
                s.id.starts_with("t:"),
                "a sig event names a plan signature: {}",
                s.id
            );
            if s.field == "payload" {
                assert!(
                    fired.insert((flow.clone(), s.id.clone())),
                    "payload signature {} fired twice in one flow",
                    s.id
                );
            }
        }
    }
    events
}

/// The frames of one capture, in order.
type Frames = Vec<(LinkType, Vec<u8>)>;

/// The frames of every capture of the shared data folder up to 1 MB, one
/// list per capture (a run never spans two), loaded once.
fn shared_captures() -> &'static [Frames] {
    use crate::capture::{CaptureFile, Record};
    static CAPTURES: std::sync::OnceLock<Vec<Frames>> = std::sync::OnceLock::new();
    CAPTURES.get_or_init(|| {
        let mut paths = Vec::new();
        let mut dirs = vec![shared_data_dir()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("shared data is readable") {
                let path = entry.expect("shared data is readable").path();
                let name = path.to_string_lossy();
                if path.is_dir() {
                    dirs.push(path);
                } else if (name.ends_with(".pcap") || name.ends_with(".pcapng"))
                    && path.metadata().is_ok_and(|m| m.len() <= 1 << 20)
                {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        let mut captures = Vec::new();
        for path in paths {
            let Ok(capture) = CaptureFile::open(&path) else {
                continue;
            };
            let Ok(mut reader) = capture.reader() else {
                continue;
            };
            let mut frames = Vec::new();
            loop {
                match reader.next(capture.bytes()) {
                    Record::Packet(p) => frames.push((p.link_type, p.data.to_vec())),
                    Record::Skipped => {}
                    Record::Truncated | Record::End => break,
                }
            }
            if !frames.is_empty() {
                captures.push(frames);
            }
        }
        assert!(
            captures.len() > 300,
            "the shared captures are there: {}",
            captures.len()
        );
        captures
    })
}

/// Up to 40 consecutive frames of one shared capture (so streams
/// reassemble and sessions form), some of them damaged.
fn damaged_run() -> impl Strategy<Value = Vec<(LinkType, Vec<u8>)>> {
    (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        1usize..40,
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<usize>(),
                0u8..3,
                any::<u8>(),
            ),
            0..6,
        ),
    )
        .prop_map(|(capture, start, len, damage)| {
            let frames = &shared_captures()[capture.index(shared_captures().len())];
            let start = start.index(frames.len());
            let mut run: Vec<_> = frames[start..(start + len).min(frames.len())].to_vec();
            for (which, at, how, byte) in damage {
                let k = which.index(run.len());
                let f = &mut run[k].1;
                let n = f.len();
                match how {
                    0 if n > 0 => f[at % n] ^= byte | 1,
                    1 => f.truncate(at % (n + 1)),
                    _ => f.insert(at % (n + 1), byte),
                }
            }
            run
        })
}

/// The sig events of the seed captures, undamaged: each capture alone, in
/// its order.
fn seed_signatures() -> BTreeSet<String> {
    let seeds = seed_frames();
    let mut fired = BTreeSet::new();
    let mut start = 0;
    // Seed captures follow one another; a capture's frames share a link
    // type run, so cutting at each link type change keeps most streams whole.
    while start < seeds.len() {
        let lt = seeds[start].0;
        let end = (start..seeds.len())
            .find(|&i| seeds[i].0 != lt)
            .unwrap_or(seeds.len());
        for e in run_with_plan(&seeds[start..end]) {
            if let Body::Sig(s) = &e.body {
                fired.insert(s.id.to_string());
            }
        }
        start = end;
    }
    fired
}

/// The property tests below exercise confirmation only if the plan's
/// signatures hold on the undamaged seeds: most must.
#[test]
fn the_plan_fires_on_the_seed_captures() {
    let fired = seed_signatures();
    for id in ["t:1", "t:3", "t:7", "t:9", "t:15", "t:17"] {
        assert!(fired.contains(id), "{id} did not fire; fired: {fired:?}");
    }
}

/// Literals of seed traffic and odd bytes, so generated signatures both
/// find candidates and miss.
const LITERALS: [&str; 10] = [
    "GET",
    "HTTP/1.",
    "host",
    "\u{16}\u{3}",
    "example",
    ".",
    "\0\u{1}",
    "e",
    "curl/",
    "\u{ff}",
];
const FIELDS: [&str; 14] = [
    "payload",
    "http.method",
    "http.uri",
    "http.host",
    "http.user_agent",
    "http.referrer",
    "http.header",
    "http.response_header",
    "http.request_body",
    "file.data",
    "dns.query",
    "tls.sni",
    "tls.subject",
    "tls.issuer",
];

/// A window bound as a rule may write it: absent, small, negative or huge.
fn bound() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        Just(None),
        (-20i64..600).prop_map(Some),
        prop::sample::select(vec![i64::MIN, -1, 0, 65_535, i64::MAX]).prop_map(Some),
    ]
}

fn pattern() -> impl Strategy<Value = serde_json::Value> {
    (
        prop_oneof![
            prop::sample::select(LITERALS.to_vec()).prop_map(str::to_string),
            prop::collection::vec(any::<u8>(), 0..6)
                .prop_map(|b| b.into_iter().map(char::from).collect::<String>()),
        ],
        prop::sample::select(FIELDS.to_vec()),
        any::<[bool; 5]>(),
        (bound(), bound(), bound(), bound()),
    )
        .prop_map(
            |(literal, field, flags, (offset, depth, distance, within))| {
                serde_json::json!({
                    "literal": literal, "field": field, "nocase": flags[0], "negated": flags[1],
                    "startsWith": flags[2], "endsWith": flags[3], "fastPattern": flags[4],
                    "offset": offset, "depth": depth, "distance": distance, "within": within,
                })
            },
        )
}

/// Signatures as a rule compiler might write them, sound or not: any
/// field, window, flag, transport, regex and size.
fn signature() -> impl Strategy<Value = serde_json::Value> {
    (
        prop::collection::vec(pattern(), 0..4),
        prop::sample::select(vec![
            None,
            Some("tcp"),
            Some("udp"),
            Some("ip"),
            Some("http"),
            Some("dns"),
        ]),
        prop::sample::select(vec![
            None,
            Some("to_server"),
            Some("to_client"),
            Some("sideways"),
        ]),
        prop::option::of((
            prop::sample::select(vec![
                "^/[a-z]+",
                "(a|b)*c",
                "e{2,}",
                "[",
                "(?<n>x)\\k<n>",
                "\\x00+",
            ]),
            prop::sample::select(FIELDS.to_vec()),
        )),
        prop::option::of((
            prop::sample::select(FIELDS.to_vec()),
            any::<Option<u8>>(),
            any::<Option<u8>>(),
        )),
    )
        .prop_map(|(patterns, proto, direction, regex, size)| {
            let mut sig =
                serde_json::json!({"id": "g:1", "msg": "generated", "patterns": patterns});
            if let Some(p) = proto {
                sig["proto"] = p.into();
            }
            if let Some(d) = direction {
                sig["direction"] = d.into();
            }
            if let Some((source, field)) = regex {
                sig["regex"] = serde_json::json!({"source": source, "flags": "i", "field": field});
            }
            if let Some((field, min, max)) = size {
                sig["sizes"] = serde_json::json!({ field: {"min": min, "max": max} });
            }
            sig
        })
}

proptest! {
    /// Loading refuses what it cannot match (with a reason) and matches
    /// the rest; neither panics, whatever the windows and flags say.
    #[test]
    fn generated_signatures_load_or_are_refused_and_match_seed_traffic(
        sigs in prop::collection::vec(signature(), 1..6),
        start in any::<prop::sample::Index>(),
    ) {
        let sigs: Vec<serde_json::Value> = sigs
            .into_iter()
            .enumerate()
            .map(|(i, mut s)| {
                s["id"] = format!("g:{i}").into();
                s
            })
            .collect();
        let content = ContentMatcher::new(&sigs, InspectCaps::default());
        let report = content.report();
        prop_assert_eq!(report.loaded + report.refused_total(), sigs.len());
        let config = PipelineConfig {
            content: Arc::new(content),
            ..PipelineConfig::default()
        };
        let seeds = seed_frames();
        let from = start.index(seeds.len());
        run_checked(config, &seeds[from..(from + 60).min(seeds.len())]);
    }
}

proptest! {
    #[test]
    fn matching_takes_damaged_runs_of_capture_frames(run in damaged_run()) {
        run_with_plan(&run);
    }

    #[test]
    fn matching_takes_arbitrary_payload_after_real_handshakes(
        start in any::<prop::sample::Index>(),
        tail in prop::collection::vec(any::<u8>(), 0..600),
    ) {
        // A real frame with its payload replaced: the flow and its app
        // stay, the bytes scanned and confirmed are arbitrary.
        let seeds = seed_frames();
        let (lt, frame) = &seeds[start.index(seeds.len())];
        let keep = frame.len().min(54);
        let mut f = frame[..keep].to_vec();
        f.extend_from_slice(&tail);
        run_with_plan(&[(*lt, frame.clone()), (*lt, f)]);
    }

    #[test]
    fn a_damaged_plan_loads_or_is_refused(
        damage in prop::collection::vec((any::<usize>(), 0u8..3, any::<u8>()), 1..8),
    ) {
        let mut text = PLAN.as_bytes().to_vec();
        for (at, how, byte) in damage {
            let n = text.len();
            match how {
                0 => text[at % n] = byte,
                1 => { text.remove(at % n); }
                _ => text.insert(at % (n + 1), byte),
            }
        }
        // Plans are text: a damaged one that is not UTF-8 is refused before
        // parsing, as reading the file does.
        if let Ok(text) = std::str::from_utf8(&text) {
            if let Ok(plan) = MatchPlan::parse(text) {
                let content = ContentMatcher::new(&plan.content, InspectCaps::default());
                let intel = IntelMatcher::new(&plan);
                let config = PipelineConfig {
                    intel: Arc::new(intel),
                    content: Arc::new(content),
                    ..PipelineConfig::default()
                };
                run_checked(config, &seed_frames()[..60]);
            }
        }
    }
}

//! Property tests of matching: runs of shared-capture frames, with bytes
//! flipped, cut or inserted, go through a pipeline that holds a plan of
//! every pattern option, field and IOC kind, so anchor scans, candidate
//! confirmation, regexes, flow bits and IOC lookups all read damaged
//! traffic; and the plan's own text, damaged, is loaded. Nothing may panic,
//! output must stay valid JSON, and a payload signature fires at most once
//! per flow. `PROPTEST_CASES=100000 cargo test plan_robustness` runs them
//! longer.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

use proptest::prelude::*;

use crate::capture::{LinkType, RawPacket};
use crate::content::{ContentMatcher, InspectCaps};
use crate::encode::{encode_wire_batch, write_ndjson_line};
use crate::event::{Body, Event};
use crate::intel::{IntelMatcher, MatchPlan};
use crate::pipeline::{Pipeline, PipelineConfig};
use crate::test_data::seed_frames;

/// Signatures over every field the seed captures carry (HTTP, DNS, TLS,
/// SMB, Kerberos payload), with absolute and relative windows (negative
/// distances too), negation, short literals, fast patterns, regexes, sizes,
/// ports and flow bits; IOC lists of every kind, some wide enough to hit
/// most events.
const PLAN: &str = r#"{"v":1,
 "intel":[
  {"list":"t.domain","ioc":"domain","entries":["example","com","evil-parent.com","onion.to"]},
  {"list":"t.ip","ioc":"ip","entries":["0.0.0.0/1","128.0.0.0/2","192.168.0.0/16","10.0.0.1","::/1","fe80::/10","::1"]},
  {"list":"t.url","ioc":"url","entries":["victim.example/","/malicious-login.php","evil-url.example/bad/","/bad/path?x="]},
  {"list":"t.ja3","ioc":"ja3","entries":["0123456789abcdef0123456789abcdef"]},
  {"list":"t.hash","ioc":"hash","entries":["d41d8cd98f00b204e9800998ecf8427e"]}
 ],
 "content":[
  {"id":"t:1","msg":"request line","proto":"tcp","direction":"to_server","patterns":[
    {"literal":"GET","field":"payload","depth":3,"startsWith":true},
    {"literal":"HTTP/1.","field":"payload","distance":1,"within":400},
    {"literal":"host:","nocase":true,"field":"payload","distance":0}]},
  {"id":"t:2","msg":"response","proto":"tcp","direction":"to_client","patterns":[
    {"literal":"HTTP/1.","field":"payload","offset":0,"depth":8},
    {"literal":"200","field":"payload","distance":1,"within":3},
    {"literal":"content-","nocase":true,"field":"payload","distance":0,"fastPattern":true}]},
  {"id":"t:3","msg":"dns query flags","proto":"udp","patterns":[
    {"literal":"\u0001\u0000\u0000\u0001","field":"payload","offset":2,"depth":4},
    {"literal":"\u0000\u0001\u0000\u0001","field":"payload","distance":-9,"within":60,"fastPattern":true}]},
  {"id":"t:4","msg":"tls handshake","proto":"tcp","patterns":[
    {"literal":"\u0016\u0003","field":"payload","depth":2},
    {"literal":"\u0001","field":"payload","offset":5,"depth":1}]},
  {"id":"t:5","msg":"smb","proto":"tcp","ports":{"dst":[[139,139],[445,445]]},"patterns":[
    {"literal":"SMB","field":"payload"},
    {"literal":"\u00ffSMB","field":"payload","negated":true}]},
  {"id":"t:6","msg":"not post","proto":"tcp","direction":"to_server","patterns":[
    {"literal":"GET ","field":"payload"},
    {"literal":"POST","field":"payload","negated":true},
    {"literal":"curl","nocase":true,"field":"payload","distance":-400,"within":800}],
   "regex":{"source":"user-agent: *[a-z]+/[0-9.]+","flags":"i","field":"payload"}},
  {"id":"t:7","msg":"uri","proto":"http","patterns":[
    {"literal":"/","field":"http.uri","startsWith":true},
    {"literal":".php","field":"http.uri","endsWith":true}],
   "regex":{"source":"^/[a-z0-9_.-]+\\.php$","flags":"i","field":"http.uri"},
   "sizes":{"http.uri":{"min":4,"max":200}}},
  {"id":"t:8","msg":"host","proto":"http","patterns":[
    {"literal":".example","nocase":true,"field":"http.host","endsWith":true},
    {"literal":"evil","field":"http.host","negated":true}]},
  {"id":"t:9","msg":"agent","proto":"http","patterns":[
    {"literal":"curl/","field":"http.user_agent","startsWith":true},
    {"literal":"8","field":"http.user_agent","distance":0,"within":1}]},
  {"id":"t:10","msg":"header","proto":"http","patterns":[
    {"literal":"Host: ","field":"http.header"},
    {"literal":"Accept","field":"http.header","distance":0,"fastPattern":true}]},
  {"id":"t:11","msg":"response header","proto":"http","direction":"to_client","patterns":[
    {"literal":"content-type","nocase":true,"field":"http.header"}]},
  {"id":"t:12","msg":"body","proto":"http","patterns":[
    {"literal":"<html","nocase":true,"field":"file.data"},
    {"literal":"</","field":"file.data","distance":0}],
   "sizes":{"file.data":{"min":1}}},
  {"id":"t:13","msg":"method sets a bit","proto":"http","patterns":[
    {"literal":"GET","field":"http.method"}],
   "flowbits":{"set":["t.get"],"noalert":true}},
  {"id":"t:14","msg":"after a get","proto":"http","patterns":[
    {"literal":"/","field":"http.uri"}],
   "flowbits":{"isset":["t.get"],"toggle":["t.seen"]}},
  {"id":"t:15","msg":"dns name","proto":"dns","patterns":[
    {"literal":".com","nocase":true,"field":"dns.query","endsWith":true},
    {"literal":"www","field":"dns.query","startsWith":true,"negated":true}]},
  {"id":"t:16","msg":"dns onion","proto":"dns","patterns":[
    {"literal":"onion","field":"dns.query","fastPattern":true},
    {"literal":"badsite","field":"dns.query","offset":0,"depth":7}]},
  {"id":"t:17","msg":"sni","proto":"tls","patterns":[
    {"literal":"evil","field":"tls.sni"},
    {"literal":".","field":"tls.sni","distance":0}]},
  {"id":"t:18","msg":"cert names","proto":"tls","patterns":[
    {"literal":"CN=","field":"tls.subject"},
    {"literal":"CN=","field":"tls.issuer"}]},
  {"id":"t:19","msg":"kerberos","proto":"udp","patterns":[
    {"literal":"krbtgt","nocase":true,"field":"payload","fastPattern":true},
    {"literal":"\u00a0","field":"payload","distance":-200,"within":400}]},
  {"id":"t:20","msg":"any ip payload","proto":"ip","patterns":[
    {"literal":"e","field":"payload"}],
   "regex":{"source":"[\\x00-\\x1f]{4}","field":"payload"}}
 ]}"#;

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
    let mut p = Pipeline::new(plan_config());
    let mut out = VecDeque::new();
    for (i, (lt, f)) in frames.iter().enumerate() {
        let pkt = RawPacket {
            ts_us: i as i64 * 1_000,
            link_type: *lt,
            data: f,
            orig_len: f.len() as u32,
        };
        p.on_packet(&pkt, &mut out);
    }
    p.finish(&mut out);
    let events: Vec<Event> = out.into_iter().collect();
    let mut wire = Vec::new();
    encode_wire_batch(&events, &mut wire);
    serde_json::from_slice::<serde_json::Value>(&wire).expect("wire batch is JSON");
    let mut fired = BTreeSet::new();
    for e in &events {
        let mut line = Vec::new();
        write_ndjson_line(&mut line, e);
        serde_json::from_slice::<serde_json::Value>(&line).expect("NDJSON line is JSON");
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

/// Up to 40 consecutive frames of one seed capture (so streams reassemble
/// and requests parse), some of them damaged.
fn damaged_run() -> impl Strategy<Value = Vec<(LinkType, Vec<u8>)>> {
    (
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
        .prop_map(|(start, len, damage)| {
            let seeds = seed_frames();
            let start = start.index(seeds.len());
            let mut run: Vec<_> = seeds[start..(start + len).min(seeds.len())].to_vec();
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
                let seeds = seed_frames();
                let mut p = Pipeline::new(PipelineConfig {
                    intel: Arc::new(intel),
                    content: Arc::new(content),
                    ..PipelineConfig::default()
                });
                let mut out = VecDeque::new();
                for (i, (lt, f)) in seeds.iter().take(60).enumerate() {
                    let pkt = RawPacket { ts_us: i as i64 * 1_000, link_type: *lt, data: f, orig_len: f.len() as u32 };
                    p.on_packet(&pkt, &mut out);
                }
                p.finish(&mut out);
            }
        }
    }
}

//! Golden wire vectors in `dsl/schema/golden/`: for each case the events as
//! `socbox events` prints them (`NAME.events.ndjson`, in the order a wire
//! decoder yields them: merged by ts, stable by group then position) and the
//! exact bytes of the encoded batch (`NAME.wire.json`). The TS decoder tests
//! that decoding the second gives the first.
//!
//! `SOCBOX_WRITE_GOLDEN=1 cargo test golden` rewrites the files after an
//! intended change of the encoders; review the diff.

use std::path::PathBuf;
use std::sync::Arc;

use super::{encode_wire_batch, write_ndjson_line};
use crate::event::{Body, DnsBody, Endpoint, Event, IntelBody};
use crate::intel::Hit;
use crate::net::{community_id_v1, FlowTuple};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../dsl/schema/golden")
}

fn endpoint(ip: &str, port: u16, internal: bool) -> Endpoint {
    Endpoint {
        ip: ip.parse().unwrap(),
        port: Some(port),
        internal,
    }
}

fn udp_flow(a: &Endpoint, b: &Endpoint) -> String {
    community_id_v1(
        &FlowTuple {
            src: a.ip,
            dst: b.ip,
            proto: 17,
            src_port: a.port.unwrap_or(0),
            dst_port: b.port.unwrap_or(0),
        },
        0,
    )
}

fn dns(ts: i64, src: Endpoint, dst: Endpoint, body: DnsBody, hits: Vec<Hit>) -> Event {
    Event {
        ts,
        flow: udp_flow(&src, &dst),
        src,
        dst,
        body: Body::Dns(body),
        hits,
    }
}

fn dns_body(
    query: &str,
    rcode: Option<&'static str>,
    answers: &[&str],
    ttl: Option<u32>,
) -> DnsBody {
    DnsBody {
        query: query.into(),
        qtype: "A".into(),
        rcode: rcode.map(Into::into),
        answers: answers.iter().map(|a| a.to_string()).collect(),
        ttl,
        proto: "udp",
        trans_id: 4660,
    }
}

fn intel_for(e: &Event, h: &Hit) -> Event {
    Event {
        ts: e.ts,
        flow: e.flow.clone(),
        src: e.src,
        dst: e.dst,
        body: Body::Intel(IntelBody {
            list: h.list.clone(),
            ioc: h.ioc,
            indicator: h.indicator.clone(),
            value: h.value.clone(),
            field: h.field,
            on: e.kind(),
        }),
        hits: Vec::new(),
    }
}

fn hit(list: &str, indicator: &str, value: &str) -> Hit {
    Hit {
        list: Arc::from(list),
        ioc: "domain",
        indicator: indicator.into(),
        value: value.into(),
        field: "query",
    }
}

/// The cases, each as the events in the order the sensor emits them.
fn cases() -> Vec<(&'static str, Vec<Event>)> {
    let client = endpoint("10.0.0.5", 53211, true);
    let resolver = endpoint("8.8.8.8", 53, false);
    let v6_client = endpoint("fd00::5", 40000, true);
    let v6_resolver = endpoint("2001:4860:4860::8888", 53, false);

    let single = vec![dns(
        1_700_000_000_123,
        client,
        resolver,
        dns_body(
            "example.com",
            Some("NOERROR"),
            &["93.184.216.34"],
            Some(300),
        ),
        vec![],
    )];

    // The second query got no response: rcode, answers and ttl are absent;
    // the third was answered with NXDOMAIN (no answers). The group keeps
    // the columns and writes null.
    let absent = vec![
        dns(
            1_700_000_000_000,
            client,
            resolver,
            dns_body(
                "a.example",
                Some("NOERROR"),
                &["192.0.2.1", "a.cdn.example"],
                Some(60),
            ),
            vec![],
        ),
        dns(
            1_700_000_000_040,
            v6_client,
            v6_resolver,
            dns_body("b.example", None, &[], None),
            vec![],
        ),
        dns(
            1_700_000_000_041,
            client,
            resolver,
            dns_body("nx.example", Some("NXDOMAIN"), &[], None),
            vec![],
        ),
    ];

    // An answered query hits an intel list (dns + intel groups); a query
    // without response, flushed later, is older than the one before it:
    // negative ts delta in the dns group.
    let hit_event = dns(
        1_700_000_005_000,
        client,
        resolver,
        dns_body(
            "badsite.onion.to",
            Some("NOERROR"),
            &["198.51.100.7"],
            Some(30),
        ),
        vec![hit("maltrail.suspicious", "onion.to", "badsite.onion.to")],
    );
    let record = intel_for(&hit_event, &hit_event.hits[0]);
    let late = dns(
        1_700_000_000_500,
        client,
        resolver,
        dns_body("slow.example", None, &[], None),
        vec![],
    );
    let two_kinds = vec![hit_event, record, late];

    // Strings that need escaping or are not ASCII.
    let odd = dns(
        1_700_000_009_999,
        v6_client,
        v6_resolver,
        DnsBody {
            query: "we\\.ird\\255.\"quoted\".example".into(),
            qtype: "TYPE65280".into(),
            rcode: Some("NOERROR".into()),
            answers: vec![
                "tab\there\\\\ and \"quotes\"".into(),
                "ctl\u{1}\u{1f}".into(),
            ],
            ttl: Some(0),
            proto: "udp",
            trans_id: 0,
        },
        vec![hit(
            "日本.リスト",
            "\"quoted\".example",
            "we\\.ird\\255.\"quoted\".example",
        )],
    );
    let odd_record = intel_for(&odd, &odd.hits[0]);
    let unicode = vec![odd, odd_record];

    vec![
        ("dns-single", single),
        ("dns-absent-fields", absent),
        ("two-kinds-negative-delta", two_kinds),
        ("unicode-escaping", unicode),
    ]
    .into_iter()
    .chain(super::golden_lateral_cases::cases())
    .collect()
}

/// Orders events as a wire decoder yields them: by ts, ties by group order
/// (groups in order of first event) then position in the group.
fn decoded_order(events: &[Event]) -> Vec<&Event> {
    let mut kinds: Vec<&str> = Vec::new();
    let mut keyed: Vec<(i64, usize, usize, &Event)> = Vec::new();
    let mut positions: Vec<usize> = Vec::new();
    for e in events {
        let g = match kinds.iter().position(|k| *k == e.kind()) {
            Some(g) => g,
            None => {
                kinds.push(e.kind());
                positions.push(0);
                kinds.len() - 1
            }
        };
        keyed.push((e.ts, g, positions[g], e));
        positions[g] += 1;
    }
    keyed.sort_by_key(|&(ts, g, p, _)| (ts, g, p));
    keyed.into_iter().map(|(_, _, _, e)| e).collect()
}

#[test]
fn golden_vectors_match_byte_for_byte() {
    let dir = golden_dir();
    let write = std::env::var_os("SOCBOX_WRITE_GOLDEN").is_some();
    for (name, events) in cases() {
        let mut wire = Vec::new();
        encode_wire_batch(&events, &mut wire);
        let mut ndjson = Vec::new();
        for e in decoded_order(&events) {
            write_ndjson_line(&mut ndjson, e);
        }
        let wire_path = dir.join(format!("{name}.wire.json"));
        let events_path = dir.join(format!("{name}.events.ndjson"));
        if write {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&wire_path, &wire).unwrap();
            std::fs::write(&events_path, &ndjson).unwrap();
            continue;
        }
        for (path, bytes) in [(&wire_path, &wire), (&events_path, &ndjson)] {
            let expected = std::fs::read(path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}; run SOCBOX_WRITE_GOLDEN=1 cargo test golden",
                    path.display()
                )
            });
            assert!(
                expected == *bytes,
                "{} differs from the encoder output:\n  file:    {}\n  encoder: {}",
                path.display(),
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

#[test]
fn cases_cover_what_the_contract_needs() {
    let cases = cases();
    let has = |pred: &dyn Fn(&[Event]) -> bool| cases.iter().any(|(_, e)| pred(e));
    assert!(
        has(&|e| e.iter().any(|x| x.kind() != e[0].kind())),
        "two kinds in a batch"
    );
    assert!(
        has(&|e| e.iter().enumerate().any(|(i, a)| e[i + 1..]
            .iter()
            .find(|b| b.kind() == a.kind())
            .is_some_and(|b| b.ts < a.ts))),
        "a negative ts delta inside a group"
    );
    assert!(
        has(&|e| e
            .iter()
            .any(|x| matches!(&x.body, Body::Dns(d) if d.rcode.is_none()))),
        "a group with absent fields"
    );
}

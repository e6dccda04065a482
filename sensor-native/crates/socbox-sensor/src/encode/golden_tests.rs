//! Golden wire vectors (v2) in `dsl/schema/golden/`: for each case the events as
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
use crate::event::{
    Body, DnsBody, Endpoint, Event, FileBody, IcmpBody, IntelBody, SshBody, TlsBody,
};
use crate::file::Magic;
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
        flow: udp_flow(&src, &dst).into(),
        flow_proto: None,
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
        flow_proto: None,
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

    // Wire v2 flows: a UDP and an IPv6 query whose ids the edge computes
    // (`17`), and an intel record that carries the id of another flow than
    // its endpoints give (a sensor tying a hit to an earlier flow): sent as
    // the string.
    let derived = dns(
        1_700_000_020_000,
        client,
        resolver,
        dns_body("d.example", Some("NOERROR"), &[], None),
        vec![hit("c2", "d.example", "d.example")],
    );
    let mut foreign = intel_for(&derived, &derived.hits[0]);
    foreign.flow = udp_flow(&v6_client, &v6_resolver).into();
    let derived_v6 = dns(
        1_700_000_020_001,
        v6_client,
        v6_resolver,
        dns_body("e.example", Some("NXDOMAIN"), &[], None),
        vec![],
    );
    let flows = vec![derived, foreign, derived_v6];

    vec![
        ("dns-single", single),
        ("file-download", app_cases::file_download()),
        ("tls-with-cert", app_cases::tls_with_cert()),
        ("ssh-banners", app_cases::ssh()),
        ("icmp-no-ports", app_cases::icmp()),
        ("dns-absent-fields", absent),
        ("two-kinds-negative-delta", two_kinds),
        ("unicode-escaping", unicode),
        ("flows-derived-and-sent", flows),
    ]
    .into_iter()
    .chain(super::golden_lateral_cases::cases())
    .collect()
}

/// Cases of the application kinds: a file, a TLS handshake with the
/// server's certificate, SSH banners, an ICMP flow (endpoints without ports,
/// a decimal entropy).
mod app_cases {
    use super::*;

    fn tcp(src: &Endpoint, dst: &Endpoint) -> String {
        community_id_v1(
            &FlowTuple {
                src: src.ip,
                dst: dst.ip,
                proto: 6,
                src_port: src.port.unwrap_or(0),
                dst_port: dst.port.unwrap_or(0),
            },
            0,
        )
    }

    fn event(ts: i64, src: Endpoint, dst: Endpoint, body: Body) -> Event {
        Event {
            ts,
            flow: tcp(&src, &dst).into(),
            flow_proto: None,
            src,
            dst,
            body,
            hits: Vec::new(),
        }
    }

    pub(super) fn file_download() -> Vec<Event> {
        let client = endpoint("10.9.25.101", 49165, true);
        let server = endpoint("144.91.69.195", 80, false);
        let complete = FileBody {
            source: "http",
            direction: "download",
            name: Some("setup.exe".into()),
            size: 2,
            complete: true,
            magic: Magic::Pe,
            mime: Some("application/octet-stream".into()),
            sha256: Some("9b8db510ef42b8ed54a3712636fda55a4f8cfcd5493e20b74ab00cd4f3979f2d".into()),
            md5: Some("ac6ad5d9b99757c3a878f2d275ace198".into()),
            host: Some("144.91.69.195".into()),
            uri: Some("/dl/setup.exe?x=1".into()),
        };
        // Past the cap: no hashes; an upload without name or mime.
        let cut = FileBody {
            direction: "upload",
            name: None,
            size: 40_000_000,
            complete: false,
            magic: Magic::Zip,
            mime: None,
            sha256: None,
            md5: None,
            ..complete.clone()
        };
        vec![
            event(1_569_434_051_623, client, server, Body::File(complete)),
            event(1_569_434_052_000, client, server, Body::File(cut)),
        ]
    }

    pub(super) fn tls_with_cert() -> Vec<Event> {
        let client = endpoint("2001:b07:a3d:c112:9726:f643:a838:b0c4", 40294, false);
        let server = endpoint("2a00:1450:4002:414::2013", 443, false);
        let body = TlsBody {
            sni: Some("www.prbtest.dev".into()),
            version: "TLSv1.2".into(),
            alpn: vec!["h2".into(), "http/1.1".into()],
            ja3: "00bcd759cb8ad485fdbf1e7a0c5b94b4".into(),
            ja4: "t12d2808h2_d943125447b4_dd0a478c1db3".into(),
            cipher: Some("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256".into()),
            ja3s: Some("e2bc06b738d7e5d2b0cec5d2196b1d80".into()),
            subject: Some("CN=www.prbtest.dev".into()),
            issuer: Some("CN=GTS CA 1D4,O=Google Trust Services LLC,C=US".into()),
            not_before: Some(1_701_175_811_000),
            not_after: Some(1_708_954_762_000),
            cert_sha1: Some("0ddb34f875632c7e1ec09d75827f82d2336dfeb6".into()),
            san: vec!["www.prbtest.dev".into(), "*.prbtest.dev".into()],
        };
        // TLS 1.3: the certificate fields are absent.
        let tls13 = TlsBody {
            version: "TLSv1.3".into(),
            cipher: Some("TLS_AES_128_GCM_SHA256".into()),
            subject: None,
            issuer: None,
            not_before: None,
            not_after: None,
            cert_sha1: None,
            san: vec![],
            ..body.clone()
        };
        vec![
            event(1_702_228_308_374, client, server, Body::Tls(Box::new(body))),
            event(
                1_702_228_309_000,
                client,
                server,
                Body::Tls(Box::new(tls13)),
            ),
        ]
    }

    pub(super) fn ssh() -> Vec<Event> {
        let client = endpoint("192.168.1.20", 57377, true);
        let server = endpoint("192.168.1.1", 22, true);
        vec![event(
            1_688_672_868_807,
            client,
            server,
            Body::Ssh(SshBody {
                client: Some("SSH-2.0-OpenSSH_7.6p1 Ubuntu-4ubuntu0.5".into()),
                server: Some("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1".into()),
            }),
        )]
    }

    pub(super) fn icmp() -> Vec<Event> {
        let ep = |ip: &str, internal| Endpoint {
            ip: ip.parse().unwrap(),
            port: None,
            internal,
        };
        let (a, b) = (ep("10.0.0.7", true), ep("203.0.113.9", false));
        let flow = community_id_v1(
            &FlowTuple {
                src: a.ip,
                dst: b.ip,
                proto: 1,
                src_port: 8,
                dst_port: 0,
            },
            0,
        );
        let body = |pkts, entropy_milli| {
            Body::Icmp(IcmpBody {
                icmp_type: 8,
                code: 0,
                pkts,
                bytes: pkts * 1024,
                max_len: 1024,
                entropy_milli,
            })
        };
        vec![
            Event {
                ts: 1_505_062_036_288,
                flow: flow.clone().into(),
                flow_proto: None,
                src: a,
                dst: b,
                body: body(40, 7_932),
                hits: Vec::new(),
            },
            Event {
                ts: 1_505_062_037_000,
                flow: flow.into(),
                flow_proto: None,
                src: a,
                dst: b,
                body: body(2, 2_500),
                hits: Vec::new(),
            },
        ]
    }
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
    let flow_entry = |e: &Event| {
        let mut wire = Vec::new();
        encode_wire_batch(std::slice::from_ref(e), &mut wire);
        String::from_utf8(wire).unwrap().contains(r#""flow":["1:"#)
    };
    assert!(
        has(&|e| e.iter().any(|x| !flow_entry(x) && x.dst.ip.is_ipv6())),
        "an IPv6 flow the edge derives"
    );
    assert!(
        has(&|e| e.iter().any(|x| flow_entry(x) && x.src.port.is_some())),
        "a flow with ports that is sent as its id"
    );
    assert!(
        has(&|e| e.iter().any(|x| flow_entry(x) && x.src.port.is_none())),
        "a flow without ports (sent as its id)"
    );
}

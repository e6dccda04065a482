//! Wire batch v2 (`dsl/schema/README.md` §2): events grouped by kind in order
//! of first appearance; per group one array per column; `ts` delta-encoded
//! within a group; a `flow` the edge can compute from the endpoints written
//! as its IP protocol number; absent values are `null`; a column absent in
//! every event of a group is left out.

use super::derived_flow::derivable_flow_proto;
use super::json::{write_int, write_value};
use std::mem::Discriminant;

use crate::event::{Body, Event, Value, COMMON_COLUMNS};

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
    // Events are read once each, row by row, into one array per column:
    // column by column, every column walked the whole batch again (a batch
    // of 4096 events is larger than a core's L2) and matched the kind and
    // the column for each value.
    let columns = members[0].columns();
    let mut arrays: Vec<ColumnArray> = (0..columns.len()).map(|_| ColumnArray::default()).collect();
    let hits = columns.len() - 1;
    for (row, e) in members.iter().enumerate() {
        let flow = arrays[FLOW_COLUMN].item(row);
        match derivable_flow_proto(e) {
            Some(p) => write_int(flow, i64::from(p)),
            None => write_value(flow, &e.flow.value()),
        }
        for (c, array) in arrays
            .iter_mut()
            .enumerate()
            .take(COMMON_COLUMNS)
            .skip(FLOW_COLUMN + 1)
        {
            if let Some(v) = e.column(c) {
                write_value(array.item(row), &v);
            }
        }
        e.body
            .each_field(|c, _, v| write_value(arrays[c].item(row), &v));
        if !e.hits.is_empty() {
            write_value(arrays[hits].item(row), &Value::Hits(&e.hits));
        }
    }
    for (name, array) in columns.iter().zip(&mut arrays).skip(FLOW_COLUMN) {
        if array.rows == 0 {
            continue; // absent in every event
        }
        array.pad_to(members.len());
        out.extend_from_slice(b",\"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":[");
        out.extend_from_slice(&array.items);
        out.push(b']');
    }
    out.extend_from_slice(b"}}");
}

/// One column's JSON array items (without brackets), written row by row.
#[derive(Default)]
struct ColumnArray {
    items: Vec<u8>,
    /// Rows written so far, those without the column as `null`; 0 while no
    /// event has it.
    rows: usize,
}

impl ColumnArray {
    /// Where row `row`'s value goes, after a `null` for every row since
    /// the last one with the column.
    #[inline]
    fn item(&mut self, row: usize) -> &mut Vec<u8> {
        self.pad_to(row);
        if self.rows > 0 {
            self.items.push(b',');
        }
        self.rows += 1;
        &mut self.items
    }

    fn pad_to(&mut self, rows: usize) {
        while self.rows < rows {
            if self.rows > 0 {
                self.items.push(b',');
            }
            self.items.extend_from_slice(b"null");
            self.rows += 1;
        }
    }
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
    fn columns_absent_in_some_events_are_null_there_and_absent_in_all_left_out() {
        let base = sample_dns_event();
        let Body::Dns(dns) = &base.body else {
            unreachable!()
        };
        let with = |ttl: Option<u32>, port: Option<u16>, hits: bool| {
            let mut e = base.clone();
            e.ts += 1;
            e.src.port = port;
            e.body = Body::Dns(crate::event::DnsBody {
                rcode: None,
                answers: Vec::new(),
                ttl,
                ..dns.clone()
            });
            if hits {
                e.hits.push(crate::intel::Hit {
                    list: "l".into(),
                    ioc: "domain",
                    indicator: "example.com".into(),
                    value: "example.com".into(),
                    field: "query",
                });
            }
            e
        };
        let events = [
            with(None, None, false),
            with(Some(60), Some(1), true),
            with(None, Some(2), false),
        ];
        let mut out = Vec::new();
        encode_wire_batch(&events, &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#""src.port":[null,1,2],"#), "{text}");
        assert!(text.contains(r#""ttl":[null,60,null],"#), "{text}");
        assert!(text.contains(r#""hits":[null,[{"#), "{text}");
        assert!(text.ends_with(r#"}],null]}}]}"#), "{text}");
        assert!(
            !text.contains("rcode") && !text.contains("answers"),
            "{text}"
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

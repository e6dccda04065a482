use super::json::write_value;
use super::padded::push_fragment;
use crate::event::{Endpoint, Event, Value};

/// Appends one event as a compact JSON object and a newline, keys in
/// contract order: kind, ts, flow, src, dst, the kind's fields, hits.
pub fn write_ndjson_line(out: &mut Vec<u8>, e: &Event) {
    out.extend_from_slice(b"{\"kind\":");
    write_value(out, &Value::Name(e.kind()));
    out.extend_from_slice(b",\"ts\":");
    write_value(out, &Value::Int(e.ts));
    out.extend_from_slice(b",\"flow\":");
    write_value(out, &e.flow.value());
    out.extend_from_slice(b",\"src\":");
    write_endpoint(out, &e.src);
    out.extend_from_slice(b",\"dst\":");
    write_endpoint(out, &e.dst);
    e.body.each_field(|_, key, v| {
        push_fragment(out, key);
        write_value(out, &v);
    });
    if !e.hits.is_empty() {
        out.extend_from_slice(b",\"hits\":");
        write_value(out, &Value::Hits(&e.hits));
    }
    out.extend_from_slice(b"}\n");
}

fn write_endpoint(out: &mut Vec<u8>, ep: &Endpoint) {
    out.extend_from_slice(b"{\"ip\":");
    write_value(out, &Value::Ip(ep.ip));
    if let Some(port) = ep.port {
        out.extend_from_slice(b",\"port\":");
        write_value(out, &Value::Int(i64::from(port)));
    }
    out.extend_from_slice(if ep.internal {
        b",\"internal\":true}"
    } else {
        b",\"internal\":false}"
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::sample_dns_event;

    #[test]
    fn matches_the_contract_example() {
        let mut out = Vec::new();
        write_ndjson_line(&mut out, &sample_dns_event());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"{"kind":"dns","ts":1700000000123,"flow":"1:Xb0=","#,
                r#""src":{"ip":"10.0.0.5","port":53211,"internal":true},"#,
                r#""dst":{"ip":"8.8.8.8","port":53,"internal":false},"#,
                r#""query":"example.com","qtype":"A","rcode":"NOERROR","#,
                r#""answers":["93.184.216.34"],"ttl":300,"proto":"udp","trans_id":4660}"#,
                "\n"
            )
        );
    }
}

//! Wire v2 leaves out a `flow` that the edge can compute: when the event's
//! community id is the one of its own endpoints under TCP or UDP, the `flow`
//! column holds that IP protocol number (6 or 17) instead of the 30-byte id.
//! A community id is a hash, so it hardly compresses: it was over half of the
//! gzipped bytes of a batch of real traffic.

use crate::decode::proto;
use crate::event::{Event, Value};
use crate::net::{is_community_id_v1, FlowTuple};

/// The IP protocol under which the event's endpoints give its `flow`, when
/// one does. Checked, not assumed: an event whose flow is another one's
/// (or an ICMP flow, whose id depends on type and code) keeps its id.
pub(crate) fn derivable_flow_proto(e: &Event) -> Option<u8> {
    let (Some(src_port), Some(dst_port)) = (e.src.port, e.dst.port) else {
        return None;
    };
    // The edge derives only within one address family (as the sensor's flows are).
    if e.src.ip.is_ipv4() != e.dst.ip.is_ipv4() {
        return None;
    }
    // One hash in the common case: the event says when it is UDP.
    let udp_first = e
        .columns()
        .iter()
        .position(|c| *c == "proto")
        .and_then(|i| e.column(i))
        == Some(Value::Str("udp"));
    let order = if udp_first {
        [proto::UDP, proto::TCP]
    } else {
        [proto::TCP, proto::UDP]
    };
    order.into_iter().find(|&p| {
        let tuple = FlowTuple {
            src: e.src.ip,
            dst: e.dst.ip,
            proto: p,
            src_port,
            dst_port,
        };
        is_community_id_v1(&tuple, &e.flow)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::community_id_v1;
    use crate::test_data::sample_dns_event;

    #[test]
    fn udp_and_tcp_flows_are_derivable() {
        let mut e = sample_dns_event();
        let mut tuple = FlowTuple {
            src: e.src.ip,
            dst: e.dst.ip,
            proto: proto::UDP,
            src_port: e.src.port.unwrap(),
            dst_port: e.dst.port.unwrap(),
        };
        e.flow = community_id_v1(&tuple, 0);
        assert_eq!(derivable_flow_proto(&e), Some(proto::UDP));
        tuple.proto = proto::TCP;
        e.flow = community_id_v1(&tuple, 0);
        assert_eq!(derivable_flow_proto(&e), Some(proto::TCP));
    }

    #[test]
    fn other_flows_are_not() {
        let mut e = sample_dns_event();
        e.flow = "1:Xb0=".into();
        assert_eq!(derivable_flow_proto(&e), None);
        // Swapped ports: another flow's id.
        let tuple = FlowTuple {
            src: e.src.ip,
            dst: e.dst.ip,
            proto: proto::UDP,
            src_port: e.dst.port.unwrap(),
            dst_port: e.src.port.unwrap(),
        };
        e.flow = community_id_v1(&tuple, 0);
        assert_eq!(derivable_flow_proto(&e), None);
        // A seed other than 0 is not what the edge computes.
        let straight = FlowTuple {
            src_port: e.src.port.unwrap(),
            dst_port: e.dst.port.unwrap(),
            ..tuple
        };
        e.flow = community_id_v1(&straight, 1);
        assert_eq!(derivable_flow_proto(&e), None);
        // Mixed address families: hashed as IPv6 by the sensor, never derived.
        e.dst.ip = "::1".parse().unwrap();
        e.flow = community_id_v1(
            &FlowTuple {
                dst: e.dst.ip,
                ..straight
            },
            0,
        );
        assert_eq!(derivable_flow_proto(&e), None);
        e.src.port = None;
        assert_eq!(derivable_flow_proto(&e), None);
    }
}

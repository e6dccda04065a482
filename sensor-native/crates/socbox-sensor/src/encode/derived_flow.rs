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
    // Made from its flow: known without a SHA-1 (a fifth of encoding a batch).
    if let Some(p) = e.flow_proto {
        debug_assert_eq!(checked_flow_proto(e), Some(p), "flow_proto of {e:?}");
        return Some(p);
    }
    checked_flow_proto(e)
}

fn checked_flow_proto(e: &Event) -> Option<u8> {
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
        e.flow = community_id_v1(&tuple, 0).into();
        assert_eq!(derivable_flow_proto(&e), Some(proto::UDP));
        tuple.proto = proto::TCP;
        e.flow = community_id_v1(&tuple, 0).into();
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
        e.flow = community_id_v1(&tuple, 0).into();
        assert_eq!(derivable_flow_proto(&e), None);
        // A seed other than 0 is not what the edge computes.
        let straight = FlowTuple {
            src_port: e.src.port.unwrap(),
            dst_port: e.dst.port.unwrap(),
            ..tuple
        };
        e.flow = community_id_v1(&straight, 1).into();
        assert_eq!(derivable_flow_proto(&e), None);
        // Mixed address families: hashed as IPv6 by the sensor, never derived.
        e.dst.ip = "::1".parse().unwrap();
        e.flow = community_id_v1(
            &FlowTuple {
                dst: e.dst.ip,
                ..straight
            },
            0,
        )
        .into();
        assert_eq!(derivable_flow_proto(&e), None);
        e.src.port = None;
        assert_eq!(derivable_flow_proto(&e), None);
    }

    /// The pipeline's `flow_proto` is what hashing finds, on every event
    /// of captures with DNS (UDP and TCP), HTTP, TLS, SMB/DCE-RPC, ICMP
    /// and scans.
    #[test]
    fn the_pipelines_flow_proto_is_what_hashing_finds() {
        use crate::source::{EventSource, SourceOptions};
        use crate::test_data::shared_capture;
        let (mut tcp, mut udp) = (0, 0);
        for rel in [
            "BENIGN/ndpi__chrome.pcap",
            "BENIGN/chrissanders-packets__http_google.pcapng",
            "BENIGN/zeek-traces__smb3.pcap",
            "C2/ndpi__dns-tunnel-iodine.pcap",
            "LATERAL/pcap-attack__LM_psexec_smb_dcerpc_epm_svcctl.pcapng",
            "MALDL/ndpi__exe_download.pcap",
            "RECON/maltrail__udp_scan.pcap",
            "RECON/chrissanders-packets__synscan.pcapng",
            "suricata-verify/tests/dns/dns-incomplete/input.pcap",
        ] {
            let mut src = EventSource::open(shared_capture(rel), SourceOptions::default()).unwrap();
            loop {
                let events = src.next_events(64);
                if events.is_empty() {
                    break;
                }
                for e in &events {
                    if let Some(p) = e.flow_proto {
                        assert_eq!(checked_flow_proto(e), Some(p), "{rel}: {e:?}");
                        if p == proto::TCP {
                            tcp += 1;
                        } else {
                            udp += 1;
                        }
                    }
                }
            }
        }
        assert!(tcp > 100 && udp > 100, "tcp {tcp}, udp {udp}");
    }
}

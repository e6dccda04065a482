//! Flows of the next few packets, asked for before their turn. With a
//! million flows the table's index and the flows are far bigger than the
//! caches: every packet's lookup missed on the index entry, then on the
//! flow's slot, then on the flow (most of the flow table's time). The loop
//! reading packets looks a few records ahead and hands each one's hash
//! here; each step moves the packets in flight one stage on (index entry,
//! slot, flow), so each load finds the previous one's line already there.
//! All of it is a hint: a flow that came or went in between only makes a
//! prefetch useless.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::table::FlowTable;
use super::FlowKey;
use crate::capture::LinkType;
use crate::decode::{network_layer, proto, Network};

/// Records the reading loop looks ahead: one per stage.
pub const DEPTH: usize = 3;

/// The key of a plain (unfragmented) TCP or UDP packet, as the pipeline
/// keys its flow; None for anything else (those are looked up unaided).
pub fn quick_key(link_type: LinkType, frame: &[u8]) -> Option<FlowKey> {
    let (src, dst, proto, transport) = match network_layer(link_type, frame).ok()? {
        Network::Ipv4(b) => {
            let ihl = usize::from(*b.first()? & 0x0f) * 4;
            let frag = u16::from_be_bytes([*b.get(6)?, *b.get(7)?]);
            // A fragment goes through reassembly first.
            if *b.first()? >> 4 != 4 || ihl < 20 || frag & 0x3fff != 0 {
                return None;
            }
            let src: [u8; 4] = b.get(12..16)?.try_into().ok()?;
            let dst: [u8; 4] = b.get(16..20)?.try_into().ok()?;
            (
                IpAddr::V4(Ipv4Addr::from(src)),
                IpAddr::V4(Ipv4Addr::from(dst)),
                *b.get(9)?,
                b.get(ihl..)?,
            )
        }
        Network::Ipv6(b) => {
            let src: [u8; 16] = b.get(8..24)?.try_into().ok()?;
            let dst: [u8; 16] = b.get(24..40)?.try_into().ok()?;
            // Only a transport header right after the fixed header.
            (
                IpAddr::V6(Ipv6Addr::from(src)),
                IpAddr::V6(Ipv6Addr::from(dst)),
                *b.get(6)?,
                b.get(40..)?,
            )
        }
        Network::Other => return None,
    };
    if proto != proto::TCP && proto != proto::UDP {
        return None;
    }
    let sport = u16::from_be_bytes([*transport.first()?, *transport.get(1)?]);
    let dport = u16::from_be_bytes([*transport.get(2)?, *transport.get(3)?]);
    Some(FlowKey::new((src, sport), (dst, dport), proto))
}

/// The hashes of the packets in flight, newest first.
#[derive(Debug, Clone, Copy, Default)]
pub struct FlowAhead {
    hashes: [Option<u32>; DEPTH],
}

impl FlowAhead {
    /// A new packet enters `DEPTH` records ahead (None: not one to help, or
    /// no packet); the others move one stage closer to their turn.
    #[inline]
    pub fn step<S: Default>(&mut self, table: &FlowTable<S>, newest: Option<u32>) {
        self.hashes.rotate_right(1);
        self.hashes[0] = newest;
        if let Some(h) = self.hashes[0] {
            table.prefetch_index(h);
        }
        if let Some(h) = self.hashes[1] {
            table.prefetch_slot(h);
        }
        if let Some(h) = self.hashes[2] {
            table.prefetch_flow(h);
        }
    }

    /// The hash of the packet whose turn it is: the one that entered
    /// `DEPTH - 1` steps before the last (see `EventSource::fill`).
    #[inline]
    pub fn current(&self) -> Option<u32> {
        self.hashes[DEPTH - 1]
    }

    /// Forgets the packets in flight (the reader moved elsewhere).
    pub fn clear(&mut self) {
        self.hashes = [None; DEPTH];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{ip_packet, TcpSegment, UdpDatagram};
    use crate::test_data::frames::{eth_ipv4, tcp, udp};
    use crate::test_data::seed_frames;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    /// The key the pipeline uses for the frame's flow, if it is a plain TCP
    /// or UDP packet.
    fn pipeline_key(link: LinkType, frame: &[u8]) -> Option<FlowKey> {
        let ip = ip_packet(link, frame).ok()??;
        if ip.fragment.is_some() {
            return None;
        }
        let ports = match ip.proto {
            proto::TCP => TcpSegment::parse(ip.payload)
                .ok()
                .map(|s| (s.src_port, s.dst_port)),
            proto::UDP => UdpDatagram::parse(ip.payload)
                .ok()
                .map(|u| (u.src_port, u.dst_port)),
            _ => None,
        }?;
        Some(FlowKey::new((ip.src, ports.0), (ip.dst, ports.1), ip.proto))
    }

    const A: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
    const B: Ipv4Addr = Ipv4Addr::new(93, 184, 216, 34);

    #[test]
    fn plain_tcp_and_udp_get_the_pipelines_key_and_fragments_none() {
        let syn = eth_ipv4(
            A,
            B,
            proto::TCP,
            1,
            0,
            false,
            &tcp(40000, 80, 1, 0, 0x02, b""),
        );
        let dns = eth_ipv4(B, A, proto::UDP, 2, 0, false, &udp(53, 5353, b"answer"));
        for frame in [&syn, &dns] {
            let key = quick_key(LinkType::ETHERNET, frame);
            assert!(key.is_some());
            assert_eq!(key, pipeline_key(LinkType::ETHERNET, frame));
        }
        let first = eth_ipv4(A, B, proto::UDP, 3, 0, true, &udp(1, 2, &[0; 16]));
        assert_eq!(quick_key(LinkType::ETHERNET, &first), None);
        let icmp = eth_ipv4(A, B, proto::ICMP, 4, 0, false, &[8, 0, 0, 0, 0, 1, 0, 1]);
        assert_eq!(quick_key(LinkType::ETHERNET, &icmp), None);
    }

    /// Every frame of the shared captures: a key given is the pipeline's.
    #[test]
    fn seed_frames_get_the_pipelines_key() {
        let mut keyed = 0;
        for (link, frame) in seed_frames() {
            if let Some(key) = quick_key(*link, frame) {
                assert_eq!(Some(key), pipeline_key(*link, frame));
                keyed += 1;
            }
        }
        assert!(keyed > 0 || seed_frames().is_empty());
    }

    proptest! {
        /// Over mutated frames: a key given is the pipeline's key when the
        /// pipeline reads the frame as a flow at all (a wrong key would only
        /// waste a prefetch), and nothing panics.
        #[test]
        fn a_key_given_is_the_pipelines(
            flips in prop::collection::vec((0usize..60, any::<u8>()), 0..4),
            cut in 0usize..80,
        ) {
            let mut frame = eth_ipv4(A, B, proto::TCP, 1, 0, false, &tcp(40000, 80, 1, 1, 0x18, b"GET / HTTP/1.1"));
            for (at, byte) in flips {
                if let Some(b) = frame.get_mut(at) {
                    *b = byte;
                }
            }
            frame.truncate(cut);
            if let (Some(key), Some(expected)) = (
                quick_key(LinkType::ETHERNET, &frame),
                pipeline_key(LinkType::ETHERNET, &frame),
            ) {
                prop_assert_eq!(key, expected);
            }
        }
    }
}

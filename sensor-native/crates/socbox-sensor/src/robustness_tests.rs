//! Property tests: arbitrary bytes, and frames of shared captures with bytes
//! flipped, cut or inserted, fed to every decoding entry point. They must
//! never panic, and bounded structures must stay within their bounds.
//! `PROPTEST_CASES=100000 cargo test robustness` runs them longer.

use std::collections::VecDeque;

use proptest::prelude::*;

use crate::capture::{LinkType, RawPacket};
use crate::decode::{ip_packet, IcmpMessage, TcpSegment, UdpDatagram};
use crate::dns::DnsMessage;
use crate::encode::{encode_wire_batch, write_ndjson_line};
use crate::event::Event;
use crate::pipeline::{Pipeline, PipelineConfig};
use crate::reassembly::{FragmentLimits, Fragments, StreamChunk, TcpStream};
use crate::test_data::seed_frames;

/// A change to a seed frame.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, xor: u8 },
    Cut { at: usize },
    Insert { at: usize, byte: u8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(at, xor)| Mutation::Flip { at, xor }),
        any::<usize>().prop_map(|at| Mutation::Cut { at }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
    ]
}

/// A seed frame with mutations applied.
fn mutated_frame() -> impl Strategy<Value = (LinkType, Vec<u8>)> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec(mutation(), 0..8),
    )
        .prop_map(|(i, muts)| {
            let seeds = seed_frames();
            let (lt, frame) = &seeds[i.index(seeds.len())];
            let mut f = frame.clone();
            for m in muts {
                match m {
                    Mutation::Flip { at, xor } if !f.is_empty() => {
                        let n = f.len();
                        f[at % n] ^= xor
                    }
                    Mutation::Cut { at } => f.truncate(at % (f.len() + 1)),
                    Mutation::Insert { at, byte } => {
                        let n = f.len();
                        f.insert(at % (n + 1), byte)
                    }
                    Mutation::Flip { .. } => {}
                }
            }
            (*lt, f)
        })
}

fn link_type() -> impl Strategy<Value = LinkType> {
    prop::sample::select(vec![
        LinkType::ETHERNET,
        LinkType::LINUX_SLL,
        LinkType::LINUX_SLL2,
        LinkType::RAW,
        LinkType::NULL,
        LinkType::LOOP,
        LinkType::IPV4,
        LinkType::IPV6,
    ])
}

fn run_pipeline(frames: &[(LinkType, Vec<u8>)]) {
    run_checked(PipelineConfig::default(), frames);
}

/// The frames through a pipeline of `config`, finished; its events, each
/// checked to encode as JSON (wire batch and NDJSON line).
pub(crate) fn run_checked(config: PipelineConfig, frames: &[(LinkType, Vec<u8>)]) -> Vec<Event> {
    let mut p = Pipeline::new(config);
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
    let events: Vec<_> = out.into_iter().collect();
    let mut wire = Vec::new();
    encode_wire_batch(&events, &mut wire);
    serde_json::from_slice::<serde_json::Value>(&wire).expect("wire batch is JSON");
    for e in &events {
        let mut line = Vec::new();
        write_ndjson_line(&mut line, e);
        serde_json::from_slice::<serde_json::Value>(&line).expect("NDJSON line is JSON");
    }
    events
}

proptest! {
    #[test]
    fn decoders_take_arbitrary_bytes(lt in link_type(), bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = ip_packet(lt, &bytes);
        let _ = UdpDatagram::parse(&bytes);
        let _ = TcpSegment::parse(&bytes);
        let _ = IcmpMessage::parse(&bytes);
        let _ = DnsMessage::parse(&bytes);
    }

    #[test]
    fn decoders_take_mutated_capture_frames((lt, frame) in mutated_frame()) {
        if let Ok(Some(ip)) = ip_packet(lt, &frame) {
            let _ = UdpDatagram::parse(ip.payload).map(|u| DnsMessage::parse(u.payload));
            let _ = TcpSegment::parse(ip.payload);
        }
    }

    #[test]
    fn pipeline_takes_mutated_captures(frames in prop::collection::vec(mutated_frame(), 1..24)) {
        run_pipeline(&frames);
    }

    #[test]
    fn pipeline_takes_arbitrary_frames(
        frames in prop::collection::vec((link_type(), prop::collection::vec(any::<u8>(), 0..120)), 1..16)
    ) {
        run_pipeline(&frames);
    }

    #[test]
    fn tcp_stream_holds_at_most_its_cap(
        segments in prop::collection::vec((any::<u32>(), prop::collection::vec(any::<u8>(), 0..64)), 0..40),
        cap in 0usize..256,
    ) {
        let mut s = TcpStream::new(cap);
        let mut delivered = 0u64;
        let mut count = |c: StreamChunk<'_>| if let StreamChunk::Data(d) = c { delivered += d.len() as u64 };
        for (seq, data) in &segments {
            s.segment(*seq, data, &mut count);
        }
        s.finish(&mut count);
        prop_assert!(s.held_bytes() <= cap);
        prop_assert_eq!(s.delivered(), delivered);
    }

    #[test]
    fn fragments_stay_within_their_byte_cap(
        pieces in prop::collection::vec((0u32..4, 0u32..9000, any::<bool>(), 0usize..1500), 0..60),
    ) {
        let limits = FragmentLimits { timeout_us: 1_000_000, max_datagrams: 3, max_bytes: 8_000 };
        let mut f = Fragments::new(limits);
        let a = "10.0.0.1".parse().unwrap();
        let b = "10.0.0.2".parse().unwrap();
        for (i, (id, offset, more, len)) in pieces.into_iter().enumerate() {
            let frag = crate::decode::Fragment { id, offset: offset / 8 * 8, more };
            let _ = f.add(i as i64, a, b, 17, frag, &vec![0u8; len]);
            prop_assert!(f.held_bytes() <= 8_000);
        }
    }
}

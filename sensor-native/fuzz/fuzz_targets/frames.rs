//! The input format of the frame targets: the first byte picks the link
//! type, then frames follow as (u16 big-endian length, bytes);
//! `tools/fuzz-seed.ts` writes seeds of it from the shared captures.

use std::collections::VecDeque;

use socbox_sensor::capture::{LinkType, RawPacket};
use socbox_sensor::encode::{encode_wire_batch, write_ndjson_line};
use socbox_sensor::pipeline::{Pipeline, PipelineConfig};

const LINK_TYPES: [LinkType; 6] = [
    LinkType::ETHERNET,
    LinkType::LINUX_SLL,
    LinkType::LINUX_SLL2,
    LinkType::RAW,
    LinkType::NULL,
    LinkType::IPV6,
];

/// The frames of `data` through a pipeline of `config`, then its events
/// through both encoders.
pub fn run(data: &[u8], config: PipelineConfig) {
    let Some((&pick, mut rest)) = data.split_first() else {
        return;
    };
    let link_type = LINK_TYPES[usize::from(pick) % LINK_TYPES.len()];
    let mut pipeline = Pipeline::new(config);
    let mut out = VecDeque::new();
    let mut ts_us = 0;
    while rest.len() >= 2 {
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
        let frame = &rest[2..2 + len];
        rest = &rest[2 + len..];
        ts_us += 1_000;
        let pkt = RawPacket {
            ts_us,
            link_type,
            data: frame,
            orig_len: len as u32,
        };
        pipeline.on_packet(&pkt, &mut out);
    }
    pipeline.finish(&mut out);
    let events: Vec<_> = out.into_iter().collect();
    let mut buf = Vec::new();
    encode_wire_batch(&events, &mut buf);
    for e in &events {
        write_ndjson_line(&mut buf, e);
    }
}

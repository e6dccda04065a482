//! `pipeline_frames` with a match plan of every pattern option, field and
//! IOC kind (the plan of the matching property tests): anchor scans,
//! candidate confirmation, regexes, flow bits and IOC lookups read the
//! fuzzed traffic too.
#![no_main]

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use socbox_sensor::capture::{LinkType, RawPacket};
use socbox_sensor::content::{ContentMatcher, InspectCaps};
use socbox_sensor::encode::{encode_wire_batch, write_ndjson_line};
use socbox_sensor::intel::{IntelMatcher, MatchPlan};
use socbox_sensor::pipeline::{Pipeline, PipelineConfig};

/// As `pipeline_frames` picks them, so one corpus serves both.
const LINK_TYPES: [LinkType; 6] = [
    LinkType::ETHERNET,
    LinkType::LINUX_SLL,
    LinkType::LINUX_SLL2,
    LinkType::RAW,
    LinkType::NULL,
    LinkType::IPV6,
];

const PLAN: &str = include_str!("../../crates/socbox-sensor/src/plan_robustness_plan.json");

fn config() -> PipelineConfig {
    static MATCHERS: OnceLock<(Arc<IntelMatcher>, Arc<ContentMatcher>)> = OnceLock::new();
    let (intel, content) = MATCHERS.get_or_init(|| {
        let plan = MatchPlan::parse(PLAN).expect("the plan parses");
        let content = ContentMatcher::new(&plan.content, InspectCaps::default());
        (Arc::new(IntelMatcher::new(&plan)), Arc::new(content))
    });
    PipelineConfig {
        intel: intel.clone(),
        content: content.clone(),
        ..PipelineConfig::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, mut rest)) = data.split_first() else {
        return;
    };
    let link_type = LINK_TYPES[usize::from(pick) % LINK_TYPES.len()];
    let mut pipeline = Pipeline::new(config());
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
});

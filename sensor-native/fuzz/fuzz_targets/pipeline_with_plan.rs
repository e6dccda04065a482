//! `pipeline_frames` with a match plan of every pattern option, field and
//! IOC kind (the plan of the matching property tests): anchor scans,
//! candidate confirmation, regexes, flow bits and IOC lookups read the
//! fuzzed traffic too.
#![no_main]

mod frames;

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use socbox_sensor::content::{ContentMatcher, InspectCaps};
use socbox_sensor::intel::{IntelMatcher, MatchPlan};
use socbox_sensor::pipeline::PipelineConfig;

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

fuzz_target!(|data: &[u8]| frames::run(data, config()));

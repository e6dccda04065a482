//! The whole pipeline on frames cut from the input (`frames.rs`). Covers
//! link, IP, fragments, TCP reassembly, DNS, HTTP, TLS and the other
//! sessions, and the encoders.
#![no_main]

mod frames;

use libfuzzer_sys::fuzz_target;
use socbox_sensor::pipeline::PipelineConfig;

fuzz_target!(|data: &[u8]| frames::run(data, PipelineConfig::default()));

//! Capture files: the input is written to a temporary file and read as a
//! pcap or pcapng source to the end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socbox_sensor::source::{EventSource, SourceOptions};

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("socbox-fuzz-{}.pcap", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(mut source) = EventSource::open(&path, SourceOptions::default()) {
        while source.next_batch(256).is_some() {}
    }
});

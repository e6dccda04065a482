//! DNS messages: header, names with compression pointers, answers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socbox_sensor::dns::DnsMessage;

fuzz_target!(|data: &[u8]| {
    let _ = DnsMessage::parse(data);
});

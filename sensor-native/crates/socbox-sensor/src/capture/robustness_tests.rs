//! Capture readers on damaged files: arbitrary bytes behind a valid magic
//! number, and shared captures with bytes flipped or cut. Reading must end
//! (every record moves forward) and never panic.

use proptest::prelude::*;

use super::pcap::PcapReader;
use super::pcapng::PcapngReader;
use super::Record;
use crate::test_data::capture_bytes;

/// Reads every record; returns how many there were.
fn read_all(data: &[u8]) -> usize {
    let mut n = 0;
    if let Ok(mut r) = PcapReader::new(data) {
        while !matches!(r.next(data), Record::End) {
            n += 1;
            assert!(n <= data.len(), "pcap reader does not advance");
        }
    }
    if let Ok(mut r) = PcapngReader::new(data) {
        while !matches!(r.next(data), Record::End) {
            n += 1;
            assert!(n <= data.len(), "pcapng reader does not advance");
        }
    }
    n
}

fn damaged(rel: &'static str) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec((any::<usize>(), 1..=255u8), 0..16),
        any::<Option<usize>>(),
    )
        .prop_map(move |(flips, cut)| {
            let mut bytes = capture_bytes(rel);
            let n = bytes.len();
            for (at, xor) in flips {
                bytes[at % n] ^= xor;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut % (n + 1));
            }
            bytes
        })
}

proptest! {
    #[test]
    fn arbitrary_bytes_after_a_magic(
        magic in prop::sample::select(vec![
            [0xd4u8, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1],
            [0x0a, 0x0d, 0x0d, 0x0a],
        ]),
        rest in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let mut data = magic.to_vec();
        data.extend(rest);
        read_all(&data);
    }

    #[test]
    fn damaged_pcap(bytes in damaged("MALSITE/maltrail__http_trails.pcap")) {
        read_all(&bytes);
    }

    #[test]
    fn damaged_pcapng(bytes in damaged("BENIGN/chrissanders-packets__dns_query_response.pcapng")) {
        read_all(&bytes);
    }
}

//! The digest and the typer on arbitrary and mutated bytes: no panics,
//! bounded memory, and the summary does not depend on how the bytes were
//! split.

use proptest::prelude::*;
use sha2::{Digest as _, Sha256};

use super::{detect, Digest, HEAD_LEN};

/// Seeds that start like the formats the typer knows, then get mutated.
const SEEDS: &[&[u8]] = &[
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00",
    b"PK\x03\x04\x14\x00\x08\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x09\x00\x00\x00META-INF/",
    b"\xca\xfe\xba\xbe\x00\x00\x00\x02",
    b"#!/bin/sh\n",
    b"<html><script>eval(1)</script>",
    b"%PDF-1.4\n",
];

fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(SEEDS),
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        prop::collection::vec(any::<u8>(), 0..512),
    )
        .prop_map(|(seed, flips, tail)| {
            let mut b = seed.to_vec();
            let n = b.len();
            for (at, v) in flips {
                b[at % n] = v;
            }
            b.extend(tail);
            b
        })
}

proptest! {
    #[test]
    fn detect_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600), m in mutated()) {
        let _ = detect(&bytes);
        let _ = detect(&m);
        for cut in 0..m.len().min(80) {
            let _ = detect(&m[..cut]);
        }
    }

    #[test]
    fn split_does_not_matter(bytes in mutated(), cuts in prop::collection::vec(1usize..64, 0..20), cap in 0u64..700) {
        let mut whole = Digest::new(cap);
        whole.update(&bytes);
        let mut pieces = Digest::new(cap);
        let mut rest = &bytes[..];
        for c in cuts.iter().cycle().take(bytes.len()) {
            if rest.is_empty() { break; }
            let take = (*c).min(rest.len());
            pieces.update(&rest[..take]);
            rest = &rest[take..];
        }
        pieces.update(rest);
        let (a, b) = (whole.finish(), pieces.finish());
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.size, bytes.len() as u64);
        prop_assert_eq!(a.complete, bytes.len() as u64 <= cap);
        if a.complete {
            let expect: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            prop_assert_eq!(a.sha256.as_deref(), Some(expect.as_str()));
            let expect: String = <md5_reference::Md5 as md5_reference::Digest>::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            prop_assert_eq!(a.md5.as_deref(), Some(expect.as_str()));
        } else {
            prop_assert!(a.sha256.is_none() && a.md5.is_none());
        }
    }

    #[test]
    fn memory_is_bounded(sizes in prop::collection::vec(0usize..5000, 1..10)) {
        let mut d = Digest::default();
        for (i, n) in sizes.iter().enumerate() {
            d.update(&vec![i as u8; *n]);
            prop_assert!(d.head().len() <= HEAD_LEN);
        }
    }
}

use proptest::prelude::*;

use super::*;

fn hex(d: [u8; 16]) -> String {
    crate::hex_text::lower_hex(&d)
}

/// The test suite of RFC 1321 §A.5.
#[test]
fn rfc_1321_vectors() {
    let cases: [(&str, &str); 7] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        (
            "abcdefghijklmnopqrstuvwxyz",
            "c3fcd3d76192e4007dfb496cca67e13b",
        ),
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "d174ab98d277d9f5a5611c2c9f419d9f",
        ),
        (
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "57edf4a22be3c955ac49da2e2107b67a",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(hex(Md5::digest(text.as_bytes())), want, "md5({text:?})");
    }
}

/// Every length around the padding's edges (55, 56, 63, 64 mod 64), against
/// the `md-5` crate.
#[test]
fn lengths_around_the_padding_match_the_md5_crate() {
    use md5_reference::Digest as _;
    let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
    for len in 0..data.len() {
        let want: [u8; 16] = md5_reference::Md5::digest(&data[..len]).into();
        assert_eq!(Md5::digest(&data[..len]), want, "length {len}");
    }
}

proptest! {
    /// Any bytes, fed in any pieces, hash as the `md-5` crate hashes them whole.
    #[test]
    fn pieces_hash_as_the_md5_crate(
        data in proptest::collection::vec(any::<u8>(), 0..700),
        cuts in proptest::collection::vec(0usize..700, 0..6),
    ) {
        use md5_reference::Digest as _;
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
        cuts.sort_unstable();
        let mut h = Md5::new();
        let mut from = 0;
        for c in cuts.into_iter().chain([data.len()]) {
            h.update(&data[from..c]);
            from = c;
        }
        let want: [u8; 16] = md5_reference::Md5::digest(&data).into();
        prop_assert_eq!(h.finalize(), want);
    }

    /// The compression function this target uses gives the portable one's
    /// state for any state and blocks.
    #[test]
    fn compression_matches_the_portable_steps(
        state in any::<[u32; 4]>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..4 * BLOCK),
    ) {
        let blocks = &bytes[..bytes.len() - bytes.len() % BLOCK];
        let (mut fast, mut reference) = (state, state);
        compress(&mut fast, blocks);
        portable::compress(&mut reference, blocks);
        prop_assert_eq!(fast, reference);
    }
}

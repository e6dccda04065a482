//! Lower-case hex text of digests and raw values (file hashes, JA3,
//! certificate fingerprints).

/// `bytes` as lower-case hex, two digits each, written in place into a
/// buffer sized once: the `hex` crate's `encode` collects a char iterator, which cost
/// ~1,300 instructions per SHA-256 (2.6% of a capture of short HTTP flows
/// with a file each), and `write!("{:02x}")` goes through fmt per byte.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = vec![0u8; bytes.len() * 2];
    for (pair, &b) in text.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0x0f)];
    }
    String::from_utf8(text).expect("hex digits are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_byte_value_is_two_lower_case_digits() {
        assert_eq!(lower_hex(&[]), "");
        assert_eq!(lower_hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }

    proptest! {
        #[test]
        fn the_same_text_as_formatting_each_byte(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
            let formatted: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            prop_assert_eq!(lower_hex(&bytes), formatted);
        }
    }
}

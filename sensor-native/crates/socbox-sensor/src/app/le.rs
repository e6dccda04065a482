//! Little-endian reads and UTF-16LE strings for the Windows protocols (SMB,
//! NTLMSSP, DCE/RPC): every read is bounds-checked and gives None past the
//! end, so a short or lying length never panics.

#[inline]
pub(crate) fn le16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        d.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

#[inline]
pub(crate) fn le32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[inline]
pub(crate) fn le64(d: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        d.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// `len` bytes at `at`, or None past the end.
#[inline]
pub(crate) fn bytes_at(d: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    d.get(at..at.checked_add(len)?)
}

/// Longest string kept from the wire, in UTF-16 units or bytes.
const MAX_CHARS: usize = 1024;

/// UTF-16LE text up to the first NUL (odd trailing byte dropped; invalid
/// surrogates become U+FFFD), at most `MAX_CHARS` units.
pub(crate) fn utf16le(d: &[u8]) -> String {
    let units = d
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .take(MAX_CHARS);
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// 8-bit text up to the first NUL, each byte as the code point of the same
/// value (Latin-1), at most `MAX_CHARS` bytes.
pub(crate) fn latin1(d: &[u8]) -> String {
    d.iter()
        .take_while(|&&b| b != 0)
        .take(MAX_CHARS)
        .map(|&b| char::from(b))
        .collect()
}

/// Where a NUL-terminated string starting at `at` ends (after its NUL, or
/// the end of `d`).
pub(crate) fn skip_cstr(d: &[u8], at: usize, unicode: bool) -> usize {
    let Some(rest) = d.get(at..) else {
        return d.len();
    };
    if unicode {
        rest.chunks_exact(2)
            .position(|c| c == [0, 0])
            .map_or(d.len(), |i| at + 2 * i + 2)
    } else {
        rest.iter()
            .position(|&b| b == 0)
            .map_or(d.len(), |i| at + i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stay_in_bounds() {
        assert_eq!(le16(&[1, 2], 0), Some(0x0201));
        assert_eq!(le16(&[1, 2], 1), None);
        assert_eq!(le32(&[0; 4], usize::MAX), None);
        assert_eq!(le64(&[1, 0, 0, 0, 0, 0, 0, 0], 0), Some(1));
        assert_eq!(bytes_at(&[1, 2, 3], 1, 2), Some(&[2u8, 3][..]));
        assert_eq!(bytes_at(&[1, 2, 3], 2, usize::MAX), None);
    }

    #[test]
    fn strings_stop_at_nul_and_take_bad_units() {
        assert_eq!(utf16le(b"A\0B\0\0\0C\0"), "AB");
        assert_eq!(utf16le(&[0x00, 0xd8, b'x', 0]), "\u{fffd}x");
        assert_eq!(utf16le(b"A\0B"), "A");
        assert_eq!(latin1(b"ab\xe9\0cd"), "ab\u{e9}");
        assert_eq!(skip_cstr(b"ab\0cd", 0, false), 3);
        assert_eq!(skip_cstr(b"a\0\0\0b\0", 0, true), 4);
        assert_eq!(skip_cstr(b"ab", 5, false), 2);
    }
}

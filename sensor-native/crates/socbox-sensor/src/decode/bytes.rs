/// Big-endian u16 at `at`, or None past the end.
#[inline]
pub(crate) fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        data.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

/// Big-endian u32 at `at`, or None past the end.
#[inline]
pub(crate) fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        data.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_bounds() {
        assert_eq!(be16(&[1, 2], 0), Some(0x0102));
        assert_eq!(be16(&[1, 2], 1), None);
        assert_eq!(be32(&[0, 0, 1, 2, 3], 1), Some(0x0001_0203));
        assert_eq!(be32(&[0; 4], usize::MAX - 1), None);
    }
}

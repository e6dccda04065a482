/// Byte order of a capture file's headers, fixed by its magic number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endian {
    Little,
    Big,
}

impl Endian {
    /// Reads a u16 at `at`, or None past the end.
    pub(crate) fn u16(self, data: &[u8], at: usize) -> Option<u16> {
        let b: [u8; 2] = data.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(match self {
            Self::Little => u16::from_le_bytes(b),
            Self::Big => u16::from_be_bytes(b),
        })
    }

    /// Reads a u32 at `at`, or None past the end.
    pub(crate) fn u32(self, data: &[u8], at: usize) -> Option<u32> {
        let b: [u8; 4] = data.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(match self {
            Self::Little => u32::from_le_bytes(b),
            Self::Big => u32::from_be_bytes(b),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_orders_and_stops_at_the_end() {
        let d = [1, 2, 3, 4];
        assert_eq!(Endian::Little.u16(&d, 0), Some(0x0201));
        assert_eq!(Endian::Big.u16(&d, 0), Some(0x0102));
        assert_eq!(Endian::Big.u32(&d, 0), Some(0x01020304));
        assert_eq!(Endian::Little.u32(&d, 1), None);
        assert_eq!(Endian::Little.u16(&d, usize::MAX), None);
    }
}

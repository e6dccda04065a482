//! A hint to the CPU that bytes will be read soon. Records of a capture
//! are read front to back but with a varying stride, which the hardware
//! prefetcher does not follow: without the hint every record header was a
//! cache miss (half the time spent in the record reader).

/// Asks for the cache line holding `data[at]`; does nothing past the end
/// or on other architectures.
#[inline(always)]
pub(crate) fn prefetch(data: &[u8], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(byte) = data.get(at) {
        #[allow(unsafe_code)]
        // SAFETY: `byte` is a valid reference into `data`; a prefetch reads
        // nothing and cannot fault.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>((byte as *const u8).cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (data, at);
}

/// Asks for the cache line holding the start of `value` (a flow not
/// touched for a while, before its packet's turn).
#[inline(always)]
pub(crate) fn prefetch_value<T>(value: &T) {
    prefetch(
        // SAFETY: the bytes of `value`'s first byte only, read by nobody.
        #[allow(unsafe_code)]
        unsafe {
            std::slice::from_raw_parts((value as *const T).cast::<u8>(), 1)
        },
        0,
    );
}

/// Bytes of the capture asked for ahead of the reader. The next record
/// header was asked for as the record before it was read, too late: it still
/// missed, often in the TLB too (a new page), and the prefetch stalled on it.
/// A couple of microseconds of reading ahead covers both.
const AHEAD: usize = 2048;

const LINE: usize = 64;

/// Asks for every cache line of a capture read front to back once, up to
/// [`AHEAD`] bytes past the reader.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StreamAhead {
    /// Lines before this offset were asked for.
    until: usize,
}

impl StreamAhead {
    /// The reader is at `pos` of `data`.
    #[inline(always)]
    pub(crate) fn reach(&mut self, data: &[u8], pos: usize) {
        let target = pos.saturating_add(AHEAD).min(data.len());
        // A reader that jumped (a new one at an offset) starts at its line.
        let mut at = self.until.max(pos & !(LINE - 1));
        while at < target {
            prefetch(data, at);
            at += LINE;
        }
        self.until = self.until.max(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ahead_asks_each_line_once_and_never_past_the_end() {
        let data = vec![0u8; 10_000];
        let mut ahead = StreamAhead::default();
        ahead.reach(&data, 0);
        assert_eq!(ahead.until, AHEAD);
        ahead.reach(&data, 100);
        assert_eq!(ahead.until, AHEAD + 128);
        ahead.reach(&data, 9_999);
        assert_eq!(ahead.until, 10_048, "stops at the line holding the end");
        ahead.reach(&data, 50);
        assert_eq!(ahead.until, 10_048, "a step back asks for nothing again");
        ahead.reach(&[], usize::MAX);
    }

    #[test]
    fn any_position_is_safe() {
        let data = [1u8, 2, 3];
        for at in [0, 2, 3, usize::MAX] {
            prefetch(&data, at);
        }
        prefetch(&[], 0);
    }
}

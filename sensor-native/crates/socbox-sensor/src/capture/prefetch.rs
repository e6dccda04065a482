//! A hint to the CPU that bytes will be read soon. Records of a capture
//! are read front to back but with a varying stride, which the hardware
//! prefetcher does not follow across pages: without a hint every record
//! header was a cache miss (half the time spent in the record reader). The
//! readers ask for the next header; the loops that read a whole capture
//! ask for its lines further ahead ([`LinesAhead`]): without the readers'
//! own hint a reading loop was 2% slower still.

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

/// Asks for every cache line of `value` (a recycled flow box about to be
/// written whole: each line missed in turn otherwise).
#[inline(always)]
pub(crate) fn prefetch_whole<T>(value: &T) {
    // SAFETY: the bytes of `value` itself, read by nobody.
    #[allow(unsafe_code)]
    let bytes = unsafe {
        std::slice::from_raw_parts((value as *const T).cast::<u8>(), std::mem::size_of::<T>())
    };
    for at in (0..bytes.len()).step_by(64) {
        prefetch(bytes, at);
    }
}

/// Asks for every cache line of bytes read front to back, [`LINES_AHEAD`]
/// bytes ahead of the reader. Records are a few hundred bytes: asking for
/// one line ahead of each record left most lines to the hardware
/// prefetcher, which stops at page ends.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LinesAhead {
    /// The first line not asked for yet.
    next: usize,
}

/// How far ahead of the reader lines are asked for: a page, a dozen
/// typical records. The sharded walk, which does little per record and so
/// waits on memory, took 138 -> 114 ms over the 1 GB mixed capture a page
/// ahead (half a page: 120 ms) asking for one line per record, and half its
/// share of a sharded run again asking for every line.
pub(crate) const LINES_AHEAD: usize = 4096;

impl LinesAhead {
    /// The reader is at `at`: asks for the lines up to `LINES_AHEAD` past
    /// it not asked for yet; after a jump (the reader moved elsewhere),
    /// those from `at` on.
    #[inline]
    pub fn reach(&mut self, data: &[u8], at: usize) {
        let until = at.saturating_add(LINES_AHEAD).min(data.len());
        let from = until.saturating_sub(LINES_AHEAD);
        if self.next < from || self.next > until.saturating_add(LINES_AHEAD) {
            self.next = from;
        }
        while self.next < until {
            prefetch(data, self.next);
            self.next += 64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_position_is_safe() {
        let data = [1u8, 2, 3];
        for at in [0, 2, 3, usize::MAX] {
            prefetch(&data, at);
        }
        prefetch(&[], 0);
    }

    /// Wherever the reader goes (on, back, far ahead, past the end), the
    /// lines up to its target are asked for and the cursor stays near it:
    /// never a walk over the bytes it skipped.
    #[test]
    fn lines_ahead_follow_the_reader() {
        let data = vec![0u8; 100_000];
        let mut lines = LinesAhead::default();
        for at in [0, 100, 5_000, 4_000, 90_000, 10, 250_000, 99_999] {
            lines.reach(&data, at);
            let until = (at + LINES_AHEAD).min(data.len());
            assert!(
                lines.next >= until && lines.next <= until + LINES_AHEAD + 64,
                "{until}: {}",
                lines.next
            );
        }
    }

    #[test]
    fn whole_values_of_any_size_are_safe() {
        prefetch_whole(&());
        prefetch_whole(&0u8);
        prefetch_whole(&[7u64; 100]);
    }
}

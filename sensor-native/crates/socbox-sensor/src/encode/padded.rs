//! Short byte runs appended without a call to `memcpy`. An NDJSON line is
//! some thirty runs of a few bytes (keys, short strings, numbers); appended
//! as slices of variable length, each was a call into libc's memmove
//! (1.8% of a sharded run's samples). Here a run is appended as a whole
//! fixed-size chunk (a couple of vector stores) and the vector then cut
//! back to the run's length: a constant one (a key) copied as it is, one
//! made per line (a string, a number) written into the appended bytes in
//! place.

/// Longest run a [`Fragment`] holds.
pub const FRAGMENT_CAP: usize = 32;

/// Up to [`FRAGMENT_CAP`] bytes known before the line is written (a key
/// with its punctuation), padded to the chunk's size.
#[derive(Clone, Copy)]
pub struct Fragment {
    bytes: [u8; FRAGMENT_CAP],
    len: u8,
}

impl Fragment {
    /// `parts` one after the other; a compile error (in a const) when
    /// longer than [`FRAGMENT_CAP`].
    pub const fn new(parts: &[&str]) -> Self {
        let mut bytes = [0u8; FRAGMENT_CAP];
        let mut len = 0;
        let mut p = 0;
        while p < parts.len() {
            let part = parts[p].as_bytes();
            let mut i = 0;
            while i < part.len() {
                assert!(len < FRAGMENT_CAP, "fragment longer than FRAGMENT_CAP");
                bytes[len] = part[i];
                len += 1;
                i += 1;
            }
            p += 1;
        }
        Self {
            bytes,
            len: len as u8,
        }
    }

    /// `,"name":` for each of `names` after the first `skip`.
    pub const fn keys<const N: usize>(names: &[&str], skip: usize) -> [Self; N] {
        let mut keys = [Self::new(&[]); N];
        let mut i = 0;
        while i < N {
            keys[i] = Self::new(&[",\"", names[skip + i], "\":"]);
            i += 1;
        }
        keys
    }

    #[cfg(test)]
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// Appends a fragment.
#[inline(always)]
pub fn push_fragment(out: &mut Vec<u8>, f: &Fragment) {
    push_padded(out, &f.bytes, usize::from(f.len));
}

/// Appends the first `len` bytes of `chunk` (`len <= N`): the whole chunk is
/// copied, a constant size, and the rest cut off again (bytes need no drop).
#[inline(always)]
pub fn push_padded<const N: usize>(out: &mut Vec<u8>, chunk: &[u8; N], len: usize) {
    debug_assert!(len <= N);
    let start = out.len();
    out.extend_from_slice(chunk);
    out.truncate(start + len);
}

/// Appends `N` bytes, has `fill` write a run into them in place and cuts
/// back to the length it returns. In place rather than in a stack buffer
/// copied after: a buffer built by small stores and read back whole at once
/// stalls the load (store-to-load forwarding fails).
#[inline(always)]
pub fn push_in_place<const N: usize>(out: &mut Vec<u8>, fill: impl FnOnce(&mut [u8; N]) -> usize) {
    let start = out.len();
    out.extend_from_slice(&[0u8; N]);
    let len = fill(out.last_chunk_mut().expect("N bytes were just appended"));
    debug_assert!(len <= N);
    out.truncate(start + len);
}

/// Longest run [`push_short`] takes.
pub const SHORT_CAP: usize = 32;

/// Appends `s` if it has at most [`SHORT_CAP`] bytes (false otherwise):
/// copied as two fixed-size pieces that overlap as much as the length
/// requires (what memmove does for short lengths, without the call).
#[inline(always)]
pub fn push_short(out: &mut Vec<u8>, s: &[u8]) -> bool {
    let n = s.len();
    if n > SHORT_CAP {
        return false;
    }
    // As push_in_place, without a closure (left out of line here).
    let start = out.len();
    out.extend_from_slice(&[0u8; SHORT_CAP]);
    let body = &mut out[start..start + n];
    match n {
        16.. => {
            body[..16].copy_from_slice(&s[..16]);
            body[n - 16..].copy_from_slice(&s[n - 16..]);
        }
        8..=15 => {
            body[..8].copy_from_slice(&s[..8]);
            body[n - 8..].copy_from_slice(&s[n - 8..]);
        }
        4..=7 => {
            body[..4].copy_from_slice(&s[..4]);
            body[n - 4..].copy_from_slice(&s[n - 4..]);
        }
        1..=3 => {
            body[0] = s[0];
            body[n / 2] = s[n / 2];
            body[n - 1] = s[n - 1];
        }
        0 => {}
    }
    out.truncate(start + n);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_names_with_their_punctuation() {
        const KEYS: [Fragment; 2] = Fragment::keys(&["ts", "proto", "bytes_written"], 1);
        assert_eq!(KEYS[0].as_bytes(), b",\"proto\":");
        assert_eq!(KEYS[1].as_bytes(), b",\"bytes_written\":");
    }

    proptest::proptest! {
        /// Every way in appends what extend_from_slice does.
        #[test]
        fn appends_like_extend_from_slice(
            head in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            s in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..=40),
        ) {
            let mut out = head.clone();
            if !push_short(&mut out, &s) {
                proptest::prop_assert!(s.len() > SHORT_CAP);
                out.extend_from_slice(&s);
            }
            let mut expect = head.clone();
            expect.extend_from_slice(&s);
            proptest::prop_assert_eq!(&out, &expect);

            let text = String::from_utf8_lossy(&s[..s.len().min(FRAGMENT_CAP / 4)]).into_owned();
            let text: String = text.chars().take(FRAGMENT_CAP / 4).collect();
            let mut out = head.clone();
            push_fragment(&mut out, &Fragment::new(&[&text]));
            let mut expect = head;
            expect.extend_from_slice(text.as_bytes());
            proptest::prop_assert_eq!(out, expect);
        }
    }
}

//! Which bytes of a TCP stream are TLS ciphertext: the bodies of
//! `application_data` records (content type 23), which raw payload
//! signatures are not searched in (encrypted bytes match a literal only by
//! chance). A stream whose first byte is not a TLS record type, or whose
//! record headers stop making sense, is plaintext from there on.

/// Longest record body TLS allows (2^14 plus expansion).
const MAX_RECORD: u16 = 16 * 1024 + 2048;

const APPLICATION_DATA: u8 = 23;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Records {
    /// Nothing seen yet.
    #[default]
    Start,
    /// Not TLS (or no longer in step with its records): all plaintext.
    Plain,
    /// `have` bytes of the next record header.
    Header {
        have: u8,
        header: [u8; 5],
    },
    Body {
        ciphertext: bool,
        left: u16,
    },
}

impl Records {
    /// Walks `bytes` (the next bytes of the stream, starting at stream
    /// offset `at`) and calls `plain(start, end)` for each run of bytes
    /// that is not ciphertext, in stream offsets.
    pub(crate) fn walk(&mut self, bytes: &[u8], at: usize, plain: &mut impl FnMut(usize, usize)) {
        // Start of the plaintext run being gathered, in `bytes`.
        let mut run: Option<usize> = None;
        let mut i = 0;
        while i < bytes.len() {
            match self {
                Records::Start => {
                    *self = if (20..=24).contains(&bytes[i]) {
                        Records::Header {
                            have: 0,
                            header: [0; 5],
                        }
                    } else {
                        Records::Plain
                    };
                }
                Records::Plain => {
                    run.get_or_insert(i);
                    i = bytes.len();
                }
                Records::Header { have, header } => {
                    let n = (5 - usize::from(*have)).min(bytes.len() - i);
                    header[usize::from(*have)..usize::from(*have) + n]
                        .copy_from_slice(&bytes[i..i + n]);
                    run.get_or_insert(i);
                    *have += n as u8;
                    i += n;
                    if *have == 5 {
                        let [kind, major, minor, hi, lo] = *header;
                        let len = u16::from_be_bytes([hi, lo]);
                        *self = if (20..=24).contains(&kind)
                            && major == 3
                            && minor <= 4
                            && len <= MAX_RECORD
                        {
                            Records::Body {
                                ciphertext: kind == APPLICATION_DATA,
                                left: len,
                            }
                        } else {
                            Records::Plain
                        };
                    }
                }
                Records::Body { ciphertext, left } => {
                    let n = usize::from(*left).min(bytes.len() - i);
                    if !*ciphertext {
                        run.get_or_insert(i);
                    } else if let Some(s) = run.take() {
                        plain(at + s, at + i);
                    }
                    *left -= n as u16;
                    i += n;
                    if *left == 0 {
                        *self = Records::Header {
                            have: 0,
                            header: [0; 5],
                        };
                    }
                }
            }
        }
        if let Some(s) = run {
            plain(at + s, at + bytes.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![kind, 3, 3];
        r.extend_from_slice(&(body.len() as u16).to_be_bytes());
        r.extend_from_slice(body);
        r
    }

    /// Plain runs of `stream` fed in pieces of `piece` bytes, merged.
    fn plain_runs(stream: &[u8], piece: usize) -> Vec<(usize, usize)> {
        let mut r = Records::default();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (k, c) in stream.chunks(piece.max(1)).enumerate() {
            r.walk(c, k * piece.max(1), &mut |a, b| match runs.last_mut() {
                Some(last) if last.1 == a => last.1 = b,
                _ => runs.push((a, b)),
            });
        }
        runs
    }

    #[test]
    fn ciphertext_bodies_are_left_out_in_any_pieces() {
        let mut s = record(22, b"client hello");
        s.extend(record(20, b"\x01"));
        s.extend(record(23, &[0xaa; 40]));
        s.extend(record(21, b"\x01\x00"));
        s.extend(record(23, &[0xbb; 7]));
        s.extend(record(24, b"\x01\x40\x00"));
        // header+hello 17, ccs 6 → 23; app header 5 → 28, body 40 → 68;
        // alert 7 → 75 with the next header 5 → 80, body 7 → 87; heartbeat 8.
        let expect = vec![(0, 28), (68, 80), (87, 95)];
        for piece in 1..=s.len() {
            assert_eq!(plain_runs(&s, piece), expect, "pieces of {piece}");
        }
    }

    #[test]
    fn not_tls_or_out_of_step_is_plain() {
        assert_eq!(plain_runs(b"GET / HTTP/1.1\r\n", 4), vec![(0, 16)]);
        // A header that is not TLS: plaintext from there on.
        let mut s = record(23, &[0; 4]);
        s.extend_from_slice(b"\x17\x09\x09\xff\xffMZ payload");
        assert_eq!(plain_runs(&s, 3), vec![(0, 5), (9, s.len())]);
        assert_eq!(plain_runs(b"", 1), vec![]);
    }

    proptest! {
        #[test]
        fn pieces_do_not_change_the_runs(stream in prop::collection::vec(any::<u8>(), 0..300), piece in 1usize..40) {
            let mut s = record(22, b"hi");
            s.extend(stream);
            prop_assert_eq!(plain_runs(&s, piece), plain_runs(&s, s.len()));
        }
    }
}

//! Message bodies (RFC 9112 §6): counted by Content-Length, chunked, or
//! read until the connection closes. Body bytes are counted and handed,
//! de-chunked, to a callback (the body's file digest); never kept here.

/// Chunk-size lines longer than this are not HTTP.
const MAX_CHUNK_LINE: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Chunked {
    /// Reading a chunk-size line.
    Size {
        value: u64,
        digits: u8,
        in_ext: bool,
        line: usize,
    },
    Data(u64),
    /// The CRLF after chunk data.
    DataEnd,
    /// Trailer lines after the last chunk; `line` bytes of the current one.
    Trailer {
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    Length(u64),
    Chunked(Chunked),
    UntilClose,
}

/// What feeding bytes to a body did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fed {
    /// Bytes of the input that belong to the body.
    pub consumed: usize,
    /// Body bytes (after de-chunking) among them.
    pub body_bytes: u64,
    pub done: bool,
    /// The chunk framing was broken.
    pub invalid: bool,
}

impl Body {
    pub(crate) fn chunked() -> Self {
        Self::Chunked(Chunked::Size {
            value: 0,
            digits: 0,
            in_ext: false,
            line: 0,
        })
    }

    /// Reads the body's share of `data`; `on_data` gets the body bytes
    /// (after de-chunking) in order.
    pub(crate) fn feed(&mut self, data: &[u8], on_data: &mut dyn FnMut(&[u8])) -> Fed {
        match self {
            Self::Length(rem) => {
                let n = (*rem).min(data.len() as u64);
                *rem -= n;
                on_data(&data[..n as usize]);
                Fed {
                    consumed: n as usize,
                    body_bytes: n,
                    done: *rem == 0,
                    invalid: false,
                }
            }
            Self::UntilClose => {
                on_data(data);
                Fed {
                    consumed: data.len(),
                    body_bytes: data.len() as u64,
                    done: false,
                    invalid: false,
                }
            }
            Self::Chunked(state) => feed_chunked(state, data, on_data),
        }
    }
}

fn feed_chunked(state: &mut Chunked, data: &[u8], on_data: &mut dyn FnMut(&[u8])) -> Fed {
    let mut fed = Fed {
        consumed: 0,
        body_bytes: 0,
        done: false,
        invalid: false,
    };
    let mut i = 0;
    while i < data.len() {
        match state {
            Chunked::Size {
                value,
                digits,
                in_ext,
                line,
            } => {
                let b = data[i];
                i += 1;
                *line += 1;
                if *line > MAX_CHUNK_LINE {
                    fed.invalid = true;
                    break;
                }
                match b {
                    // A blank line where a size belongs (an extra CRLF after the
                    // data or before the first chunk): browsers skip it, and so
                    // would the malware's victim, so the body must be read on
                    // (HTTP Evader "lf-before-chunks", shared/data D034).
                    b'\n' if *digits == 0 => *line = 0,
                    b'\n' if *value == 0 => *state = Chunked::Trailer { line: 0 },
                    b'\n' => *state = Chunked::Data(*value),
                    b'\r' => {}
                    _ if *in_ext => {}
                    _ if b.is_ascii_hexdigit() && *digits < 16 => {
                        *value = *value << 4 | u64::from((b as char).to_digit(16).unwrap_or(0));
                        *digits += 1;
                    }
                    b';' | b' ' | b'\t' if *digits > 0 => *in_ext = true,
                    _ => {
                        fed.invalid = true;
                        break;
                    }
                }
            }
            Chunked::Data(rem) => {
                let n = (*rem).min((data.len() - i) as u64);
                *rem -= n;
                on_data(&data[i..i + n as usize]);
                i += n as usize;
                fed.body_bytes += n;
                if *rem == 0 {
                    *state = Chunked::DataEnd;
                }
            }
            Chunked::DataEnd => {
                let b = data[i];
                i += 1;
                if b == b'\n' {
                    *state = Chunked::Size {
                        value: 0,
                        digits: 0,
                        in_ext: false,
                        line: 0,
                    };
                }
            }
            Chunked::Trailer { line } => {
                let b = data[i];
                i += 1;
                match b {
                    b'\n' if *line == 0 => {
                        fed.done = true;
                        break;
                    }
                    b'\n' => *line = 0,
                    b'\r' => {}
                    _ => *line += 1,
                }
            }
        }
    }
    fed.consumed = i;
    fed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `pieces` one after another; returns (body bytes, consumed, done).
    fn run(mut body: Body, pieces: &[&[u8]]) -> (u64, usize, bool, bool) {
        let (mut bytes, mut consumed, mut done, mut invalid) = (0, 0, false, false);
        let mut delivered = 0u64;
        for p in pieces {
            let f = body.feed(p, &mut |d| delivered += d.len() as u64);
            bytes += f.body_bytes;
            consumed += f.consumed;
            done |= f.done;
            invalid |= f.invalid;
            if f.done || f.invalid {
                break;
            }
        }
        assert_eq!(delivered, bytes, "every counted byte is delivered");
        (bytes, consumed, done, invalid)
    }

    #[test]
    fn bodies() {
        /// (name, body, pieces fed, (body bytes, consumed, done, invalid))
        type Case<'a> = (&'a str, Body, &'a [&'a [u8]], (u64, usize, bool, bool));
        let cases: &[Case] = &[
            (
                "length",
                Body::Length(5),
                &[b"abc", b"defGET"],
                (5, 5, true, false),
            ),
            (
                "until close",
                Body::UntilClose,
                &[b"abc", b"de"],
                (5, 5, false, false),
            ),
            (
                "chunked",
                Body::chunked(),
                &[
                    b"5\r\nhel",
                    b"lo\r\n1a;ext=1\r\n",
                    &[b'x'; 26],
                    b"\r\n0\r\nX-T: 1\r\n\r\nNEXT",
                ],
                (31, 61, true, false),
            ),
            (
                "bad size",
                Body::chunked(),
                &[b"zz\r\n"],
                (0, 1, false, true),
            ),
            (
                "blank lines before a size are skipped",
                Body::chunked(),
                &[b"\r\n", b"\n3\r\nabc\r\n\r\n0\r\n\r\n"],
                (3, 18, true, false),
            ),
            (
                "a size line of spaces",
                Body::chunked(),
                &[b" 3\r\n"],
                (0, 1, false, true),
            ),
        ];
        for (name, body, pieces, expect) in cases {
            assert_eq!(run(body.clone(), pieces), *expect, "{name}");
        }
    }

    #[test]
    fn chunked_bytes_are_delivered_de_chunked() {
        let mut got = Vec::new();
        let mut body = Body::chunked();
        for piece in [&b"3\r\nab"[..], b"c\r\n2;x\r\nde\r\n0\r\n\r\n"] {
            body.feed(piece, &mut |d| got.extend_from_slice(d));
        }
        assert_eq!(got, b"abcde");
    }
}

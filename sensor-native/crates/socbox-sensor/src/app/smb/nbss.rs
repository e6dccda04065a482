//! NetBIOS session service framing (RFC 1002 §4.3; also SMB2 direct TCP on
//! port 445): a 4-byte header, type then 24-bit length, before each SMB
//! message. Messages up to a cap are handed over whole; a longer one (a big
//! READ or WRITE) as its first `cap` bytes and then the rest piece by piece,
//! so memory stays bounded whatever the peer claims.

use crate::reassembly::StreamChunk;

/// What the framer hands over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frame<'a> {
    /// A whole message.
    Whole(&'a [u8]),
    /// The first bytes of a message longer than the cap, and its length.
    Head { head: &'a [u8], total: usize },
    /// Further bytes of the long message whose head came last.
    Tail(&'a [u8]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Body {
        len: usize,
    },
    Tail {
        left: usize,
    },
    Skip {
        left: usize,
    },
    /// Bytes were lost: looking for the next header.
    Lost,
}

#[derive(Debug)]
pub(crate) struct Nbss {
    buf: Vec<u8>,
    state: State,
    cap: usize,
}

/// Session message, the only type that carries SMB.
const SESSION_MESSAGE: u8 = 0x00;

/// Protocol ids an SMB message starts with: SMB1, SMB2, SMB3 transform
/// (encrypted), SMB3 compression.
fn is_smb_magic(b: &[u8]) -> bool {
    b.len() >= 4 && matches!(b[0], 0xfc..=0xff) && &b[1..4] == b"SMB"
}

impl Nbss {
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            buf: Vec::new(),
            state: State::Header,
            cap,
        }
    }

    /// Bytes held now.
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.buf.len()
    }

    /// Takes a chunk of the stream; frames go to `f`. Returns how many
    /// times framing was lost (a header that is not NetBIOS).
    pub(crate) fn feed(&mut self, chunk: StreamChunk<'_>, f: &mut impl FnMut(Frame<'_>)) -> u32 {
        let mut data = match chunk {
            StreamChunk::Data(d) => d,
            StreamChunk::Gap => {
                self.buf.clear();
                // A message cut short is lost; a gap between messages is not
                // a loss of framing, but which one it was is unknown.
                self.state = State::Lost;
                return 0;
            }
        };
        let mut lost = 0;
        while !data.is_empty() {
            match self.state {
                State::Header => {
                    let take = (4 - self.buf.len()).min(data.len());
                    self.buf.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if self.buf.len() < 4 {
                        break;
                    }
                    let kind = self.buf[0];
                    let len = (usize::from(self.buf[1]) << 16)
                        | (usize::from(self.buf[2]) << 8)
                        | usize::from(self.buf[3]);
                    self.buf.clear();
                    self.state = match kind {
                        SESSION_MESSAGE if len > 0 => State::Body { len },
                        SESSION_MESSAGE => State::Header,
                        // Session request/response/retarget, keepalive.
                        0x81..=0x85 => State::Skip { left: len },
                        _ => {
                            lost += 1;
                            State::Lost
                        }
                    };
                }
                State::Body { len } => {
                    let want = len.min(self.cap);
                    if self.buf.is_empty() && data.len() >= want {
                        // The common case: the whole message is in this chunk.
                        let (msg, rest) = data.split_at(want);
                        self.emit(msg, len, f);
                        data = rest;
                        continue;
                    }
                    let take = (want - self.buf.len()).min(data.len());
                    self.buf.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if self.buf.len() == want {
                        let msg = std::mem::take(&mut self.buf);
                        self.emit(&msg, len, f);
                        self.buf = msg;
                        self.buf.clear();
                    }
                }
                State::Tail { left } | State::Skip { left } => {
                    let take = left.min(data.len());
                    if matches!(self.state, State::Tail { .. }) {
                        f(Frame::Tail(&data[..take]));
                    }
                    data = &data[take..];
                    self.state = match (self.state, left - take) {
                        (_, 0) => State::Header,
                        (State::Tail { .. }, left) => State::Tail { left },
                        (_, left) => State::Skip { left },
                    };
                }
                State::Lost => {
                    // A header is a session message type and length, then
                    // an SMB protocol id.
                    match (0..data.len().saturating_sub(7))
                        .find(|&i| data[i] == SESSION_MESSAGE && is_smb_magic(&data[i + 4..]))
                    {
                        Some(i) => {
                            data = &data[i..];
                            self.state = State::Header;
                        }
                        None => break,
                    }
                }
            }
        }
        lost
    }

    fn emit(&mut self, msg: &[u8], total: usize, f: &mut impl FnMut(Frame<'_>)) {
        if total <= msg.len() {
            f(Frame::Whole(msg));
            self.state = State::Header;
        } else {
            f(Frame::Head { head: msg, total });
            self.state = State::Tail {
                left: total - msg.len(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(n: &mut Nbss, chunks: &[StreamChunk<'_>]) -> Vec<String> {
        let mut out = Vec::new();
        for c in chunks {
            n.feed(*c, &mut |f| {
                out.push(match f {
                    Frame::Whole(m) => format!("whole {}", String::from_utf8_lossy(m)),
                    Frame::Head { head, total } => {
                        format!("head {} {total}", String::from_utf8_lossy(head))
                    }
                    Frame::Tail(t) => format!("tail {}", String::from_utf8_lossy(t)),
                })
            });
        }
        out
    }

    fn msg(body: &[u8]) -> Vec<u8> {
        let mut m = vec![0, 0, 0, body.len() as u8];
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn several_messages_in_one_chunk_and_one_split_across_chunks() {
        let mut n = Nbss::new(64);
        let mut stream = msg(b"\xfeSMBone");
        stream.extend(msg(b"\xfeSMBtwo"));
        stream.extend(msg(b"\xfeSMBthree"));
        let (a, b) = stream.split_at(17);
        let got = frames(&mut n, &[StreamChunk::Data(a), StreamChunk::Data(b)]);
        assert_eq!(
            got,
            [
                "whole \u{fffd}SMBone",
                "whole \u{fffd}SMBtwo",
                "whole \u{fffd}SMBthree"
            ]
        );
        assert_eq!(n.held(), 0);
    }

    #[test]
    fn long_messages_come_as_head_and_tail() {
        let mut n = Nbss::new(4);
        let stream = msg(b"abcdefghij");
        let got = frames(
            &mut n,
            &[
                StreamChunk::Data(&stream[..9]),
                StreamChunk::Data(&stream[9..]),
            ],
        );
        assert_eq!(got, ["head abcd 10", "tail e", "tail fghij"]);
    }

    #[test]
    fn keepalives_are_skipped_and_a_gap_resyncs_on_the_next_header() {
        let mut n = Nbss::new(64);
        let mut stream = vec![0x85, 0, 0, 0];
        stream.extend(msg(b"\xffSMBa"));
        let mut after_gap = b"junk".to_vec();
        after_gap.extend(msg(b"\xfeSMBb"));
        let got = frames(
            &mut n,
            &[
                StreamChunk::Data(&stream),
                StreamChunk::Gap,
                StreamChunk::Data(&after_gap),
            ],
        );
        assert_eq!(got, ["whole \u{fffd}SMBa", "whole \u{fffd}SMBb"]);
    }

    #[test]
    fn a_bad_header_counts_as_lost() {
        let mut n = Nbss::new(64);
        assert_eq!(n.feed(StreamChunk::Data(b"\x42\0\0\x01x"), &mut |_| {}), 1);
    }
}

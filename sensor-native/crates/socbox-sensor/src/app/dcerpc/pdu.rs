//! DCE/RPC connection-oriented PDUs (C706 §12.6): framing of a byte stream
//! into PDUs and the header fields this sensor reads. Only the first bytes
//! of each PDU are kept (enough for a bind's context list or a request's
//! opnum); the rest, the stub data, is skipped without being held.

use crate::app::le::bytes_at;
use crate::reassembly::StreamChunk;

pub(crate) const REQUEST: u8 = 0;
pub(crate) const RESPONSE: u8 = 2;
pub(crate) const BIND: u8 = 11;
pub(crate) const ALTER_CONTEXT: u8 = 14;
pub(crate) const PFC_FIRST_FRAG: u8 = 0x01;

/// Bytes of a PDU kept for parsing.
const KEEP: usize = 4096;
pub(crate) const HEADER: usize = 16;

/// The common header of a connection-oriented PDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub ptype: u8,
    pub flags: u8,
    pub little_endian: bool,
    pub frag_len: usize,
}

impl Header {
    /// A version 5.0/5.1 header, or None.
    pub(crate) fn parse(b: &[u8]) -> Option<Header> {
        let h = bytes_at(b, 0, HEADER)?;
        if h[0] != 5 || h[1] > 1 || h[2] > 20 {
            return None;
        }
        let little_endian = h[4] & 0x10 != 0;
        let frag_len = usize::from(if little_endian {
            u16::from_le_bytes([h[8], h[9]])
        } else {
            u16::from_be_bytes([h[8], h[9]])
        });
        (frag_len >= HEADER).then_some(Header {
            ptype: h[2],
            flags: h[3],
            little_endian,
            frag_len,
        })
    }

    pub(crate) fn u16_at(&self, b: &[u8], at: usize) -> Option<u16> {
        let v: [u8; 2] = bytes_at(b, at, 2)?.try_into().ok()?;
        Some(if self.little_endian {
            u16::from_le_bytes(v)
        } else {
            u16::from_be_bytes(v)
        })
    }

    /// A UUID as NDR lays it out (first three fields in the data
    /// representation's byte order), written lower case.
    pub(crate) fn uuid_at(&self, b: &[u8], at: usize) -> Option<String> {
        let u = bytes_at(b, at, 16)?;
        let (mut a, mut m, mut h) = ([u[0], u[1], u[2], u[3]], [u[4], u[5]], [u[6], u[7]]);
        if self.little_endian {
            a.reverse();
            m.reverse();
            h.reverse();
        }
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        Some(format!(
            "{}-{}-{}-{}-{}",
            hex(&a),
            hex(&m),
            hex(&h),
            hex(&u[8..10]),
            hex(&u[10..16])
        ))
    }
}

/// Splits one direction of a connection into PDUs.
#[derive(Debug, Default)]
pub(crate) struct PduStream {
    buf: Vec<u8>,
    /// Bytes of the current PDU still to skip.
    skip: usize,
    /// The current PDU's length, once its header is read.
    frag_len: Option<usize>,
    /// Not a DCE/RPC stream (or framing lost): bytes are dropped until
    /// `reset`.
    lost: bool,
}

impl PduStream {
    /// Starts afresh at a message boundary (a new write on a named pipe).
    pub(crate) fn reset(&mut self) {
        *self = Self::default();
    }

    pub(crate) fn is_lost(&self) -> bool {
        self.lost
    }

    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.buf.len()
    }

    /// Takes a chunk; each PDU's first bytes go to `f`. Returns 1 when
    /// framing was lost in this chunk.
    pub(crate) fn feed(&mut self, chunk: StreamChunk<'_>, f: &mut impl FnMut(&[u8])) -> u32 {
        let mut data = match chunk {
            StreamChunk::Data(d) => d,
            StreamChunk::Gap => {
                self.buf.clear();
                self.lost = true;
                return 0;
            }
        };
        while !data.is_empty() && !self.lost {
            if self.skip > 0 {
                let take = self.skip.min(data.len());
                self.skip -= take;
                data = &data[take..];
                continue;
            }
            let want = match self.frag_len {
                None => HEADER,
                Some(len) => len.min(KEEP),
            };
            let take = want.saturating_sub(self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() < want {
                break;
            }
            match self.frag_len {
                None => match Header::parse(&self.buf) {
                    Some(h) => self.frag_len = Some(h.frag_len),
                    None => {
                        self.buf.clear();
                        self.lost = true;
                        return 1;
                    }
                },
                Some(len) => {
                    f(&self.buf);
                    self.skip = len - self.buf.len();
                    self.buf.clear();
                    self.frag_len = None;
                }
            }
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdu(ptype: u8, body: &[u8]) -> Vec<u8> {
        let mut p = vec![5, 0, ptype, 3, 0x10, 0, 0, 0];
        p.extend_from_slice(&((HEADER + body.len()) as u16).to_le_bytes());
        p.extend_from_slice(&[0, 0, 1, 0, 0, 0]);
        p.extend_from_slice(body);
        p
    }

    #[test]
    fn pdus_split_and_joined_come_out_whole() {
        let mut stream = pdu(REQUEST, b"abcdefgh");
        stream.extend(pdu(BIND, b"xy"));
        let mut s = PduStream::default();
        let mut got = Vec::new();
        for piece in stream.chunks(5) {
            s.feed(StreamChunk::Data(piece), &mut |p| got.push(p.to_vec()));
        }
        assert_eq!(got.len(), 2);
        assert_eq!(&got[0][HEADER..], b"abcdefgh");
        assert_eq!(got[1][2], BIND);
        assert_eq!(s.held(), 0);
    }

    #[test]
    fn long_stub_data_is_skipped_not_held() {
        let big = pdu(REQUEST, &vec![7u8; 10_000]);
        let mut s = PduStream::default();
        let mut sizes = Vec::new();
        s.feed(StreamChunk::Data(&big), &mut |p| sizes.push(p.len()));
        assert_eq!(sizes, [KEEP]);
        assert_eq!(s.held(), 0);
    }

    #[test]
    fn other_bytes_lose_the_framing_until_reset() {
        let mut s = PduStream::default();
        assert_eq!(
            s.feed(StreamChunk::Data(b"GET / HTTP/1.1\r\n\r\n"), &mut |_| {}),
            1
        );
        assert!(s.is_lost());
        s.reset();
        let mut n = 0;
        s.feed(StreamChunk::Data(&pdu(REQUEST, b"12345678")), &mut |_| {
            n += 1
        });
        assert_eq!(n, 1);
    }

    #[test]
    fn uuids_follow_the_data_representation() {
        let h = Header::parse(&pdu(BIND, &[])).unwrap();
        let raw = [
            0x81, 0xbb, 0x7a, 0x36, 0x44, 0x98, 0xf1, 0x35, 0xad, 0x32, 0x98, 0xf0, 0x38, 0x00,
            0x10, 0x03,
        ];
        assert_eq!(
            h.uuid_at(&raw, 0).as_deref(),
            Some("367abb81-9844-35f1-ad32-98f038001003")
        );
    }
}

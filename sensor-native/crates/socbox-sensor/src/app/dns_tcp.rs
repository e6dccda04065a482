//! DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message is preceded by a
//! two-byte length.

use crate::decode::be16;
use crate::dns::DnsMessage;
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

/// Bytes of one direction waiting for a whole message; a message is at most
/// 65535 bytes, so this is bounded.
#[derive(Debug, Default)]
struct Framer {
    buf: Vec<u8>,
    /// After a gap the framing is lost for good.
    lost: bool,
}

#[derive(Debug, Default)]
pub(crate) struct DnsOverTcp {
    orig: Framer,
    resp: Framer,
}

/// What one chunk yielded: messages, and how many could not be parsed.
#[derive(Debug, Default)]
pub(crate) struct DnsTcpOutput {
    pub messages: Vec<DnsMessage>,
    pub malformed: u32,
}

impl DnsOverTcp {
    pub(crate) fn on_chunk(&mut self, dir: Direction, chunk: StreamChunk<'_>) -> DnsTcpOutput {
        let f = match dir {
            Direction::Orig => &mut self.orig,
            Direction::Resp => &mut self.resp,
        };
        let mut out = DnsTcpOutput::default();
        match chunk {
            StreamChunk::Gap => {
                f.lost = true;
                f.buf = Vec::new();
            }
            StreamChunk::Data(_) if f.lost => {}
            StreamChunk::Data(data) => {
                f.buf.extend_from_slice(data);
                let mut at = 0;
                while let Some(len) = be16(&f.buf, at).map(usize::from) {
                    let Some(msg) = f.buf.get(at + 2..at + 2 + len) else {
                        break;
                    };
                    match DnsMessage::parse(msg) {
                        Ok(m) => out.messages.push(m),
                        Err(_) => out.malformed += 1,
                    }
                    at += 2 + len;
                }
                f.buf.drain(..at);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::frames::dns_query;

    fn framed(msg: &[u8]) -> Vec<u8> {
        let mut v = (msg.len() as u16).to_be_bytes().to_vec();
        v.extend_from_slice(msg);
        v
    }

    #[test]
    fn messages_split_and_joined_across_chunks() {
        let mut d = DnsOverTcp::default();
        let stream = [
            framed(&dns_query(1, "a.example")),
            framed(&dns_query(2, "b.example")),
        ]
        .concat();
        let (first, rest) = stream.split_at(5);
        let out1 = d.on_chunk(Direction::Orig, StreamChunk::Data(first));
        assert!(out1.messages.is_empty());
        let out2 = d.on_chunk(Direction::Orig, StreamChunk::Data(rest));
        let names: Vec<_> = out2
            .messages
            .iter()
            .map(|m| m.question.as_ref().unwrap().name.as_str())
            .collect();
        assert_eq!(names, ["a.example", "b.example"]);
    }

    #[test]
    fn gaps_stop_the_direction_and_junk_is_counted() {
        let mut d = DnsOverTcp::default();
        let out = d.on_chunk(Direction::Resp, StreamChunk::Data(&framed(b"junk")));
        assert_eq!((out.messages.len(), out.malformed), (0, 1));
        d.on_chunk(Direction::Orig, StreamChunk::Gap);
        let out = d.on_chunk(
            Direction::Orig,
            StreamChunk::Data(&framed(&dns_query(3, "x.y"))),
        );
        assert!(out.messages.is_empty());
    }
}

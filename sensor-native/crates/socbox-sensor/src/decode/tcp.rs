use super::{be16, be32, DecodeError};

/// A TCP segment (RFC 9293 §3.1): ports, sequence numbers, flags, payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpSegment<'a> {
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    pub ack: u32,
    pub flags: TcpFlags,
    pub payload: &'a [u8],
}

/// The control bits of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TcpFlags(pub u8);

impl TcpFlags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const ACK: u8 = 0x10;

    pub fn fin(self) -> bool {
        self.0 & Self::FIN != 0
    }
    pub fn syn(self) -> bool {
        self.0 & Self::SYN != 0
    }
    pub fn rst(self) -> bool {
        self.0 & Self::RST != 0
    }
    pub fn ack(self) -> bool {
        self.0 & Self::ACK != 0
    }
}

impl<'a> TcpSegment<'a> {
    pub fn parse(b: &'a [u8]) -> Result<Self, DecodeError> {
        let (Some(src_port), Some(dst_port), Some(seq), Some(ack), Some(off_flags), true) = (
            be16(b, 0),
            be16(b, 2),
            be32(b, 4),
            be32(b, 8),
            be16(b, 12),
            b.len() >= 20,
        ) else {
            return Err(DecodeError::Truncated("TCP header"));
        };
        let header_len = usize::from(off_flags >> 12) * 4;
        if header_len < 20 {
            return Err(DecodeError::Invalid("TCP data offset"));
        }
        let payload = b
            .get(header_len..)
            .ok_or(DecodeError::Truncated("TCP options"))?;
        Ok(Self {
            src_port,
            dst_port,
            seq,
            ack,
            flags: TcpFlags(off_flags as u8),
            payload,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(offset_words: u8, flags: u8) -> Vec<u8> {
        let mut h = vec![0x1f, 0x90, 0x00, 0x50];
        h.extend_from_slice(&1000u32.to_be_bytes());
        h.extend_from_slice(&2000u32.to_be_bytes());
        h.extend_from_slice(&[offset_words << 4, flags, 0xff, 0xff, 0, 0, 0, 0]);
        h
    }

    #[test]
    fn parses_header_options_and_payload() {
        let mut seg = header(6, 0x18);
        seg.extend_from_slice(&[1, 1, 1, 0]); // 4 bytes of options
        seg.extend_from_slice(b"GET /");
        let t = TcpSegment::parse(&seg).unwrap();
        assert_eq!(
            (t.src_port, t.dst_port, t.seq, t.ack),
            (8080, 80, 1000, 2000)
        );
        assert!(t.flags.ack() && !t.flags.syn() && !t.flags.fin() && !t.flags.rst());
        assert_eq!(t.payload, b"GET /");
    }

    #[test]
    fn bad_headers() {
        assert_eq!(
            TcpSegment::parse(&[0; 19]),
            Err(DecodeError::Truncated("TCP header"))
        );
        assert_eq!(
            TcpSegment::parse(&header(4, 2)),
            Err(DecodeError::Invalid("TCP data offset"))
        );
        assert_eq!(
            TcpSegment::parse(&header(8, 2)),
            Err(DecodeError::Truncated("TCP options"))
        );
    }
}

use super::{be16, DecodeError};

/// A UDP datagram (RFC 768): ports and payload cut to the UDP length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpDatagram<'a> {
    pub src_port: u16,
    pub dst_port: u16,
    pub payload: &'a [u8],
}

impl<'a> UdpDatagram<'a> {
    pub fn parse(b: &'a [u8]) -> Result<Self, DecodeError> {
        let (Some(src_port), Some(dst_port), Some(len), true) =
            (be16(b, 0), be16(b, 2), be16(b, 4), b.len() >= 8)
        else {
            return Err(DecodeError::Truncated("UDP header"));
        };
        let len = usize::from(len);
        // Length 0 is legal for IPv6 jumbograms; otherwise it must cover the header.
        let end = match len {
            0 => b.len(),
            1..=7 => return Err(DecodeError::Invalid("UDP length")),
            _ => len.min(b.len()),
        };
        Ok(Self {
            src_port,
            dst_port,
            payload: &b[8..end],
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn udp(src_port: u16, dst_port: u16, payload: &[u8]) -> Vec<u8> {
        let mut d = src_port.to_be_bytes().to_vec();
        d.extend_from_slice(&dst_port.to_be_bytes());
        d.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(payload);
        d
    }

    #[test]
    fn parses_ports_and_payload() {
        let mut d = udp(5353, 53, b"q");
        d.push(0); // trailing byte outside the UDP length
        assert_eq!(
            UdpDatagram::parse(&d),
            Ok(UdpDatagram {
                src_port: 5353,
                dst_port: 53,
                payload: b"q"
            })
        );
    }

    #[test]
    fn bad_lengths() {
        assert_eq!(
            UdpDatagram::parse(&[0; 7]),
            Err(DecodeError::Truncated("UDP header"))
        );
        assert_eq!(
            UdpDatagram::parse(&[0, 1, 0, 2, 0, 5, 0, 0]),
            Err(DecodeError::Invalid("UDP length"))
        );
    }
}

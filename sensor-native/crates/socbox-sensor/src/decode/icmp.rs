use super::DecodeError;

/// The start of an ICMP or ICMPv6 message: type, code and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcmpMessage<'a> {
    pub icmp_type: u8,
    pub code: u8,
    /// Bytes after the 4-byte type/code/checksum header.
    pub payload: &'a [u8],
}

impl<'a> IcmpMessage<'a> {
    pub fn parse(b: &'a [u8]) -> Result<Self, DecodeError> {
        if b.len() < 4 {
            return Err(DecodeError::Truncated("ICMP header"));
        }
        Ok(Self {
            icmp_type: b[0],
            code: b[1],
            payload: &b[4..],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_type_and_code() {
        let m = IcmpMessage::parse(&[8, 0, 0xab, 0xcd, 1, 2]).unwrap();
        assert_eq!((m.icmp_type, m.code, m.payload), (8, 0, &[1u8, 2][..]));
        assert_eq!(
            IcmpMessage::parse(&[8, 0, 0]),
            Err(DecodeError::Truncated("ICMP header"))
        );
    }
}

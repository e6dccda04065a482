//! Classic libpcap files: a 24-byte global header, then 16-byte record
//! headers each followed by the captured bytes.

use super::endian::Endian;
use super::prefetch::prefetch;
use super::{LinkType, RawPacket, Record};

const GLOBAL_HEADER_LEN: usize = 24;
const RECORD_HEADER_LEN: usize = 16;

/// Reads records of a classic pcap file from its bytes; keeps only an offset,
/// so the bytes can stay in the caller's memory map.
#[derive(Debug, Clone)]
pub(crate) struct PcapReader {
    endian: Endian,
    /// Fractions are nanoseconds (magic a1b23c4d) instead of microseconds.
    nanos: bool,
    link_type: LinkType,
    pos: usize,
}

impl PcapReader {
    /// Parses the global header; `Err` names what is wrong with it.
    pub(crate) fn new(data: &[u8]) -> Result<Self, &'static str> {
        let magic = data.get(..4).ok_or("shorter than a pcap magic number")?;
        let (endian, nanos) = match magic {
            [0xd4, 0xc3, 0xb2, 0xa1] => (Endian::Little, false),
            [0xa1, 0xb2, 0xc3, 0xd4] => (Endian::Big, false),
            [0x4d, 0x3c, 0xb2, 0xa1] => (Endian::Little, true),
            [0xa1, 0xb2, 0x3c, 0x4d] => (Endian::Big, true),
            _ => return Err("unknown pcap magic number"),
        };
        if data.len() < GLOBAL_HEADER_LEN {
            return Err("pcap global header is cut short");
        }
        // The upper 16 bits of the link-type field carry FCS flags (pcap spec §4).
        let raw_link = endian
            .u32(data, 20)
            .ok_or("pcap global header is cut short")?;
        Ok(Self {
            endian,
            nanos,
            link_type: LinkType((raw_link & 0xffff) as u16),
            pos: GLOBAL_HEADER_LEN,
        })
    }

    pub(crate) fn link_type(&self) -> LinkType {
        self.link_type
    }

    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    pub(crate) fn next<'a>(&mut self, data: &'a [u8]) -> Record<'a> {
        if self.pos >= data.len() {
            return Record::End;
        }
        let h = self.pos;
        let (Some(sec), Some(frac), Some(caplen), Some(orig_len)) = (
            self.endian.u32(data, h),
            self.endian.u32(data, h + 4),
            self.endian.u32(data, h + 8),
            self.endian.u32(data, h + 12),
        ) else {
            self.pos = data.len();
            return Record::Truncated;
        };
        let start = h + RECORD_HEADER_LEN;
        let Some(bytes) = start
            .checked_add(caplen as usize)
            .and_then(|end| data.get(start..end))
        else {
            self.pos = data.len();
            return Record::Truncated;
        };
        self.pos = start + bytes.len();
        // The next record header, and the one after a typical small packet.
        prefetch(data, self.pos);
        prefetch(data, self.pos + 64);
        let frac_us = if self.nanos { frac / 1000 } else { frac };
        Record::Packet(RawPacket {
            ts_us: i64::from(sec) * 1_000_000 + i64::from(frac_us),
            link_type: self.link_type,
            data: bytes,
            orig_len,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a little-endian microsecond pcap file holding `packets` as
    /// (seconds, microseconds, bytes).
    pub(crate) fn pcap_file(link_type: u16, packets: &[(u32, u32, &[u8])]) -> Vec<u8> {
        let mut f = Vec::new();
        f.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
        f.extend_from_slice(&2u16.to_le_bytes());
        f.extend_from_slice(&4u16.to_le_bytes());
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&65535u32.to_le_bytes());
        f.extend_from_slice(&u32::from(link_type).to_le_bytes());
        for (sec, usec, data) in packets {
            f.extend_from_slice(&sec.to_le_bytes());
            f.extend_from_slice(&usec.to_le_bytes());
            f.extend_from_slice(&(data.len() as u32).to_le_bytes());
            f.extend_from_slice(&(data.len() as u32).to_le_bytes());
            f.extend_from_slice(data);
        }
        f
    }

    #[test]
    fn reads_records_in_order() {
        let file = pcap_file(1, &[(10, 5, b"abc"), (11, 999_999, b"")]);
        let mut r = PcapReader::new(&file).unwrap();
        assert_eq!(r.link_type(), LinkType::ETHERNET);
        let Record::Packet(p) = r.next(&file) else {
            panic!("first record")
        };
        assert_eq!((p.ts_us, p.data, p.orig_len), (10_000_005, &b"abc"[..], 3));
        let Record::Packet(p) = r.next(&file) else {
            panic!("second record")
        };
        assert_eq!(p.ts_us, 11_999_999);
        assert_eq!(r.next(&file), Record::End);
        assert_eq!(r.offset(), file.len());
    }

    #[test]
    fn big_endian_nanosecond_header() {
        let mut file = vec![0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4];
        file.extend_from_slice(&[0; 12]);
        file.extend_from_slice(&101u32.to_be_bytes());
        file.extend_from_slice(&1u32.to_be_bytes());
        file.extend_from_slice(&2_000_000u32.to_be_bytes());
        file.extend_from_slice(&1u32.to_be_bytes());
        file.extend_from_slice(&1u32.to_be_bytes());
        file.push(0x45);
        let mut r = PcapReader::new(&file).unwrap();
        assert_eq!(r.link_type(), LinkType::RAW);
        let Record::Packet(p) = r.next(&file) else {
            panic!("record")
        };
        assert_eq!(p.ts_us, 1_002_000);
    }

    #[test]
    fn cut_records_end_reading_as_truncated() {
        let file = pcap_file(1, &[(1, 0, b"abcdef")]);
        for cut in [file.len() - 1, GLOBAL_HEADER_LEN + 3] {
            let short = &file[..cut];
            let mut r = PcapReader::new(short).unwrap();
            assert_eq!(r.next(short), Record::Truncated, "cut at {cut}");
            assert_eq!(r.next(short), Record::End);
        }
    }

    #[test]
    fn rejects_bad_headers() {
        assert!(PcapReader::new(b"\xd4\xc3\xb2").is_err());
        assert!(PcapReader::new(b"\xd4\xc3\xb2\xa1\x02\x00").is_err());
        assert!(PcapReader::new(b"GIF89a......................").is_err());
    }
}

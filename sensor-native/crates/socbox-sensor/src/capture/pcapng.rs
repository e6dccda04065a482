//! pcapng files: a sequence of blocks (type, length, body, length). A section
//! header block fixes the byte order; interface description blocks give each
//! interface its link type and timestamp resolution; packets come in enhanced,
//! simple or (obsolete) packet blocks. Unknown blocks are skipped.

use super::endian::Endian;
use super::prefetch::prefetch;
use super::{LinkType, RawPacket, Record};

const SECTION_HEADER: u32 = 0x0A0D_0D0A;
const INTERFACE_DESCRIPTION: u32 = 1;
const OBSOLETE_PACKET: u32 = 2;
const SIMPLE_PACKET: u32 = 3;
const ENHANCED_PACKET: u32 = 6;

const OPT_END: u16 = 0;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_IF_TSOFFSET: u16 = 14;

/// One interface of the current section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interface {
    link_type: LinkType,
    /// if_tsresol as stored: bit 7 clear = 10^-n s, set = 2^-n s.
    ts_resolution: u8,
    ts_offset_sec: i64,
}

impl Interface {
    fn to_micros(self, ticks: u64) -> i64 {
        let exponent = u32::from(self.ts_resolution & 0x7f);
        let per_second: u128 = if self.ts_resolution & 0x80 == 0 {
            10u128.pow(exponent.min(30))
        } else {
            1u128 << exponent.min(100)
        };
        let us = u128::from(ticks) * 1_000_000 / per_second.max(1);
        i64::try_from(us)
            .unwrap_or(i64::MAX)
            .saturating_add(self.ts_offset_sec.saturating_mul(1_000_000))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PcapngReader {
    endian: Endian,
    interfaces: Vec<Interface>,
    /// Link type of the first interface seen, for stats.
    first_link_type: Option<LinkType>,
    /// Simple packet blocks carry no time: they take the last time seen.
    last_ts_us: i64,
    pos: usize,
}

/// Reads the section header's byte-order magic at `at`.
fn section_endian(data: &[u8], at: usize) -> Option<Endian> {
    match data.get(at + 8..at + 12)? {
        [0x4d, 0x3c, 0x2b, 0x1a] => Some(Endian::Little),
        [0x1a, 0x2b, 0x3c, 0x4d] => Some(Endian::Big),
        _ => None,
    }
}

impl PcapngReader {
    pub(crate) fn new(data: &[u8]) -> Result<Self, &'static str> {
        if data.get(..4) != Some(&SECTION_HEADER.to_be_bytes()[..]) {
            return Err("pcapng file does not start with a section header block");
        }
        let endian = section_endian(data, 0).ok_or("pcapng byte-order magic is missing")?;
        let mut reader = Self {
            endian,
            interfaces: Vec::new(),
            first_link_type: None,
            last_ts_us: 0,
            pos: 0,
        };
        // Read ahead to the first interface so stats can name the link type
        // before any packet is asked for.
        let mut probe = reader.clone();
        while probe.first_link_type.is_none() {
            match probe.next(data) {
                Record::End | Record::Truncated => break,
                _ => {}
            }
        }
        reader.first_link_type = probe.first_link_type;
        Ok(reader)
    }

    pub(crate) fn link_type(&self) -> Option<LinkType> {
        self.first_link_type
    }

    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    pub(crate) fn next<'a>(&mut self, data: &'a [u8]) -> Record<'a> {
        loop {
            if self.pos >= data.len() {
                return Record::End;
            }
            let at = self.pos;
            let Some(block_type) = self.endian.u32(data, at) else {
                self.pos = data.len();
                return Record::Truncated;
            };
            if block_type == SECTION_HEADER {
                // The type reads the same in both orders. A new section may
                // switch byte order and resets the interfaces.
                let Some(endian) = section_endian(data, at) else {
                    self.pos = data.len();
                    return Record::Truncated;
                };
                self.endian = endian;
                self.interfaces.clear();
            }
            let Some(len) = self.endian.u32(data, at + 4).map(|l| l as usize) else {
                self.pos = data.len();
                return Record::Truncated;
            };
            if len < 12 || len % 4 != 0 || data.len() - at < len {
                self.pos = data.len();
                return Record::Truncated;
            }
            self.pos = at + len;
            prefetch(data, self.pos);
            prefetch(data, self.pos + 64);
            let body = &data[at + 8..at + len - 4];
            match block_type {
                INTERFACE_DESCRIPTION => {
                    if let Some(iface) = self.interface(body) {
                        self.first_link_type.get_or_insert(iface.link_type);
                        self.interfaces.push(iface);
                    } else {
                        return Record::Skipped;
                    }
                }
                ENHANCED_PACKET => return self.enhanced_packet(body),
                OBSOLETE_PACKET => return self.obsolete_packet(body),
                SIMPLE_PACKET => return self.simple_packet(body),
                _ => {}
            }
        }
    }

    fn interface(&self, body: &[u8]) -> Option<Interface> {
        let e = self.endian;
        let mut iface = Interface {
            link_type: LinkType(e.u16(body, 0)?),
            ts_resolution: 6,
            ts_offset_sec: 0,
        };
        let mut at = 8;
        while let (Some(code), Some(len)) = (e.u16(body, at), e.u16(body, at + 2)) {
            let value = body.get(at + 4..at + 4 + len as usize)?;
            match code {
                OPT_END => break,
                OPT_IF_TSRESOL if len == 1 => iface.ts_resolution = value[0],
                OPT_IF_TSOFFSET if len == 8 => {
                    let hi = e.u32(value, 0)?;
                    let lo = e.u32(value, 4)?;
                    let v = match e {
                        Endian::Little => u64::from(lo) << 32 | u64::from(hi),
                        Endian::Big => u64::from(hi) << 32 | u64::from(lo),
                    };
                    iface.ts_offset_sec = v as i64;
                }
                _ => {}
            }
            at += 4 + (len as usize).next_multiple_of(4);
        }
        Some(iface)
    }

    fn packet<'a>(
        &mut self,
        iface_id: u32,
        ts: Option<(u32, u32)>,
        data: &'a [u8],
        orig_len: u32,
    ) -> Record<'a> {
        let Some(iface) = self.interfaces.get(iface_id as usize).copied() else {
            return Record::Skipped;
        };
        if let Some((hi, lo)) = ts {
            self.last_ts_us = iface.to_micros(u64::from(hi) << 32 | u64::from(lo));
        }
        Record::Packet(RawPacket {
            ts_us: self.last_ts_us,
            link_type: iface.link_type,
            data,
            orig_len,
        })
    }

    fn enhanced_packet<'a>(&mut self, body: &'a [u8]) -> Record<'a> {
        let e = self.endian;
        let fields = (
            e.u32(body, 0),
            e.u32(body, 4),
            e.u32(body, 8),
            e.u32(body, 12),
            e.u32(body, 16),
        );
        let (Some(iface), Some(hi), Some(lo), Some(caplen), Some(orig)) = fields else {
            return Record::Skipped;
        };
        match body.get(20..20 + caplen as usize) {
            Some(bytes) => self.packet(iface, Some((hi, lo)), bytes, orig),
            None => Record::Skipped,
        }
    }

    fn obsolete_packet<'a>(&mut self, body: &'a [u8]) -> Record<'a> {
        let e = self.endian;
        let fields = (
            e.u16(body, 0),
            e.u32(body, 4),
            e.u32(body, 8),
            e.u32(body, 12),
            e.u32(body, 16),
        );
        let (Some(iface), Some(hi), Some(lo), Some(caplen), Some(orig)) = fields else {
            return Record::Skipped;
        };
        match body.get(20..20 + caplen as usize) {
            Some(bytes) => self.packet(u32::from(iface), Some((hi, lo)), bytes, orig),
            None => Record::Skipped,
        }
    }

    fn simple_packet<'a>(&mut self, body: &'a [u8]) -> Record<'a> {
        let Some(orig) = self.endian.u32(body, 0) else {
            return Record::Skipped;
        };
        let rest = &body[4..];
        let bytes = &rest[..rest.len().min(orig as usize)];
        self.packet(0, None, bytes, orig)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let padded = body.len().next_multiple_of(4);
        let len = (12 + padded) as u32;
        let mut b = Vec::new();
        b.extend_from_slice(&kind.to_le_bytes());
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(body);
        b.resize(8 + padded, 0);
        b.extend_from_slice(&len.to_le_bytes());
        b
    }

    fn section_header() -> Vec<u8> {
        let mut body = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
        body.extend_from_slice(&[1, 0, 0, 0]);
        body.extend_from_slice(&u64::MAX.to_le_bytes());
        block(SECTION_HEADER, &body)
    }

    fn interface(link_type: u16, tsresol: Option<u8>) -> Vec<u8> {
        let mut body = link_type.to_le_bytes().to_vec();
        body.extend_from_slice(&[0, 0]);
        body.extend_from_slice(&65535u32.to_le_bytes());
        if let Some(r) = tsresol {
            body.extend_from_slice(&OPT_IF_TSRESOL.to_le_bytes());
            body.extend_from_slice(&1u16.to_le_bytes());
            body.extend_from_slice(&[r, 0, 0, 0]);
            body.extend_from_slice(&[0, 0, 0, 0]);
        }
        block(INTERFACE_DESCRIPTION, &body)
    }

    fn enhanced(iface: u32, ticks: u64, data: &[u8]) -> Vec<u8> {
        let mut body = iface.to_le_bytes().to_vec();
        body.extend_from_slice(&((ticks >> 32) as u32).to_le_bytes());
        body.extend_from_slice(&(ticks as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        block(ENHANCED_PACKET, &body)
    }

    /// A little-endian pcapng file with one microsecond interface of
    /// `link_type` and one enhanced packet block per (microseconds, bytes).
    pub(crate) fn pcapng_file(link_type: u16, packets: &[(u64, &[u8])]) -> Vec<u8> {
        let mut f = section_header();
        f.extend(interface(link_type, None));
        for (us, data) in packets {
            f.extend(enhanced(0, *us, data));
        }
        f
    }

    #[test]
    fn reads_packets_across_interfaces_and_resolutions() {
        let mut f = section_header();
        f.extend(interface(1, None));
        f.extend(interface(101, Some(9)));
        f.extend(block(99, b"custom block"));
        f.extend(enhanced(0, 1_500_000, b"eth"));
        f.extend(enhanced(1, 2_000_000_000, b"raw!"));
        f.extend(enhanced(7, 0, b"no such interface"));
        let mut r = PcapngReader::new(&f).unwrap();
        assert_eq!(r.link_type(), Some(LinkType::ETHERNET));
        let Record::Packet(p) = r.next(&f) else {
            panic!("first")
        };
        assert_eq!(
            (p.ts_us, p.link_type, p.data),
            (1_500_000, LinkType::ETHERNET, &b"eth"[..])
        );
        let Record::Packet(p) = r.next(&f) else {
            panic!("second")
        };
        assert_eq!(
            (p.ts_us, p.link_type, p.data),
            (2_000_000, LinkType::RAW, &b"raw!"[..])
        );
        assert_eq!(r.next(&f), Record::Skipped);
        assert_eq!(r.next(&f), Record::End);
    }

    #[test]
    fn binary_resolution() {
        let iface = Interface {
            link_type: LinkType::ETHERNET,
            ts_resolution: 0x80 | 10,
            ts_offset_sec: 5,
        };
        assert_eq!(iface.to_micros(1024 * 3), 8_000_000);
    }

    #[test]
    fn bad_block_length_truncates() {
        let mut f = pcapng_file(1, &[(1, b"abcd")]);
        // The enhanced packet block is the last 36 bytes; make its length
        // 37, which is not a multiple of 4.
        let at = f.len() - 36 + 4;
        f[at] = 37;
        let mut r = PcapngReader::new(&f).unwrap();
        assert_eq!(r.next(&f), Record::Truncated);
        assert_eq!(r.next(&f), Record::End);
    }

    #[test]
    fn rejects_non_pcapng() {
        assert!(PcapngReader::new(b"\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x00\x00\x00\x00").is_err());
        assert!(PcapngReader::new(b"hello").is_err());
    }
}

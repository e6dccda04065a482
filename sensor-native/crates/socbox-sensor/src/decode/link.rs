//! Link layers: Ethernet (VLAN/QinQ, MPLS, PPPoE), Linux cooked SLL/SLL2,
//! raw IP and BSD NULL/loopback.

use super::{be16, DecodeError};
use crate::capture::LinkType;

/// The network-layer bytes a frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network<'a> {
    Ipv4(&'a [u8]),
    Ipv6(&'a [u8]),
    /// Not IP (ARP, LLDP, STP…) or a link type this sensor does not decode.
    Other,
}

const ETH_IPV4: u16 = 0x0800;
const ETH_IPV6: u16 = 0x86DD;
const ETH_VLAN: u16 = 0x8100;
const ETH_QINQ: u16 = 0x88A8;
const ETH_QINQ_OLD: u16 = 0x9100;
const ETH_MPLS: u16 = 0x8847;
const ETH_MPLS_MULTICAST: u16 = 0x8848;
const ETH_PPPOE_SESSION: u16 = 0x8864;

/// Nesting limit for VLAN tags and MPLS labels, so a crafted frame cannot
/// make the decoder walk far.
const MAX_TAGS: usize = 8;

pub fn network_layer(link_type: LinkType, frame: &[u8]) -> Result<Network<'_>, DecodeError> {
    match link_type {
        LinkType::ETHERNET => ethernet(frame),
        LinkType::LINUX_SLL => {
            let proto = be16(frame, 14).ok_or(DecodeError::Truncated("linux cooked header"))?;
            by_ethertype(proto, &frame[16..], 0)
        }
        LinkType::LINUX_SLL2 => {
            let proto = be16(frame, 0).ok_or(DecodeError::Truncated("linux cooked v2 header"))?;
            let rest = frame
                .get(20..)
                .ok_or(DecodeError::Truncated("linux cooked v2 header"))?;
            by_ethertype(proto, rest, 0)
        }
        LinkType::RAW | LinkType::RAW_BSD12 | LinkType::RAW_BSD14 => by_version(frame),
        LinkType::IPV4 => Ok(Network::Ipv4(frame)),
        LinkType::IPV6 => Ok(Network::Ipv6(frame)),
        LinkType::NULL | LinkType::LOOP => bsd_loopback(link_type, frame),
        _ => Ok(Network::Other),
    }
}

fn ethernet(frame: &[u8]) -> Result<Network<'_>, DecodeError> {
    let ethertype = be16(frame, 12).ok_or(DecodeError::Truncated("ethernet header"))?;
    by_ethertype(ethertype, &frame[14..], 0)
}

fn by_ethertype(ethertype: u16, rest: &[u8], depth: usize) -> Result<Network<'_>, DecodeError> {
    if depth > MAX_TAGS {
        return Err(DecodeError::Invalid("too many nested VLAN/MPLS tags"));
    }
    match ethertype {
        ETH_IPV4 => Ok(Network::Ipv4(rest)),
        ETH_IPV6 => Ok(Network::Ipv6(rest)),
        ETH_VLAN | ETH_QINQ | ETH_QINQ_OLD => {
            let inner = be16(rest, 2).ok_or(DecodeError::Truncated("VLAN tag"))?;
            by_ethertype(inner, &rest[4..], depth + 1)
        }
        ETH_MPLS | ETH_MPLS_MULTICAST => mpls(rest),
        ETH_PPPOE_SESSION => {
            // PPPoE header (6 bytes) then the 2-byte PPP protocol.
            match be16(rest, 6).ok_or(DecodeError::Truncated("PPPoE header"))? {
                0x0021 => Ok(Network::Ipv4(&rest[8..])),
                0x0057 => Ok(Network::Ipv6(&rest[8..])),
                _ => Ok(Network::Other),
            }
        }
        _ => Ok(Network::Other),
    }
}

/// Pops MPLS labels to the bottom of the stack; the payload type is not
/// signalled, so it is guessed from the IP version nibble.
fn mpls(mut rest: &[u8]) -> Result<Network<'_>, DecodeError> {
    for _ in 0..MAX_TAGS {
        let label = rest.get(..4).ok_or(DecodeError::Truncated("MPLS label"))?;
        rest = &rest[4..];
        if label[2] & 1 == 1 {
            return by_version(rest);
        }
    }
    Err(DecodeError::Invalid("too many nested VLAN/MPLS tags"))
}

fn by_version(packet: &[u8]) -> Result<Network<'_>, DecodeError> {
    match packet.first().map(|b| b >> 4) {
        Some(4) => Ok(Network::Ipv4(packet)),
        Some(6) => Ok(Network::Ipv6(packet)),
        Some(_) => Ok(Network::Other),
        None => Err(DecodeError::Truncated("raw IP packet")),
    }
}

/// BSD loopback: a 4-byte address family, in the capturing host's byte order
/// for NULL and in network order for LOOP. AF_INET6 differs per system
/// (10 Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS).
fn bsd_loopback(link_type: LinkType, frame: &[u8]) -> Result<Network<'_>, DecodeError> {
    let raw: [u8; 4] = frame
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or(DecodeError::Truncated("loopback header"))?;
    let family = if link_type == LinkType::LOOP {
        u32::from_be_bytes(raw)
    } else {
        // Host order of the writer is unknown; the family is small, so
        // whichever reading is small is the right one.
        let le = u32::from_le_bytes(raw);
        if le < 0x1_0000 {
            le
        } else {
            u32::from_be_bytes(raw)
        }
    };
    let rest = &frame[4..];
    match family {
        2 => Ok(Network::Ipv4(rest)),
        10 | 24 | 28 | 30 => Ok(Network::Ipv6(rest)),
        _ => Ok(Network::Other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eth(ethertype: u16, rest: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&ethertype.to_be_bytes());
        f.extend_from_slice(rest);
        f
    }

    #[test]
    fn finds_the_ip_packet_in_each_link_type() {
        let v4: &[u8] = &[0x45, 1, 2];
        let v6: &[u8] = &[0x60, 1, 2];
        let vlan = {
            let mut r = vec![0, 5, 0x81, 0x00, 0, 6, 0x08, 0x00];
            r.extend_from_slice(v4);
            r
        };
        let mut sll = vec![0u8; 14];
        sll.extend_from_slice(&[0x86, 0xdd]);
        sll.extend_from_slice(v6);
        let mut sll2 = vec![0x08, 0x00];
        sll2.extend_from_slice(&[0u8; 18]);
        sll2.extend_from_slice(v4);
        let mut mpls = vec![0, 0, 0x10, 64, 0, 0, 0x21, 64];
        mpls.extend_from_slice(v6);
        let mut pppoe = vec![0x11, 0, 0, 1, 0, 4, 0x00, 0x21];
        pppoe.extend_from_slice(v4);
        let null_le = [&[2u8, 0, 0, 0][..], v4].concat();
        let null_be_v6 = [&[0u8, 0, 0, 30][..], v6].concat();
        let loop_v4 = [&[0u8, 0, 0, 2][..], v4].concat();
        let cases: Vec<(&str, LinkType, Vec<u8>, Network)> = vec![
            (
                "ethernet v4",
                LinkType::ETHERNET,
                eth(0x0800, v4),
                Network::Ipv4(v4),
            ),
            (
                "ethernet v6",
                LinkType::ETHERNET,
                eth(0x86dd, v6),
                Network::Ipv6(v6),
            ),
            (
                "qinq",
                LinkType::ETHERNET,
                eth(0x88a8, &vlan),
                Network::Ipv4(v4),
            ),
            (
                "mpls",
                LinkType::ETHERNET,
                eth(0x8847, &mpls),
                Network::Ipv6(v6),
            ),
            (
                "pppoe",
                LinkType::ETHERNET,
                eth(0x8864, &pppoe),
                Network::Ipv4(v4),
            ),
            (
                "arp",
                LinkType::ETHERNET,
                eth(0x0806, &[0; 28]),
                Network::Other,
            ),
            ("sll", LinkType::LINUX_SLL, sll, Network::Ipv6(v6)),
            ("sll2", LinkType::LINUX_SLL2, sll2, Network::Ipv4(v4)),
            ("raw", LinkType::RAW, v6.to_vec(), Network::Ipv6(v6)),
            (
                "raw 12",
                LinkType::RAW_BSD12,
                v4.to_vec(),
                Network::Ipv4(v4),
            ),
            ("null le", LinkType::NULL, null_le, Network::Ipv4(v4)),
            ("null be", LinkType::NULL, null_be_v6, Network::Ipv6(v6)),
            ("loop", LinkType::LOOP, loop_v4, Network::Ipv4(v4)),
            ("802.11", LinkType(105), vec![0; 30], Network::Other),
        ];
        for (name, lt, frame, expect) in cases {
            assert_eq!(network_layer(lt, &frame), Ok(expect), "{name}");
        }
    }

    #[test]
    fn short_frames_are_truncated_not_panics() {
        for (lt, frame) in [
            (LinkType::ETHERNET, &[0u8; 13][..]),
            (
                LinkType::ETHERNET,
                &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81, 0, 0][..],
            ),
            (LinkType::LINUX_SLL, &[0u8; 15][..]),
            (LinkType::LINUX_SLL2, &[0x08, 0, 0][..]),
            (LinkType::NULL, &[2u8][..]),
            (LinkType::RAW, &[][..]),
        ] {
            assert!(
                matches!(network_layer(lt, frame), Err(DecodeError::Truncated(_))),
                "{lt:?} {frame:?}"
            );
        }
    }

    #[test]
    fn vlan_nesting_is_bounded() {
        let mut rest = Vec::new();
        for _ in 0..20 {
            rest.extend_from_slice(&[0, 1, 0x81, 0x00]);
        }
        assert_eq!(
            network_layer(LinkType::ETHERNET, &eth(0x8100, &rest)),
            Err(DecodeError::Invalid("too many nested VLAN/MPLS tags"))
        );
    }
}

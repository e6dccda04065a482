//! Packet decoding from the link layer down to transport payloads.
//!
//! Every function takes bytes and returns borrowed views or a
//! [`DecodeError`]: decoding never panics and never allocates.

mod bytes;
mod error;
mod icmp;
mod ip;
mod ipv4;
mod ipv6;
mod link;
mod tcp;
mod udp;

pub(crate) use bytes::{be16, be32};
pub use error::DecodeError;
pub use icmp::IcmpMessage;
pub use ip::{Fragment, IpPacket};
pub use link::{network_layer, Network};
pub use tcp::{TcpFlags, TcpSegment};
pub use udp::UdpDatagram;

/// IANA protocol numbers used by the decoders.
pub mod proto {
    pub const ICMP: u8 = 1;
    pub const TCP: u8 = 6;
    pub const UDP: u8 = 17;
    pub const ICMPV6: u8 = 58;
}

/// Decodes a captured frame down to its IP packet. `Ok(None)` means the frame
/// carries something other than IP (ARP, LLDP…), which is not an error.
pub fn ip_packet(
    link_type: crate::capture::LinkType,
    frame: &[u8],
) -> Result<Option<IpPacket<'_>>, DecodeError> {
    match network_layer(link_type, frame)? {
        Network::Ipv4(b) => ipv4::parse(b).map(Some),
        Network::Ipv6(b) => ipv6::parse(b).map(Some),
        Network::Other => Ok(None),
    }
}

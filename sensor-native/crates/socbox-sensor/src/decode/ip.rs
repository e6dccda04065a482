use std::net::IpAddr;

/// An IP packet, v4 or v6, reduced to what the transport layer needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpPacket<'a> {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Transport protocol (after IPv6 extension headers).
    pub proto: u8,
    /// Transport bytes, cut to the IP length (no Ethernet padding).
    pub payload: &'a [u8],
    /// Set when this packet is one piece of a fragmented datagram.
    pub fragment: Option<Fragment>,
}

/// Where a fragment belongs in its datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fragment {
    /// Datagram identification (IPv4: 16 bits, IPv6: 32 bits).
    pub id: u32,
    /// Byte offset of this piece in the datagram.
    pub offset: u32,
    pub more: bool,
}

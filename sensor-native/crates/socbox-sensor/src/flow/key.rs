use std::net::IpAddr;

/// Which side sent a packet, relative to the flow's originator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From the originator (the side that opened the flow).
    Orig,
    Resp,
}

/// A flow's identity, the same for both directions: endpoints ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowKey {
    low: (IpAddr, u16),
    high: (IpAddr, u16),
    proto: u8,
    /// Tells apart flows of the same endpoints and ports: the ICMP echo
    /// identifier (two pings between the same hosts are two flows).
    tag: u16,
}

impl FlowKey {
    pub fn new(src: (IpAddr, u16), dst: (IpAddr, u16), proto: u8) -> Self {
        let (low, high) = if src <= dst { (src, dst) } else { (dst, src) };
        Self {
            low,
            high,
            proto,
            tag: 0,
        }
    }

    /// The same endpoints, told apart by `tag` (an ICMP echo identifier).
    pub fn tagged(self, tag: u16) -> Self {
        Self { tag, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_directions_share_a_key() {
        let a = ("10.0.0.1".parse().unwrap(), 1234);
        let b = ("10.0.0.2".parse().unwrap(), 80);
        assert_eq!(FlowKey::new(a, b, 6), FlowKey::new(b, a, 6));
        assert_ne!(FlowKey::new(a, b, 6), FlowKey::new(a, b, 17));
        let k = FlowKey::new(a, b, 1);
        assert_ne!(k.tagged(7), k.tagged(8));
        assert_eq!(k.tagged(7), FlowKey::new(b, a, 1).tagged(7));
    }
}

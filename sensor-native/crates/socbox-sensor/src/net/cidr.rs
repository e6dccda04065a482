use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An address block: an address and a prefix length. A bare address is a
/// block of one (/32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    /// The network address, host bits cleared.
    network: IpAddr,
    prefix: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CidrError {
    text: String,
    why: &'static str,
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an address or CIDR block: {}",
            self.text, self.why
        )
    }
}

impl std::error::Error for CidrError {}

/// The address as a number and its width in bits; v4 and v6 never compare
/// equal because the width is part of every comparison.
pub(crate) fn ip_bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

pub(crate) fn mask(width: u8, prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        let all = if width == 32 {
            u128::from(u32::MAX)
        } else {
            u128::MAX
        };
        all & (all << (width - prefix))
    }
}

impl Cidr {
    pub fn new(addr: IpAddr, prefix: u8) -> Option<Self> {
        let (bits, width) = ip_bits(addr);
        if prefix > width {
            return None;
        }
        let net = bits & mask(width, prefix);
        let network = match addr {
            IpAddr::V4(_) => IpAddr::V4((net as u32).into()),
            IpAddr::V6(_) => IpAddr::V6(net.into()),
        };
        Some(Self { network, prefix })
    }

    pub fn network(&self) -> IpAddr {
        self.network
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let (net, net_width) = ip_bits(self.network);
        let (bits, width) = ip_bits(ip);
        width == net_width && bits & mask(width, self.prefix) == net
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |why| CidrError {
            text: s.to_owned(),
            why,
        };
        let text = s.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| err("bad address"))?;
        let width = ip_bits(addr).1;
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().map_err(|_| err("bad prefix length"))?,
            None => width,
        };
        Cidr::new(addr, prefix).ok_or_else(|| err("prefix longer than the address"))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_contain() {
        let cases = [
            ("10.0.0.0/8", "10.255.1.2", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("10.1.2.3/8", "10.9.9.9", true),
            ("192.0.2.7", "192.0.2.7", true),
            ("192.0.2.7", "192.0.2.8", false),
            ("0.0.0.0/0", "203.0.113.1", true),
            ("0.0.0.0/0", "::1", false),
            ("fc00::/7", "fd12::1", true),
            ("fc00::/7", "fe80::1", false),
            ("::/0", "2001:db8::1", true),
            ("2001:db8::1", "2001:db8::1", true),
        ];
        for (cidr, ip, expect) in cases {
            let c: Cidr = cidr.parse().unwrap();
            assert_eq!(c.contains(ip.parse().unwrap()), expect, "{cidr} ∋ {ip}");
        }
    }

    #[test]
    fn normalises_and_rejects() {
        assert_eq!(
            "10.1.2.3/8".parse::<Cidr>().unwrap().to_string(),
            "10.0.0.0/8"
        );
        for bad in [
            "10.0.0.0/33",
            "fe80::/129",
            "10.0.0/8",
            "x",
            "10.0.0.0/-1",
            "",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
        let msg = "10.0.0.0/33".parse::<Cidr>().unwrap_err().to_string();
        assert!(
            msg.contains("10.0.0.0/33") && msg.contains("prefix"),
            "{msg}"
        );
    }
}

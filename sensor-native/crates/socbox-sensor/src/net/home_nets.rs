use std::net::IpAddr;

use super::{Cidr, CidrError};

/// The sensor's own networks: an address inside them is `internal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeNets {
    blocks: Vec<Cidr>,
}

/// RFC 1918, shared address space (RFC 6598), unique local (RFC 4193) and
/// link-local, as the schema contract says.
const DEFAULT_BLOCKS: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
];

impl Default for HomeNets {
    fn default() -> Self {
        Self {
            blocks: DEFAULT_BLOCKS
                .iter()
                .filter_map(|b| b.parse().ok())
                .collect(),
        }
    }
}

impl HomeNets {
    /// Home networks from CIDR strings; the first bad one is the error.
    pub fn parse<S: AsRef<str>>(blocks: &[S]) -> Result<Self, CidrError> {
        let blocks = blocks
            .iter()
            .map(|b| b.as_ref().parse())
            .collect::<Result<_, _>>()?;
        Ok(Self { blocks })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.blocks.iter().any(|b| b.contains(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_blocks() {
        let home = HomeNets::default();
        assert_eq!(home.blocks.len(), DEFAULT_BLOCKS.len());
        for (ip, internal) in [
            ("10.0.0.5", true),
            ("172.31.255.255", true),
            ("172.32.0.1", false),
            ("192.168.1.1", true),
            ("100.100.0.1", true),
            ("169.254.10.10", true),
            ("8.8.8.8", false),
            ("fd00::1", true),
            ("fe80::1", true),
            ("2001:4860::8888", false),
        ] {
            assert_eq!(home.contains(ip.parse().unwrap()), internal, "{ip}");
        }
    }

    #[test]
    fn configured_blocks_replace_the_default() {
        let home = HomeNets::parse(&["203.0.113.0/24", "2001:db8::/32"]).unwrap();
        assert!(home.contains("203.0.113.9".parse().unwrap()));
        assert!(home.contains("2001:db8::9".parse().unwrap()));
        assert!(!home.contains("10.0.0.1".parse().unwrap()));
        assert!(HomeNets::parse(&["10.0.0.0/8", "nope"]).is_err());
    }
}

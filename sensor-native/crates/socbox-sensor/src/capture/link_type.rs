/// The link layer of a capture's packets (the pcap LINKTYPE_ registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkType(pub u16);

impl LinkType {
    pub const NULL: Self = Self(0);
    pub const ETHERNET: Self = Self(1);
    /// DLT_RAW differs between systems: 12 and 14 on some BSDs, 101 in the registry.
    pub const RAW_BSD12: Self = Self(12);
    pub const RAW_BSD14: Self = Self(14);
    pub const RAW: Self = Self(101);
    pub const LOOP: Self = Self(108);
    pub const LINUX_SLL: Self = Self(113);
    pub const IPV4: Self = Self(228);
    pub const IPV6: Self = Self(229);
    pub const LINUX_SLL2: Self = Self(276);

    /// Short name for stats and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::NULL => "null",
            Self::ETHERNET => "ethernet",
            Self::RAW | Self::RAW_BSD12 | Self::RAW_BSD14 => "raw",
            Self::LOOP => "loop",
            Self::LINUX_SLL => "linux_sll",
            Self::LINUX_SLL2 => "linux_sll2",
            Self::IPV4 => "ipv4",
            Self::IPV6 => "ipv6",
            _ => "unsupported",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (lt, name) in [
            (LinkType(1), "ethernet"),
            (LinkType(113), "linux_sll"),
            (LinkType(276), "linux_sll2"),
            (LinkType(101), "raw"),
            (LinkType(0), "null"),
            (LinkType(105), "unsupported"),
        ] {
            assert_eq!(lt.name(), name, "{lt:?}");
        }
    }
}

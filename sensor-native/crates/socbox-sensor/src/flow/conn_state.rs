use super::Direction;
use crate::decode::{proto, TcpFlags};

/// What happened on a connection, enough to name its state the way Zeek's
/// conn.log does (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH,
/// SHR, OTH).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnHistory {
    pub orig_syn: bool,
    pub resp_syn_ack: bool,
    pub orig_fin: bool,
    pub resp_fin: bool,
    /// The side that sent the first RST.
    pub first_rst: Option<Direction>,
    /// Union of the TCP flags each side sent (low byte of the header
    /// flags: FIN SYN RST PSH ACK URG ECE CWR).
    pub orig_flags: u8,
    pub resp_flags: u8,
}

/// Flag letters in bit order (FIN = bit 0 … CWR = bit 7).
const FLAG_LETTERS: &[u8; 8] = b"FSRPAUEC";

/// The flags of a union as letters in bit order, `""` for none: `FPU` is
/// an Xmas probe, `""` a NULL probe, `SA…` an ordinary side.
pub fn flag_letters(flags: u8) -> FlagLetters {
    let mut out = FlagLetters {
        letters: [0; 8],
        len: 0,
    };
    for (i, &c) in FLAG_LETTERS.iter().enumerate() {
        if flags & (1 << i) != 0 {
            out.letters[usize::from(out.len)] = c;
            out.len += 1;
        }
    }
    out
}

/// Up to eight flag letters held inline: a `conn` event names each side's
/// flags without a heap string.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FlagLetters {
    letters: [u8; 8],
    len: u8,
}

impl FlagLetters {
    pub fn as_str(&self) -> &str {
        // ASCII letters from FLAG_LETTERS only.
        std::str::from_utf8(&self.letters[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl std::fmt::Debug for FlagLetters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl PartialEq<&str> for FlagLetters {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl ConnHistory {
    pub fn on_tcp(&mut self, dir: Direction, flags: TcpFlags) {
        match dir {
            Direction::Orig => {
                self.orig_flags |= flags.0;
                self.orig_syn |= flags.syn() && !flags.ack();
                self.orig_fin |= flags.fin();
            }
            Direction::Resp => {
                self.resp_flags |= flags.0;
                self.resp_syn_ack |= flags.syn() && flags.ack();
                self.resp_fin |= flags.fin();
            }
        }
        if flags.rst() && self.first_rst.is_none() {
            self.first_rst = Some(dir);
        }
    }

    /// Both sides closed, or one reset: the connection is over.
    pub fn closed(&self) -> bool {
        (self.orig_fin && self.resp_fin) || self.first_rst.is_some()
    }

    pub fn established(&self) -> bool {
        self.orig_syn && self.resp_syn_ack
    }

    /// The Zeek-style state name; `resp_pkts` decides for protocols
    /// without handshakes (SF when the responder answered, else S0).
    pub fn state(&self, ip_proto: u8, resp_pkts: u64) -> &'static str {
        if ip_proto != proto::TCP {
            return if resp_pkts > 0 { "SF" } else { "S0" };
        }
        let orig_rst = self.first_rst == Some(Direction::Orig);
        let resp_rst = self.first_rst == Some(Direction::Resp);
        match (self.orig_syn, self.resp_syn_ack) {
            (true, false) if resp_rst => "REJ",
            (true, false) if orig_rst => "RSTOS0",
            (true, false) if self.orig_fin => "SH",
            (true, false) => "S0",
            (false, true) if resp_rst => "RSTRH",
            (false, true) if self.resp_fin => "SHR",
            (false, _) => "OTH",
            (true, true) if orig_rst => "RSTO",
            (true, true) if resp_rst => "RSTR",
            (true, true) => match (self.orig_fin, self.resp_fin) {
                (true, true) => "SF",
                (true, false) => "S2",
                (false, true) => "S3",
                (false, false) => "S1",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Orig, Resp};

    const SYN: u8 = TcpFlags::SYN;
    const SYN_ACK: u8 = TcpFlags::SYN | TcpFlags::ACK;
    const ACK: u8 = TcpFlags::ACK;
    const FIN: u8 = TcpFlags::FIN | TcpFlags::ACK;
    const RST: u8 = TcpFlags::RST;

    #[test]
    fn zeek_states() {
        let cases: &[(&str, &[(Direction, u8)])] = &[
            ("S0", &[(Orig, SYN)]),
            ("REJ", &[(Orig, SYN), (Resp, RST | ACK)]),
            ("RSTOS0", &[(Orig, SYN), (Orig, RST)]),
            ("SH", &[(Orig, SYN), (Orig, FIN)]),
            ("S1", &[(Orig, SYN), (Resp, SYN_ACK), (Orig, ACK)]),
            (
                "SF",
                &[(Orig, SYN), (Resp, SYN_ACK), (Orig, FIN), (Resp, FIN)],
            ),
            ("S2", &[(Orig, SYN), (Resp, SYN_ACK), (Orig, FIN)]),
            ("S3", &[(Orig, SYN), (Resp, SYN_ACK), (Resp, FIN)]),
            (
                "RSTO",
                &[(Orig, SYN), (Resp, SYN_ACK), (Orig, RST), (Resp, RST)],
            ),
            ("RSTR", &[(Orig, SYN), (Resp, SYN_ACK), (Resp, RST)]),
            ("RSTRH", &[(Resp, SYN_ACK), (Resp, RST)]),
            ("SHR", &[(Resp, SYN_ACK), (Resp, FIN)]),
            ("OTH", &[(Orig, ACK), (Resp, ACK)]),
        ];
        for (expect, packets) in cases {
            let mut h = ConnHistory::default();
            for (dir, flags) in *packets {
                h.on_tcp(*dir, TcpFlags(*flags));
            }
            assert_eq!(h.state(proto::TCP, 1), *expect, "{packets:?}");
        }
    }

    #[test]
    fn flag_unions_each_way() {
        let mut h = ConnHistory::default();
        h.on_tcp(Orig, TcpFlags(TcpFlags::FIN | 0x08 | 0x20));
        assert_eq!(
            (
                flag_letters(h.orig_flags).as_str(),
                flag_letters(h.resp_flags).as_str()
            ),
            ("FPU", "")
        );
        let mut h = ConnHistory::default();
        for (dir, flags) in [
            (Orig, SYN),
            (Resp, SYN_ACK),
            (Orig, ACK | 0x08),
            (Resp, RST),
        ] {
            h.on_tcp(dir, TcpFlags(flags));
        }
        assert_eq!(flag_letters(h.orig_flags), "SPA");
        assert_eq!(flag_letters(h.resp_flags), "SRA");
        assert_eq!(flag_letters(0xff), "FSRPAUEC");
        assert_eq!(flag_letters(0), "");
    }

    #[test]
    fn other_protocols_and_closing() {
        let h = ConnHistory::default();
        assert_eq!(h.state(proto::UDP, 0), "S0");
        assert_eq!(h.state(proto::UDP, 3), "SF");
        let mut h = ConnHistory::default();
        h.on_tcp(Orig, TcpFlags(FIN));
        assert!(!h.closed());
        h.on_tcp(Resp, TcpFlags(FIN));
        assert!(h.closed());
    }
}

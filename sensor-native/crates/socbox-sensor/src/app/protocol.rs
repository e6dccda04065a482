//! The parsers of SSH, RDP, SMTP and FTP behind one interface, and the
//! choice among them from ports and first bytes.

use super::ftp::FtpSession;
use super::rdp::{looks_like_rdp, RdpSession};
use super::session::{AppOutput, ChunkCtx};
use super::smtp::SmtpSession;
use super::ssh::SshSession;
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

/// An application protocol over both directions of one TCP connection.
pub(crate) trait StreamProtocol: std::fmt::Debug + Send {
    /// `conn.app`.
    fn app(&self) -> &'static str;
    /// Bytes (or a gap) of one direction; returns how many messages could
    /// not be parsed.
    fn on_chunk(&mut self, ctx: ChunkCtx, chunk: StreamChunk<'_>, out: &mut Vec<AppOutput>) -> u32;
    /// Nothing more to read: the connection's bytes need not be reassembled.
    fn done(&self) -> bool;
    /// A FIN came from `dir`: that side closed its stream in order.
    fn on_fin(&mut self, _dir: Direction) {}
    /// End of the connection at `ts_us`: unfinished items are reported.
    fn finish(&mut self, ts_us: i64, out: &mut Vec<AppOutput>);
}

const SMTP_PORTS: [u16; 3] = [25, 587, 2525];
const FTP_PORT: u16 = 21;
const SSH_PORT: u16 = 22;
const RDP_PORT: u16 = 3389;

/// Picks SSH, RDP, SMTP or FTP for a connection whose first bytes (from
/// `ctx.dir`) are `first`; None when it is none of them.
pub(crate) fn sniff_protocol(ctx: ChunkCtx, first: &[u8]) -> Option<Box<dyn StreamProtocol>> {
    let port = ctx.resp_port;
    let from_client = ctx.dir == Direction::Orig;
    if first.starts_with(b"SSH-") || (port == SSH_PORT && !from_client) {
        return Some(Box::<SshSession>::default());
    }
    if looks_like_rdp(first) && (from_client || port == RDP_PORT) {
        return Some(Box::<RdpSession>::default());
    }
    let upper: Vec<u8> = first.iter().take(8).map(u8::to_ascii_uppercase).collect();
    let smtp = if from_client {
        upper.starts_with(b"EHLO ") || upper.starts_with(b"HELO ")
    } else {
        first.starts_with(b"220") && (SMTP_PORTS.contains(&port) || has_word(first, b"SMTP"))
    };
    if smtp {
        return Some(Box::<SmtpSession>::default());
    }
    let ftp = if from_client {
        port == FTP_PORT && (upper.starts_with(b"USER ") || upper.starts_with(b"AUTH "))
    } else {
        first.starts_with(b"220") && (port == FTP_PORT || has_word(first, b"FTP"))
    };
    ftp.then(|| Box::<FtpSession>::default() as Box<dyn StreamProtocol>)
}

/// Does the first line mention `word` (case-insensitive)?
fn has_word(first: &[u8], word: &[u8]) -> bool {
    let line = first.split(|&b| b == b'\n').next().unwrap_or(first);
    line.windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(dir: Direction, port: u16, first: &[u8]) -> Option<&'static str> {
        let ctx = ChunkCtx {
            dir,
            ts_us: 0,
            orig_port: 50000,
            resp_port: port,
            inspect_body: 0,
        };
        sniff_protocol(ctx, first).map(|p| p.app())
    }

    #[test]
    fn choices() {
        use Direction::{Orig as C, Resp as S};
        let cases: &[(Direction, u16, &[u8], Option<&str>)] = &[
            (S, 2222, b"SSH-2.0-OpenSSH_9.6\r\n", Some("ssh")),
            (C, 22, b"SSH-2.0-PuTTY\r\n", Some("ssh")),
            (
                C,
                3389,
                b"\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x03\x00\x00\x00",
                Some("rdp"),
            ),
            (
                C,
                443,
                b"\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x03\x00\x00\x00",
                Some("rdp"),
            ),
            (S, 25, b"220 mx.example ready\r\n", Some("smtp")),
            (S, 10025, b"220 mx.example ESMTP Postfix\r\n", Some("smtp")),
            (C, 10025, b"EHLO client\r\n", Some("smtp")),
            (S, 21, b"220 (vsFTPd 3.0.3)\r\n", Some("ftp")),
            (S, 2121, b"220 ProFTPD Server\r\n", Some("ftp")),
            (C, 21, b"USER anonymous\r\n", Some("ftp")),
            (S, 8080, b"220 hello\r\n", None),
            (C, 80, b"\x03\x00", None),
        ];
        for (dir, port, first, expect) in cases {
            assert_eq!(
                app(*dir, *port, first),
                *expect,
                "{:?}",
                String::from_utf8_lossy(first)
            );
        }
    }
}

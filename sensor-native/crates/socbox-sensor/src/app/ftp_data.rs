//! FTP data connections (RFC 959 §3.2, RFC 2428): the control channel
//! announces where the next data connection goes (PASV/EPSV replies, PORT/
//! EPRT commands) and what it carries (RETR, STOR, …); the data connection
//! itself is hashed as one file.

use std::net::IpAddr;

use super::http_file::FileItem;
use super::protocol::StreamProtocol;
use super::session::{AppItem, AppOutput, ChunkCtx};
use crate::event::FileBody;
use crate::file::Digest;
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

/// What the control channel says about a data connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpDataChannel {
    /// The address the data connection goes to; None: the control
    /// connection's server (EPSV).
    pub host: Option<IpAddr>,
    pub port: u16,
    /// Active mode (PORT/EPRT): the server opens the data connection to
    /// the client, so its originator is the control connection's server.
    pub active: bool,
    /// What goes over it, once the command is seen.
    pub transfer: Option<FtpTransfer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpTransfer {
    /// RETR/STOR argument.
    pub name: Option<String>,
    /// A file (RETR, STOR, STOU, APPE), not a listing.
    pub file: bool,
}

/// `h1,h2,h3,h4,p1,p2` (PORT argument, or inside a 227 reply).
pub(crate) fn parse_host_port(text: &str) -> Option<(IpAddr, u16)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let nums: Vec<u8> = text[start..]
        .split(|c: char| !c.is_ascii_digit())
        .take(6)
        .map(|n| n.parse::<u8>().ok())
        .collect::<Option<Vec<u8>>>()?;
    let [a, b, c, d, p1, p2] = nums[..] else {
        return None;
    };
    Some((
        IpAddr::from([a, b, c, d]),
        u16::from(p1) << 8 | u16::from(p2),
    ))
}

/// `(|||port|)` of a 229 reply.
pub(crate) fn parse_epsv(text: &str) -> Option<u16> {
    let inner = text.split_once('(')?.1.split_once(')')?.0;
    let d = inner.chars().next()?;
    inner.split(d).nth(3)?.parse().ok()
}

/// `|proto|addr|port|` of an EPRT command.
pub(crate) fn parse_eprt(arg: &str) -> Option<(IpAddr, u16)> {
    let d = arg.chars().next()?;
    let mut parts = arg.split(d).skip(2);
    let ip = parts.next()?.parse().ok()?;
    let port = parts.next()?.parse().ok()?;
    Some((ip, port))
}

/// A data connection: the bytes of one direction make one file.
#[derive(Debug, Default)]
pub(crate) struct FtpDataSession {
    digest: Option<(i64, bool, Digest)>,
    /// The sending side closed in order; without it, a capture that stops
    /// mid-transfer would pass for a whole file.
    sender_closed: bool,
    reported: bool,
}

impl StreamProtocol for FtpDataSession {
    fn app(&self) -> &'static str {
        // conn.app names the protocol; the control channel's is ftp too.
        "ftp"
    }

    fn on_chunk(
        &mut self,
        ctx: ChunkCtx,
        chunk: StreamChunk<'_>,
        _out: &mut Vec<AppOutput>,
    ) -> u32 {
        let from_orig = ctx.dir == Direction::Orig;
        match chunk {
            StreamChunk::Data(d) => {
                let (_, dir, digest) = self
                    .digest
                    .get_or_insert_with(|| (ctx.ts_us, from_orig, Digest::default()));
                // One direction carries the file; the other only ACKs.
                if *dir == from_orig {
                    digest.update(d);
                }
            }
            StreamChunk::Gap => {
                if let Some((_, _, d)) = &mut self.digest {
                    d.mark_incomplete();
                }
            }
        }
        0
    }

    fn done(&self) -> bool {
        self.reported
    }

    fn on_fin(&mut self, dir: Direction) {
        if let Some((_, from_orig, _)) = &self.digest {
            self.sender_closed |= *from_orig == (dir == Direction::Orig);
        }
    }

    fn finish(&mut self, _ts_us: i64, out: &mut Vec<AppOutput>) {
        if let Some((ts_us, from_orig, mut digest)) = self.digest.take() {
            if !self.sender_closed {
                digest.mark_incomplete();
            }
            self.reported = true;
            out.push(AppOutput {
                ts_us,
                item: AppItem::File(Box::new(FileItem {
                    ts_us,
                    body: FileBody::new("ftp", from_orig, digest.finish()),
                    inspect: Vec::new(),
                })),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements() {
        assert_eq!(
            parse_host_port("Entering Passive Mode (10,0,0,5,4,1)."),
            Some(("10.0.0.5".parse().unwrap(), 1025))
        );
        assert_eq!(
            parse_host_port("192,168,1,2,0,20"),
            Some(("192.168.1.2".parse().unwrap(), 20))
        );
        assert_eq!(parse_host_port("(1,2,3)"), None);
        assert_eq!(parse_host_port("(300,1,1,1,1,1)"), None);
        assert_eq!(
            parse_epsv("Entering Extended Passive Mode (|||6446|)"),
            Some(6446)
        );
        assert_eq!(parse_epsv("bad (||x|)"), None);
        assert_eq!(
            parse_eprt("|2|2001:db8::1|5282|"),
            Some(("2001:db8::1".parse().unwrap(), 5282))
        );
    }

    #[test]
    fn one_direction_is_the_file() {
        let mut s = FtpDataSession::default();
        let mut out = Vec::new();
        let ctx = |dir, ts_us| ChunkCtx {
            dir,
            ts_us,
            orig_port: 5000,
            resp_port: 20,
            inspect_body: 0,
        };
        s.on_chunk(
            ctx(Direction::Resp, 3),
            StreamChunk::Data(b"PK\x03\x04"),
            &mut out,
        );
        s.on_chunk(
            ctx(Direction::Orig, 4),
            StreamChunk::Data(b"ignored"),
            &mut out,
        );
        s.on_chunk(
            ctx(Direction::Resp, 5),
            StreamChunk::Data(b"rest"),
            &mut out,
        );
        s.on_fin(Direction::Orig);
        s.on_fin(Direction::Resp);
        s.finish(9, &mut out);
        let [AppOutput {
            item: AppItem::File(f),
            ts_us: 3,
        }] = &out[..]
        else {
            panic!("{out:?}")
        };
        assert_eq!(
            (f.body.source, f.body.direction, f.body.size),
            ("ftp", "download", 8)
        );
        assert!(f.body.complete);
        // No FIN from the sender: the capture may have stopped mid-file.
        let mut cut = FtpDataSession::default();
        let mut out = Vec::new();
        cut.on_chunk(ctx(Direction::Resp, 3), StreamChunk::Data(b"PK"), &mut out);
        cut.on_fin(Direction::Orig);
        cut.finish(9, &mut out);
        let [AppOutput {
            item: AppItem::File(c),
            ..
        }] = &out[..]
        else {
            panic!("{out:?}")
        };
        assert!(!c.body.complete);
    }
}

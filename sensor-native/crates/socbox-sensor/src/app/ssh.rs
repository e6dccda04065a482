//! SSH identification strings (RFC 4253 §4.2): `SSH-protoversion-software
//! [comments]` from each side before the binary protocol starts. A server
//! may send other lines first; they are skipped.

use super::line::Lines;
use super::protocol::StreamProtocol;
use super::session::{AppItem, AppOutput, ChunkCtx};
use crate::event::{Body, SshBody};
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

/// The identification line is at most 255 bytes with CR LF.
const MAX_LINE: usize = 255;
/// Lines a server may send before its identification.
const MAX_LINES: u8 = 16;

#[derive(Debug, Default)]
struct Side {
    lines: Lines,
    ident: Option<String>,
    /// No identification will come (binary data, too many lines, a gap).
    given_up: bool,
    seen: u8,
}

impl Side {
    fn feed(&mut self, chunk: StreamChunk<'_>) {
        if self.ident.is_some() || self.given_up {
            return;
        }
        let StreamChunk::Data(data) = chunk else {
            self.given_up = true;
            return;
        };
        let (ident, given_up, seen) = (&mut self.ident, &mut self.given_up, &mut self.seen);
        self.lines.feed(data, MAX_LINE, &mut |line| {
            if ident.is_some() || *given_up {
                return;
            }
            *seen += 1;
            if line.text.starts_with(b"SSH-") && !line.cut {
                *ident = Some(String::from_utf8_lossy(line.text).into_owned());
            } else if *seen >= MAX_LINES || line.cut {
                *given_up = true;
            }
        });
        if self.ident.is_none() && self.lines.pending().len() >= MAX_LINE {
            self.given_up = true;
        }
    }

    fn finished(&self) -> bool {
        self.ident.is_some() || self.given_up
    }
}

/// Both sides' identification strings; one event per connection.
#[derive(Debug, Default)]
pub(crate) struct SshSession {
    client: Side,
    server: Side,
    /// Capture time of the first identification seen.
    first_us: Option<i64>,
    reported: bool,
}

impl SshSession {
    fn report(&mut self, out: &mut Vec<AppOutput>) {
        if self.reported {
            return;
        }
        let (Some(ts_us), client, server) = (
            self.first_us,
            self.client.ident.take(),
            self.server.ident.take(),
        ) else {
            return;
        };
        self.reported = true;
        out.push(AppOutput {
            ts_us,
            item: AppItem::Event(Body::Ssh(SshBody { client, server })),
        });
    }
}

impl StreamProtocol for SshSession {
    fn app(&self) -> &'static str {
        "ssh"
    }

    fn on_chunk(&mut self, ctx: ChunkCtx, chunk: StreamChunk<'_>, out: &mut Vec<AppOutput>) -> u32 {
        let side = match ctx.dir {
            Direction::Orig => &mut self.client,
            Direction::Resp => &mut self.server,
        };
        side.feed(chunk);
        if side.ident.is_some() {
            self.first_us.get_or_insert(ctx.ts_us);
        }
        if self.client.finished() && self.server.finished() {
            self.report(out);
        }
        0
    }

    fn done(&self) -> bool {
        self.reported || (self.client.given_up && self.server.given_up)
    }

    fn finish(&mut self, _ts_us: i64, out: &mut Vec<AppOutput>) {
        self.report(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(dir: Direction, ts_us: i64) -> ChunkCtx {
        ChunkCtx {
            dir,
            ts_us,
            orig_port: 50000,
            resp_port: 22,
            inspect_body: 0,
        }
    }

    fn bodies(out: &[AppOutput]) -> Vec<(i64, SshBody)> {
        out.iter()
            .map(|o| match &o.item {
                AppItem::Event(b) => match b {
                    Body::Ssh(s) => (o.ts_us, s.clone()),
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn both_banners_make_one_event() {
        let mut s = SshSession::default();
        let mut out = Vec::new();
        s.on_chunk(
            ctx(Direction::Resp, 5),
            StreamChunk::Data(b"hello there\r\nSSH-2.0-OpenSSH_9.6 Ubuntu\r\n\0\0\0"),
            &mut out,
        );
        s.on_chunk(
            ctx(Direction::Orig, 6),
            StreamChunk::Data(b"SSH-2.0-"),
            &mut out,
        );
        assert!(out.is_empty());
        s.on_chunk(
            ctx(Direction::Orig, 7),
            StreamChunk::Data(b"PuTTY_0.81\r\n\x00\x00\x01"),
            &mut out,
        );
        assert!(s.done());
        s.finish(9, &mut out);
        assert_eq!(
            bodies(&out),
            [(
                5,
                SshBody {
                    client: Some("SSH-2.0-PuTTY_0.81".into()),
                    server: Some("SSH-2.0-OpenSSH_9.6 Ubuntu".into())
                }
            )]
        );
    }

    #[test]
    fn one_side_is_reported_at_the_end_and_garbage_gives_up() {
        let mut s = SshSession::default();
        let mut out = Vec::new();
        s.on_chunk(
            ctx(Direction::Orig, 1),
            StreamChunk::Data(b"SSH-2.0-Go\r\n"),
            &mut out,
        );
        s.on_chunk(
            ctx(Direction::Resp, 2),
            StreamChunk::Data(&[0u8; 600]),
            &mut out,
        );
        assert_eq!(bodies(&out)[0].1.server, None);
        let mut s = SshSession::default();
        let mut out = Vec::new();
        s.on_chunk(ctx(Direction::Resp, 1), StreamChunk::Gap, &mut out);
        s.finish(2, &mut out);
        assert!(out.is_empty());
    }
}

//! The FTP control channel (RFC 959): each command paired with its final
//! reply (preliminary 1xx replies are skipped, multi-line replies read
//! whole). The argument of PASS is never kept. At most 256 events per
//! session.

use std::collections::VecDeque;
use std::net::IpAddr;

use super::ftp_data::{parse_eprt, parse_epsv, parse_host_port, FtpDataChannel, FtpTransfer};
use super::line::Lines;
use super::protocol::StreamProtocol;
use super::session::{AppItem, AppOutput, ChunkCtx};
use crate::event::{Body, FtpBody};
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

const MAX_LINE: usize = 1024;
const MAX_EVENTS: u32 = 256;
/// Commands waiting for replies; past this the oldest go out without one.
const MAX_PENDING: usize = 32;

#[derive(Debug, Default)]
pub(crate) struct FtpSession {
    client: Lines,
    server: Lines,
    pending: VecDeque<(i64, FtpBody)>,
    user: Option<String>,
    /// The code of a multi-line reply being read.
    multiline: Option<u16>,
    emitted: u32,
    /// AUTH TLS accepted: the rest is encrypted.
    encrypted: bool,
    auth_sent: bool,
    /// The data connection last announced: (host, port, active mode).
    data: Option<(Option<IpAddr>, u16, bool)>,
}

/// Commands whose data connection carries a file; listings are not files.
const FILE_COMMANDS: [&str; 4] = ["RETR", "STOR", "STOU", "APPE"];
const LIST_COMMANDS: [&str; 4] = ["LIST", "NLST", "MLSD", "MLST"];

fn announce(
    host: Option<IpAddr>,
    port: u16,
    active: bool,
    transfer: Option<FtpTransfer>,
) -> AppItem {
    AppItem::FtpData(Box::new(FtpDataChannel {
        host,
        port,
        active,
        transfer,
    }))
}

impl FtpSession {
    fn emit(&mut self, ts_us: i64, body: FtpBody, out: &mut Vec<AppOutput>) {
        if self.emitted < MAX_EVENTS {
            self.emitted += 1;
            out.push(AppOutput {
                ts_us,
                item: AppItem::Event(Body::Ftp(body)),
            });
        }
    }

    fn client_line(&mut self, ts_us: i64, text: &[u8], out: &mut Vec<AppOutput>) {
        let text = String::from_utf8_lossy(text);
        let (verb, arg) = text.split_once(' ').unwrap_or((&text, ""));
        let command = verb.trim().to_ascii_uppercase();
        if command.is_empty() {
            return;
        }
        let arg = arg.trim();
        if command == "USER" {
            self.user = Some(arg.to_owned());
        }
        if command == "AUTH" {
            self.auth_sent = true;
        }
        let announced = match command.as_str() {
            "PORT" => parse_host_port(arg),
            "EPRT" => parse_eprt(arg),
            _ => None,
        };
        if let Some((host, port)) = announced {
            self.data = Some((Some(host), port, true));
            out.push(AppOutput {
                ts_us,
                item: announce(Some(host), port, true, None),
            });
        }
        let file = FILE_COMMANDS.contains(&command.as_str());
        if file || LIST_COMMANDS.contains(&command.as_str()) {
            if let Some((host, port, active)) = self.data {
                let transfer = FtpTransfer {
                    name: (file && !arg.is_empty()).then(|| arg.to_owned()),
                    file,
                };
                out.push(AppOutput {
                    ts_us,
                    item: announce(host, port, active, Some(transfer)),
                });
            }
        }
        let body = FtpBody {
            arg: (command != "PASS" && !arg.is_empty()).then(|| arg.to_owned()),
            command,
            reply: None,
            user: self.user.clone(),
        };
        self.pending.push_back((ts_us, body));
        if self.pending.len() > MAX_PENDING {
            if let Some((ts, b)) = self.pending.pop_front() {
                self.emit(ts, b, out);
            }
        }
    }

    fn server_line(&mut self, ts_us: i64, text: &[u8], out: &mut Vec<AppOutput>) {
        let code = text
            .get(..3)
            .and_then(|c| std::str::from_utf8(c).ok())
            .and_then(|c| c.parse::<u16>().ok());
        match (self.multiline, code) {
            // Inside a multi-line reply: only `code SP` ends it.
            (Some(open), Some(c)) if c == open && text.get(3) != Some(&b'-') => {
                self.multiline = None;
            }
            (Some(_), _) => return,
            (None, Some(c)) if text.get(3) == Some(&b'-') => {
                self.multiline = Some(c);
                return;
            }
            (None, Some(_)) => {}
            (None, None) => return,
        }
        let Some(code) = code else { return };
        if (100..200).contains(&code) {
            return;
        }
        let reply = String::from_utf8_lossy(text);
        let passive = match code {
            227 => parse_host_port(reply.get(3..).unwrap_or("")).map(|(h, p)| (Some(h), p)),
            229 => parse_epsv(&reply).map(|p| (None, p)),
            _ => None,
        };
        if let Some((host, port)) = passive {
            self.data = Some((host, port, false));
            out.push(AppOutput {
                ts_us,
                item: announce(host, port, false, None),
            });
        }
        if let Some((ts, mut body)) = self.pending.pop_front() {
            body.reply = Some(code);
            if self.auth_sent && body.command == "AUTH" && (200..300).contains(&code) {
                self.encrypted = true;
            }
            self.emit(ts, body, out);
        }
    }
}

impl StreamProtocol for FtpSession {
    fn app(&self) -> &'static str {
        "ftp"
    }

    fn on_chunk(&mut self, ctx: ChunkCtx, chunk: StreamChunk<'_>, out: &mut Vec<AppOutput>) -> u32 {
        if self.encrypted {
            return 0;
        }
        let StreamChunk::Data(data) = chunk else {
            match ctx.dir {
                Direction::Orig => self.client.gap(),
                Direction::Resp => {
                    self.server.gap();
                    self.multiline = None;
                }
            }
            return 0;
        };
        let mut lines = Vec::new();
        let side = match ctx.dir {
            Direction::Orig => &mut self.client,
            Direction::Resp => &mut self.server,
        };
        side.feed(data, MAX_LINE, &mut |l| lines.push(l.text.to_vec()));
        for text in lines {
            match ctx.dir {
                Direction::Orig => self.client_line(ctx.ts_us, &text, out),
                Direction::Resp => self.server_line(ctx.ts_us, &text, out),
            }
            if self.encrypted {
                break;
            }
        }
        0
    }

    fn done(&self) -> bool {
        self.encrypted || self.emitted >= MAX_EVENTS
    }

    fn finish(&mut self, _ts_us: i64, out: &mut Vec<AppOutput>) {
        while let Some((ts, b)) = self.pending.pop_front() {
            self.emit(ts, b, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(script: &[(Direction, &[u8])]) -> Vec<(i64, FtpBody)> {
        let mut s = FtpSession::default();
        let mut out = Vec::new();
        for (i, (dir, data)) in script.iter().enumerate() {
            let ctx = ChunkCtx {
                dir: *dir,
                ts_us: i as i64,
                orig_port: 5000,
                resp_port: 21,
                inspect_body: 0,
            };
            s.on_chunk(ctx, StreamChunk::Data(data), &mut out);
        }
        s.finish(99, &mut out);
        out.into_iter()
            .filter_map(|o| match o.item {
                AppItem::Event(Body::Ftp(f)) => Some((o.ts_us, f)),
                AppItem::FtpData(_) => None,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    use Direction::{Orig as C, Resp as S};

    #[test]
    fn commands_with_final_replies_and_no_password() {
        let got = run(&[
            (S, b"220-Welcome\r\n220-to the server\r\n220 ready\r\n"),
            (C, b"USER alice\r\n"),
            (S, b"331 password please\r\n"),
            (C, b"PASS s3cret\r\n"),
            (S, b"230 ok\r\n"),
            (C, b"PASV\r\nRETR /pub/a.exe\r\n"),
            (
                S,
                b"227 Entering Passive Mode (10,0,0,5,4,1)\r\n150 opening\r\n226 done\r\n",
            ),
            (C, b"quit\r\n"),
        ]);
        let got: Vec<_> = got
            .iter()
            .map(|(ts, f)| {
                (
                    *ts,
                    f.command.as_str(),
                    f.arg.as_deref(),
                    f.reply,
                    f.user.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (1, "USER", Some("alice"), Some(331), Some("alice")),
                (3, "PASS", None, Some(230), Some("alice")),
                (5, "PASV", None, Some(227), Some("alice")),
                (5, "RETR", Some("/pub/a.exe"), Some(226), Some("alice")),
                (7, "QUIT", None, None, Some("alice")),
            ]
        );
    }

    #[test]
    fn data_connections_are_announced() {
        let mut s = FtpSession::default();
        let mut out = Vec::new();
        let ctx = |dir, ts_us| ChunkCtx {
            dir,
            ts_us,
            orig_port: 5000,
            resp_port: 21,
            inspect_body: 0,
        };
        s.on_chunk(ctx(C, 1), StreamChunk::Data(b"EPSV\r\n"), &mut out);
        s.on_chunk(
            ctx(S, 2),
            StreamChunk::Data(b"229 Entering Extended Passive Mode (|||6446|)\r\n"),
            &mut out,
        );
        s.on_chunk(
            ctx(C, 3),
            StreamChunk::Data(b"STOR up.bin\r\nPORT 10,0,0,9,0,80\r\nLIST\r\n"),
            &mut out,
        );
        let got: Vec<_> = out
            .iter()
            .filter_map(|o| match &o.item {
                AppItem::FtpData(d) => Some((**d).clone()),
                _ => None,
            })
            .collect();
        let t = |name: Option<&str>, file| {
            Some(FtpTransfer {
                name: name.map(Into::into),
                file,
            })
        };
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        assert_eq!(
            got,
            [
                FtpDataChannel {
                    host: None,
                    port: 6446,
                    active: false,
                    transfer: None
                },
                FtpDataChannel {
                    host: None,
                    port: 6446,
                    active: false,
                    transfer: t(Some("up.bin"), true)
                },
                FtpDataChannel {
                    host: Some(ip),
                    port: 80,
                    active: true,
                    transfer: None
                },
                FtpDataChannel {
                    host: Some(ip),
                    port: 80,
                    active: true,
                    transfer: t(None, false)
                },
            ]
        );
    }

    #[test]
    fn events_are_capped_and_auth_tls_stops_reading() {
        let many = b"NOOP\r\n".repeat(300);
        let oks = b"200 ok\r\n".repeat(300);
        assert_eq!(run(&[(C, &many), (S, &oks)]).len(), MAX_EVENTS as usize);
        let got = run(&[
            (C, b"AUTH TLS\r\n"),
            (S, b"234 go\r\n"),
            (C, b"\x16\x03\x01\r\n"),
        ]);
        assert_eq!(got.len(), 1);
    }
}

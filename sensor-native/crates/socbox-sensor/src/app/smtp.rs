//! SMTP (RFC 5321): the envelope (HELO/EHLO, MAIL FROM, RCPT TO), the
//! message's size and Subject when sent in clear, STARTTLS and the last
//! reply code. One event per mail transaction (MAIL FROM to the end of
//! DATA, RSET or QUIT), and one per session that only did STARTTLS.

use super::line::Lines;
use super::protocol::StreamProtocol;
use super::session::{AppItem, AppOutput, ChunkCtx};
use super::smtp_mime::MimeReader;
use crate::event::{Body, SmtpBody};
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

/// RFC 5321 §4.5.3.1.6: text lines are at most 1000 bytes; longer ones are
/// cut, not refused.
const MAX_LINE: usize = 1000;
/// Recipients kept per transaction.
const MAX_RCPT: usize = 100;
/// Header bytes looked through for the Subject.
const MAX_HEADER: usize = 64 * 1024;

#[derive(Debug, Default)]
enum ClientState {
    #[default]
    Commands,
    /// Inside DATA: message lines up to the lone dot.
    Data {
        in_header: bool,
        header_bytes: usize,
        /// The Subject header being read (folded lines joined).
        subject: Option<Vec<u8>>,
        /// Attachments of the message.
        mime: Box<MimeReader>,
    },
}

#[derive(Debug, Default)]
pub(crate) struct SmtpSession {
    client: Lines,
    server: Lines,
    state: ClientState,
    helo: Option<String>,
    /// The open transaction: its start time and fields.
    tx: Option<(i64, SmtpBody)>,
    /// The transaction ended on the client side; it is reported with the
    /// next reply code.
    closing: bool,
    last_status: Option<u16>,
    /// STARTTLS was sent and not yet answered.
    starttls_sent: bool,
    /// Transactions reported; with STARTTLS only, the session reports one.
    reported: u32,
    /// Encrypted from here on (STARTTLS accepted) or unreadable.
    done: bool,
}

fn push_files(files: Vec<super::http_file::FileItem>, out: &mut Vec<AppOutput>) {
    out.extend(files.into_iter().map(|f| AppOutput {
        ts_us: f.ts_us,
        item: AppItem::File(Box::new(f)),
    }));
}

/// `<addr>` (or a bare address) after `MAIL FROM:` / `RCPT TO:`, without
/// parameters.
fn path_arg(rest: &[u8]) -> String {
    let rest = String::from_utf8_lossy(rest);
    let rest = rest.trim_start();
    match rest.strip_prefix('<') {
        Some(r) => r.split('>').next().unwrap_or("").to_owned(),
        None => rest.split_whitespace().next().unwrap_or("").to_owned(),
    }
}

fn strip_prefix_ci<'a>(line: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    (line.len() >= prefix.len() && line[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &line[prefix.len()..])
}

impl SmtpSession {
    fn report(&mut self, out: &mut Vec<AppOutput>) {
        self.closing = false;
        if let Some((ts_us, mut body)) = self.tx.take() {
            body.status = self.last_status.or(body.status);
            self.reported += 1;
            out.push(AppOutput {
                ts_us,
                item: AppItem::Event(Body::Smtp(body)),
            });
        }
    }

    fn tx_mut(&mut self, ts_us: i64) -> &mut SmtpBody {
        let helo = self.helo.clone();
        &mut self
            .tx
            .get_or_insert_with(|| {
                (
                    ts_us,
                    SmtpBody {
                        helo,
                        ..SmtpBody::default()
                    },
                )
            })
            .1
    }

    fn client_line(&mut self, ts_us: i64, text: &[u8], raw_len: usize, out: &mut Vec<AppOutput>) {
        if let ClientState::Data {
            in_header,
            header_bytes,
            subject,
            mime,
        } = &mut self.state
        {
            if text == b"." {
                push_files(mime.finish(), out);
                let subject = subject.take();
                self.state = ClientState::Commands;
                let tx = self.tx_mut(ts_us);
                if let Some(s) = subject {
                    tx.subject = Some(String::from_utf8_lossy(&s).trim().to_owned());
                }
                self.closing = true;
                return;
            }
            // RFC 5321 §4.5.2: a leading dot was doubled by the sender.
            mime.line(
                ts_us,
                text.strip_prefix(b".")
                    .filter(|_| text.starts_with(b".."))
                    .unwrap_or(text),
            );
            if *in_header {
                *header_bytes += raw_len;
                let folded = text.first().is_some_and(|b| *b == b' ' || *b == b'\t');
                if text.is_empty() || *header_bytes > MAX_HEADER {
                    *in_header = false;
                } else if folded {
                    if let Some(s) = subject.as_mut().filter(|s| s.len() < MAX_LINE) {
                        s.extend_from_slice(text);
                    }
                } else if let Some(v) = strip_prefix_ci(text, b"subject:") {
                    subject.get_or_insert_with(Vec::new).extend_from_slice(v);
                }
            }
            let bytes = self.tx_mut(ts_us).bytes.get_or_insert(0);
            *bytes += raw_len as u64;
            return;
        }
        let verb_end = text.iter().position(|&b| b == b' ').unwrap_or(text.len());
        let verb = text[..verb_end].to_ascii_uppercase();
        let arg = String::from_utf8_lossy(text.get(verb_end + 1..).unwrap_or(&[]))
            .trim()
            .to_owned();
        match verb.as_slice() {
            b"HELO" | b"EHLO" => self.helo = Some(arg),
            b"MAIL" => {
                if self.tx.as_ref().is_some_and(|(_, t)| t.from.is_some()) {
                    self.report(out);
                }
                let from = strip_prefix_ci(text, b"MAIL FROM:").map(path_arg);
                self.tx_mut(ts_us).from = from;
            }
            b"RCPT" => {
                if let Some(to) = strip_prefix_ci(text, b"RCPT TO:").map(path_arg) {
                    let tx = self.tx_mut(ts_us);
                    if tx.to.len() < MAX_RCPT {
                        tx.to.push(to);
                    }
                }
            }
            b"DATA" => {
                self.tx_mut(ts_us);
                self.state = ClientState::Data {
                    in_header: true,
                    header_bytes: 0,
                    subject: None,
                    mime: Box::default(),
                };
            }
            b"RSET" | b"QUIT" if self.tx.is_some() => self.closing = true,
            b"STARTTLS" => self.starttls_sent = true,
            _ => {}
        }
    }

    fn server_line(&mut self, text: &[u8], out: &mut Vec<AppOutput>) {
        let code = text
            .get(..3)
            .and_then(|c| std::str::from_utf8(c).ok())
            .and_then(|c| c.parse::<u16>().ok());
        let Some(code) = code else { return };
        // Continuation lines (`250-…`) carry the same code; the last one
        // (`250 …`) ends the reply.
        if text.get(3) == Some(&b'-') {
            return;
        }
        self.last_status = Some(code);
        if let Some((_, tx)) = &mut self.tx {
            tx.status = Some(code);
        }
        // DATA refused: the client sends no message.
        if code >= 400
            && matches!(
                self.state,
                ClientState::Data {
                    header_bytes: 0,
                    ..
                }
            )
        {
            self.state = ClientState::Commands;
        }
        if self.closing {
            self.report(out);
        }
        if self.starttls_sent {
            self.starttls_sent = false;
            if code == 220 {
                let helo = self.helo.clone();
                let tx = self.tx.get_or_insert((
                    0,
                    SmtpBody {
                        helo,
                        ..SmtpBody::default()
                    },
                ));
                tx.1.starttls = true;
                self.done = true;
            }
        }
    }
}

impl StreamProtocol for SmtpSession {
    fn app(&self) -> &'static str {
        "smtp"
    }

    fn on_chunk(&mut self, ctx: ChunkCtx, chunk: StreamChunk<'_>, out: &mut Vec<AppOutput>) -> u32 {
        if self.done {
            return 0;
        }
        let StreamChunk::Data(data) = chunk else {
            // A gap: the command or message in flight is lost.
            match ctx.dir {
                Direction::Orig => {
                    self.client.gap();
                    if let ClientState::Data { mime, .. } = &mut self.state {
                        push_files(mime.finish(), out);
                    }
                    self.state = ClientState::Commands;
                }
                Direction::Resp => self.server.gap(),
            }
            return 0;
        };
        let mut lines = Vec::new();
        let side = match ctx.dir {
            Direction::Orig => &mut self.client,
            Direction::Resp => &mut self.server,
        };
        side.feed(data, MAX_LINE, &mut |l| {
            lines.push((l.text.to_vec(), l.raw_len))
        });
        for (text, raw_len) in lines {
            match ctx.dir {
                Direction::Orig => self.client_line(ctx.ts_us, &text, raw_len, out),
                Direction::Resp => self.server_line(&text, out),
            }
            if self.done {
                // STARTTLS accepted at ts of this chunk for a session with
                // no transaction.
                if let Some((ts, _)) = &mut self.tx {
                    if *ts == 0 {
                        *ts = ctx.ts_us;
                    }
                }
                self.report(out);
                break;
            }
        }
        0
    }

    fn done(&self) -> bool {
        self.done
    }

    fn finish(&mut self, _ts_us: i64, out: &mut Vec<AppOutput>) {
        if let ClientState::Data { mime, .. } = &mut self.state {
            push_files(mime.finish(), out);
        }
        self.report(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(script: &[(Direction, &[u8])]) -> Vec<(i64, SmtpBody)> {
        let mut s = SmtpSession::default();
        let mut out = Vec::new();
        for (i, (dir, data)) in script.iter().enumerate() {
            let ctx = ChunkCtx {
                dir: *dir,
                ts_us: 10 + i as i64,
                orig_port: 5000,
                resp_port: 25,
                inspect_body: 0,
            };
            s.on_chunk(ctx, StreamChunk::Data(data), &mut out);
        }
        s.finish(99, &mut out);
        out.into_iter()
            .map(|o| match o.item {
                AppItem::Event(b) => match b {
                    Body::Smtp(m) => (o.ts_us, m),
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            })
            .collect()
    }

    use Direction::{Orig as C, Resp as S};

    #[test]
    fn a_mail_transaction() {
        let msg: &[u8] =
            b"From: a@x.example\r\nSubject: =?UTF-8?B?44GC?=\r\n  more\r\n\r\nbody line\r\n..dot\r\n";
        let data = [msg, b".\r\n"].concat();
        let got = run(&[
            (S, b"220 mx ESMTP\r\n"),
            (C, b"EHLO laptop.local\r\n"),
            (S, b"250-mx\r\n250-PIPELINING\r\n250 8BITMIME\r\n"),
            (C, b"MAIL FROM:<a@x.example> SIZE=100\r\nRCPT TO:<b@y.example>\r\nRCPT TO:c@y.example\r\nDATA\r\n"),
            (S, b"250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n"),
            (C, &data),
            (S, b"250 2.0.0 queued\r\n"),
            (C, b"QUIT\r\n"),
            (S, b"221 bye\r\n"),
        ]);
        assert_eq!(got.len(), 1);
        let (ts, m) = &got[0];
        assert_eq!(*ts, 13);
        assert_eq!(
            m,
            &SmtpBody {
                helo: Some("laptop.local".into()),
                from: Some("a@x.example".into()),
                to: vec!["b@y.example".into(), "c@y.example".into()],
                subject: Some("=?UTF-8?B?44GC?=  more".into()),
                bytes: Some(msg.len() as u64),
                starttls: false,
                status: Some(250),
            }
        );
    }

    #[test]
    fn starttls_only_and_rset() {
        let got = run(&[
            (S, b"220 mx ESMTP\r\n"),
            (C, b"EHLO a\r\n"),
            (S, b"250 STARTTLS\r\n"),
            (C, b"STARTTLS\r\n"),
            (S, b"220 go ahead\r\n"),
            (C, b"\x16\x03\x01garbage"),
        ]);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (
                got[0].0,
                got[0].1.starttls,
                got[0].1.helo.as_deref(),
                got[0].1.status
            ),
            (14, true, Some("a"), Some(220))
        );
        let got = run(&[
            (C, b"HELO b\r\nMAIL FROM:<x@y>\r\n"),
            (S, b"250 ok\r\n250 ok\r\n"),
            (C, b"RSET\r\nMAIL FROM:<z@y>\r\nRCPT TO:<q@y>\r\n"),
            (S, b"250 ok\r\n"),
            (S, b"550 no such user\r\n"),
        ]);
        let froms: Vec<_> = got
            .iter()
            .map(|(_, m)| (m.from.as_deref(), m.status))
            .collect();
        assert_eq!(froms, [(Some("x@y"), Some(250)), (Some("z@y"), Some(550))]);
    }
}

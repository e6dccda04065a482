//! MIME attachments of a mail in clear (RFC 2045/2046): multipart bodies
//! are split at their boundaries (nested ones included), and each part
//! with a file name or `Content-Disposition: attachment` is decoded (base64
//! or as sent) into a [`Digest`]; one [`FileItem`] per attachment.

use super::http_file::{disposition_name, FileItem};
use crate::event::FileBody;
use crate::file::Digest;

/// Nesting of multiparts followed.
const MAX_DEPTH: usize = 8;
/// A header (with its folded lines) held at most.
const MAX_HEADER: usize = 2048;
/// Attachments per message.
const MAX_FILES: usize = 64;

/// The value of `param=` in a header value (quotes removed).
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Base64 decoded line by line; characters outside the alphabet are skipped.
#[derive(Debug, Default)]
struct Base64 {
    acc: u32,
    bits: u8,
    ended: bool,
}

impl Base64 {
    fn decode(&mut self, line: &[u8], out: &mut Vec<u8>) {
        for &c in line {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => {
                    self.ended = true;
                    continue;
                }
                _ => continue,
            };
            if self.ended {
                continue;
            }
            self.acc = self.acc << 6 | u32::from(v);
            self.bits += 6;
            if self.bits >= 8 {
                self.bits -= 8;
                out.push((self.acc >> self.bits) as u8);
                self.acc &= (1 << self.bits) - 1;
            }
        }
    }
}

#[derive(Debug)]
struct Part {
    ts_us: i64,
    name: Option<String>,
    mime: Option<String>,
    base64: Option<Base64>,
    digest: Digest,
}

#[derive(Debug, Default)]
enum State {
    /// Reading header lines (the message's, or a part's after a boundary).
    #[default]
    Headers,
    /// Inside a part or preamble: lines up to the next boundary.
    Body,
}

/// Headers of the entity being read.
#[derive(Debug, Default)]
struct EntityHeaders {
    content_type: Option<String>,
    encoding: Option<String>,
    disposition: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct MimeReader {
    state: State,
    boundaries: Vec<Vec<u8>>,
    header: Vec<u8>,
    entity: EntityHeaders,
    part: Option<Part>,
    files: Vec<FileItem>,
    seen: usize,
    scratch: Vec<u8>,
}

impl MimeReader {
    /// One line of the message (without its line end; dot-unstuffed or not,
    /// a leading dot does not matter to base64 or boundaries in practice).
    pub(crate) fn line(&mut self, ts_us: i64, text: &[u8]) {
        match self.state {
            State::Headers => {
                let folded = text.first().is_some_and(|b| *b == b' ' || *b == b'\t');
                if folded {
                    if self.header.len() + text.len() <= MAX_HEADER {
                        self.header.extend_from_slice(text);
                    }
                    return;
                }
                self.take_header();
                if text.is_empty() {
                    self.start_body(ts_us);
                } else {
                    self.header
                        .extend_from_slice(&text[..text.len().min(MAX_HEADER)]);
                }
            }
            State::Body => {
                if let Some((depth, closing)) = self.boundary(text) {
                    self.end_part();
                    if closing {
                        self.boundaries.truncate(depth);
                        // After the closing boundary: the outer epilogue or
                        // the next outer part's body.
                    } else {
                        self.boundaries.truncate(depth + 1);
                        self.entity = EntityHeaders::default();
                        self.state = State::Headers;
                    }
                    return;
                }
                if let Some(p) = &mut self.part {
                    match &mut p.base64 {
                        Some(b) => {
                            self.scratch.clear();
                            b.decode(text, &mut self.scratch);
                            p.digest.update(&self.scratch);
                        }
                        None => {
                            p.digest.update(text);
                            p.digest.update(b"\r\n");
                        }
                    }
                }
            }
        }
    }

    /// Which boundary a line is (`--b` or `--b--`), innermost first.
    fn boundary(&self, text: &[u8]) -> Option<(usize, bool)> {
        let rest = text.strip_prefix(b"--")?;
        self.boundaries.iter().enumerate().rev().find_map(|(i, b)| {
            let after = rest.strip_prefix(b.as_slice())?;
            let after = trim_end(after);
            match after {
                b"" => Some((i, false)),
                b"--" => Some((i, true)),
                _ => None,
            }
        })
    }

    fn take_header(&mut self) {
        if self.header.is_empty() {
            return;
        }
        let h = String::from_utf8_lossy(&self.header).into_owned();
        self.header.clear();
        let Some((name, value)) = h.split_once(':') else {
            return;
        };
        let value = value.trim().to_owned();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => self.entity.content_type = Some(value),
            "content-transfer-encoding" => self.entity.encoding = Some(value),
            "content-disposition" => self.entity.disposition = Some(value),
            _ => {}
        }
    }

    /// The blank line after headers: a multipart opens a boundary, an
    /// attachment starts a file.
    fn start_body(&mut self, ts_us: i64) {
        self.state = State::Body;
        let e = std::mem::take(&mut self.entity);
        let ct = e.content_type.as_deref().unwrap_or("");
        if ct
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/")
        {
            if let Some(b) = param(ct, "boundary").filter(|b| !b.is_empty()) {
                if self.boundaries.len() < MAX_DEPTH {
                    self.boundaries.push(b.into_bytes());
                }
            }
            return;
        }
        // Only parts of a multipart are attachments; a single-part mail's
        // body is its text.
        if self.boundaries.is_empty() {
            return;
        }
        let disp = e.disposition.as_deref().unwrap_or("");
        let name = disposition_name(disp).or_else(|| param(ct, "name"));
        let attachment = disp
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("attachment");
        if (name.is_none() && !attachment) || self.seen >= MAX_FILES {
            return;
        }
        self.seen += 1;
        let base64 = e
            .encoding
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("base64"))
            .then(Base64::default);
        let mime = ct
            .split(';')
            .next()
            .map(str::trim)
            .filter(|m| !m.is_empty());
        self.part = Some(Part {
            ts_us,
            name,
            mime: mime.map(str::to_owned),
            base64,
            digest: Digest::default(),
        });
    }

    fn end_part(&mut self) {
        if let Some(p) = self.part.take() {
            let s = p.digest.finish();
            if s.size == 0 {
                return;
            }
            let mut body = FileBody::new("smtp", true, s);
            body.name = p.name;
            body.mime = p.mime;
            self.files.push(FileItem {
                ts_us: p.ts_us,
                body,
                inspect: Vec::new(),
            });
        }
    }

    /// The message ended (or was cut): an attachment still open, without
    /// its closing boundary, is incomplete.
    pub(crate) fn finish(&mut self) -> Vec<FileItem> {
        if let Some(p) = &mut self.part {
            p.digest.mark_incomplete();
        }
        self.end_part();
        std::mem::take(&mut self.files)
    }
}

fn trim_end(b: &[u8]) -> &[u8] {
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &b[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::file::Magic;

    fn read(mail: &str) -> Vec<FileItem> {
        let mut m = MimeReader::default();
        for (i, line) in mail.split("\r\n").enumerate() {
            m.line(i as i64, line.as_bytes());
        }
        m.finish()
    }

    #[test]
    fn base64_attachments_in_nested_multiparts() {
        let mail = concat!(
            "From: a@b\r\nSubject: x\r\nContent-Type: multipart/mixed;\r\n boundary=\"outer\"\r\n\r\n",
            "preamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n",
            "--inner\r\nContent-Type: text/plain\r\n\r\nhello\r\n--inner--\r\n",
            "--outer\r\nContent-Type: application/octet-stream; name=\"a.exe\"\r\n",
            "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment\r\n\r\n",
            "TVqQAAMAAAAEAAAA\r\n//8AALgAAAA=\r\n--outer\r\n",
            "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\n",
            "line one\r\n--outer--\r\nepilogue\r\n",
        );
        let files = read(mail);
        let got: Vec<_> = files
            .iter()
            .map(|f| {
                (
                    f.body.name.as_deref(),
                    f.body.mime.as_deref(),
                    f.body.size,
                    f.body.magic,
                    f.body.complete,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some("a.exe"),
                    Some("application/octet-stream"),
                    20,
                    Magic::Pe,
                    true
                ),
                (Some("notes.txt"), Some("text/plain"), 10, Magic::Text, true),
            ]
        );
        let mut d = Digest::default();
        d.update(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00");
        assert_eq!(files[0].body.sha256, d.finish().sha256);
        assert_eq!(
            (files[0].body.source, files[0].body.direction),
            ("smtp", "upload")
        );
    }

    #[test]
    fn plain_mail_has_no_attachment_and_a_cut_one_is_incomplete() {
        assert!(read("Subject: x\r\n\r\nhello\r\n").is_empty());
        let files = read("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Disposition: attachment; filename=x.bin\r\n\r\nabc\r\n");
        assert_eq!(files.len(), 1);
        assert!(!files[0].body.complete);
    }
}

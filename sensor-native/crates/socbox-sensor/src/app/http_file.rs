//! One HTTP message body as a transferred file: de-chunked bytes are
//! inflated when sent with `Content-Encoding: gzip` or `deflate` (other
//! codings, such as `br`, are hashed and typed as sent), hashed and typed
//! by [`crate::file::Digest`], and the first bytes are kept for content
//! matching when asked to.

use std::borrow::Cow;
use std::io::{self, Write};

use flate2::write::{DeflateDecoder, GzDecoder, ZlibDecoder};

use super::http_head::{Headers, Name};
use crate::event::FileBody;
use crate::file::{Digest, Magic, Summary, DEFAULT_CAP};

/// A finished body, ready to become a `file` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileItem {
    /// Capture time of the body's first byte.
    pub ts_us: i64,
    pub body: FileBody,
    /// The first bytes of the (decoded) body for content matching, at most
    /// the inspection cap the session was given ([`super::ChunkCtx`]).
    pub inspect: Vec<u8>,
}

/// Where decoded bytes go: the digest and the inspection buffer.
#[derive(Debug, Default)]
struct Sink {
    digest: Digest,
    inspect: Vec<u8>,
    inspect_cap: usize,
    /// The body's declared length (Content-Length) when its bytes are
    /// taken as sent; 0 when unknown.
    declared: usize,
}

/// The decoder refuses more once this is past the hashing cap: a body that
/// inflates without end (a "zip bomb") costs no more than a large one.
#[derive(Debug)]
struct OverCap;

impl std::fmt::Display for OverCap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("decoded body past the hashing cap")
    }
}

impl std::error::Error for OverCap {}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.take(buf);
        if self.digest.size() > DEFAULT_CAP {
            return Err(io::Error::other(OverCap));
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn take(&mut self, data: &[u8]) {
        self.digest.update(data);
        if self.inspect.len() < self.inspect_cap {
            let n = (self.inspect_cap - self.inspect.len()).min(data.len());
            // From the second piece on, room for the declared length (up to
            // the cap) at once rather than doubling towards it, each growth
            // copying what is held. Not at the first: a length announced
            // and never sent costs nothing.
            let held = self.inspect.len();
            if held > 0 && held + n > self.inspect.capacity() && self.declared > held + n {
                self.inspect
                    .reserve_exact(self.declared.min(self.inspect_cap) - held);
            }
            self.inspect.extend_from_slice(&data[..n]);
        }
    }
}

/// Raw bytes kept until a decoder has produced output, so a body falsely
/// labelled as compressed is still hashed as sent.
const RAW_KEEP: usize = 4096;

#[derive(Debug)]
enum Content {
    Plain(Sink),
    Gzip(GzDecoder<Sink>, Vec<u8>),
    Zlib(ZlibDecoder<Sink>, Vec<u8>),
    Deflate(DeflateDecoder<Sink>, Vec<u8>),
}

impl Content {
    fn sink(&mut self) -> &mut Sink {
        match self {
            Self::Plain(s) => s,
            Self::Gzip(d, _) => d.get_mut(),
            Self::Zlib(d, _) => d.get_mut(),
            Self::Deflate(d, _) => d.get_mut(),
        }
    }
}

/// A body being read.
#[derive(Debug)]
pub(crate) struct HttpFile {
    ts_us: Option<i64>,
    body: FileBody,
    content: Content,
}

/// The file name a `Content-Disposition` header gives (RFC 6266):
/// `filename*` (RFC 8187, UTF-8 percent-encoded) first, else `filename`.
pub(crate) fn disposition_name(v: &str) -> Option<String> {
    let mut plain = None;
    for param in v.split(';').skip(1) {
        let Some((k, val)) = param.split_once('=') else {
            continue;
        };
        let (k, val) = (k.trim().to_ascii_lowercase(), val.trim());
        if k == "filename*" {
            let encoded = val.splitn(3, '\'').nth(2).unwrap_or(val);
            let name = percent_decode(encoded);
            if !name.is_empty() {
                return Some(name);
            }
        } else if k == "filename" {
            let name = val.trim_matches('"');
            if !name.is_empty() {
                plain = Some(name.to_owned());
            }
        }
    }
    plain
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    // Decoded UTF-8 (the usual case) becomes the text as it is, not a copy.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The last path segment of a request target, without query or fragment.
pub(crate) fn uri_name(uri: &str) -> Option<String> {
    let path = uri.split(['?', '#']).next().unwrap_or("");
    let path = path
        .split_once("://")
        .map_or(path, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let last = path.rsplit('/').next().unwrap_or("");
    (!last.is_empty()).then(|| percent_decode(last))
}

impl HttpFile {
    /// A body about to be read. `headers` are those of the message that
    /// carries it; host and uri are the request's.
    pub(crate) fn new(
        from_orig: bool,
        headers: &Headers<'_>,
        host: Option<&str>,
        uri: Option<&str>,
        inspect_cap: usize,
    ) -> Self {
        let coding = headers
            .get(Name::ContentEncoding)
            .map(|v| v.trim().to_ascii_lowercase());
        let sent_as_is = !matches!(coding.as_deref(), Some("gzip" | "x-gzip" | "deflate"));
        let sink = Sink {
            inspect_cap,
            declared: headers
                .get(Name::ContentLength)
                .filter(|_| sent_as_is)
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0),
            ..Sink::default()
        };
        let content = match coding.as_deref() {
            Some("gzip" | "x-gzip") => Content::Gzip(GzDecoder::new(sink), Vec::new()),
            Some("deflate") => Content::Zlib(ZlibDecoder::new(sink), Vec::new()),
            _ => Content::Plain(sink),
        };
        let mut body = FileBody::new(
            "http",
            from_orig,
            Summary {
                size: 0,
                complete: false,
                magic: Magic::Unknown,
                sha256: None,
                md5: None,
            },
        );
        body.name = headers
            .get(Name::ContentDisposition)
            .and_then(|v| disposition_name(&v))
            .or_else(|| uri.and_then(uri_name));
        body.mime = headers.get(Name::ContentType).map(Cow::into_owned);
        body.host = host.map(str::to_owned);
        body.uri = uri.map(str::to_owned);
        Self {
            ts_us: None,
            body,
            content,
        }
    }

    /// The next de-chunked bytes of the body.
    pub(crate) fn update(&mut self, ts_us: i64, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        self.ts_us.get_or_insert(ts_us);
        let result = match &mut self.content {
            Content::Plain(s) => {
                s.take(data);
                return;
            }
            Content::Gzip(d, raw) => keep_raw(raw, data, d.get_ref()).then(|| d.write_all(data)),
            Content::Zlib(d, raw) => {
                // "deflate" is zlib-wrapped by the standard (RFC 9110
                // §8.4.1.2), raw DEFLATE by some servers.
                if d.get_ref().digest.size() == 0 && raw.is_empty() && !zlib_header(data) {
                    let sink = std::mem::take(d.get_mut());
                    self.content = Content::Deflate(DeflateDecoder::new(sink), Vec::new());
                    return self.update(ts_us, data);
                }
                keep_raw(raw, data, d.get_ref()).then(|| d.write_all(data))
            }
            Content::Deflate(d, raw) => keep_raw(raw, data, d.get_ref()).then(|| d.write_all(data)),
        };
        if let Some(Err(_)) = result {
            self.give_up_decoding();
        }
    }

    /// The decoder failed: a body it never decoded a byte of is hashed as
    /// sent (when its start was kept); otherwise what was decoded stays,
    /// marked incomplete.
    fn give_up_decoding(&mut self) {
        let (mut sink, raw) = match &mut self.content {
            Content::Plain(_) => return,
            Content::Gzip(d, raw) => (std::mem::take(d.get_mut()), std::mem::take(raw)),
            Content::Zlib(d, raw) => (std::mem::take(d.get_mut()), std::mem::take(raw)),
            Content::Deflate(d, raw) => (std::mem::take(d.get_mut()), std::mem::take(raw)),
        };
        if sink.digest.size() == 0 && !raw.is_empty() && raw.len() < RAW_KEEP {
            let cap = sink.inspect_cap;
            sink = Sink {
                inspect_cap: cap,
                ..Sink::default()
            };
            sink.take(&raw);
        } else {
            sink.digest.mark_incomplete();
        }
        self.content = Content::Plain(sink);
    }

    /// Bytes of the body were lost: hashes cannot be complete.
    pub(crate) fn mark_incomplete(&mut self) {
        self.content.sink().digest.mark_incomplete();
    }

    /// The body ended; None when it had no bytes.
    pub(crate) fn finish(mut self) -> Option<FileItem> {
        let ts_us = self.ts_us?;
        let ok = match &mut self.content {
            Content::Plain(_) => true,
            Content::Gzip(d, _) => d.try_finish().is_ok(),
            Content::Zlib(d, _) => d.try_finish().is_ok(),
            Content::Deflate(d, _) => d.try_finish().is_ok(),
        };
        if !ok {
            self.give_up_decoding();
        }
        let sink = std::mem::take(self.content.sink());
        let s = sink.digest.finish();
        let mut body = self.body;
        body.size = s.size;
        body.complete = s.complete;
        body.magic = s.magic;
        body.sha256 = s.sha256;
        body.md5 = s.md5;
        // A body that inflated to nothing is still a body of the bytes sent.
        Some(FileItem {
            ts_us,
            body,
            inspect: sink.inspect,
        })
    }
}

/// Keeps the raw start until the decoder has produced output; always
/// lets the bytes through to the decoder.
fn keep_raw(raw: &mut Vec<u8>, data: &[u8], sink: &Sink) -> bool {
    if sink.digest.size() == 0 && raw.len() < RAW_KEEP {
        raw.extend_from_slice(&data[..data.len().min(RAW_KEEP - raw.len())]);
    } else if !raw.is_empty() {
        *raw = Vec::new();
    }
    true
}

/// RFC 1950 header: deflate method and a check value that divides by 31.
fn zlib_header(b: &[u8]) -> bool {
    match b {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Headers<'static> {
        let mut head = String::from("HTTP/1.1 200 OK\r\n");
        for (k, v) in pairs {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        super::super::http_head::parse_response(head.leak().as_bytes())
            .unwrap()
            .headers
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn sha256(data: &[u8]) -> String {
        let mut d = Digest::default();
        d.update(data);
        d.finish().sha256.unwrap()
    }

    #[test]
    fn names() {
        assert_eq!(
            disposition_name("attachment; filename=\"a b.exe\"").as_deref(),
            Some("a b.exe")
        );
        assert_eq!(
            disposition_name("attachment; filename=x.bin; filename*=UTF-8''%E6%97%A5.zip")
                .as_deref(),
            Some("日.zip")
        );
        assert_eq!(disposition_name("inline"), None);
        assert_eq!(
            uri_name("/dl/setup%20x.exe?a=1#f").as_deref(),
            Some("setup x.exe")
        );
        assert_eq!(
            uri_name("http://h.example/a/b.php").as_deref(),
            Some("b.php")
        );
        assert_eq!(uri_name("http://h.example"), None);
        assert_eq!(uri_name("/dir/"), None);
    }

    #[test]
    fn declared_length_sizes_the_inspection_buffer_and_never_changes_it() {
        // Announced longer, shorter, or not a number: the kept bytes are
        // the first bytes sent, at most the cap; room is only taken once a
        // second piece arrives, and never past the cap by itself.
        for (declared, cap) in [("100000", 64), ("10", 64), ("x", 64), ("40", 64), ("40", 8)] {
            let h = headers(&[("Content-Length", declared)]);
            let mut f = HttpFile::new(false, &h, None, Some("/a"), cap);
            let body: Vec<u8> = (0..100u8).collect();
            f.update(1, &body[..5]);
            if let Content::Plain(s) = &f.content {
                assert!(
                    s.inspect.capacity() < 64,
                    "nothing reserved at the first piece"
                );
            }
            for piece in body[5..].chunks(7) {
                f.update(2, piece);
                if let Content::Plain(s) = &f.content {
                    // Past a declared length growth doubles, as before.
                    assert!(s.inspect.capacity() <= 2 * cap.max(8), "{declared} {cap}");
                }
            }
            let item = f.finish().unwrap();
            assert_eq!(item.inspect, &body[..cap], "{declared} {cap}");
            assert_eq!(item.body.size, 100);
        }
    }

    #[test]
    fn plain_body_with_metadata() {
        let h = headers(&[
            ("Content-Type", "application/octet-stream"),
            ("Content-Disposition", "attachment; filename=\"tool.exe\""),
        ]);
        let mut f = HttpFile::new(false, &h, Some("h.example"), Some("/get?id=1"), 4);
        f.update(7, b"MZ\x90\0");
        f.update(8, b"rest");
        let item = f.finish().unwrap();
        assert_eq!(item.ts_us, 7);
        assert_eq!(item.inspect, b"MZ\x90\0");
        let b = item.body;
        assert_eq!(
            (
                b.direction,
                b.name.as_deref(),
                b.mime.as_deref(),
                b.size,
                b.magic
            ),
            (
                "download",
                Some("tool.exe"),
                Some("application/octet-stream"),
                8,
                Magic::Pe
            )
        );
        assert_eq!(b.sha256, Some(sha256(b"MZ\x90\0rest")));
        assert_eq!(
            (b.host.as_deref(), b.uri.as_deref()),
            (Some("h.example"), Some("/get?id=1"))
        );
    }

    #[test]
    fn gzip_and_deflate_bodies_are_inflated() {
        let page = b"<html><body>hello</body></html>".repeat(50);
        let z = gzip(&page);
        let mut f = HttpFile::new(
            false,
            &headers(&[("Content-Encoding", "gzip")]),
            None,
            Some("/"),
            0,
        );
        for piece in z.chunks(7) {
            f.update(1, piece);
        }
        let b = f.finish().unwrap().body;
        assert_eq!(
            (b.size, b.complete, b.magic),
            (page.len() as u64, true, Magic::Html)
        );
        assert_eq!(b.sha256, Some(sha256(&page)));
        assert_eq!(b.name, None);

        for zlib in [true, false] {
            let bytes = if zlib {
                let mut e =
                    flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(&page).unwrap();
                e.finish().unwrap()
            } else {
                let mut e =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(&page).unwrap();
                e.finish().unwrap()
            };
            let mut f = HttpFile::new(
                false,
                &headers(&[("Content-Encoding", "deflate")]),
                None,
                None,
                0,
            );
            f.update(1, &bytes);
            let b = f.finish().unwrap().body;
            assert_eq!(b.sha256, Some(sha256(&page)), "zlib wrapper: {zlib}");
        }
    }

    #[test]
    fn a_false_gzip_label_is_hashed_as_sent_and_a_cut_one_is_incomplete() {
        let mut f = HttpFile::new(
            false,
            &headers(&[("Content-Encoding", "gzip")]),
            None,
            None,
            0,
        );
        f.update(1, b"%PDF-1.4 not gzip");
        let b = f.finish().unwrap().body;
        assert_eq!((b.magic, b.complete), (Magic::Pdf, true));
        assert_eq!(b.sha256, Some(sha256(b"%PDF-1.4 not gzip")));

        let z = gzip(&b"%PDF-1.4 ".repeat(100));
        let mut f = HttpFile::new(
            false,
            &headers(&[("Content-Encoding", "gzip")]),
            None,
            None,
            0,
        );
        f.update(1, &z[..z.len() - 10]);
        let b = f.finish().unwrap().body;
        assert_eq!((b.magic, b.complete, b.sha256), (Magic::Pdf, false, None));
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..40 {
            e.write_all(&zeros).unwrap();
        }
        let z = e.finish().unwrap();
        let mut f = HttpFile::new(
            false,
            &headers(&[("Content-Encoding", "gzip")]),
            None,
            None,
            0,
        );
        for piece in z.chunks(1000) {
            f.update(1, piece);
        }
        let b = f.finish().unwrap().body;
        assert!(!b.complete);
        assert!(b.size <= DEFAULT_CAP + (1 << 20), "{}", b.size);
    }

    #[test]
    fn an_empty_body_is_no_file() {
        let f = HttpFile::new(true, &headers(&[]), None, None, 0);
        assert!(f.finish().is_none());
    }
}

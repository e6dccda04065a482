//! HTTP/1.x message heads (RFC 9112 §2–5): start line and header fields.

use std::borrow::Cow;

/// Longest head accepted; beyond it the direction is not HTTP we can read.
pub(crate) const MAX_HEAD: usize = 16 * 1024;

/// Where the head ends: the index just after the blank line, if present.
/// Bare `\n` line ends are accepted as RFC 9112 §2.2 allows.
pub(crate) fn head_end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(pos) = buf[i..].iter().position(|&b| b == b'\n') {
        let nl = i + pos;
        let next = &buf[nl + 1..];
        if next.first() == Some(&b'\n') {
            return Some(nl + 2);
        }
        if next.starts_with(b"\r\n") {
            return Some(nl + 3);
        }
        i = nl + 1;
    }
    None
}

/// The header fields this sensor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    Host,
    UserAgent,
    Referer,
    ContentLength,
    TransferEncoding,
    ContentType,
    Location,
    ContentEncoding,
    ContentDisposition,
}

/// Lowercase names, in the order of [`Name`].
const NAMES: [&str; 9] = [
    "host",
    "user-agent",
    "referer",
    "content-length",
    "transfer-encoding",
    "content-type",
    "location",
    "content-encoding",
    "content-disposition",
];

/// The fields of a head this sensor reads (the first of each name),
/// borrowed from its bytes: copying every name and value out was two dozen
/// allocations per HTTP transaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Headers<'a>([Option<&'a [u8]>; NAMES.len()]);

/// Bytes as text, invalid UTF-8 replaced: borrowed unless it had to be.
fn text(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}

impl<'a> Headers<'a> {
    /// The field's value, trimmed.
    pub(crate) fn get(&self, name: Name) -> Option<Cow<'a, str>> {
        Some(match text(self.0[name as usize]?) {
            Cow::Borrowed(v) => Cow::Borrowed(v.trim()),
            Cow::Owned(v) => Cow::Owned(v.trim().to_owned()),
        })
    }

    /// Content-Length, if present and a number.
    pub(crate) fn content_length(&self) -> Option<u64> {
        self.get(Name::ContentLength)?.trim().parse().ok()
    }

    /// Transfer-Encoding ends in `chunked` (RFC 9112 §6.3).
    pub(crate) fn chunked(&self) -> bool {
        self.get(Name::TransferEncoding).is_some_and(|v| {
            v.rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
        })
    }

    /// Keeps a field line's value when its name is one read and not seen
    /// yet. Names match trimmed, without regard to ASCII case; one that is
    /// not UTF-8 matches none.
    fn field(&mut self, name: &[u8], value: &'a [u8]) {
        let Ok(name) = std::str::from_utf8(name) else {
            return;
        };
        let name = name.trim();
        let known = NAMES
            .iter()
            .position(|n| n.len() == name.len() && n.eq_ignore_ascii_case(name));
        if let Some(slot) = known.map(|i| &mut self.0[i]) {
            slot.get_or_insert(value);
        }
    }
}

/// The lines of a head, each without its line end.
fn lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(head);
    std::iter::from_fn(move || {
        let r = rest?;
        let line = match memchr::memchr(b'\n', r) {
            Some(nl) => {
                rest = Some(&r[nl + 1..]);
                &r[..nl]
            }
            None => {
                rest = None;
                r
            }
        };
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

/// Splits a head into its start line and header fields.
fn split_head(head: &[u8]) -> (Cow<'_, str>, Headers<'_>) {
    let mut lines = lines(head);
    let start = lines.next().map(text).unwrap_or_default();
    let mut headers = Headers::default();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if let Some(colon) = memchr::memchr(b':', line) {
            headers.field(&line[..colon], &line[colon + 1..]);
        }
    }
    (start, headers)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestHead<'a> {
    pub method: String,
    pub uri: String,
    pub headers: Headers<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResponseHead<'a> {
    pub status: u16,
    pub headers: Headers<'a>,
}

/// Methods that start a request line; enough to recognise HTTP in the first
/// bytes of a stream.
const METHODS: &[&str] = &[
    "GET",
    "POST",
    "HEAD",
    "PUT",
    "DELETE",
    "OPTIONS",
    "CONNECT",
    "TRACE",
    "PATCH",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "SEARCH",
    "REPORT",
];

/// Does a stream start like an HTTP request?
pub(crate) fn looks_like_request(first: &[u8]) -> bool {
    METHODS
        .iter()
        .any(|m| first.len() > m.len() && first.starts_with(m.as_bytes()) && first[m.len()] == b' ')
}

pub(crate) fn parse_request(head: &[u8]) -> Option<RequestHead<'_>> {
    let (start, headers) = split_head(head);
    let mut parts = start.split(' ').filter(|p| !p.is_empty());
    let method = parts.next()?.to_owned();
    let uri = parts.next()?.to_owned();
    let version = parts.next().unwrap_or("HTTP/0.9");
    if !version.starts_with("HTTP/")
        || !method.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
    {
        return None;
    }
    Some(RequestHead {
        method,
        uri,
        headers,
    })
}

pub(crate) fn parse_response(head: &[u8]) -> Option<ResponseHead<'_>> {
    let (start, headers) = split_head(head);
    let rest = start.strip_prefix("HTTP/")?;
    let code = rest.split(' ').nth(1)?;
    let status = code.get(..3)?.parse().ok()?;
    Some(ResponseHead { status, headers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_end_of_a_head() {
        for (input, end) in [
            (&b"GET / HTTP/1.1\r\nHost: a\r\n\r\nbody"[..], Some(27)),
            (b"GET / HTTP/1.1\nHost: a\n\nbody", Some(24)),
            (b"GET / HTTP/1.1\r\nHost: a\r\n", None),
            (b"", None),
        ] {
            assert_eq!(head_end(input), end, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn parses_requests() {
        let r = parse_request(
            b"POST /up?x=1 HTTP/1.1\r\nHost: Example.COM:8080\r\nUser-Agent: curl/8\r\nReferer: http://r/\r\nContent-Length: 5\r\n\r\n",
        )
        .unwrap();
        assert_eq!((r.method.as_str(), r.uri.as_str()), ("POST", "/up?x=1"));
        assert_eq!(
            r.headers.get(Name::Host).as_deref(),
            Some("Example.COM:8080")
        );
        assert_eq!(r.headers.get(Name::UserAgent).as_deref(), Some("curl/8"));
        assert_eq!(r.headers.content_length(), Some(5));
        assert!(parse_request(b"\x16\x03\x01 junk HTTP\r\n\r\n").is_none());
        assert!(looks_like_request(b"GET /"));
        assert!(!looks_like_request(b"GETX /"));
    }

    /// Fields are read in place: names in any case and padding, the first
    /// of a name wins, values are trimmed and invalid UTF-8 replaced.
    #[test]
    fn reads_fields_as_the_first_of_their_name() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\n CONTENT-type : a/b \r\nContent-Type: c/d\r\nLocation:\t/\xff\r\nno colon\r\nX\xff: y\r\n\r\nHost: body\r\n",
        )
        .unwrap();
        assert_eq!(r.headers.get(Name::ContentType).as_deref(), Some("a/b"));
        assert_eq!(r.headers.get(Name::Location).as_deref(), Some("/\u{fffd}"));
        assert_eq!(
            r.headers.get(Name::Host),
            None,
            "fields end at the blank line"
        );
    }

    #[test]
    fn parses_responses() {
        let r = parse_response(
            b"HTTP/1.1 302 Found\r\nLocation: http://x/\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.status, 302);
        assert_eq!(r.headers.get(Name::Location).as_deref(), Some("http://x/"));
        assert!(r.headers.chunked());
        assert!(parse_response(b"HTTP/1.1 abc\r\n\r\n").is_none());
        assert!(parse_response(b"SSH-2.0-x\r\n\r\n").is_none());
    }
}

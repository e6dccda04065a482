//! HTTP/1.x message heads (RFC 9112 §2–5): start line and header fields.

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

/// Header fields of a head, names lowercased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Headers(Vec<(String, String)>);

impl Headers {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Content-Length, if present and a number.
    pub(crate) fn content_length(&self) -> Option<u64> {
        self.get("content-length")?.trim().parse().ok()
    }

    /// Transfer-Encoding ends in `chunked` (RFC 9112 §6.3).
    pub(crate) fn chunked(&self) -> bool {
        self.get("transfer-encoding").is_some_and(|v| {
            v.rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
        })
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Splits a head into its start line and header fields.
fn split_head(head: &[u8]) -> (String, Headers) {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let start = lines.next().map(text).unwrap_or_default();
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if let Some(colon) = line.iter().position(|&b| b == b':') {
            let name = text(&line[..colon]).trim().to_ascii_lowercase();
            let value = text(&line[colon + 1..]).trim().to_owned();
            headers.push((name, value));
        }
    }
    (start, Headers(headers))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestHead {
    pub method: String,
    pub uri: String,
    pub headers: Headers,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResponseHead {
    pub status: u16,
    pub headers: Headers,
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

pub(crate) fn parse_request(head: &[u8]) -> Option<RequestHead> {
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

pub(crate) fn parse_response(head: &[u8]) -> Option<ResponseHead> {
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
        assert_eq!(r.headers.get("host"), Some("Example.COM:8080"));
        assert_eq!(r.headers.get("user-agent"), Some("curl/8"));
        assert_eq!(r.headers.content_length(), Some(5));
        assert!(parse_request(b"\x16\x03\x01 junk HTTP\r\n\r\n").is_none());
        assert!(looks_like_request(b"GET /"));
        assert!(!looks_like_request(b"GETX /"));
    }

    #[test]
    fn parses_responses() {
        let r = parse_response(
            b"HTTP/1.1 302 Found\r\nLocation: http://x/\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.status, 302);
        assert_eq!(r.headers.get("location"), Some("http://x/"));
        assert!(r.headers.chunked());
        assert!(parse_response(b"HTTP/1.1 abc\r\n\r\n").is_none());
        assert!(parse_response(b"SSH-2.0-x\r\n\r\n").is_none());
    }
}

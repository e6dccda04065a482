//! HTTP/1.x over one TCP connection: requests from the originator,
//! responses from the responder, paired in order (pipelining included).
//! One [`HttpBody`] per request, with its response when one was seen, and
//! one [`FileItem`] per request or response body of at least one byte.

use std::borrow::Cow;
use std::collections::VecDeque;

use super::http_body::Body;
use super::http_file::{FileItem, HttpFile};
use super::http_head::{self, head_end, Headers, Name, MAX_HEAD};
use crate::event::HttpBody;
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

/// Requests waiting for responses; more means the server is not answering
/// and the oldest are reported without one.
const MAX_PENDING: usize = 64;

#[derive(Debug, Default)]
enum SideState {
    #[default]
    Head,
    Body(Body),
    /// After CONNECT (RFC 9110 §9.3.6): the bytes belong to the tunnelled
    /// protocol.
    Tunnel,
    /// Not readable any more (gap, garbage, protocol switch).
    Broken,
}

/// What a chunk carried for the protocol inside a CONNECT tunnel.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Tunnelled {
    pub bytes: Vec<u8>,
    pub gap: bool,
}

#[derive(Debug, Default)]
struct Side {
    buf: Vec<u8>,
    state: SideState,
    /// The body being read, as a file.
    file: Option<Box<HttpFile>>,
}

impl Side {
    /// The body ended (`whole`: every byte of it was seen).
    fn end_file(&mut self, whole: bool, files: &mut Vec<FileItem>) {
        if let Some(mut f) = self.file.take() {
            if !whole {
                f.mark_incomplete();
            }
            files.extend(f.finish());
        }
    }
}

/// A request waiting for its response.
#[derive(Debug)]
struct Pending {
    ts_us: i64,
    fields: HttpBody,
    header: Vec<u8>,
    response_header: Vec<u8>,
}

impl Pending {
    fn done(self) -> HttpTransaction {
        HttpTransaction {
            ts_us: self.ts_us,
            fields: self.fields,
            header: self.header,
            response_header: self.response_header,
        }
    }
}

/// A finished transaction and its time (the request's, or the response's
/// when the request was not seen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpTransaction {
    pub ts_us: i64,
    pub fields: HttpBody,
    /// The request's header lines as sent, each ending in CRLF, without
    /// the request line and the blank line (content signatures'
    /// `http.header`); empty when the request was not seen.
    pub header: Vec<u8>,
    /// The same of the final response (`http.header` of `to_client`
    /// signatures); empty when no response was seen.
    pub response_header: Vec<u8>,
}

#[derive(Debug, Default)]
pub(crate) struct HttpSession {
    client: Side,
    server: Side,
    pending: VecDeque<Pending>,
    /// The response being read: (time, fields so far). Boxed: most of a
    /// connection's life no response is being read, and idle flows stay
    /// small.
    response: Option<Box<Pending>>,
    /// Bodies finished, not yet collected.
    files: Vec<FileItem>,
    /// Leading bytes of each body kept for content matching.
    pub(crate) inspect_cap: usize,
    /// The server closed its side in order (FIN): a body read until close
    /// ended there, whole.
    pub(crate) server_closed: bool,
}

/// The header lines of a head: after the start line, without the blank
/// line that ends the head.
fn header_block(head: &[u8]) -> Vec<u8> {
    let start = head
        .iter()
        .position(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    let mut end = head.len();
    for ending in [&b"\r\n"[..], b"\n"] {
        if head[start..end].ends_with(ending) && end - ending.len() >= start {
            end -= ending.len();
            break;
        }
    }
    head[start..end].to_vec()
}

fn header(h: &Headers<'_>, name: Name) -> Option<String> {
    h.get(name).map(Cow::into_owned)
}

impl HttpSession {
    /// Transactions found go to `out` (as `T`, so a caller's list of
    /// items of all kinds takes them without a list of their own).
    pub(crate) fn on_chunk<T: From<HttpTransaction>>(
        &mut self,
        dir: Direction,
        ts_us: i64,
        chunk: StreamChunk<'_>,
        out: &mut Vec<T>,
        tunnel: &mut Tunnelled,
    ) {
        let data = match chunk {
            StreamChunk::Gap => {
                let (side, files) = match dir {
                    Direction::Orig => (&mut self.client, &mut self.files),
                    Direction::Resp => (&mut self.server, &mut self.files),
                };
                if matches!(side.state, SideState::Tunnel) {
                    tunnel.gap = true;
                } else {
                    side.state = SideState::Broken;
                    side.buf = Vec::new();
                    side.end_file(false, files);
                }
                return;
            }
            StreamChunk::Data(d) => d,
        };
        let mut rest = data;
        while !rest.is_empty() {
            if matches!(self.side(dir).state, SideState::Tunnel) {
                tunnel.bytes.extend_from_slice(rest);
                break;
            }
            let used = match dir {
                Direction::Orig => self.client_bytes(ts_us, rest, out),
                Direction::Resp => self.server_bytes(ts_us, rest, out),
            };
            match used {
                Some(n) if n > 0 => rest = &rest[n..],
                _ => break,
            }
        }
    }

    /// Takes the bodies finished so far.
    pub(crate) fn take_files(&mut self) -> Vec<FileItem> {
        std::mem::take(&mut self.files)
    }

    fn side(&mut self, dir: Direction) -> &mut Side {
        match dir {
            Direction::Orig => &mut self.client,
            Direction::Resp => &mut self.server,
        }
    }

    /// Takes bytes as far as a head ends; returns (consumed, the whole
    /// head) once one is complete, or None when all bytes were buffered.
    fn take_head<'d>(side: &mut Side, data: &'d [u8]) -> Option<(usize, Cow<'d, [u8]>)> {
        let before = side.buf.len();
        if before == 0 {
            // The usual case, a head within one chunk: read in place.
            if let Some(end) = head_end(data) {
                return Some((end, Cow::Borrowed(&data[..end])));
            }
            side.buf.extend_from_slice(data);
        } else {
            // Only the new bytes plus 3 of the old can complete a blank line.
            let scan_from = before.saturating_sub(3);
            side.buf.extend_from_slice(data);
            if let Some(end) = head_end(&side.buf[scan_from..]) {
                let end = scan_from + end;
                let mut head = std::mem::take(&mut side.buf);
                head.truncate(end);
                return Some((end - before, Cow::Owned(head)));
            }
        }
        if side.buf.len() > MAX_HEAD {
            side.state = SideState::Broken;
            side.buf = Vec::new();
        }
        None
    }

    fn client_bytes<T: From<HttpTransaction>>(
        &mut self,
        ts_us: i64,
        data: &[u8],
        out: &mut Vec<T>,
    ) -> Option<usize> {
        match &mut self.client.state {
            SideState::Broken | SideState::Tunnel => None,
            SideState::Body(body) => {
                let file = &mut self.client.file;
                let fed = body.feed(data, &mut |d| {
                    if let Some(f) = file {
                        f.update(ts_us, d);
                    }
                });
                if fed.done {
                    self.client.state = SideState::Head;
                } else if fed.invalid {
                    self.client.state = SideState::Broken;
                }
                if fed.done || fed.invalid {
                    self.client.end_file(fed.done, &mut self.files);
                }
                Some(fed.consumed.max(usize::from(fed.invalid)))
            }
            SideState::Head => {
                let (used, head) = Self::take_head(&mut self.client, data)?;
                let Some(req) = http_head::parse_request(&head) else {
                    self.client.state = SideState::Broken;
                    return None;
                };
                self.client.state = if req.method.eq_ignore_ascii_case("CONNECT") {
                    // What follows is the tunnelled protocol (a client may
                    // send it before the proxy's answer).
                    SideState::Tunnel
                } else if req.headers.chunked() {
                    SideState::Body(Body::chunked())
                } else {
                    match req.headers.content_length() {
                        Some(n) if n > 0 => SideState::Body(Body::Length(n)),
                        _ => SideState::Head,
                    }
                };
                let h = &req.headers;
                if matches!(self.client.state, SideState::Body(_)) {
                    let host = h.get(Name::Host).map(|v| v.to_ascii_lowercase());
                    self.client.file = Some(Box::new(HttpFile::new(
                        true,
                        h,
                        host.as_deref(),
                        Some(&req.uri),
                        self.inspect_cap,
                    )));
                }
                if self.pending.capacity() == 0 {
                    // One request at a time is the rule; pipelining grows it.
                    self.pending.reserve_exact(1);
                }
                self.pending.push_back(Pending {
                    header: header_block(&head),
                    response_header: Vec::new(),
                    ts_us,
                    fields: HttpBody {
                        host: h.get(Name::Host).map(|v| v.to_ascii_lowercase()),
                        user_agent: header(h, Name::UserAgent),
                        referrer: header(h, Name::Referer),
                        method: Some(req.method),
                        uri: Some(req.uri),
                        ..HttpBody::default()
                    },
                });
                if self.pending.len() > MAX_PENDING {
                    if let Some(p) = self.pending.pop_front() {
                        out.push(p.done().into());
                    }
                }
                Some(used)
            }
        }
    }

    fn server_bytes<T: From<HttpTransaction>>(
        &mut self,
        ts_us: i64,
        data: &[u8],
        out: &mut Vec<T>,
    ) -> Option<usize> {
        match &mut self.server.state {
            SideState::Broken | SideState::Tunnel => None,
            SideState::Body(body) => {
                let file = &mut self.server.file;
                let fed = body.feed(data, &mut |d| {
                    if let Some(f) = file {
                        f.update(ts_us, d);
                    }
                });
                if fed.done || fed.invalid {
                    self.server.end_file(fed.done, &mut self.files);
                }
                if let Some(r) = &mut self.response {
                    *r.fields.body_len.get_or_insert(0) += fed.body_bytes;
                }
                if fed.done || fed.invalid {
                    self.server.state = if fed.invalid {
                        SideState::Broken
                    } else {
                        SideState::Head
                    };
                    self.finish_response(out);
                }
                Some(fed.consumed.max(usize::from(fed.invalid)))
            }
            SideState::Head => {
                let (used, head) = Self::take_head(&mut self.server, data)?;
                let Some(resp) = http_head::parse_response(&head) else {
                    self.server.state = SideState::Broken;
                    return None;
                };
                // 1xx other than 101 are interim: the real response follows.
                if (100..200).contains(&resp.status) && resp.status != 101 {
                    return Some(used);
                }
                let request = self.pending.pop_front();
                if self.pending.is_empty() {
                    // An idle connection keeps no request slots.
                    self.pending = VecDeque::new();
                }
                let method = request.as_ref().and_then(|r| r.fields.method.as_deref());
                let tunnel = method == Some("CONNECT") && (200..300).contains(&resp.status);
                let no_body = method == Some("HEAD") || matches!(resp.status, 101 | 204 | 304);
                let h = &resp.headers;
                let mut p = request.unwrap_or(Pending {
                    ts_us,
                    fields: HttpBody::default(),
                    header: Vec::new(),
                    response_header: Vec::new(),
                });
                p.response_header = header_block(&head);
                p.fields.status = Some(resp.status);
                p.fields.content_type = header(h, Name::ContentType);
                p.fields.location = header(h, Name::Location);
                p.fields.body_len = Some(0);
                self.response = Some(Box::new(p));
                self.server.state = if tunnel {
                    SideState::Tunnel
                } else if resp.status == 101 {
                    // The connection switches protocol: nothing more to read.
                    SideState::Broken
                } else if no_body {
                    SideState::Head
                } else if h.chunked() {
                    SideState::Body(Body::chunked())
                } else {
                    match h.content_length() {
                        Some(0) => SideState::Head,
                        Some(n) => SideState::Body(Body::Length(n)),
                        None => SideState::Body(Body::UntilClose),
                    }
                };
                if let SideState::Body(_) = self.server.state {
                    let r = self.response.as_ref().map(|p| &p.fields);
                    self.server.file = Some(Box::new(HttpFile::new(
                        false,
                        h,
                        r.and_then(|r| r.host.as_deref()),
                        r.and_then(|r| r.uri.as_deref()),
                        self.inspect_cap,
                    )));
                } else {
                    self.finish_response(out);
                }
                Some(used)
            }
        }
    }

    fn finish_response<T: From<HttpTransaction>>(&mut self, out: &mut Vec<T>) {
        if let Some(p) = self.response.take() {
            out.push(p.done().into());
        }
    }

    /// End of the connection: a body read until close ends here, and
    /// requests without response are reported alone.
    pub(crate) fn finish<T: From<HttpTransaction>>(&mut self, out: &mut Vec<T>) {
        self.client.end_file(false, &mut self.files);
        let whole =
            self.server_closed && matches!(self.server.state, SideState::Body(Body::UntilClose));
        self.server.end_file(whole, &mut self.files);
        self.finish_response(out);
        out.extend(self.pending.drain(..).map(|p| p.done().into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(segments: &[(Direction, &[u8])]) -> Vec<HttpTransaction> {
        let mut s = HttpSession::default();
        let mut out = Vec::new();
        for (i, (dir, data)) in segments.iter().enumerate() {
            s.on_chunk(
                *dir,
                i as i64,
                StreamChunk::Data(data),
                &mut out,
                &mut Tunnelled::default(),
            );
        }
        s.finish(&mut out);
        out
    }

    use Direction::{Orig as C, Resp as S};

    #[test]
    fn request_and_response_split_across_chunks() {
        let out = run(&[
            (C, b"GET /index.html HTTP/1.1\r\nHo"),
            (
                C,
                b"st: WWW.Example.com\r\nUser-Agent: test/1\r\nReferer: http://ref/\r\n\r\n",
            ),
            (
                S,
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10\r\n\r\n01234",
            ),
            (S, b"56789"),
        ]);
        assert_eq!(
            out,
            [HttpTransaction {
                ts_us: 1,
                fields: HttpBody {
                    method: Some("GET".into()),
                    host: Some("www.example.com".into()),
                    uri: Some("/index.html".into()),
                    user_agent: Some("test/1".into()),
                    referrer: Some("http://ref/".into()),
                    status: Some(200),
                    content_type: Some("text/html".into()),
                    location: None,
                    body_len: Some(10),
                },
                header: b"Host: WWW.Example.com\r\nUser-Agent: test/1\r\nReferer: http://ref/\r\n"
                    .to_vec(),
                response_header: b"Content-Type: text/html\r\nContent-Length: 10\r\n".to_vec(),
            }]
        );
    }

    #[test]
    fn pipelined_requests_chunked_bodies_and_interim_responses() {
        let out = run(&[
            (C, b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n"),
            (S, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\n\r\n"),
            (S, b"HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n"),
            (S, b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\n\r\nuntil close"),
        ]);
        let got: Vec<_> = out
            .iter()
            .map(|t| {
                (
                    t.fields.uri.as_deref().unwrap(),
                    t.fields.status,
                    t.fields.body_len,
                    t.fields.location.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("/a", Some(201), Some(4), None),
                ("/b", Some(200), Some(0), None),
                ("/c", Some(302), Some(11), Some("/elsewhere"))
            ]
        );
    }

    #[test]
    fn unanswered_requests_and_broken_streams() {
        let out = run(&[
            (C, b"GET /x HTTP/1.0\r\n\r\n"),
            (S, b"\x00\x01garbage\r\n\r\n"),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(
            (out[0].fields.uri.as_deref(), out[0].fields.status),
            (Some("/x"), None)
        );
        let mut s = HttpSession::default();
        let mut out: Vec<HttpTransaction> = Vec::new();
        let mut t = Tunnelled::default();
        s.on_chunk(
            C,
            0,
            StreamChunk::Data(&[b'a'; MAX_HEAD + 10]),
            &mut out,
            &mut t,
        );
        s.on_chunk(
            C,
            0,
            StreamChunk::Data(b"GET / HTTP/1.1\r\n\r\n"),
            &mut out,
            &mut t,
        );
        s.finish(&mut out);
        assert!(out.is_empty(), "an endless head breaks the direction");
    }

    #[test]
    fn response_without_request() {
        let out = run(&[(S, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")]);
        assert_eq!(
            (out[0].fields.status, out[0].fields.method.as_deref()),
            (Some(404), None)
        );
    }

    #[test]
    fn connect_opens_a_tunnel_both_ways() {
        let mut s = HttpSession::default();
        let mut out: Vec<HttpTransaction> = Vec::new();
        let (mut up, mut down) = (Tunnelled::default(), Tunnelled::default());
        s.on_chunk(
            C,
            0,
            StreamChunk::Data(
                b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01",
            ),
            &mut out,
            &mut up,
        );
        s.on_chunk(
            S,
            1,
            StreamChunk::Data(b"HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03"),
            &mut out,
            &mut down,
        );
        s.on_chunk(C, 2, StreamChunk::Gap, &mut out, &mut up);
        assert_eq!(
            up,
            Tunnelled {
                bytes: b"\x16\x03\x01".to_vec(),
                gap: true
            }
        );
        assert_eq!(
            down,
            Tunnelled {
                bytes: b"\x16\x03\x03".to_vec(),
                gap: false
            }
        );
        assert_eq!(
            (out[0].fields.method.as_deref(), out[0].fields.status),
            (Some("CONNECT"), Some(200))
        );
    }
}

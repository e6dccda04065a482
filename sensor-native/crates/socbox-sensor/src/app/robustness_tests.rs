//! Application parsers on arbitrary and damaged streams, split into
//! arbitrary chunks with gaps: no panics, and memory stays bounded.

use proptest::prelude::*;

use super::dns_tcp::DnsOverTcp;
use super::http::{HttpSession, Tunnelled};
use super::http_body::Body;
use super::socks::SocksHandshake;
use super::tls::TlsClient;
use super::tls_hello::parse_client_hello;
use crate::flow::Direction;
use crate::reassembly::StreamChunk;

const HTTP_SEED: &[u8] = b"GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
const HTTP_RESPONSE_SEED: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\nT: 1\r\n\r\nHTTP/1.1 302 Found\r\nLocation: /x\r\n\r\nrest";

/// A stream as chunks: each is data or, rarely, a gap.
fn chunks(seed: &'static [u8]) -> impl Strategy<Value = Vec<Option<Vec<u8>>>> {
    (
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        prop::collection::vec(any::<u8>(), 0..64),
        prop::collection::vec(1usize..40, 1..12),
        any::<Option<usize>>(),
    )
        .prop_map(|(flips, tail, sizes, gap_at)| {
            let mut bytes = seed.to_vec();
            let n = bytes.len();
            for (at, v) in flips {
                bytes[at % n] = v;
            }
            bytes.extend(tail);
            let mut out = Vec::new();
            let mut rest = &bytes[..];
            for (i, size) in sizes.iter().cycle().enumerate() {
                if rest.is_empty() {
                    break;
                }
                if gap_at == Some(i) {
                    out.push(None);
                }
                let take = (*size).min(rest.len());
                out.push(Some(rest[..take].to_vec()));
                rest = &rest[take..];
            }
            out
        })
}

fn as_chunk(c: &Option<Vec<u8>>) -> StreamChunk<'_> {
    match c {
        Some(d) => StreamChunk::Data(d),
        None => StreamChunk::Gap,
    }
}

proptest! {
    #[test]
    fn http_session(client in chunks(HTTP_SEED), server in chunks(HTTP_RESPONSE_SEED)) {
        let mut s = HttpSession::default();
        let mut out: Vec<super::http::HttpTransaction> = Vec::new();
        for (c, r) in client.iter().zip(server.iter().chain(std::iter::repeat(&None))) {
            s.on_chunk(Direction::Orig, 0, as_chunk(c), &mut out, &mut Tunnelled::default());
            s.on_chunk(Direction::Resp, 0, as_chunk(r), &mut out, &mut Tunnelled::default());
        }
        s.finish(&mut out);
        prop_assert!(out.len() <= 2 * (HTTP_SEED.len() + 64));
    }

    #[test]
    fn http_body(bytes in prop::collection::vec(any::<u8>(), 0..200), len in any::<u64>()) {
        for mut body in [Body::chunked(), Body::Length(len), Body::UntilClose] {
            let fed = body.feed(&bytes, &mut |_| {});
            prop_assert!(fed.consumed <= bytes.len());
            prop_assert!(fed.body_bytes <= bytes.len() as u64);
        }
    }

    #[test]
    fn tls_client(stream in chunks(&[22, 3, 1, 0, 60, 1, 0, 0, 56, 3, 3, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 0, 0, 2, 0x13, 1, 1, 0, 0, 13, 0, 0, 0, 9, 0, 7, 0, 0, 4, b'a', b'.', b'b', b'c'])) {
        let mut t = TlsClient::default();
        for c in &stream {
            let _ = t.on_chunk(as_chunk(c));
        }
    }

    #[test]
    fn client_hello_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_client_hello(&bytes);
    }

    #[test]
    fn dns_over_tcp(stream in chunks(&[0, 17, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, b'a', 0, 0, 1, 0, 1])) {
        let mut d = DnsOverTcp::default();
        for c in &stream {
            let _ = d.on_chunk(Direction::Orig, as_chunk(c));
        }
    }

    #[test]
    fn socks_handshake(client in chunks(&[5, 1, 2, 1, 1, b'u', 1, b'p', 5, 1, 0, 3, 3, b'a', b'b', b'c', 1, 187, 22, 3, 1]), server in chunks(&[5, 2, 1, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 22])) {
        let mut s = SocksHandshake::default();
        for (from_client, stream) in [(true, &client), (false, &server)] {
            for c in stream {
                match c {
                    Some(d) => { let _ = s.take(from_client, d); }
                    None => { let _ = s.gap(from_client); }
                }
            }
        }
    }
}

/// Both directions of a stream protocol fed chunk by chunk, alternating.
fn drive(
    p: &mut dyn super::StreamProtocol,
    client: &[Option<Vec<u8>>],
    server: &[Option<Vec<u8>>],
) -> Vec<super::AppOutput> {
    let mut out = Vec::new();
    let ctx = |dir, i: usize| super::ChunkCtx {
        dir,
        ts_us: i as i64,
        orig_port: 40000,
        resp_port: 25,
        inspect_body: 0,
    };
    let n = client.len().max(server.len());
    for i in 0..n {
        if let Some(c) = client.get(i) {
            p.on_chunk(ctx(Direction::Orig, i), as_chunk(c), &mut out);
        }
        if let Some(c) = server.get(i) {
            p.on_chunk(ctx(Direction::Resp, i), as_chunk(c), &mut out);
        }
    }
    p.finish(n as i64, &mut out);
    out
}

const SMTP_CLIENT: &[u8] = b"EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Disposition: attachment; filename=a.exe\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAA==\r\n--b--\r\n.\r\nSTARTTLS\r\nQUIT\r\n";
const SMTP_SERVER: &[u8] =
    b"220 mx ESMTP\r\n250-a\r\n250 b\r\n250 ok\r\n250 ok\r\n354 go\r\n250 ok\r\n220 tls\r\n";
const FTP_CLIENT: &[u8] = b"USER a\r\nPASS b\r\nPASV\r\nRETR x\r\nAUTH TLS\r\n";
const FTP_SERVER: &[u8] =
    b"220-x\r\n220 y\r\n331 p\r\n230 ok\r\n227 (1,2,3,4,5,6)\r\n150 o\r\n226 d\r\n234 t\r\n";
const RDP_CLIENT: &[u8] = b"\x03\x00\x00\x2b\x26\xe0\x00\x00\x00\x00\x00Cookie: mstshash=a\r\n\x01\x00\x08\x00\x0b\x00\x00\x00";
const RDP_SERVER: &[u8] =
    b"\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00\x02\x1f\x08\x00\x08\x00\x00\x00";

proptest! {
    #[test]
    fn smtp_session(client in chunks(SMTP_CLIENT), server in chunks(SMTP_SERVER)) {
        let out = drive(&mut super::smtp::SmtpSession::default(), &client, &server);
        // One event per MAIL/RSET/QUIT/STARTTLS at most, plus the end.
        prop_assert!(out.len() <= SMTP_CLIENT.len() + 64);
    }

    #[test]
    fn ftp_session(client in chunks(FTP_CLIENT), server in chunks(FTP_SERVER)) {
        let out = drive(&mut super::ftp::FtpSession::default(), &client, &server);
        prop_assert!(out.len() <= 256);
    }

    #[test]
    fn ssh_session(client in chunks(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x00\x01"), server in chunks(b"banner\r\nSSH-2.0-x\r\n\x00")) {
        let out = drive(&mut super::ssh::SshSession::default(), &client, &server);
        prop_assert!(out.len() <= 1);
    }

    #[test]
    fn rdp_session(client in chunks(RDP_CLIENT), server in chunks(RDP_SERVER)) {
        let out = drive(&mut super::rdp::RdpSession::default(), &client, &server);
        prop_assert!(out.len() <= 1);
    }

    #[test]
    fn tls_server_side(stream in chunks(&[22, 3, 3, 0, 48, 2, 0, 0, 44, 3, 3, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0xc0, 0x2f, 0, 0, 4, 0, 43, 0, 0, 11, 0, 0, 12, 0, 0, 9, 0, 0, 6, 0x30, 0x82, 0, 2, 0, 0])) {
        let mut s = super::tls_server::TlsServer::default();
        for c in &stream {
            s.on_chunk(as_chunk(c));
        }
        let _ = s.hello.as_ref().map(|h| h.ja3s());
    }

    #[test]
    fn server_hello_and_certificate_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = super::tls_server::parse_server_hello(&bytes);
        let _ = super::tls_server::leaf_certificate(&bytes);
    }

    #[test]
    fn certificates(flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6), cut in any::<usize>()) {
        let mut der = LEAF.to_vec();
        let n = der.len();
        for (at, v) in flips {
            der[at % n] = v;
        }
        der.truncate(cut % (n + 1));
        let info = super::tls_cert::leaf_info(&der);
        prop_assert_eq!(info.sha1.len(), 40);
    }

    #[test]
    fn http_file_bodies(stream in chunks(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00\x86\xa6\x10\x36\x05\x00\x00\x00"), coding in prop::sample::select(&["gzip", "deflate", "br", ""][..])) {
        let head = format!("HTTP/1.1 200 OK\r\nContent-Encoding: {coding}\r\n\r\n");
        let headers = super::http_head::parse_response(head.as_bytes()).unwrap().headers;
        let mut f = super::http_file::HttpFile::new(false, &headers, None, Some("/a"), 16);
        for c in &stream {
            match c {
                Some(d) => f.update(0, d),
                None => f.mark_incomplete(),
            }
        }
        if let Some(item) = f.finish() {
            prop_assert!(item.inspect.len() <= 16);
        }
    }
}

const LEAF: &[u8] = include_bytes!("testdata/prbtest-leaf.der");

#[test]
fn the_leaf_fixture_parses() {
    let info = super::tls_cert::leaf_info(LEAF);
    assert_eq!(info.subject.as_deref(), Some("CN=www.prbtest.dev"));
    assert_eq!(info.sha1, "0ddb34f875632c7e1ec09d75827f82d2336dfeb6");
}

proptest! {
    #[test]
    fn mime_lines(lines in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..90), 0..40), boundary in "[a-z]{1,8}") {
        let mut m = super::smtp_mime::MimeReader::default();
        m.line(0, format!("Content-Type: multipart/mixed; boundary={boundary}").as_bytes());
        m.line(0, b"");
        for (i, l) in lines.iter().enumerate() {
            if i % 7 == 0 {
                m.line(0, format!("--{boundary}").as_bytes());
            }
            m.line(0, l);
        }
        prop_assert!(m.finish().len() <= 64);
    }

    #[test]
    fn ftp_data_announcements(text in "[ -~]{0,80}") {
        let _ = super::ftp_data::parse_host_port(&text);
        let _ = super::ftp_data::parse_epsv(&text);
        let _ = super::ftp_data::parse_eprt(&text);
    }

    #[test]
    fn ftp_data_session(client in chunks(b"x"), server in chunks(b"PK\x03\x04 file bytes")) {
        let out = drive(&mut super::ftp_data::FtpDataSession::default(), &client, &server);
        prop_assert!(out.len() <= 1);
    }
}

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
        let mut out = Vec::new();
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
            let fed = body.feed(&bytes);
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

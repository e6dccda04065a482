//! SOCKS 4, 4a (the SOCKS4 protocol note) and 5 (RFC 1928, RFC 1929)
//! handshakes. Each direction's handshake bytes are skipped; what follows is
//! the tunnelled stream, handed to the parser its first bytes call for.

use std::borrow::Cow;

/// Handshakes are short; more than this without an end is not SOCKS.
const MAX_HANDSHAKE: usize = 1024;

/// Length of a SOCKS5 address (atyp byte at `at`) with its port, if known.
fn socks5_address_len(b: &[u8], at: usize) -> Option<Result<usize, ()>> {
    Some(match *b.get(at)? {
        1 => Ok(1 + 4 + 2),
        3 => Ok(1 + 1 + usize::from(*b.get(at + 1)?) + 2),
        4 => Ok(1 + 16 + 2),
        _ => Err(()),
    })
}

/// Where the tunnel starts in the client's bytes: Some(Ok(n)) once the
/// whole handshake is there, Some(Err) when it is not SOCKS, None for more.
fn client_handshake(b: &[u8]) -> Option<Result<usize, ()>> {
    match *b.first()? {
        5 => {
            let greeting = 2 + usize::from(*b.get(1)?);
            let mut at = greeting;
            // RFC 1929 username/password sub-negotiation, when present.
            if *b.get(at)? == 1 {
                let ulen = usize::from(*b.get(at + 1)?);
                let plen = usize::from(*b.get(at + 2 + ulen)?);
                at += 3 + ulen + plen;
            }
            if *b.get(at)? != 5 {
                return Some(Err(()));
            }
            let addr = socks5_address_len(b, at + 3)?;
            Some(addr.map(|a| at + 3 + a))
        }
        4 => {
            // ver, cmd, port, ip, user id NUL, and for 4a (ip 0.0.0.x) a host NUL.
            let user_end = 8 + b.get(8..)?.iter().position(|&c| c == 0)?;
            let socks4a = b.get(4..7)? == [0, 0, 0] && *b.get(7)? != 0;
            if socks4a {
                let host_end =
                    user_end + 1 + b.get(user_end + 1..)?.iter().position(|&c| c == 0)?;
                Some(Ok(host_end + 1))
            } else {
                Some(Ok(user_end + 1))
            }
        }
        _ => Some(Err(())),
    }
}

/// Where the tunnel starts in the server's bytes.
fn server_handshake(b: &[u8]) -> Option<Result<usize, ()>> {
    match *b.first()? {
        // SOCKS4 reply: 8 bytes, version 0.
        0 => (b.len() >= 8).then_some(Ok(8)),
        5 => {
            let method = *b.get(1)?;
            let mut at = 2;
            if method == 2 {
                at += 2; // sub-negotiation status
            }
            if *b.get(at)? != 5 {
                return Some(Err(()));
            }
            let addr = socks5_address_len(b, at + 3)?;
            Some(addr.map(|a| at + 3 + a))
        }
        _ => Some(Err(())),
    }
}

/// Does a client stream start like a SOCKS handshake? Checked on the first
/// bytes of a connection to the usual port, or with a strict shape.
pub(crate) fn looks_like_socks(first: &[u8], resp_port: u16) -> bool {
    let shaped = match first {
        [5, n, methods @ ..] => {
            *n >= 1
                && methods.len() >= usize::from(*n)
                && methods
                    .iter()
                    .take(usize::from(*n))
                    .all(|&m| m <= 3 || m == 0x80)
        }
        [4, 1 | 2, _, _, _, _, _, _, ..] => first.len() >= 9,
        _ => false,
    };
    shaped && (resp_port == 1080 || first.len() == 2 + usize::from(first[1]) && first[0] == 5)
}

#[derive(Debug, Default)]
enum Side {
    #[default]
    Handshake,
    Tunnel,
    Broken,
}

/// One direction's handshake progress.
#[derive(Debug, Default)]
struct Half {
    buf: Vec<u8>,
    side: Side,
}

/// Both directions of a SOCKS connection.
#[derive(Debug, Default)]
pub(crate) struct SocksHandshake {
    client: Half,
    server: Half,
}

impl SocksHandshake {
    /// Takes bytes of one direction; returns the tunnelled bytes among
    /// them (and among those held), if the handshake of that direction is
    /// over.
    pub(crate) fn take<'a>(&mut self, from_client: bool, data: &'a [u8]) -> Option<Cow<'a, [u8]>> {
        let d = if from_client {
            &mut self.client
        } else {
            &mut self.server
        };
        match d.side {
            Side::Tunnel => return Some(Cow::Borrowed(data)),
            Side::Broken => return None,
            Side::Handshake => {}
        }
        d.buf.extend_from_slice(data);
        let parsed = if from_client {
            client_handshake(&d.buf)
        } else {
            server_handshake(&d.buf)
        };
        match parsed {
            Some(Ok(n)) if n <= d.buf.len() => {
                d.side = Side::Tunnel;
                let rest = d.buf.split_off(n);
                d.buf = Vec::new();
                Some(Cow::Owned(rest))
            }
            Some(Err(())) => {
                d.side = Side::Broken;
                d.buf = Vec::new();
                None
            }
            _ => {
                if d.buf.len() > MAX_HANDSHAKE {
                    d.side = Side::Broken;
                    d.buf = Vec::new();
                }
                None
            }
        }
    }

    /// A gap: a direction still in its handshake cannot be followed.
    pub(crate) fn gap(&mut self, from_client: bool) -> bool {
        let d = if from_client {
            &mut self.client
        } else {
            &mut self.server
        };
        if matches!(d.side, Side::Tunnel) {
            return true;
        }
        d.side = Side::Broken;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tunnel(from_client: bool, pieces: &[&[u8]]) -> Vec<u8> {
        let mut s = SocksHandshake::default();
        let mut out = Vec::new();
        for p in pieces {
            if let Some(t) = s.take(from_client, p) {
                out.extend_from_slice(&t);
            }
        }
        out
    }

    #[test]
    fn client_handshakes() {
        /// (name, client pieces, tunnelled bytes)
        type Case<'a> = (&'a str, &'a [&'a [u8]], &'a [u8]);
        let cases: &[Case] = &[
            (
                "socks5 ipv4",
                &[&[5, 1, 0], &[5, 1, 0, 1, 1, 2, 3, 4, 0, 80], b"TLS"],
                b"TLS",
            ),
            (
                "socks5 name split",
                &[&[5, 1, 0, 5, 1, 0, 3, 3, b'a'], &[b'b', b'c', 1, 187, b'X']],
                b"X",
            ),
            (
                "socks5 auth",
                &[
                    &[5, 1, 2, 1, 1, b'u', 1, b'p', 5, 1, 0, 1, 0, 0, 0, 0, 0, 1],
                    b"Y",
                ],
                b"Y",
            ),
            ("socks4", &[&[4, 1, 0, 80, 1, 2, 3, 4, b'u', 0, b'Z']], b"Z"),
            (
                "socks4a",
                &[&[4, 1, 0, 80, 0, 0, 0, 9, 0, b'h', b'.', b'x', 0, b'W']],
                b"W",
            ),
            ("not socks", &[b"GET / HTTP/1.1\r\n"], b""),
        ];
        for (name, pieces, expect) in cases {
            assert_eq!(tunnel(true, pieces), *expect, "{name}");
        }
    }

    #[test]
    fn server_handshakes() {
        assert_eq!(
            tunnel(false, &[&[5, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0, b'S']]),
            b"S"
        );
        assert_eq!(
            tunnel(false, &[&[0, 0x5a, 0, 0], &[0, 0, 0, 0, b'R']]),
            b"R"
        );
        assert_eq!(
            tunnel(false, &[&[5, 2, 1, 0, 5, 0, 0, 4], &[0; 18], b"Q"]),
            b"Q"
        );
    }

    #[test]
    fn recognition() {
        assert!(looks_like_socks(&[5, 1, 0], 9050));
        assert!(looks_like_socks(&[5, 2, 0, 2, 5, 1], 1080));
        assert!(!looks_like_socks(&[5, 2, 0, 2, 5, 1], 443));
        assert!(looks_like_socks(&[4, 1, 0, 80, 1, 2, 3, 4, 0], 1080));
        assert!(!looks_like_socks(b"\x16\x03\x01", 1080));
    }
}

//! Domain names with compression pointers (RFC 1035 §4.1.4).

use super::DnsError;

/// RFC 1035 §2.3.4: names are at most 255 octets on the wire.
const MAX_NAME_LEN: usize = 255;

/// Text bytes reserved for a name read into an empty string.
const NAME_TEXT_GUESS: usize = 64;

/// A name has at most 127 labels, so more jumps than that is a loop.
const MAX_JUMPS: usize = 128;

/// Reads the name at `at` in `msg` into `out` as lowercase text without a
/// trailing dot; returns the offset just after the name where it started.
pub(crate) fn read_name(msg: &[u8], at: usize, out: &mut String) -> Result<usize, DnsError> {
    // Room for most names at once: grown byte by byte from empty, a name
    // of 20-60 characters was three or four reallocations.
    if out.capacity() == 0 {
        out.reserve(NAME_TEXT_GUESS);
    }
    let start_len = out.len();
    let end = walk_name(msg, at, |label| {
        if out.len() > start_len {
            out.push('.');
        }
        push_label(label, out);
    })?;
    if out.len() == start_len {
        out.push('.');
    }
    Ok(end)
}

/// Where the name at `at` ends, checked as [`read_name`] checks it, for a
/// name whose text is not kept (an answer's owner).
pub(crate) fn skip_name(msg: &[u8], at: usize) -> Result<usize, DnsError> {
    walk_name(msg, at, |_| {})
}

/// Hands each label of the name at `at` to `label`; returns the offset just
/// after the name where it started.
///
/// RFC 1035 says pointers point to a prior occurrence, but real resolvers
/// send forward pointers too (suricata-verify `dns-forward-pointer`), so
/// loops are stopped by counting jumps instead.
fn walk_name(msg: &[u8], mut at: usize, mut label: impl FnMut(&[u8])) -> Result<usize, DnsError> {
    let mut end_after_name = None;
    let mut wire_len = 0usize;
    let mut jumps = 0;
    loop {
        let len = *msg.get(at).ok_or(DnsError::Truncated("name"))?;
        match len & 0xc0 {
            0x00 => {
                if len == 0 {
                    return Ok(end_after_name.unwrap_or(at + 1));
                }
                let bytes = msg
                    .get(at + 1..at + 1 + usize::from(len))
                    .ok_or(DnsError::Truncated("label"))?;
                wire_len += 1 + bytes.len();
                if wire_len > MAX_NAME_LEN {
                    return Err(DnsError::Invalid("name longer than 255 octets"));
                }
                label(bytes);
                at += 1 + bytes.len();
            }
            0xc0 => {
                let low = *msg.get(at + 1).ok_or(DnsError::Truncated("name pointer"))?;
                let target = usize::from(len & 0x3f) << 8 | usize::from(low);
                jumps += 1;
                if jumps > MAX_JUMPS {
                    return Err(DnsError::Invalid("compression pointer loop"));
                }
                end_after_name.get_or_insert(at + 2);
                at = target;
            }
            _ => return Err(DnsError::Invalid("label type")),
        }
    }
}

/// Appends a label: printable ASCII lowercased; `.` and `\` escaped with a
/// backslash; other bytes as `\DDD` (the zone-file notation of RFC 1035 §5.1),
/// so the text stays valid UTF-8 and round-trips.
fn push_label(label: &[u8], out: &mut String) {
    for &b in label {
        match b {
            b'.' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x21..=0x7e => out.push(b.to_ascii_lowercase() as char),
            _ => {
                out.push('\\');
                out.push((b'0' + b / 100) as char);
                out.push((b'0' + b / 10 % 10) as char);
                out.push((b'0' + b % 10) as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name's text and end; skipping it ends (or fails) the same way.
    fn name(msg: &[u8], at: usize) -> Result<(String, usize), DnsError> {
        let mut s = String::new();
        let read = read_name(msg, at, &mut s);
        assert_eq!(skip_name(msg, at), read);
        read.map(|end| (s, end))
    }

    #[test]
    fn plain_compressed_and_root() {
        // 0: "Example.COM", 13: "www" + pointer to 0, 19: root
        let msg = b"\x07Example\x03COM\x00\x03www\xc0\x00\x00";
        assert_eq!(name(msg, 0), Ok(("example.com".into(), 13)));
        assert_eq!(name(msg, 13), Ok(("www.example.com".into(), 19)));
        assert_eq!(name(msg, 19), Ok((".".into(), 20)));
    }

    #[test]
    fn forward_pointers_are_followed() {
        // 0: pointer to 4 (ahead), 2: filler, 4: "fwd.example"
        let msg = b"\xc0\x04\x00\x00\x03fwd\x07example\x00";
        assert_eq!(name(msg, 0), Ok(("fwd.example".into(), 2)));
    }

    #[test]
    fn escapes_odd_bytes() {
        let msg = b"\x04a.b\xff\x03x\\y\x00";
        assert_eq!(name(msg, 0), Ok(("a\\.b\\255.x\\\\y".into(), 10)));
    }

    #[test]
    fn rejects_loops_and_cuts() {
        let cases: &[(&[u8], usize, DnsError)] = &[
            (
                b"\xc0\x00",
                0,
                DnsError::Invalid("compression pointer loop"),
            ),
            (
                b"\x00\xc0\x03\xc0\x01",
                1,
                DnsError::Invalid("compression pointer loop"),
            ),
            // A loop through a label grows the name until it is too long.
            (
                b"\x01a\xc0\x00",
                0,
                DnsError::Invalid("name longer than 255 octets"),
            ),
            (b"\xc0\x09", 0, DnsError::Truncated("name")),
            (b"\x05abc", 0, DnsError::Truncated("label")),
            (b"\x01a", 0, DnsError::Truncated("name")),
            (b"\x01a\xc0", 0, DnsError::Truncated("name pointer")),
            (b"\x41abc", 0, DnsError::Invalid("label type")),
        ];
        for (msg, at, err) in cases {
            assert_eq!(name(msg, *at), Err(*err), "{msg:?}");
        }
        let long = [&b"\x3f"[..], &[b'a'; 63]].concat().repeat(5);
        assert_eq!(
            name(&long, 0),
            Err(DnsError::Invalid("name longer than 255 octets"))
        );
    }
}

//! The NTLMSSP AUTHENTICATE message ([MS-NLMP] §2.2.1.3) inside an SMB
//! session setup's security blob: the user, domain and workstation names.
//! The blob is SPNEGO around NTLMSSP (or raw NTLMSSP); the message is found
//! by its signature rather than by decoding the SPNEGO DER around it.

use crate::app::le::{bytes_at, latin1, le16, le32, utf16le};

const SIGNATURE: &[u8] = b"NTLMSSP\0";
const AUTHENTICATE: u32 = 3;
const NEGOTIATE_UNICODE: u32 = 0x0000_0001;

/// Names from an AUTHENTICATE message; empty names are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NtlmAuth {
    pub user: Option<String>,
    pub domain: Option<String>,
    pub workstation: Option<String>,
}

/// The AUTHENTICATE message in `blob`, if there is one.
pub(crate) fn find_authenticate(blob: &[u8]) -> Option<NtlmAuth> {
    let start = blob.windows(SIGNATURE.len()).position(|w| w == SIGNATURE)?;
    let msg = &blob[start..];
    if le32(msg, 8)? != AUTHENTICATE {
        return None;
    }
    // Field descriptors: length (2), max length (2), offset (4) from the
    // start of the message. Flags after the six descriptors.
    let flags = le32(msg, 60).unwrap_or(NEGOTIATE_UNICODE);
    let field = |at: usize| -> Option<String> {
        let len = usize::from(le16(msg, at)?);
        let off = le32(msg, at + 4)? as usize;
        let raw = bytes_at(msg, off, len)?;
        let s = if flags & NEGOTIATE_UNICODE != 0 {
            utf16le(raw)
        } else {
            latin1(raw)
        };
        (!s.is_empty()).then_some(s)
    };
    Some(NtlmAuth {
        domain: field(28),
        user: field(36),
        workstation: field(44),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// An AUTHENTICATE message with the given names, after `prefix` bytes
    /// standing for the SPNEGO wrapping.
    pub(crate) fn authenticate(prefix: usize, user: &str, domain: &str, ws: &str) -> Vec<u8> {
        let mut m = vec![0xa1; prefix];
        let base = m.len();
        m.extend_from_slice(SIGNATURE);
        m.extend_from_slice(&AUTHENTICATE.to_le_bytes());
        let strings = [utf16(domain), utf16(user), utf16(ws)];
        let mut payload_off = 64 + 8;
        let mut fields = vec![[0u8; 8]; 6];
        for (i, s) in strings.iter().enumerate() {
            let f = &mut fields[i + 2];
            f[0..2].copy_from_slice(&(s.len() as u16).to_le_bytes());
            f[2..4].copy_from_slice(&(s.len() as u16).to_le_bytes());
            f[4..8].copy_from_slice(&(payload_off as u32).to_le_bytes());
            payload_off += s.len();
        }
        for f in fields {
            m.extend_from_slice(&f);
        }
        m.extend_from_slice(&NEGOTIATE_UNICODE.to_le_bytes());
        m.extend_from_slice(&[0; 8]);
        assert_eq!(m.len() - base, 72);
        for s in strings {
            m.extend(s);
        }
        m
    }

    #[test]
    fn names_come_from_the_authenticate_message() {
        let blob = authenticate(16, "backdoor", "3B", "02694W-WIN10");
        let auth = find_authenticate(&blob).unwrap();
        assert_eq!(auth.user.as_deref(), Some("backdoor"));
        assert_eq!(auth.domain.as_deref(), Some("3B"));
        assert_eq!(auth.workstation.as_deref(), Some("02694W-WIN10"));
    }

    #[test]
    fn anonymous_names_are_absent_and_other_messages_are_not_read() {
        let auth = find_authenticate(&authenticate(0, "", "", "")).unwrap();
        assert_eq!(auth, NtlmAuth::default());
        let mut negotiate = authenticate(0, "x", "y", "z");
        negotiate[8] = 1;
        assert_eq!(find_authenticate(&negotiate), None);
        assert_eq!(
            find_authenticate(b"NTLMSSP\0\x03\0\0\0"),
            Some(NtlmAuth::default())
        );
        assert_eq!(find_authenticate(b"nothing here"), None);
    }
}

//! Streaming hashing of one transferred file, bounded by a size cap.

use sha2::{Digest as _, Sha256};

use super::magic::{detect, Magic};
use crate::hex_text::lower_hex;
use crate::md5::Md5;

/// Files larger than this are not hashed (contract default: 32 MiB).
pub const DEFAULT_CAP: u64 = 32 * 1024 * 1024;

/// Leading bytes kept for typing: enough for a PE header and the first
/// entries of a zip's central names.
pub const HEAD_LEN: usize = 8 * 1024;

/// What is known about a file once its bytes have all gone by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Bytes seen.
    pub size: u64,
    /// The whole file was seen and it was within the cap: the hashes are
    /// those of the file.
    pub complete: bool,
    pub magic: Magic,
    /// Lower-case hex; only when `complete`.
    pub sha256: Option<String>,
    pub md5: Option<String>,
}

/// A file being transferred: fed in pieces, summarised at the end.
///
/// Memory is bounded by [`HEAD_LEN`] plus the two hash states, whatever
/// the file's size; past the cap hashing stops (no CPU spent either).
#[derive(Debug, Clone)]
pub struct Digest {
    cap: u64,
    size: u64,
    head: Vec<u8>,
    /// None once the file went past the cap or a piece was missed.
    hashes: Option<(Sha256, Md5)>,
}

impl Default for Digest {
    fn default() -> Self {
        Self::new(DEFAULT_CAP)
    }
}

impl Digest {
    /// A digest that hashes files of at most `cap` bytes.
    pub fn new(cap: u64) -> Self {
        Self {
            cap,
            size: 0,
            head: Vec::new(),
            hashes: Some((Sha256::new(), Md5::new())),
        }
    }

    /// Bytes seen so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The first bytes seen (at most [`HEAD_LEN`]).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// The next bytes of the file.
    pub fn update(&mut self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        if self.head.len() < HEAD_LEN {
            let take = (HEAD_LEN - self.head.len()).min(data.len());
            self.head.extend_from_slice(&data[..take]);
        }
        let hashed = self.size;
        self.size = self.size.saturating_add(data.len() as u64);
        if self.size > self.cap {
            self.hashes = None;
        }
        if let Some((sha, md5)) = &mut self.hashes {
            hash_both(sha, md5, hashed, data);
        }
    }

    /// Some bytes of the file were not seen (a capture gap, a transfer cut
    /// short): it cannot be complete, and hashing stops.
    pub fn mark_incomplete(&mut self) {
        self.hashes = None;
    }

    /// Whether the hashes will be those of the whole file so far.
    pub fn is_hashing(&self) -> bool {
        self.hashes.is_some()
    }

    pub fn finish(self) -> Summary {
        let magic = detect(&self.head);
        let (complete, sha256, md5) = match self.hashes {
            Some((sha, md5)) => (
                true,
                Some(lower_hex(&sha.finalize())),
                Some(lower_hex(&md5.finalize())),
            ),
            None => (false, None, None),
        };
        Summary {
            size: self.size,
            complete,
            magic,
            sha256,
            md5,
        }
    }
}

/// Both hashes over `data`, of which `hashed` bytes came before: a 64-byte
/// block of one, then of the other. MD5's rounds are one long dependency
/// chain and SHA-256's (SHA-NI) another, so the CPU runs a block of each at
/// once; all of `data` by one and then by the other ran them one after the
/// other (64 MiB with the `md-5` crate: 1.88 -> 1.50 ns per byte, MD5 alone
/// 1.37; with `crate::md5` on the Zen 4 VM: 1.47, MD5 alone 1.24). The first piece
/// fills the hashers' partly filled block (both hold `hashed % 64` bytes),
/// so every later piece is a whole block, hashed in place.
fn hash_both(sha: &mut Sha256, md5: &mut Md5, hashed: u64, data: &[u8]) {
    const BLOCK: usize = 64;
    let fill = (BLOCK - (hashed % BLOCK as u64) as usize) % BLOCK;
    let (first, rest) = data.split_at(fill.min(data.len()));
    sha.update(first);
    md5.update(first);
    for block in rest.chunks(BLOCK) {
        sha.update(block);
        md5.update(block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_known_vectors() {
        let mut d = Digest::default();
        d.update(b"a");
        d.update(b"bc");
        let s = d.finish();
        assert_eq!(
            s.sha256.as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(s.md5.as_deref(), Some("900150983cd24fb0d6963f7d28e17f72"));
        assert_eq!((s.size, s.complete, s.magic), (3, true, Magic::Text));
    }

    #[test]
    fn empty_file_is_complete_and_unknown() {
        let s = Digest::default().finish();
        assert_eq!((s.size, s.complete, s.magic), (0, true, Magic::Unknown));
        assert_eq!(s.md5.as_deref(), Some("d41d8cd98f00b204e9800998ecf8427e"));
    }

    #[test]
    fn over_the_cap_is_incomplete_without_hashes() {
        let mut d = Digest::new(4);
        d.update(b"MZ");
        d.update(b"abc");
        let s = d.finish();
        assert_eq!(
            (s.size, s.complete, s.sha256, s.md5),
            (5, false, None, None)
        );
        let mut d = Digest::new(4);
        d.update(b"abcd");
        assert!(d.finish().complete, "exactly the cap is within it");
    }

    #[test]
    fn a_missed_piece_makes_it_incomplete() {
        let mut d = Digest::default();
        d.update(b"%PDF-1.7\n");
        d.mark_incomplete();
        d.update(b"more");
        let s = d.finish();
        assert_eq!((s.size, s.complete, s.magic), (13, false, Magic::Pdf));
        assert!(s.sha256.is_none());
    }

    #[test]
    fn head_is_bounded() {
        let mut d = Digest::default();
        for _ in 0..10 {
            d.update(&[b'x'; HEAD_LEN / 3]);
        }
        assert_eq!(d.head().len(), HEAD_LEN);
    }
}

//! The anchor literals of a group of signatures, and which signatures each
//! literal anchors: a literal found makes its signatures candidates.

use std::collections::BTreeMap;

use super::compile::Signature;
use super::literal_set::{LiteralSet, Span};

#[derive(Debug)]
pub(crate) struct AnchorIndex {
    literals: LiteralSet,
    /// Signatures per literal.
    sigs_of: Vec<Vec<u32>>,
}

impl AnchorIndex {
    /// An index over lower-case literals and the ids of their signatures
    /// in `sigs`; a literal is searched where any of its signatures'
    /// anchors may lie. The error is the reason and how many signatures it
    /// leaves out.
    pub(crate) fn new(
        literals: BTreeMap<Vec<u8>, Vec<u32>>,
        sigs: &[Signature],
    ) -> Result<Self, (String, usize)> {
        let (patterns, sigs_of): (Vec<Vec<u8>>, Vec<Vec<u32>>) = literals.into_iter().unzip();
        let spans: Vec<Span> = sigs_of
            .iter()
            .map(|ids| {
                ids.iter()
                    .map(|&s| sigs[s as usize].anchor_span)
                    .fold(Span::NONE, Span::union)
            })
            .collect();
        // Case is confirmed per candidate; one case-insensitive search
        // serves nocase and exact literals alike.
        match LiteralSet::spanned(patterns, &spans) {
            Ok(literals) => Ok(Self { literals, sigs_of }),
            Err(e) => Err((
                format!("anchor literals: {e}"),
                sigs_of.iter().map(Vec::len).sum(),
            )),
        }
    }

    /// Adds to `out` the signatures whose anchor occurs in `hay[from..]`
    /// (matches ending after `from`; the scan starts a little earlier).
    pub(crate) fn candidates(&self, hay: &[u8], from: usize, out: &mut Vec<u32>) {
        // A literal common in the data occurs many times: its signatures
        // are candidates once.
        let mut seen: Vec<u64> = Vec::new();
        self.literals.for_each(hay, from, &mut |p| {
            let p = p as usize;
            let (word, bit) = (p / 64, 1u64 << (p % 64));
            if seen.is_empty() {
                seen = vec![0; self.sigs_of.len().div_ceil(64)];
            }
            if seen[word] & bit == 0 {
                seen[word] |= bit;
                out.extend_from_slice(&self.sigs_of[p]);
            }
        });
    }
}

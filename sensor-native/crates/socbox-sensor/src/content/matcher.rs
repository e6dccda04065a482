//! All content signatures of a plan: one literal set per field over the
//! signatures' anchor literals (raw payload: per group of flows the
//! signatures can apply to); a literal found makes its signatures
//! candidates, confirmed one by one.

use std::collections::BTreeMap;

use super::anchor_index::AnchorIndex;
use super::compile::{compile, SigDirection, Signature};
use super::field::{Field, FieldValues, FIELD_COUNT};
use super::flowbits::{prune, BitNames, FlowBitStore};
use super::payload_groups::PayloadGroups;
use super::shape::SignatureJson;

/// Per-flow inspection caps (match plan §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectCaps {
    /// Raw payload bytes inspected per flow and direction.
    pub payload: usize,
    /// HTTP body bytes inspected per body.
    pub body: usize,
}

impl Default for InspectCaps {
    fn default() -> Self {
        Self {
            payload: 16 * 1024,
            body: 1024 * 1024,
        }
    }
}

/// What loading a plan's content did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentReport {
    pub loaded: usize,
    /// Refused signatures by reason.
    pub refused: BTreeMap<String, usize>,
    /// Signatures without a literal to find first (tried on every event
    /// with their field).
    pub unanchored: usize,
}

impl ContentReport {
    pub fn refused_total(&self) -> usize {
        self.refused.values().sum()
    }
}

#[derive(Debug, Default)]
pub struct ContentMatcher {
    sigs: Vec<Signature>,
    /// Fields of events (raw payload is in `payload`).
    index: [Option<AnchorIndex>; FIELD_COUNT],
    unanchored: [Vec<u32>; FIELD_COUNT],
    payload: PayloadGroups,
    report: ContentReport,
    caps: InspectCaps,
}

impl ContentMatcher {
    /// Compiles the plan's `content`; what cannot be compiled is counted in
    /// the report, never an error for the rest.
    pub fn new<S: SignatureJson>(content: &[S], caps: InspectCaps) -> Self {
        let mut m = Self {
            caps,
            ..Self::default()
        };
        let mut bit_names = BitNames::default();
        for value in content {
            let compiled = value
                .read()
                .map_err(|e| format!("not a content signature: {e}"))
                .and_then(|raw| {
                    let mut sig = compile(&raw)?;
                    if let Some(f) = &raw.flowbits {
                        sig.flowbits = Some(Box::new(bit_names.compile(f)?));
                    }
                    Ok(sig)
                });
            match compiled {
                Ok(sig) => m.sigs.push(sig),
                Err(reason) => *m.report.refused.entry(reason).or_default() += 1,
            }
        }
        prune(&mut m.sigs, &mut m.report);
        m.report.loaded = m.sigs.len();
        let mut literals: [BTreeMap<Vec<u8>, Vec<u32>>; FIELD_COUNT] = Default::default();
        for (i, sig) in m.sigs.iter().enumerate() {
            if sig.anchor.is_none() {
                m.report.unanchored += 1;
            }
            let f = sig.hit_field();
            if f == Field::Payload {
                // Grouped by where they can apply (`PayloadGroups`).
                continue;
            }
            match &sig.anchor {
                Some((_, bytes)) => literals[f.index()]
                    .entry(bytes.to_ascii_lowercase())
                    .or_default()
                    .push(i as u32),
                None => m.unanchored[f.index()].push(i as u32),
            }
        }
        for (f, lits) in literals.into_iter().enumerate() {
            if lits.is_empty() {
                continue;
            }
            match AnchorIndex::new(lits, &m.sigs) {
                Ok(ix) => m.index[f] = Some(ix),
                Err((reason, n)) => *m.report.refused.entry(reason).or_default() += n,
            }
        }
        m.payload = PayloadGroups::new(&m.sigs, &mut m.report.refused);
        m
    }

    pub fn report(&self) -> &ContentReport {
        &self.report
    }

    pub fn caps(&self) -> InspectCaps {
        self.caps
    }

    pub fn is_empty(&self) -> bool {
        self.sigs.is_empty()
    }

    pub fn signature(&self, i: u32) -> &Signature {
        &self.sigs[i as usize]
    }

    /// Keeps, of `sigs` that hold on one event of `flow`, those that alert
    /// after the flow's bits are tested and updated (see
    /// [`FlowBitStore::gate`]).
    pub fn gate_flowbits(&self, bits: &mut FlowBitStore, flow: &str, sigs: &mut Vec<u32>) {
        if !sigs.is_empty() {
            bits.gate(&self.sigs, flow, sigs);
        }
    }

    /// True when some signature reads `field`.
    pub fn reads(&self, field: Field) -> bool {
        if field == Field::Payload {
            return !self.payload.is_empty();
        }
        self.index[field.index()].is_some() || !self.unanchored[field.index()].is_empty()
    }

    /// Adds to `out` the signatures of an event field whose anchor occurs
    /// in `hay`, and its unanchored ones.
    fn candidates_in(&self, field: Field, hay: &[u8], out: &mut Vec<u32>) {
        if let Some(ix) = &self.index[field.index()] {
            ix.candidates(hay, 0, out);
        }
        out.extend_from_slice(&self.unanchored[field.index()]);
    }

    /// The raw payload signatures, grouped by where they can apply.
    pub(super) fn payload_groups(&self) -> &PayloadGroups {
        &self.payload
    }

    /// The signatures that hold on one event's `values`, looking at the
    /// given fields; `dir` is the direction the fields travelled, `ports`
    /// the flow's (originator, responder) ports.
    pub fn matches(
        &self,
        values: &FieldValues<'_>,
        fields: &[Field],
        dir: SigDirection,
        ports: (u16, u16),
        out: &mut Vec<u32>,
    ) {
        let mut cands = Vec::new();
        for &f in fields {
            if let Some(v) = values.get(f) {
                self.candidates_in(f, v, &mut cands);
            }
        }
        if cands.is_empty() {
            return;
        }
        cands.sort_unstable();
        cands.dedup();
        for c in cands {
            let sig = &self.sigs[c as usize];
            if direction_fits(sig.direction, dir) && sig.ports_fit(ports) && sig.holds(values) {
                out.push(c);
            }
        }
    }
}

/// A signature for one direction never fires on the other; an event that
/// carries both directions (HTTP) passes `Any`.
pub fn direction_fits(sig: SigDirection, seen: SigDirection) -> bool {
    sig == SigDirection::Any || seen == SigDirection::Any || sig == seen
}

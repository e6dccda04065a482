//! Raw payload signatures grouped by where they can apply, as Suricata
//! groups signatures: by transport (TCP stream or UDP datagram) and
//! direction, and those whose rule header names a few ports filed under
//! those ports. A flow direction searches only the anchors of its group and
//! of its two ports' groups, so the signatures of MySQL or SMB ports cost
//! nothing on a web flow. Grouping only leaves out signatures that cannot
//! hold (wrong transport, direction or ports); candidates are still
//! checked in full.

use std::collections::BTreeMap;

use super::anchor_index::AnchorIndex;
use super::compile::{PortRanges, SigDirection, Signature};
use super::field::Field;
use super::matcher::direction_fits;

/// A side of a rule header naming at most this many ports files the
/// signature under those ports; wider ones stay in the flow-wide group.
const NARROW_PORTS: u32 = 16;

/// Per transport (TCP, UDP) and direction (to server, to client).
type Slots<T> = [[T; 2]; 2];

/// Where raw payload bytes travel: a TCP stream or UDP datagrams, their
/// direction, and the flow's (originator, responder) ports.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PayloadSite {
    pub tcp: bool,
    pub dir: SigDirection,
    pub ports: (u16, u16),
}

impl PayloadSite {
    /// Whether `sig` can hold on bytes travelling here: its transport,
    /// direction and header ports fit.
    pub(crate) fn admits(&self, sig: &Signature) -> bool {
        sig.tcp_only.is_none_or(|tcp| tcp == self.tcp)
            && direction_fits(sig.direction, self.dir)
            && sig.ports_fit(self.ports)
    }
}

#[derive(Debug, Default)]
pub(crate) struct PayloadGroups {
    any_port: Slots<Option<AnchorIndex>>,
    /// Sorted by port.
    by_port: Vec<(u16, Slots<Option<AnchorIndex>>)>,
    /// Signatures without an anchor literal: candidates of every scan.
    unanchored: Slots<Vec<u32>>,
    empty: bool,
}

fn transports(tcp_only: Option<bool>) -> &'static [usize] {
    match tcp_only {
        Some(true) => &[0],
        Some(false) => &[1],
        None => &[0, 1],
    }
}

fn directions(dir: SigDirection) -> &'static [usize] {
    match dir {
        SigDirection::ToServer => &[0],
        SigDirection::ToClient => &[1],
        SigDirection::Any => &[0, 1],
    }
}

/// The ports of the narrower side of a rule header, when it names at most
/// [`NARROW_PORTS`]: the signature can only hold on a flow with one of
/// them as its originator's or responder's port.
fn narrow_ports(sig: &Signature) -> Option<Vec<u16>> {
    let count = |r: &PortRanges| -> u32 {
        r.iter()
            .map(|&(lo, hi)| u32::from(hi.saturating_sub(lo)) + 1)
            .sum()
    };
    [&sig.ports.0, &sig.ports.1]
        .into_iter()
        .filter(|r| !r.is_empty())
        .min_by_key(|r| count(r))
        .filter(|r| count(r) <= NARROW_PORTS)
        .map(|r| r.iter().flat_map(|&(lo, hi)| lo..=hi).collect())
}

type Literals = BTreeMap<Vec<u8>, Vec<u32>>;

fn build(
    slots: Slots<Literals>,
    refused: &mut BTreeMap<String, usize>,
) -> Slots<Option<AnchorIndex>> {
    slots.map(|per_dir| {
        per_dir.map(|lits| {
            if lits.is_empty() {
                return None;
            }
            AnchorIndex::new(lits)
                .map_err(|(reason, n)| *refused.entry(reason).or_default() += n)
                .ok()
        })
    })
}

impl PayloadGroups {
    /// Groups the signatures of `sigs` that read raw payload (by their
    /// index); a group whose anchor literals cannot be indexed is counted in
    /// `refused`.
    pub(crate) fn new(sigs: &[Signature], refused: &mut BTreeMap<String, usize>) -> Self {
        let mut any_port: Slots<Literals> = Default::default();
        let mut by_port: BTreeMap<u16, Slots<Literals>> = BTreeMap::new();
        let mut unanchored: Slots<Vec<u32>> = Default::default();
        let mut empty = true;
        for (i, sig) in sigs.iter().enumerate() {
            let i = i as u32;
            if sig.hit_field() != Field::Payload {
                continue;
            }
            let anchor = sig
                .anchor
                .as_ref()
                .map(|(_, bytes)| bytes.to_ascii_lowercase());
            empty = false;
            let narrow = narrow_ports(sig);
            for &t in transports(sig.tcp_only) {
                for &d in directions(sig.direction) {
                    let Some(lit) = &anchor else {
                        unanchored[t][d].push(i);
                        continue;
                    };
                    match &narrow {
                        None => any_port[t][d].entry(lit.clone()).or_default().push(i),
                        Some(ports) => {
                            for &p in ports {
                                by_port.entry(p).or_default()[t][d]
                                    .entry(lit.clone())
                                    .or_default()
                                    .push(i);
                            }
                        }
                    }
                }
            }
        }
        Self {
            any_port: build(any_port, refused),
            by_port: by_port
                .into_iter()
                .map(|(p, slots)| (p, build(slots, refused)))
                .collect(),
            unanchored,
            empty,
        }
    }

    /// True when no signature reads raw payload.
    pub(crate) fn is_empty(&self) -> bool {
        self.empty
    }

    fn port(&self, port: u16) -> Option<&Slots<Option<AnchorIndex>>> {
        self.by_port
            .binary_search_by_key(&port, |(p, _)| *p)
            .ok()
            .map(|i| &self.by_port[i].1)
    }

    /// Adds to `out` the signatures that may hold on bytes travelling at
    /// `site`: those whose anchor ends in `hay[from..]`, and the unanchored
    /// ones.
    pub(crate) fn candidates(
        &self,
        site: PayloadSite,
        hay: &[u8],
        from: usize,
        out: &mut Vec<u32>,
    ) {
        let t = usize::from(!site.tcp);
        let (orig, resp) = site.ports;
        let by_orig = self.port(orig);
        let by_resp = if resp == orig { None } else { self.port(resp) };
        for &d in directions(site.dir) {
            for slots in [Some(&self.any_port), by_orig, by_resp]
                .into_iter()
                .flatten()
            {
                if let Some(ix) = &slots[t][d] {
                    ix.candidates(hay, from, out);
                }
            }
            out.extend_from_slice(&self.unanchored[t][d]);
        }
    }
}

//! Raw payload signatures grouped by where they can apply, as Suricata
//! groups signatures: by transport (TCP stream or UDP datagram) and
//! direction, and those whose rule header names a few ports filed under
//! those ports. A flow direction searches only the anchors of its group and
//! of its two ports' groups, so the signatures of MySQL or SMB ports cost
//! nothing on a web flow. Grouping only leaves out signatures that cannot
//! hold (wrong transport, direction or ports); candidates are still
//! checked in full. A port's group is also indexed together with the
//! flow-wide group, so a flow with one such port reads its bytes once (a
//! scan costs about the same per byte whatever the literals).

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

/// The signatures filed under one port.
#[derive(Debug)]
struct PortGroup {
    /// This port's signatures alone (for a flow whose other port has a
    /// group too).
    own: Slots<Option<AnchorIndex>>,
    /// This port's signatures and the flow-wide ones, where `own` has an
    /// index and the union could be indexed.
    with_any: Slots<Option<AnchorIndex>>,
}

#[derive(Debug, Default)]
pub(crate) struct PayloadGroups {
    any_port: Slots<Option<AnchorIndex>>,
    /// Sorted by port.
    by_port: Vec<(u16, PortGroup)>,
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
    sigs: &[Signature],
    refused: &mut BTreeMap<String, usize>,
) -> Slots<Option<AnchorIndex>> {
    slots.map(|per_dir| {
        per_dir.map(|lits| {
            if lits.is_empty() {
                return None;
            }
            AnchorIndex::new(lits, sigs)
                .map_err(|(reason, n)| *refused.entry(reason).or_default() += n)
                .ok()
        })
    })
}

/// Per slot where `own` has literals: its literals and those of `any`
/// (whose signatures are never the same: a signature is filed under its
/// ports or flow-wide), indexed together. A union that cannot be indexed is
/// left out (the two indexes are then read one after the other); its
/// refusal is already counted by the parts'.
fn merged(
    own: &Slots<Literals>,
    any: &Slots<Literals>,
    sigs: &[Signature],
) -> Slots<Option<AnchorIndex>> {
    std::array::from_fn(|t| {
        std::array::from_fn(|d| {
            if own[t][d].is_empty() {
                return None;
            }
            let mut union = any[t][d].clone();
            for (lit, sigs) in &own[t][d] {
                union
                    .entry(lit.clone())
                    .or_default()
                    .extend_from_slice(sigs);
            }
            AnchorIndex::new(union, sigs).ok()
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
        let by_port = by_port
            .into_iter()
            .map(|(p, slots)| {
                let with_any = merged(&slots, &any_port, sigs);
                let own = build(slots, sigs, refused);
                (p, PortGroup { own, with_any })
            })
            .collect();
        Self {
            any_port: build(any_port, sigs, refused),
            by_port,
            unanchored,
            empty,
        }
    }

    /// True when no signature reads raw payload.
    pub(crate) fn is_empty(&self) -> bool {
        self.empty
    }

    fn port(&self, port: u16) -> Option<&PortGroup> {
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
            let [own_orig, own_resp] =
                [by_orig, by_resp].map(|g| g.and_then(|g| g.own[t][d].as_ref()));
            let [with_orig, with_resp] =
                [by_orig, by_resp].map(|g| g.and_then(|g| g.with_any[t][d].as_ref()));
            // One scan where a port's group was indexed with the flow-wide
            // one; otherwise each index on its own.
            let (a, b, c) = match (with_orig, with_resp) {
                (Some(both), _) => (Some(both), None, own_resp),
                (None, Some(both)) => (Some(both), own_orig, None),
                (None, None) => (self.any_port[t][d].as_ref(), own_orig, own_resp),
            };
            for ix in [a, b, c].into_iter().flatten() {
                ix.candidates(hay, from, out);
            }
            out.extend_from_slice(&self.unanchored[t][d]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{ContentMatcher, InspectCaps};
    use proptest::prelude::*;
    use serde_json::json;

    const LITERALS: [&str; 6] = [
        "\u{ff}SMB",
        "mysql-hello",
        "wide-port",
        "server says",
        "shared-lit",
        "dns-ish",
    ];

    /// Narrow and flow-wide signatures, some sharing one anchor literal
    /// across a port's group and the flow-wide group.
    fn matcher() -> ContentMatcher {
        let sigs = json!([
            {"id":"smb","proto":"tcp","direction":"to_server","ports":{"dst":[[445,445]]},
             "patterns":[{"literal":"\u{ff}SMB","field":"payload"}]},
            {"id":"smb-shared","proto":"tcp","ports":{"src":[[445,445]]},
             "patterns":[{"literal":"shared-lit","field":"payload"}]},
            {"id":"mysql","proto":"tcp","direction":"to_server","ports":{"dst":[[3306,3306]]},
             "patterns":[{"literal":"mysql-hello","field":"payload"}]},
            {"id":"mysql-shared","proto":"tcp","direction":"to_client","ports":{"src":[[3306,3306]]},
             "patterns":[{"literal":"shared-lit","field":"payload"}]},
            {"id":"wide","proto":"tcp","direction":"to_server","ports":{"dst":[[1024,65535]]},
             "patterns":[{"literal":"wide-port","field":"payload"}]},
            {"id":"client","proto":"tcp","direction":"to_client",
             "patterns":[{"literal":"server says","field":"payload"}]},
            {"id":"shared","proto":"ip","patterns":[{"literal":"shared-lit","field":"payload"}]},
            {"id":"udp","proto":"udp","ports":{"src":[[53,53]]},
             "patterns":[{"literal":"dns-ish","field":"payload"}]}
        ]);
        let m = ContentMatcher::new(sigs.as_array().unwrap(), InspectCaps::default());
        assert_eq!(m.report().loaded, 8);
        m
    }

    /// What grouping promises: the signatures whose transport, direction
    /// and narrow ports fit the site and whose anchor occurs.
    fn expected(m: &ContentMatcher, site: PayloadSite, hay: &[u8]) -> Vec<u32> {
        let hay = hay.to_ascii_lowercase();
        (0..8)
            .filter(|&i| {
                let sig = m.signature(i);
                let (_, anchor) = sig.anchor.as_ref().unwrap();
                let anchor = anchor.to_ascii_lowercase();
                sig.tcp_only.is_none_or(|t| t == site.tcp)
                    && direction_fits(sig.direction, site.dir)
                    && narrow_ports(sig)
                        .is_none_or(|p| p.contains(&site.ports.0) || p.contains(&site.ports.1))
                    && hay.windows(anchor.len()).any(|w| w == anchor)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn one_scan_finds_what_each_group_would(
            pieces in prop::collection::vec((0..LITERALS.len(), "[ -~]{0,6}"), 0..8),
        ) {
            let m = matcher();
            let mut hay = Vec::new();
            for (lit, filler) in &pieces {
                hay.extend_from_slice(filler.as_bytes());
                // One byte per char, as plan literals are.
                hay.extend(LITERALS[*lit].chars().map(|c| c as u8));
            }
            let ports = [(40000, 445), (445, 40000), (445, 3306), (3306, 445), (40000, 3306),
                (40000, 80), (53, 40000), (445, 445), (3306, 3306)];
            for ports in ports {
                for tcp in [true, false] {
                    for dir in [SigDirection::ToServer, SigDirection::ToClient] {
                        let site = PayloadSite { tcp, dir, ports };
                        let mut got = Vec::new();
                        m.payload_groups().candidates(site, &hay, 0, &mut got);
                        got.sort_unstable();
                        got.dedup();
                        prop_assert_eq!(got, expected(&m, site, &hay), "{:?}", (ports, tcp, dir));
                    }
                }
            }
        }
    }
}

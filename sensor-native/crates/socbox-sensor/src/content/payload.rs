//! Raw payload inspection per flow: the first `cap` bytes of each direction
//! (the reassembled TCP stream, or UDP datagrams), scanned as they arrive;
//! each signature fires at most once per flow. In a TLS stream the bodies
//! of application_data records (ciphertext) are not searched for anchors.

use super::compile::SigDirection;
use super::field::{Field, FieldValues};
use super::matcher::ContentMatcher;
use super::payload_groups::PayloadSite;
use super::tls_records::Records;

/// Candidates kept per direction while their later patterns may still
/// arrive.
const MAX_PENDING: usize = 256;

/// Bytes a direction grows by before pending candidates are confirmed again.
const RECHECK: usize = 4096;

/// A segment of at least the cap over this is a bulk transfer's (1 KB of
/// the default 16 KB: below a full Ethernet segment).
const BULK_SEGMENT_DIVISOR: usize = 16;

#[derive(Debug, Default)]
struct Side {
    /// TCP: the stream's first bytes (up to the cap); UDP: unused.
    bytes: Vec<u8>,
    /// Bytes already scanned for anchors.
    scanned: usize,
    /// Bytes counted against the cap (UDP: all datagrams so far).
    seen: usize,
    /// Anchored signatures not confirmed yet.
    pending: Vec<u32>,
    /// Buffer length when `pending` was last confirmed.
    checked: usize,
    /// Cap reached and the last bytes scanned: the buffer is freed.
    done: bool,
    /// TLS record framing of the stream (TCP).
    records: Records,
}

#[derive(Debug, Default)]
struct State {
    sides: [Side; 2],
    fired: Vec<u32>,
}

/// A flow's payload inspection state; nothing allocated until the first
/// payload byte of a plan that has payload signatures, and for datagrams
/// (UDP) not until a signature fires: a busy link holds hundreds of
/// thousands of DNS flows, each with a datagram or two and no hit.
#[derive(Debug, Default)]
pub struct FlowPayload {
    state: Option<Box<State>>,
    /// Datagrams: bytes of each direction counted against the cap so far
    /// (saturating: a cap past 4 GiB per direction is read as unbounded).
    datagram_seen: [u32; 2],
}

fn side_index(dir: SigDirection) -> usize {
    usize::from(dir == SigDirection::ToClient)
}

impl FlowPayload {
    /// True while direction `dir` is below `cap`.
    pub fn wants(&self, dir: SigDirection, cap: usize) -> bool {
        cap > 0
            && self.state.as_ref().is_none_or(|s| {
                !s.sides[side_index(dir)].done && s.sides[side_index(dir)].seen < cap
            })
    }

    /// Appends in-order stream bytes of `dir`, up to `cap` in all.
    pub fn push_stream(&mut self, dir: SigDirection, data: &[u8], cap: usize) {
        let side = &mut self.state.get_or_insert_with(Box::default).sides[side_index(dir)];
        let room = cap.saturating_sub(side.seen);
        let take = &data[..data.len().min(room)];
        // A second full-sized segment marks a bulk stream, which will
        // likely fill the cap: room for all of it at once, instead of
        // growing by doubling (each growth copies what is held). Short
        // exchanges keep exact-sized buffers.
        if !side.bytes.is_empty()
            && side.bytes.len() + take.len() > side.bytes.capacity()
            && take.len() >= cap / BULK_SEGMENT_DIVISOR
        {
            side.bytes.reserve_exact(room);
        }
        side.bytes.extend_from_slice(take);
        side.seen += take.len();
    }

    /// Scans what `push_stream` added since the last call; signatures that
    /// now hold are appended to `fired` (once per flow).
    pub fn scan_stream(
        &mut self,
        m: &ContentMatcher,
        dir: SigDirection,
        cap: usize,
        ports: (u16, u16),
        fired: &mut Vec<u32>,
    ) {
        let Some(state) = self.state.as_mut() else {
            return;
        };
        let side = &mut state.sides[side_index(dir)];
        if side.done || side.bytes.len() == side.scanned {
            return;
        }
        let site = PayloadSite {
            tcp: true,
            dir,
            ports,
        };
        let mut fresh = Vec::new();
        let bytes = &side.bytes;
        side.records
            .walk(&bytes[side.scanned..], side.scanned, &mut |start, end| {
                m.payload_groups()
                    .candidates(site, &bytes[..end], start, &mut fresh);
            });
        side.scanned = side.bytes.len();
        let full = side.seen >= cap;
        // Candidates whose later literals may arrive are confirmed again
        // with every segment while the stream is short (most flows end
        // there, and a pattern in their last segment must count), then
        // only every RECHECK bytes and at the cap, so a long stream costs a
        // few confirmations per candidate, not one per segment.
        if full || side.bytes.len() <= RECHECK || side.bytes.len() >= side.checked + RECHECK {
            fresh.append(&mut side.pending);
            side.checked = side.bytes.len();
        }
        fresh.sort_unstable();
        fresh.dedup();
        let mut values = FieldValues::default();
        values.set(Field::Payload, Some(&side.bytes));
        let mut keep = std::mem::take(&mut side.pending);
        for &c in &fresh {
            if state.fired.contains(&c) {
                continue;
            }
            let sig = m.signature(c);
            if !site.admits(sig) {
                continue;
            }
            if sig.holds(&values) {
                state.fired.push(c);
                fired.push(c);
            } else if sig.anchor.is_some() && keep.len() < MAX_PENDING {
                keep.push(c);
            }
        }
        keep.sort_unstable();
        keep.dedup();
        side.pending = keep;
        if side.seen >= cap {
            // Nothing more will be added: free the bytes.
            side.done = true;
            side.bytes = Vec::new();
            side.pending = Vec::new();
        }
    }

    /// One datagram of `dir`: scanned on its own, as far as the cap allows.
    pub fn scan_datagram(
        &mut self,
        m: &ContentMatcher,
        dir: SigDirection,
        payload: &[u8],
        cap: usize,
        ports: (u16, u16),
        fired: &mut Vec<u32>,
    ) {
        let seen = &mut self.datagram_seen[side_index(dir)];
        let hay = &payload[..payload.len().min(cap.saturating_sub(*seen as usize))];
        *seen = u32::try_from(*seen as usize + hay.len()).unwrap_or(u32::MAX);
        if hay.is_empty() {
            return;
        }
        let site = PayloadSite {
            tcp: false,
            dir,
            ports,
        };
        let mut cands = Vec::new();
        m.payload_groups().candidates(site, hay, 0, &mut cands);
        if cands.is_empty() {
            return;
        }
        cands.sort_unstable();
        cands.dedup();
        let mut values = FieldValues::default();
        values.set(Field::Payload, Some(hay));
        for c in cands {
            let already = self.state.as_ref().is_some_and(|s| s.fired.contains(&c));
            let sig = m.signature(c);
            if !already && site.admits(sig) && sig.holds(&values) {
                let state = self.state.get_or_insert_with(Box::default);
                state.fired.push(c);
                fired.push(c);
            }
        }
    }

    /// Heap bytes held (buffers), for memory accounting in tests.
    pub fn held_bytes(&self) -> usize {
        self.state
            .as_ref()
            .map_or(0, |s| s.sides.iter().map(|d| d.bytes.capacity()).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::InspectCaps;
    use serde_json::json;

    /// Datagrams without a hit allocate nothing (hundreds of thousands of
    /// DNS flows stay small), yet still count against the cap and fire once.
    #[test]
    fn datagrams_allocate_only_for_a_hit_and_count_the_cap() {
        let sigs =
            json!([{"id":"u:1","proto":"udp","patterns":[{"literal":"evil","field":"payload"}]}]);
        let m = ContentMatcher::new(sigs.as_array().unwrap(), InspectCaps::default());
        let (dir, mut fired) = (SigDirection::ToServer, Vec::new());
        let mut flow = FlowPayload::default();
        flow.scan_datagram(&m, dir, b"a clean query", 16, (5353, 53), &mut fired);
        assert!(flow.state.is_none() && fired.is_empty());
        // 13 of the 16 bytes seen: only "evi" of the next datagram is read.
        flow.scan_datagram(&m, dir, b"evil", 16, (5353, 53), &mut fired);
        assert!(flow.state.is_none() && fired.is_empty(), "past the cap");
        let mut flow = FlowPayload::default();
        for _ in 0..2 {
            flow.scan_datagram(&m, dir, b"so evil", 16, (5353, 53), &mut fired);
        }
        assert_eq!(fired, [0], "once per flow");
        assert!(flow.state.is_some());
        // The other direction has a cap of its own.
        flow.scan_datagram(
            &m,
            SigDirection::ToClient,
            b"0123456789abcdef",
            16,
            (5353, 53),
            &mut fired,
        );
        assert_eq!(flow.datagram_seen, [14, 16]);
    }
}

//! Suricata flowbits of content signatures (match plan §3 `flowbits`):
//! named bits kept per flow. A signature that tests bits holds only when
//! they are as asked in its flow at the time it is evaluated; one that holds
//! sets, unsets or toggles its bits, and a `noalert` one raises no `sig`
//! event. This is how ET Open chains work: "set on the request, isset on the
//! response", or a first request marked so that later ones are told apart.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Deserialize;

use super::compile::Signature;
use super::matcher::ContentReport;

/// Distinct bit names a plan may use.
const MAX_BITS: usize = 1 << 16;

/// Flows holding bits at once; the oldest one is forgotten beyond it.
pub const MAX_FLOWS_WITH_BITS: usize = 1 << 16;

/// The plan's form: bit names as the rule writes them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawFlowbits {
    #[serde(default)]
    pub set: Vec<String>,
    #[serde(default)]
    pub unset: Vec<String>,
    #[serde(default)]
    pub toggle: Vec<String>,
    #[serde(default)]
    pub isset: Vec<String>,
    #[serde(default)]
    pub isnotset: Vec<String>,
    #[serde(default)]
    pub noalert: bool,
}

/// A signature's flowbits, names numbered across the plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flowbits {
    pub set: Vec<u16>,
    pub unset: Vec<u16>,
    pub toggle: Vec<u16>,
    pub isset: Vec<u16>,
    pub isnotset: Vec<u16>,
    pub noalert: bool,
}

impl Flowbits {
    fn acts(&self) -> bool {
        !(self.set.is_empty() && self.unset.is_empty() && self.toggle.is_empty())
    }

    fn tests(&self) -> bool {
        !(self.isset.is_empty() && self.isnotset.is_empty())
    }

    /// Order among the signatures one event fires: those that only set
    /// first, then those that test and set, then the rest (Suricata sorts
    /// flowbit setters before their readers the same way).
    fn rank(&self) -> u8 {
        match (self.acts(), self.tests()) {
            (true, false) => 0,
            (true, true) => 1,
            _ => 2,
        }
    }

    fn tests_pass(&self, bits: &FlowBitSet) -> bool {
        self.isset.iter().all(|&b| bits.is_set(b)) && !self.isnotset.iter().any(|&b| bits.is_set(b))
    }

    fn apply(&self, bits: &mut FlowBitSet) {
        for &b in &self.set {
            bits.put(b, true);
        }
        for &b in &self.unset {
            bits.put(b, false);
        }
        for &b in &self.toggle {
            let now = bits.is_set(b);
            bits.put(b, !now);
        }
    }
}

/// Bit names of one plan, numbered in order of first use.
#[derive(Debug, Default)]
pub struct BitNames {
    numbers: HashMap<String, u16>,
}

impl BitNames {
    fn number(&mut self, name: &str) -> Result<u16, String> {
        if name.is_empty() {
            return Err("flowbits: an empty bit name".into());
        }
        if let Some(&n) = self.numbers.get(name) {
            return Ok(n);
        }
        if self.numbers.len() >= MAX_BITS {
            return Err(format!(
                "flowbits: more than {MAX_BITS} bit names in the plan"
            ));
        }
        let n = self.numbers.len() as u16;
        self.numbers.insert(name.to_owned(), n);
        Ok(n)
    }

    /// Numbers the names of one signature's flowbits.
    pub fn compile(&mut self, raw: &RawFlowbits) -> Result<Flowbits, String> {
        let mut all = |names: &[String]| -> Result<Vec<u16>, String> {
            names.iter().map(|n| self.number(n)).collect()
        };
        Ok(Flowbits {
            set: all(&raw.set)?,
            unset: all(&raw.unset)?,
            toggle: all(&raw.toggle)?,
            isset: all(&raw.isset)?,
            isnotset: all(&raw.isnotset)?,
            noalert: raw.noalert,
        })
    }
}

/// Drops, with their reasons in `report`, signatures that can never matter:
/// a test of a bit no loaded signature sets (its setter was refused or is
/// not in the plan) never passes, and a `noalert` signature whose bits no
/// loaded signature tests changes nothing. Repeated until nothing changes,
/// since dropping one can orphan another.
pub fn prune(sigs: &mut Vec<Signature>, report: &mut ContentReport) {
    loop {
        let mut set: HashSet<u16> = HashSet::new();
        let mut tested: HashSet<u16> = HashSet::new();
        for fb in sigs.iter().filter_map(|s| s.flowbits.as_deref()) {
            set.extend(fb.set.iter().chain(&fb.toggle));
            tested.extend(fb.isset.iter().chain(&fb.isnotset));
        }
        let before = sigs.len();
        sigs.retain(|s| {
            let Some(fb) = s.flowbits.as_deref() else {
                return true;
            };
            let reason = if fb.isset.iter().any(|b| !set.contains(b)) {
                "flowbits: isset of a bit no signature of the plan sets"
            } else if fb.noalert
                && fb
                    .set
                    .iter()
                    .chain(&fb.unset)
                    .chain(&fb.toggle)
                    .all(|b| !tested.contains(b))
            {
                "flowbits: noalert, and no signature of the plan tests its bits"
            } else {
                return true;
            };
            *report.refused.entry(reason.to_owned()).or_default() += 1;
            false
        });
        if sigs.len() == before {
            return;
        }
    }
}

/// The bits set in one flow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowBitSet {
    words: Vec<u64>,
}

impl FlowBitSet {
    pub fn is_set(&self, bit: u16) -> bool {
        self.words
            .get(usize::from(bit) / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }

    fn put(&mut self, bit: u16, on: bool) {
        let word = usize::from(bit) / 64;
        if word >= self.words.len() {
            if !on {
                return;
            }
            self.words.resize(word + 1, 0);
        }
        if on {
            self.words[word] |= 1 << (bit % 64);
        } else {
            self.words[word] &= !(1 << (bit % 64));
        }
    }

    fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }
}

/// Bits of the flows that have any, by flow id (community-id: every event
/// of a flow carries it). Flows end with [`Self::forget`]; at most
/// [`MAX_FLOWS_WITH_BITS`] are kept, the oldest forgotten first.
#[derive(Debug, Default)]
pub struct FlowBitStore {
    flows: HashMap<String, FlowBitSet>,
    /// Flow ids in order of their first bit; ids already forgotten are
    /// skipped when met.
    order: VecDeque<String>,
    /// Flows forgotten to make room.
    pub evicted: u64,
}

impl FlowBitStore {
    pub fn forget(&mut self, flow: &str) {
        if !self.flows.is_empty() {
            self.flows.remove(flow);
        }
    }

    pub fn len(&self) -> usize {
        self.flows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.flows.is_empty()
    }

    fn store(&mut self, flow: &str, bits: FlowBitSet) {
        if bits.is_empty() {
            self.flows.remove(flow);
            return;
        }
        if let Some(old) = self.flows.get_mut(flow) {
            *old = bits;
            return;
        }
        while self.flows.len() >= MAX_FLOWS_WITH_BITS {
            match self.order.pop_front() {
                Some(oldest) => {
                    if self.flows.remove(&oldest).is_some() {
                        self.evicted += 1;
                    }
                }
                None => break,
            }
        }
        if self.order.len() >= 2 * MAX_FLOWS_WITH_BITS {
            let flows = &self.flows;
            self.order.retain(|f| flows.contains_key(f));
        }
        self.order.push_back(flow.to_owned());
        self.flows.insert(flow.to_owned(), bits);
    }

    /// Of the signatures `sigs` (indexes into `all`) that hold on one event
    /// of `flow`, keeps those that alert: their bit tests pass, in the order
    /// of [`Flowbits::rank`], each seeing the bits the ones before it left;
    /// `noalert` ones act and are dropped. `sigs` stays sorted.
    pub fn gate(&mut self, all: &[Signature], flow: &str, sigs: &mut Vec<u32>) {
        let fb = |i: u32| all[i as usize].flowbits.as_deref();
        if sigs.iter().all(|&i| fb(i).is_none()) {
            return;
        }
        sigs.sort_by_key(|&i| (fb(i).map_or(2, Flowbits::rank), i));
        let mut bits = self.flows.get(flow).cloned().unwrap_or_default();
        sigs.retain(|&i| match fb(i) {
            None => true,
            Some(f) if f.tests_pass(&bits) => {
                f.apply(&mut bits);
                !f.noalert
            }
            Some(_) => false,
        });
        sigs.sort_unstable();
        self.store(flow, bits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fb(set: &[u16], isset: &[u16], isnotset: &[u16], noalert: bool) -> Flowbits {
        Flowbits {
            set: set.to_vec(),
            isset: isset.to_vec(),
            isnotset: isnotset.to_vec(),
            noalert,
            ..Flowbits::default()
        }
    }

    #[test]
    fn bit_set_puts_and_clears_beyond_one_word() {
        let mut b = FlowBitSet::default();
        assert!(!b.is_set(200));
        b.put(200, true);
        b.put(3, true);
        assert!(b.is_set(200) && b.is_set(3) && !b.is_set(4));
        b.put(200, false);
        b.put(900, false);
        assert!(!b.is_set(200) && b.words.len() == 4);
        b.put(3, false);
        assert!(b.is_empty());
    }

    #[test]
    fn names_are_numbered_once_and_empty_names_refused() {
        let mut names = BitNames::default();
        let raw = RawFlowbits {
            set: vec!["a".into(), "b".into()],
            isset: vec!["a".into()],
            toggle: vec!["c".into()],
            ..RawFlowbits::default()
        };
        let f = names.compile(&raw).unwrap();
        assert_eq!((f.set, f.isset, f.toggle), (vec![0, 1], vec![0], vec![2]));
        let bad = RawFlowbits {
            unset: vec![String::new()],
            ..RawFlowbits::default()
        };
        assert!(names.compile(&bad).unwrap_err().contains("empty bit name"));
    }

    #[test]
    fn ranks_put_setters_before_testers() {
        assert_eq!(fb(&[1], &[], &[], true).rank(), 0);
        assert_eq!(fb(&[1], &[2], &[], false).rank(), 1);
        assert_eq!(fb(&[], &[2], &[], false).rank(), 2);
        assert_eq!(fb(&[], &[], &[], false).rank(), 2);
    }

    #[test]
    fn apply_sets_unsets_and_toggles() {
        let mut bits = FlowBitSet::default();
        let f = Flowbits {
            set: vec![1],
            toggle: vec![2],
            ..Flowbits::default()
        };
        f.apply(&mut bits);
        assert!(bits.is_set(1) && bits.is_set(2));
        f.apply(&mut bits);
        assert!(bits.is_set(1) && !bits.is_set(2));
        Flowbits {
            unset: vec![1],
            ..Flowbits::default()
        }
        .apply(&mut bits);
        assert!(bits.is_empty());
        assert!(fb(&[], &[], &[1], false).tests_pass(&bits));
        assert!(!fb(&[], &[1], &[], false).tests_pass(&bits));
    }

    use crate::content::{ContentMatcher, Field, FieldValues, SigDirection};

    fn matcher(json: &str) -> ContentMatcher {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        ContentMatcher::new(v.as_array().unwrap(), Default::default())
    }

    /// Ids of the signatures one DNS event of `flow` fires, after the bits.
    fn fire(m: &ContentMatcher, store: &mut FlowBitStore, flow: &str, q: &str) -> Vec<String> {
        let mut v = FieldValues::default();
        v.set(Field::DnsQuery, Some(q.as_bytes()));
        let mut sigs = Vec::new();
        m.matches(
            &v,
            &[Field::DnsQuery],
            SigDirection::Any,
            (5000, 53),
            &mut sigs,
        );
        m.gate_flowbits(store, flow, &mut sigs);
        sigs.iter()
            .map(|&i| m.signature(i).id.to_string())
            .collect()
    }

    const TOGGLE_PLAN: &str = r#"[
        {"id":"t:flip","proto":"dns","patterns":[{"literal":"flip","field":"dns.query"}],
         "flowbits":{"toggle":["on"],"noalert":true}},
        {"id":"t:clear","proto":"dns","patterns":[{"literal":"clear","field":"dns.query"}],
         "flowbits":{"unset":["on"],"noalert":true}},
        {"id":"t:when-on","proto":"dns","patterns":[{"literal":"ask","field":"dns.query"}],
         "flowbits":{"isset":["on"]}},
        {"id":"t:when-off","proto":"dns","patterns":[{"literal":"ask","field":"dns.query"}],
         "flowbits":{"isnotset":["on"]}},
        {"id":"t:plain","proto":"dns","patterns":[{"literal":"ask","field":"dns.query"}]}
    ]"#;

    #[test]
    fn toggle_and_unset_change_what_later_events_of_the_flow_fire() {
        let m = matcher(TOGGLE_PLAN);
        assert_eq!(m.report().loaded, 5);
        let mut s = FlowBitStore::default();
        assert_eq!(fire(&m, &mut s, "a", "ask"), ["t:when-off", "t:plain"]);
        assert!(fire(&m, &mut s, "a", "flip").is_empty());
        assert_eq!(fire(&m, &mut s, "a", "ask"), ["t:when-on", "t:plain"]);
        // Another flow has its own bits.
        assert_eq!(fire(&m, &mut s, "b", "ask"), ["t:when-off", "t:plain"]);
        assert!(fire(&m, &mut s, "a", "flip").is_empty());
        assert_eq!(fire(&m, &mut s, "a", "ask"), ["t:when-off", "t:plain"]);
        fire(&m, &mut s, "a", "flip");
        fire(&m, &mut s, "a", "clear");
        assert_eq!(fire(&m, &mut s, "a", "ask"), ["t:when-off", "t:plain"]);
        // A flow that ends forgets its bits; no bits, no entry.
        fire(&m, &mut s, "a", "flip");
        assert_eq!(s.len(), 1);
        s.forget("a");
        assert!(s.is_empty());
    }

    #[test]
    fn setters_in_the_same_event_run_before_testers() {
        let m = matcher(
            r#"[
            {"id":"o:test","proto":"dns","patterns":[{"literal":"x","field":"dns.query"}],
             "flowbits":{"isset":["b"]}},
            {"id":"o:set","proto":"dns","patterns":[{"literal":"x","field":"dns.query"}],
             "flowbits":{"set":["b"],"noalert":true}}
        ]"#,
        );
        let mut s = FlowBitStore::default();
        assert_eq!(fire(&m, &mut s, "f", "x"), ["o:test"]);
    }

    #[test]
    fn signatures_that_can_never_matter_are_refused_in_cascade() {
        // c tests a bit only b sets; b tests one nobody sets: both go. d is
        // a noalert setter nobody tests. A pattern-less TLS tester has no
        // event field to hang on.
        let m = matcher(
            r#"[
            {"id":"b","proto":"dns","patterns":[{"literal":"x","field":"dns.query"}],
             "flowbits":{"isset":["nobody"],"set":["mid"]}},
            {"id":"c","proto":"dns","patterns":[{"literal":"y","field":"dns.query"}],
             "flowbits":{"isset":["mid"]}},
            {"id":"d","proto":"dns","patterns":[{"literal":"z","field":"dns.query"}],
             "flowbits":{"set":["unused"],"noalert":true}},
            {"id":"e","proto":"tls","patterns":[],"flowbits":{"isset":["unused"]}},
            {"id":"f","proto":"dns","patterns":[{"literal":"w","field":"dns.query"}],
             "flowbits":{"set":[""]}}
        ]"#,
        );
        let r = m.report();
        assert_eq!(r.loaded, 0);
        assert_eq!(
            r.refused
                .get("flowbits: isset of a bit no signature of the plan sets")
                .copied(),
            Some(2)
        );
        assert_eq!(
            r.refused
                .get("flowbits: noalert, and no signature of the plan tests its bits")
                .copied(),
            Some(1)
        );
        assert_eq!(
            r.refused
                .get("nothing to match (no pattern, regex or size)")
                .copied(),
            Some(1)
        );
        assert_eq!(
            r.refused.get("flowbits: an empty bit name").copied(),
            Some(1)
        );
    }

    #[test]
    fn a_full_store_forgets_the_oldest_flow() {
        let mut s = FlowBitStore::default();
        let mut one = FlowBitSet::default();
        one.put(0, true);
        for i in 0..=MAX_FLOWS_WITH_BITS {
            s.store(&format!("f{i}"), one.clone());
        }
        assert_eq!((s.len(), s.evicted), (MAX_FLOWS_WITH_BITS, 1));
        assert!(!s.flows.contains_key("f0") && s.flows.contains_key("f1"));
        s.forget("f1");
        s.store("f1", FlowBitSet::default());
        assert_eq!(s.len(), MAX_FLOWS_WITH_BITS - 1);
        // Forgotten ids left in the order never grow it past twice the cap.
        for i in 0..3 * MAX_FLOWS_WITH_BITS {
            let id = format!("g{i}");
            s.store(&id, one.clone());
            s.forget(&id);
        }
        assert!(s.order.len() <= 2 * MAX_FLOWS_WITH_BITS + 1);
    }
}

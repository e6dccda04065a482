//! One signature of the plan → a compiled [`Signature`], or the reason it
//! is refused.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::confirm::{patterns_hold, Pattern};
use super::field::{Field, FieldValues};
use super::flowbits::Flowbits;
use super::literal_set::{Span, GRAM};
use super::regex_js::{compile_js_regex, JsRegex};
use super::shape::{RawPattern, RawSignature, RawSize};

/// Which stream direction a signature looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigDirection {
    Any,
    /// From the originator (client) to the responder.
    ToServer,
    ToClient,
}

impl From<crate::flow::Direction> for SigDirection {
    /// The flow's originator is the client.
    fn from(dir: crate::flow::Direction) -> Self {
        match dir {
            crate::flow::Direction::Orig => SigDirection::ToServer,
            crate::flow::Direction::Resp => SigDirection::ToClient,
        }
    }
}

/// Inclusive port ranges; empty is any port.
pub type PortRanges = Vec<(u16, u16)>;

/// What one signature asks of one field.
#[derive(Debug, Clone)]
pub struct FieldCheck {
    pub field: Field,
    pub patterns: Vec<Pattern>,
    pub size: Option<(u64, u64)>,
    pub regex: Option<JsRegex>,
}

impl FieldCheck {
    fn holds(&self, value: &[u8]) -> bool {
        if let Some((min, max)) = self.size {
            let n = value.len() as u64;
            if n < min || n > max {
                return false;
            }
        }
        patterns_hold(&self.patterns, value)
            && self.regex.as_ref().is_none_or(|r| r.is_match(value))
    }
}

#[derive(Debug, Clone)]
pub struct Signature {
    pub id: Arc<str>,
    pub set: Arc<str>,
    pub class: Arc<str>,
    pub msg: Arc<str>,
    pub direction: SigDirection,
    /// Raw payload: `Some(true)` only TCP streams, `Some(false)` only UDP
    /// datagrams, None both (the plan's `proto` tcp/udp/ip).
    pub tcp_only: Option<bool>,
    /// Port ranges of the rule header (source, destination); empty: any.
    pub ports: (PortRanges, PortRanges),
    pub checks: Vec<FieldCheck>,
    /// The literal the automaton finds first: (field, bytes); None when the
    /// signature has no positive literal (it is then tried on every event
    /// with its field).
    pub anchor: Option<(Field, Vec<u8>)>,
    /// Where in its field the anchor must lie (its pattern's offset and
    /// depth, or `startsWith`); anywhere when its window is relative.
    pub(crate) anchor_span: Span,
    /// Bits it tests and sets per flow (numbered by the matcher).
    pub flowbits: Option<Box<Flowbits>>,
}

impl Signature {
    /// The field a hit is reported on.
    pub fn hit_field(&self) -> Field {
        self.anchor
            .as_ref()
            .map_or(self.checks[0].field, |(f, _)| *f)
    }

    /// The rule header's ports against a flow's (originator, responder)
    /// ports: a `to_client` rule's source is the responder.
    pub fn ports_fit(&self, (orig, resp): (u16, u16)) -> bool {
        let (src, dst) = if self.direction == SigDirection::ToClient {
            (resp, orig)
        } else {
            (orig, resp)
        };
        let within = |ranges: &[(u16, u16)], p: u16| {
            ranges.is_empty() || ranges.iter().any(|&(lo, hi)| lo <= p && p <= hi)
        };
        within(&self.ports.0, src) && within(&self.ports.1, dst)
    }

    /// True when the signature checks `field`.
    pub fn reads(&self, field: Field) -> bool {
        self.checks.iter().any(|c| c.field == field)
    }

    pub fn holds(&self, values: &FieldValues<'_>) -> bool {
        self.checks
            .iter()
            .all(|c| values.get(c.field).is_some_and(|v| c.holds(v)))
    }
}

/// The events a field comes from: a signature must read one event.
fn family(f: Field) -> u8 {
    match f {
        Field::HttpMethod
        | Field::HttpUri
        | Field::HttpHost
        | Field::HttpUserAgent
        | Field::HttpReferrer
        | Field::HttpHeader
        | Field::HttpResponseHeader
        | Field::HttpRequestBody
        | Field::FileData => 0,
        Field::DnsQuery => 1,
        Field::TlsSni | Field::TlsSubject | Field::TlsIssuer => 2,
        Field::Payload => 3,
    }
}

fn field_of(name: &str) -> Result<Field, String> {
    Field::parse(name).ok_or_else(|| format!("field {name} is not in match plan v1"))
}

fn literal_bytes(s: &str) -> Result<Vec<u8>, String> {
    s.chars()
        .map(|c| {
            u8::try_from(c as u32)
                .map_err(|_| "a literal char above U+00FF is not one byte".to_owned())
        })
        .collect()
}

fn pattern(p: &RawPattern) -> Result<Pattern, String> {
    let bytes = literal_bytes(&p.literal)?;
    if bytes.is_empty() {
        return Err("an empty literal".into());
    }
    Ok(Pattern {
        bytes,
        nocase: p.nocase,
        negated: p.negated,
        starts_with: p.starts_with,
        ends_with: p.ends_with,
        offset: p.offset,
        depth: p.depth,
        distance: p.distance,
        within: p.within,
    })
}

/// The index of `field`'s check, added empty if it has none yet.
fn check_index(checks: &mut Vec<FieldCheck>, field: Field) -> usize {
    checks
        .iter()
        .position(|c| c.field == field)
        .unwrap_or_else(|| {
            checks.push(FieldCheck {
                field,
                patterns: Vec::new(),
                size: None,
                regex: None,
            });
            checks.len() - 1
        })
}

fn check_of(checks: &mut Vec<FieldCheck>, field: Field) -> &mut FieldCheck {
    let i = check_index(checks, field);
    &mut checks[i]
}

/// Compiles one signature of the plan. The error is the reason it was
/// refused, short enough to count by.
pub fn compile(raw: &RawSignature) -> Result<Signature, String> {
    if !raw.requires.is_empty() {
        return Err("flowbits chains as requires (the plan now says flowbits)".into());
    }
    let direction = match raw.direction.as_deref() {
        None => SigDirection::Any,
        Some("to_server") => SigDirection::ToServer,
        Some("to_client") => SigDirection::ToClient,
        Some(other) => return Err(format!("direction {other:?} is not to_server/to_client")),
    };
    // `http.header` means the header block of the direction the signature
    // looks at: the response's for `to_client`.
    let field_of = |name: &str| match field_of(name)? {
        Field::HttpHeader if direction == SigDirection::ToClient => Ok(Field::HttpResponseHeader),
        f => Ok::<_, String>(f),
    };
    let mut checks: Vec<FieldCheck> = Vec::new();
    // The rule's fast patterns (positive), in rule order, as (check,
    // pattern) indices.
    let mut fast: Vec<(usize, usize)> = Vec::new();
    for p in &raw.patterns {
        let f = field_of(&p.field)?;
        let compiled = pattern(p)?;
        let c = check_index(&mut checks, f);
        if p.fast_pattern && !p.negated {
            fast.push((c, checks[c].patterns.len()));
        }
        checks[c].patterns.push(compiled);
    }
    if let Some(r) = &raw.regex {
        let f = field_of(&r.field)?;
        check_of(&mut checks, f).regex = Some(compile_js_regex(&r.source, &r.flags)?);
    }
    for (name, RawSize { min, max }) in &raw.sizes {
        let f = field_of(name)?;
        check_of(&mut checks, f).size = Some((min.unwrap_or(0), max.unwrap_or(u64::MAX)));
    }
    if checks.is_empty() {
        // `flowbits:isset,x;` alone: every event of its protocol is tried,
        // and the bits decide. The event's always-present field carries it.
        let always = match raw.proto.as_deref() {
            Some("http") => Some(Field::HttpMethod),
            Some("dns") => Some(Field::DnsQuery),
            _ => None,
        };
        match always.filter(|_| raw.flowbits.is_some()) {
            Some(field) => {
                check_of(&mut checks, field);
            }
            None => return Err("nothing to match (no pattern, regex or size)".into()),
        }
    }
    let families: BTreeMap<u8, ()> = checks.iter().map(|c| (family(c.field), ())).collect();
    if families.len() > 1 {
        return Err("fields of different events".into());
    }
    // The anchor: the longest positive literal, a method last (short and
    // common, it would make every request a candidate).
    let longest = checks
        .iter()
        .enumerate()
        .flat_map(|(c, check)| {
            check
                .patterns
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.negated)
                .map(move |(i, p)| ((c, i), check.field, p.bytes.len()))
        })
        .max_by_key(|&(_, f, len)| (f != Field::HttpMethod, len))
        .map(|(at, ..)| at);
    // Unless the rule names its fast pattern in the same field: the longest
    // literal can be the common part (ET's DNS rules: a 7-byte query header,
    // in every query, beside a rare `|03|xyz|00|`). A fast pattern shorter
    // than a gram would be searched alone over every payload of its group,
    // and one in another field would change the field a hit is reported on.
    let fast = fast.into_iter().find(|&(c, i)| {
        longest.is_some_and(|(lc, _)| lc == c) && checks[c].patterns[i].bytes.len() >= GRAM
    });
    // The anchor's own pattern says where it can be found: the signature
    // holds only if it is found in its window.
    let (anchor, anchor_span) = match fast.or(longest) {
        Some((c, i)) => {
            let (field, ps) = (checks[c].field, &checks[c].patterns);
            let first = ps[..i].iter().all(|p| p.negated);
            (
                Some((field, ps[i].bytes.clone())),
                ps[i].absolute_span(first),
            )
        }
        None => (None, Span::ANY),
    };
    let set = raw
        .set
        .clone()
        .unwrap_or_else(|| raw.id.split(':').next().unwrap_or("").to_owned());
    let tcp_only = match raw.proto.as_deref() {
        Some("tcp") => Some(true),
        Some("udp") => Some(false),
        _ => None,
    };
    let ports = raw
        .ports
        .as_ref()
        .map_or_else(Default::default, |p| (p.src.clone(), p.dst.clone()));
    Ok(Signature {
        ports,
        tcp_only,
        id: Arc::from(raw.id.as_str()),
        set: Arc::from(set.as_str()),
        class: Arc::from(raw.class.as_str()),
        msg: Arc::from(raw.msg.as_str()),
        direction,
        checks,
        anchor,
        anchor_span,
        flowbits: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The anchor of ET 2029962's shape (an OpenNIC TLD query) with the
    /// given third pattern.
    fn anchor_with(third: serde_json::Value) -> Option<(Field, Vec<u8>)> {
        let raw: RawSignature = serde_json::from_value(json!({
            "id": "et-open:1", "proto": "ip",
            "patterns": [
                {"literal": "\u{1}", "field": "payload", "offset": 2, "depth": 1},
                {"literal": "\u{0}\u{1}\u{0}\u{0}\u{0}\u{0}\u{0}", "field": "payload", "distance": 1, "within": 7},
                third,
            ]
        }))
        .unwrap();
        compile(&raw).unwrap().anchor
    }

    const HEADER: &[u8] = b"\0\x01\0\0\0\0\0";

    #[test]
    fn the_rules_fast_pattern_anchors_when_in_the_same_field_and_a_gram_long() {
        let tld = json!({"literal": "\u{3}xyz\u{0}", "field": "payload", "distance": 0, "fastPattern": true});
        assert_eq!(
            anchor_with(tld),
            Some((Field::Payload, b"\x03xyz\0".to_vec()))
        );
        // Without it, the longest literal: the query header, in every query.
        let plain = json!({"literal": "\u{3}xyz\u{0}", "field": "payload", "distance": 0});
        assert_eq!(anchor_with(plain), Some((Field::Payload, HEADER.to_vec())));
        // Too short to be searched with the others; negated: no anchor.
        let short = json!({"literal": "\u{1}o\u{0}", "field": "payload", "fastPattern": true});
        assert_eq!(anchor_with(short), Some((Field::Payload, HEADER.to_vec())));
        let negated = json!({"literal": "\u{3}xyz\u{0}", "field": "payload", "negated": true, "fastPattern": true});
        assert_eq!(
            anchor_with(negated),
            Some((Field::Payload, HEADER.to_vec()))
        );
    }

    #[test]
    fn a_fast_pattern_in_another_field_leaves_the_reported_field_as_it_was() {
        let raw: RawSignature = serde_json::from_value(json!({
            "id": "et-open:2", "proto": "http",
            "patterns": [
                {"literal": "/login.php", "field": "http.uri", "fastPattern": true},
                {"literal": "password=secret", "field": "http.request_body"},
            ]
        }))
        .unwrap();
        let sig = compile(&raw).unwrap();
        assert_eq!(
            sig.anchor,
            Some((Field::HttpRequestBody, b"password=secret".to_vec()))
        );
    }
}

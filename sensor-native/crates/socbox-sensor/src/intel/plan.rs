//! Match plan v1: the JSON the rule compiler hands the sensor.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde_json::value::RawValue;

/// What kind of indicator a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IocKind {
    Domain,
    Ip,
    Url,
    Ja3,
    Ja4,
    Hash,
    /// A kind this sensor does not know: kept so the caller can say which
    /// lists are inactive.
    Unsupported,
}

impl IocKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Ip => "ip",
            Self::Url => "url",
            Self::Ja3 => "ja3",
            Self::Ja4 => "ja4",
            Self::Hash => "hash",
            Self::Unsupported => "unsupported",
        }
    }
}

/// A list of the plan. Entries borrow from the plan's JSON text where they
/// hold no escapes: a pack has hundreds of thousands of them, and a string
/// allocated and freed for each was a third of the time to parse it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntelList<'a> {
    pub id: String,
    pub ioc: IocKind,
    /// The `ioc` text as written in the plan.
    pub ioc_text: String,
    pub entries: Vec<Cow<'a, str>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatchPlan<'a> {
    pub intel: Vec<IntelList<'a>>,
    /// Content signatures, each the JSON text of one, read and compiled (or
    /// refused with a reason) on its own by `content::ContentMatcher`, so
    /// one bad signature costs no other. Kept as text: parsed into JSON
    /// trees first, the default pack's 4,312 signatures took 16 of the 23 ms
    /// to parse the whole plan, and 7 ms more to free the trees.
    pub content: Vec<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError(String);

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "match plan: {}", self.0)
    }
}

impl std::error::Error for PlanError {}

impl PlanError {
    pub fn new(reason: impl Into<String>) -> Self {
        Self(reason.into())
    }

    /// What is wrong, without the "match plan: " of its display.
    pub fn reason(&self) -> &str {
        &self.0
    }
}

#[derive(Deserialize)]
struct RawPlan<'a> {
    v: u32,
    #[serde(default, borrow)]
    intel: Vec<RawList<'a>>,
    #[serde(default, borrow)]
    content: Vec<&'a RawValue>,
}

/// A rule pack (the plan under `plan`, the rest skipped unread) or a bare
/// plan.
#[derive(Deserialize)]
struct RawPackOrPlan<'a> {
    #[serde(borrow)]
    plan: Option<RawPlan<'a>>,
    v: Option<u32>,
    #[serde(default, borrow)]
    intel: Vec<RawList<'a>>,
    #[serde(default, borrow)]
    content: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawList<'a> {
    list: String,
    ioc: String,
    #[serde(default, borrow)]
    entries: Vec<RawEntry<'a>>,
}

/// serde borrows a `Cow<str>` only as a field of its own, not as the item
/// of a `Vec`.
#[derive(Deserialize)]
struct RawEntry<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'a> MatchPlan<'a> {
    /// A bare plan, or the plan of a rule pack (its `plan`), as the CLI's
    /// `--plan FILE` takes either. Every reader takes both: a pack read as
    /// a bare plan would parse (it has `"v": 1` too) and silently load no
    /// lists and no signatures.
    pub fn parse(json: &'a str) -> Result<Self, PlanError> {
        let raw: RawPackOrPlan =
            serde_json::from_str(json).map_err(|e| PlanError(format!("not valid JSON: {e}")))?;
        let plan = match (raw.plan, raw.v) {
            (Some(plan), _) => plan,
            (None, Some(v)) => RawPlan {
                v,
                intel: raw.intel,
                content: raw.content,
            },
            (None, None) => {
                return Err(PlanError(
                    "neither a rule pack nor a match plan v1 (no \"v\": 1)".into(),
                ))
            }
        };
        Self::from_raw(plan)
    }

    fn from_raw(raw: RawPlan<'a>) -> Result<Self, PlanError> {
        if raw.v != 1 {
            return Err(PlanError(format!(
                "version {} is not supported (this sensor reads v1); update the sensor or \
                 compile the rule pack for v1",
                raw.v
            )));
        }
        let intel = raw
            .intel
            .into_iter()
            .map(|l| IntelList {
                ioc: match l.ioc.as_str() {
                    "domain" => IocKind::Domain,
                    "ip" => IocKind::Ip,
                    "url" => IocKind::Url,
                    "ja3" => IocKind::Ja3,
                    "ja4" => IocKind::Ja4,
                    "hash" => IocKind::Hash,
                    _ => IocKind::Unsupported,
                },
                id: l.list,
                ioc_text: l.ioc,
                entries: l.entries.into_iter().map(|e| e.0).collect(),
            })
            .collect();
        Ok(Self {
            intel,
            content: raw.content.into_iter().map(RawValue::get).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_contract_example() {
        let plan = MatchPlan::parse(
            r#"{"v":1,"intel":[{"list":"maltrail.suspicious","ioc":"domain","entries":["onion.to","ip-adress.com"]},
               {"list":"c2","ioc":"ip","entries":["198.51.100.7","2001:db8::/32"]},
               {"list":"ja3","ioc":"ja3","entries":["abc"]},
               {"list":"x","ioc":"yara","entries":["abc"]}],"content":[]}"#,
        )
        .unwrap();
        let kinds: Vec<_> = plan.intel.iter().map(|l| (l.id.as_str(), l.ioc)).collect();
        assert_eq!(
            kinds,
            [
                ("maltrail.suspicious", IocKind::Domain),
                ("c2", IocKind::Ip),
                ("ja3", IocKind::Ja3),
                ("x", IocKind::Unsupported)
            ]
        );
        assert_eq!(plan.intel[0].entries, ["onion.to", "ip-adress.com"]);
    }

    #[test]
    fn entries_borrow_from_the_text_unless_escaped() {
        let plan = MatchPlan::parse(
            r#"{"v":1,"intel":[{"list":"d","ioc":"domain","entries":["plain.example","esc\u0061ped.example"]}]}"#,
        )
        .unwrap();
        let entries = &plan.intel[0].entries;
        assert!(matches!(entries[0], Cow::Borrowed("plain.example")));
        assert!(matches!(&entries[1], Cow::Owned(s) if s == "escaped.example"));
    }

    #[test]
    fn a_packs_text_gives_its_plan_not_an_empty_one() {
        let pack = r#"{"v":1,"rules":[],"plan":{"v":1,"intel":[{"list":"c2","ioc":"ip","entries":["198.51.100.7"]}],"content":[]}}"#;
        let plan = MatchPlan::parse(pack).unwrap();
        assert_eq!(plan.intel.len(), 1);
        assert_eq!(plan.intel[0].entries, ["198.51.100.7"]);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        for (json, expect) in [
            (r#"{"v":2,"intel":[]}"#, "version 2 is not supported"),
            ("{", "not valid JSON"),
            (r#"{"v":1,"intel":[{"ioc":"ip"}]}"#, "missing field `list`"),
        ] {
            let msg = MatchPlan::parse(json).unwrap_err().to_string();
            assert!(
                msg.starts_with("match plan: ") && msg.contains(expect),
                "{msg}"
            );
        }
    }
}

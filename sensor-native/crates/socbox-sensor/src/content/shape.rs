//! The `ContentSignature` shape of `rules/feeds/et-open/content-signature.ts`
//! plus `set`, as the match plan carries it.

use std::collections::BTreeMap;

use serde::Deserialize;

pub use super::flowbits::RawFlowbits;

#[derive(Debug, Clone, Deserialize)]
pub struct RawPattern {
    pub literal: String,
    #[serde(default)]
    pub nocase: bool,
    pub field: String,
    #[serde(default)]
    pub negated: bool,
    #[serde(default, rename = "startsWith")]
    pub starts_with: bool,
    #[serde(default, rename = "endsWith")]
    pub ends_with: bool,
    pub offset: Option<i64>,
    pub depth: Option<i64>,
    pub distance: Option<i64>,
    pub within: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RawRegex {
    pub source: String,
    #[serde(default)]
    pub flags: String,
    pub field: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct RawSize {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RawSignature {
    pub id: String,
    /// Signature set (`et-open`); defaults to the id's prefix.
    pub set: Option<String>,
    #[serde(default)]
    pub msg: String,
    #[serde(default)]
    pub class: String,
    pub direction: Option<String>,
    /// `tcp`/`udp`/`ip` for raw payload; the app protocol otherwise.
    pub proto: Option<String>,
    #[serde(default)]
    pub patterns: Vec<RawPattern>,
    pub regex: Option<RawRegex>,
    #[serde(default)]
    pub sizes: BTreeMap<String, RawSize>,
    /// Header ports of the rule (inclusive ranges), `src`/`dst` as the rule
    /// header writes them; absent or empty: any port.
    #[serde(default)]
    pub ports: Option<RawPorts>,
    /// Flowbits chains folded into one signature (the older form of
    /// `flowbits`); counted and refused.
    #[serde(default)]
    pub requires: Vec<serde_json::Value>,
    /// Suricata flowbits: bits this signature tests and sets per flow.
    #[serde(default)]
    pub flowbits: Option<RawFlowbits>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawPorts {
    #[serde(default)]
    pub src: Vec<(u16, u16)>,
    #[serde(default)]
    pub dst: Vec<(u16, u16)>,
}

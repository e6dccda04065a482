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
    /// The rule's author chose this literal to be searched for first (Suricata
    /// `fast_pattern`): rarer in traffic than a longer one beside it can be.
    #[serde(default, rename = "fastPattern")]
    pub fast_pattern: bool,
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

/// A content signature as a plan holds it, not read yet: the JSON text of
/// one (a plan read from its file), or a JSON value (tests, built plans).
pub trait SignatureJson {
    fn read(&self) -> Result<RawSignature, serde_json::Error>;
}

impl SignatureJson for &str {
    fn read(&self) -> Result<RawSignature, serde_json::Error> {
        serde_json::from_str(self)
    }
}

impl SignatureJson for serde_json::Value {
    fn read(&self) -> Result<RawSignature, serde_json::Error> {
        RawSignature::deserialize(self)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawPorts {
    #[serde(default)]
    pub src: Vec<(u16, u16)>,
    #[serde(default)]
    pub dst: Vec<(u16, u16)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan read from its file hands signatures over as JSON text; tests
    /// and built plans as values. Both must read the same signature,
    /// escapes included.
    #[test]
    fn text_and_value_read_the_same_signature() {
        let texts = [
            r#"{"id":"s:1","msg":"caf\u00e9 \"quoted\"","class":"x","direction":"to_server",
                "patterns":[{"literal":"a\\x2e\u0000b","nocase":true,"field":"payload","depth":4}],
                "regex":{"source":"^\\/[a-z]+\\.php$","flags":"i","field":"http.uri"},
                "sizes":{"http.uri":{"min":3}},"ports":{"dst":[[80,80],[8000,8100]]},
                "flowbits":{"isset":["b"],"set":["c"]},"extra":[1,{"n":null}]}"#,
            r#"{"id":"s:2"}"#,
            r#"{"msg":"no id"}"#,
            r#"[1,2]"#,
        ];
        for text in texts {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            let from_text = text.read().map(|s| format!("{s:?}"));
            let from_value = value.read().map(|s| format!("{s:?}"));
            match (from_text, from_value) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("{text}: text read {a:?}, value read {b:?}"),
            }
        }
    }
}

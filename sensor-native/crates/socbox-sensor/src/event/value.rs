use std::net::IpAddr;

use crate::intel::Hit;

/// A field value as the encoders see it: borrowed, typed for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Str(&'a str),
    /// Text with no character JSON escapes, so written without looking for
    /// one (some 26 instructions per string saved; debug builds check): a
    /// name from the sensor's own tables (a `&'static str` field) or text
    /// made from a fixed alphabet (flag letters, a community id).
    Name(&'a str),
    Int(i64),
    /// A decimal number given in thousandths, written as JSON's shortest
    /// form (`7523` → `7.523`, `7500` → `7.5`, `7000` → `7`).
    Thousandths(i64),
    Bool(bool),
    Ip(IpAddr),
    StrList(&'a [String]),
    /// The `hits` array: `[{"list":…,"field":…,"indicator":…}]`.
    Hits(&'a [Hit]),
}

use std::net::IpAddr;

use crate::intel::Hit;

/// A field value as the encoders see it: borrowed, typed for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Str(&'a str),
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

use std::net::IpAddr;

use crate::intel::Hit;

/// A field value as the encoders see it: borrowed, typed for JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
    Ip(IpAddr),
    StrList(&'a [String]),
    /// The `hits` array: `[{"list":…,"field":…,"indicator":…}]`.
    Hits(&'a [Hit]),
}

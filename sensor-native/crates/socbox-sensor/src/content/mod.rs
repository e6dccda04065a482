//! Content signatures of match plan v1 (`dsl/schema/README.md` §3): literal
//! patterns found with one Aho-Corasick automaton per field, then confirmed
//! per candidate (windows, case, anchors, negation, sizes, regex). HTTP, DNS
//! and TLS fields are read from their events; raw payload from the first
//! bytes of each flow direction.

mod anchor_index;
mod compile;
mod confirm;
mod field;
mod flowbits;
mod literal_set;
mod matcher;
mod payload;
mod payload_groups;
mod regex_js;
mod shape;
mod tls_records;

pub use compile::{SigDirection, Signature};
pub use confirm::{patterns_hold, Pattern, RECURSION_LIMIT};
pub use field::{Field, FieldValues};
pub use flowbits::FlowBitStore;
pub use matcher::{ContentMatcher, ContentReport, InspectCaps};
pub use payload::FlowPayload;
pub use shape::SignatureJson;

#[cfg(test)]
mod tests;

//! Event encoders: NDJSON lines (what `socbox events` prints) and wire
//! batch v2 (what one napi call returns). Both write JSON bytes directly,
//! with no intermediate value tree.

mod derived_flow;
mod json;
mod ndjson;
mod padded;
mod wire;

#[cfg(test)]
mod golden_lateral_cases;
#[cfg(test)]
mod golden_tests;

pub use json::{write_json_str, write_value};
pub use ndjson::write_ndjson_line;
pub(crate) use padded::Fragment;
pub use wire::{encode_wire_batch, WIRE_VERSION};

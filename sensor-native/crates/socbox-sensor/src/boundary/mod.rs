//! What a host process (Node through napi) needs around a source: panics
//! turned into errors, and writing to a descriptor it owns. Kept here, free
//! of napi, so it is tested with `cargo test`.

mod fd_writer;
mod guarded;
mod ndjson_pump;

pub use fd_writer::FdWriter;
pub use guarded::{catch, CallError, Guarded};
pub use ndjson_pump::NdjsonPump;

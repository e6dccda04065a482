//! The bidirectional flow table: one entry per connection, with TCP state,
//! bytes and packets each way, idle and active timeouts and a hard cap on
//! entries. The per-flow protocol state (`S`) belongs to the caller.

pub mod ahead;
mod conn_state;
mod icmp;
mod index;
mod key;
mod oldest;
mod table;

pub use ahead::{quick_key, FlowAhead};
pub use conn_state::{flag_letters, ConnHistory, FlagLetters};
pub use icmp::{query_id as icmp_query_id, IcmpStats};
pub use key::{Direction, FlowKey};
pub(crate) use oldest::OldestFirst;
pub use table::{ConnRecord, EndedFlows, Flow, FlowLimits, FlowPacket, FlowTable, FlowTableStats};

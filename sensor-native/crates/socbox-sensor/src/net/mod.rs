//! Addresses and flows: CIDR blocks, home networks, community-id and
//! IPv4 text.

pub(crate) mod cidr;
mod community_id;
mod dotted_quad;
mod home_nets;

pub use cidr::{Cidr, CidrError};
pub use community_id::{community_id_v1, icmp_ports, is_community_id_v1, CommunityId, FlowTuple};
pub use dotted_quad::{dotted_quad, write_dotted_quad};
pub use home_nets::HomeNets;

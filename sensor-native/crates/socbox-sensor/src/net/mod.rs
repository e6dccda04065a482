//! Addresses and flows: CIDR blocks, home networks and community-id.

pub(crate) mod cidr;
mod community_id;
mod home_nets;

pub use cidr::{Cidr, CidrError};
pub use community_id::{community_id_v1, icmp_ports, is_community_id_v1, CommunityId, FlowTuple};
pub use home_nets::HomeNets;

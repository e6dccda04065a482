//! Native intel matching: the IOC lists of a match plan v1
//! (`dsl/schema/README.md` §3) and the hits they produce.

mod domain_set;
mod ip_set;
mod list_ids;
mod matcher;
mod plan;

pub use domain_set::DomainSet;
pub use ip_set::IpSet;
pub use matcher::{Hit, IntelMatcher};
pub use plan::{IntelList, IocKind, MatchPlan, PlanError};

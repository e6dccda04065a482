//! Native intel matching: the IOC lists of a match plan v1
//! (`dsl/schema/README.md` §3) and the hits they produce.

mod domain_set;
mod ip_set;
mod list_ids;
mod matcher;
mod plan;
mod str_table;
mod url;
mod url_scope;

pub use domain_set::DomainSet;
pub use ip_set::IpSet;
pub use matcher::{Hit, IntelMatcher, IntelSizes};
pub use plan::{IntelList, IocKind, MatchPlan, PlanError};
pub use url::{normalise_url_entry, request_url};

use std::net::IpAddr;
use std::sync::Arc;

use super::{DomainSet, IocKind, IpSet, MatchPlan};
use crate::net::Cidr;

/// One list entry that matched one field of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub list: Arc<str>,
    pub ioc: &'static str,
    /// The entry that matched (for domains the parent actually listed).
    pub indicator: String,
    /// The value observed in the event.
    pub value: String,
    /// The event field that hit, e.g. `query` or `dst.ip`.
    pub field: &'static str,
}

/// All IOC lists of a plan, ready for lookups.
#[derive(Debug, Default, Clone)]
pub struct IntelMatcher {
    lists: Vec<Arc<str>>,
    domains: DomainSet,
    ips: IpSet,
    /// Entries that were neither a domain nor an address, per list kind.
    skipped_entries: usize,
}

impl IntelMatcher {
    pub fn new(plan: &MatchPlan) -> Self {
        let mut m = Self::default();
        for (id, list) in plan.intel.iter().enumerate() {
            let id = id as u32;
            m.lists.push(Arc::from(list.id.as_str()));
            for entry in &list.entries {
                let ok = match list.ioc {
                    IocKind::Domain => m.domains.insert(entry, id),
                    IocKind::Ip => match entry.parse::<Cidr>() {
                        Ok(c) => {
                            m.ips.insert(c, id);
                            true
                        }
                        Err(_) => false,
                    },
                    IocKind::Unsupported => true,
                };
                if !ok {
                    m.skipped_entries += 1;
                }
            }
        }
        m
    }

    /// Entries dropped because they were empty or not an address/CIDR.
    pub fn skipped_entries(&self) -> usize {
        self.skipped_entries
    }

    pub fn is_empty(&self) -> bool {
        self.domains.is_empty() && self.ips.is_empty()
    }

    /// Adds a hit per list that holds `name` or a parent of it.
    pub fn match_domain(&self, name: &str, field: &'static str, hits: &mut Vec<Hit>) {
        self.domains.lookup(name, |id, entry| {
            hits.push(Hit {
                list: self.lists[id as usize].clone(),
                ioc: "domain",
                indicator: entry.to_owned(),
                value: name.to_owned(),
                field,
            })
        });
    }

    /// Adds a hit per list with an address or block containing `ip`.
    pub fn match_ip(&self, ip: IpAddr, field: &'static str, hits: &mut Vec<Hit>) {
        self.ips.lookup(ip, |id, block| {
            let full = if ip.is_ipv4() { 32 } else { 128 };
            let indicator = if block.prefix() == full {
                block.network().to_string()
            } else {
                block.to_string()
            };
            hits.push(Hit {
                list: self.lists[id as usize].clone(),
                ioc: "ip",
                indicator,
                value: ip.to_string(),
                field,
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_name_list_entry_value_and_field() {
        let plan = MatchPlan::parse(
            r#"{"v":1,"intel":[{"list":"sus","ioc":"domain","entries":["onion.to"]},
                {"list":"c2","ioc":"ip","entries":["198.51.100.0/24","203.0.113.9","nonsense"]}]}"#,
        )
        .unwrap();
        let m = IntelMatcher::new(&plan);
        assert_eq!(m.skipped_entries(), 1);
        let mut hits = Vec::new();
        m.match_domain("badsite.onion.to", "query", &mut hits);
        m.match_ip("198.51.100.7".parse().unwrap(), "dst.ip", &mut hits);
        m.match_ip("203.0.113.9".parse().unwrap(), "answers", &mut hits);
        m.match_ip("203.0.113.10".parse().unwrap(), "answers", &mut hits);
        let got: Vec<_> = hits
            .iter()
            .map(|h| {
                (
                    &*h.list,
                    h.ioc,
                    h.indicator.as_str(),
                    h.value.as_str(),
                    h.field,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("sus", "domain", "onion.to", "badsite.onion.to", "query"),
                ("c2", "ip", "198.51.100.0/24", "198.51.100.7", "dst.ip"),
                ("c2", "ip", "203.0.113.9", "203.0.113.9", "answers"),
            ]
        );
    }
}

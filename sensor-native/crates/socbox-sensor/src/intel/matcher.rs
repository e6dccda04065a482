use std::net::IpAddr;
use std::sync::Arc;

use super::domain_set::Seen;
use super::str_table::StrTable;
use super::url::{lookup_keys, normalise_url_entry, request_url};
use super::url_scope::{scope_of, UrlScopes};
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

/// Entries per IOC kind and memory of the loaded sets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntelSizes {
    pub domain: usize,
    pub ip: usize,
    pub url: usize,
    pub ja3: usize,
    pub ja4: usize,
    pub hash: usize,
    /// Heap bytes of all sets (arenas, tables).
    pub heap_bytes: usize,
}

/// All IOC lists of a plan, ready for lookups.
#[derive(Debug, Default, Clone)]
pub struct IntelMatcher {
    lists: Vec<Arc<str>>,
    domains: DomainSet,
    ips: IpSet,
    urls: StrTable,
    url_scopes: UrlScopes,
    ja3: StrTable,
    ja4: StrTable,
    hashes: StrTable,
    /// Entries that were not valid for their list's kind.
    skipped_entries: usize,
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// JA4 as FoxIO writes it: `t13d1516h2_8daaf6152771_e5627efa2ab1`.
fn looks_like_ja4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('_').collect();
    parts.len() == 3 && parts[0].len() == 10 && is_hex(parts[1]) && is_hex(parts[2])
}

impl IntelMatcher {
    pub fn new(plan: &MatchPlan) -> Self {
        let mut m = Self::default();
        // Room for every entry up front (duplicates over-reserve a little;
        // `shrink` gives it back), so the tables never rehash while loading.
        let sized = |kind: IocKind| {
            plan.intel
                .iter()
                .filter(|l| l.ioc == kind)
                .flat_map(|l| &l.entries)
                .fold((0, 0), |(n, bytes), e| (n + 1, bytes + e.len()))
        };
        let (n, bytes) = sized(IocKind::Domain);
        m.domains.reserve(n, bytes);
        m.ips.reserve(sized(IocKind::Ip).0);
        for (kind, table) in [
            (IocKind::Url, &mut m.urls),
            (IocKind::Ja3, &mut m.ja3),
            (IocKind::Ja4, &mut m.ja4),
            (IocKind::Hash, &mut m.hashes),
        ] {
            let (n, bytes) = sized(kind);
            table.reserve(n, bytes);
        }
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
                    IocKind::Url => normalise_url_entry(entry).is_some_and(|u| {
                        m.url_scopes.insert(&u);
                        m.urls.insert(u.as_bytes(), id)
                    }),
                    IocKind::Ja3 => {
                        let e = entry.trim().to_ascii_lowercase();
                        e.len() == 32 && is_hex(&e) && m.ja3.insert(e.as_bytes(), id)
                    }
                    IocKind::Ja4 => {
                        let e = entry.trim().to_ascii_lowercase();
                        looks_like_ja4(&e) && m.ja4.insert(e.as_bytes(), id)
                    }
                    IocKind::Hash => {
                        let e = entry.trim().to_ascii_lowercase();
                        matches!(e.len(), 32 | 40 | 64)
                            && is_hex(&e)
                            && m.hashes.insert(e.as_bytes(), id)
                    }
                    IocKind::Unsupported => true,
                };
                if !ok {
                    m.skipped_entries += 1;
                }
            }
        }
        m.domains.shrink();
        m.url_scopes.shrink();
        m.ips.shrink();
        for t in [&mut m.urls, &mut m.ja3, &mut m.ja4, &mut m.hashes] {
            t.shrink();
        }
        m
    }

    /// Entries dropped because they were not valid for their list's kind.
    pub fn skipped_entries(&self) -> usize {
        self.skipped_entries
    }

    pub fn sizes(&self) -> IntelSizes {
        IntelSizes {
            domain: self.domains.len(),
            ip: self.ips.len(),
            url: self.urls.len(),
            ja3: self.ja3.len(),
            ja4: self.ja4.len(),
            hash: self.hashes.len(),
            heap_bytes: self.domains.heap_bytes()
                + self.ips.heap_bytes()
                + [&self.urls, &self.ja3, &self.ja4, &self.hashes]
                    .iter()
                    .map(|t| t.heap_bytes())
                    .sum::<usize>(),
        }
    }

    pub fn is_empty(&self) -> bool {
        let s = self.sizes();
        s.domain + s.ip + s.url + s.ja3 + s.ja4 + s.hash == 0
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

    /// A request (`host` header, request target `uri`) against the URL
    /// lists (§3): its normalised form, that form without the query, its
    /// query and directory prefixes (entries ending in `=`, `&`, `?`, `/`),
    /// each with the host and as the path alone (path-only entries match on
    /// any host); the most specific key per list. The hit's field is `uri`.
    pub fn match_url(&self, host: Option<&str>, uri: &str, hits: &mut Vec<Hit>) {
        if self.urls.len() == 0 {
            return;
        }
        let Some(url) = request_url(host, uri) else {
            return;
        };
        // A key that starts with `/` has the scope of the form's path, any
        // other key the scope of the form (tested in url_scope), so two
        // lookups say which keys can be in the table; most requests stop
        // here. A `?` in the host (a forged Host header) breaks that, so
        // such forms ask key by key.
        let path_at = super::url::path_start(&url);
        let by_half = memchr::memchr(b'?', &url.as_bytes()[..path_at]).is_none();
        let (host_known, path_known) = if by_half {
            let known = |scope: &str| self.url_scopes.contains(scope);
            (known(scope_of(&url)), known(scope_of(&url[path_at..])))
        } else {
            (true, true)
        };
        if !host_known && !path_known {
            return;
        }
        let mut seen = Seen::default();
        for key in lookup_keys(&url) {
            let known = if !by_half {
                self.url_scopes.contains(scope_of(key))
            } else if key.starts_with('/') {
                path_known
            } else {
                host_known
            };
            if known {
                self.url_probe(key, &url, &mut seen, hits);
            }
        }
    }

    fn url_probe(&self, key: &str, url: &str, seen: &mut Seen, hits: &mut Vec<Hit>) {
        let Some(ids) = self.urls.get(key.as_bytes()) else {
            return;
        };
        for &id in ids {
            if seen.first(id) {
                hits.push(Hit {
                    list: self.lists[id as usize].clone(),
                    ioc: "url",
                    indicator: key.to_owned(),
                    value: url.to_owned(),
                    field: "uri",
                });
            }
        }
    }

    /// Exact, lower-case match of a JA3 (`ioc` "ja3"), JA4 ("ja4") or hash
    /// ("hash") value.
    pub fn match_exact(&self, ioc: IocKind, value: &str, field: &'static str, hits: &mut Vec<Hit>) {
        let (table, name) = match ioc {
            IocKind::Ja3 => (&self.ja3, "ja3"),
            IocKind::Ja4 => (&self.ja4, "ja4"),
            IocKind::Hash => (&self.hashes, "hash"),
            _ => return,
        };
        if table.len() == 0 || value.is_empty() {
            return;
        }
        let lower;
        let key = if value.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = value.to_ascii_lowercase();
            &lower
        } else {
            value
        };
        if let Some(ids) = table.get(key.as_bytes()) {
            for &id in ids {
                hits.push(Hit {
                    list: self.lists[id as usize].clone(),
                    ioc: name,
                    indicator: key.to_owned(),
                    value: value.to_owned(),
                    field,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(hits: &[Hit]) -> Vec<(&str, &str, &str, &str, &str)> {
        hits.iter()
            .map(|h| {
                (
                    &*h.list,
                    h.ioc,
                    h.indicator.as_str(),
                    h.value.as_str(),
                    h.field,
                )
            })
            .collect()
    }

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
        assert_eq!(
            summary(&hits),
            [
                ("sus", "domain", "onion.to", "badsite.onion.to", "query"),
                ("c2", "ip", "198.51.100.0/24", "198.51.100.7", "dst.ip"),
                ("c2", "ip", "203.0.113.9", "203.0.113.9", "answers"),
            ]
        );
    }

    #[test]
    fn url_lists_exact_prefix_and_path_only() {
        let plan = MatchPlan::parse(
            r#"{"v":1,"intel":[
                {"list":"u1","ioc":"url","entries":["http://Evil.example/gate.php?id=1","evil.example/kit/","ftp://x/y"]},
                {"list":"u2","ioc":"url","entries":["evil.example/kit/a/","/wp-content/x.php","evil.example/"]}]}"#,
        )
        .unwrap();
        let m = IntelMatcher::new(&plan);
        assert_eq!((m.skipped_entries(), m.sizes().url), (1, 5));
        let run = |host: Option<&str>, uri: &str| {
            let mut hits = Vec::new();
            m.match_url(host, uri, &mut hits);
            summary(&hits)
                .into_iter()
                .map(|(l, _, i, v, _)| format!("{l} {i} {v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            run(Some("evil.example:80"), "/gate.php?id=1"),
            [
                "u1 evil.example/gate.php?id=1 evil.example/gate.php?id=1",
                "u2 evil.example/ evil.example/gate.php?id=1"
            ]
        );
        assert_eq!(
            run(Some("evil.example"), "/gate.php?id=2"),
            ["u2 evil.example/ evil.example/gate.php?id=2"]
        );
        assert_eq!(
            run(Some("evil.example"), "/kit/a/b.js"),
            [
                "u2 evil.example/kit/a/ evil.example/kit/a/b.js",
                "u1 evil.example/kit/ evil.example/kit/a/b.js"
            ]
        );
        assert_eq!(
            run(Some("good.example"), "/wp-content/x.php"),
            ["u2 /wp-content/x.php good.example/wp-content/x.php"]
        );
        assert_eq!(
            run(Some("good.example"), "/wp-content/x.phpx"),
            Vec::<String>::new()
        );
        assert_eq!(
            run(Some("evil.example:8080"), "/kit/"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn url_lists_query_prefixes_and_no_catch_all() {
        let plan = MatchPlan::parse(
            r#"{"v":1,"intel":[
                {"list":"u","ioc":"url","entries":["/","/?","evil.example/p.php","/$rdgate?ACTION=","https://Evil.example:443/%7eu/"]}]}"#,
        )
        .unwrap();
        let m = IntelMatcher::new(&plan);
        assert_eq!((m.skipped_entries(), m.sizes().url), (2, 3));
        let run = |host: Option<&str>, uri: &str| {
            let mut hits = Vec::new();
            m.match_url(host, uri, &mut hits);
            summary(&hits)
                .into_iter()
                .map(|(_, _, i, _, _)| i.to_string())
                .collect::<Vec<_>>()
        };
        // An entry without a query matches any query.
        assert_eq!(
            run(Some("evil.example"), "/p.php?id=3"),
            ["evil.example/p.php"]
        );
        // An entry ending in `=` is a prefix of the query.
        assert_eq!(
            run(Some("any.example"), "/$rdgate?ACTION=1&x=2"),
            ["/$rdgate?ACTION="]
        );
        // Escapes normalised on both sides.
        assert_eq!(run(Some("evil.example"), "/~u/a"), ["evil.example/~u/"]);
        assert_eq!(run(Some("evil.example"), "/%7Eu/a"), ["evil.example/~u/"]);
        // The bare path `/` matches nothing.
        for uri in ["/", "/index.html", "/?q=1"] {
            assert!(run(Some("good.example"), uri).is_empty(), "{uri}");
        }
    }

    #[test]
    fn ja3_ja4_and_hashes_are_exact_and_lower_case() {
        let md5 = "d41d8cd98f00b204e9800998ecf8427e";
        let sha256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        let json = format!(
            r#"{{"v":1,"intel":[
                {{"list":"j3","ioc":"ja3","entries":["72A589DA586844D7F0818CE684948EEA","short"]}},
                {{"list":"j4","ioc":"ja4","entries":["t13d1516h2_8daaf6152771_e5627efa2ab1","nope"]}},
                {{"list":"h","ioc":"hash","entries":["{md5}","{sha256}","abc"]}}]}}"#
        );
        let plan = MatchPlan::parse(&json).unwrap();
        let m = IntelMatcher::new(&plan);
        assert_eq!(m.skipped_entries(), 3);
        let mut hits = Vec::new();
        m.match_exact(
            IocKind::Ja3,
            "72a589da586844d7f0818ce684948eea",
            "ja3",
            &mut hits,
        );
        m.match_exact(
            IocKind::Ja4,
            "t13d1516h2_8daaf6152771_e5627efa2ab1",
            "ja4",
            &mut hits,
        );
        m.match_exact(
            IocKind::Ja4,
            "t13d1516h2_8daaf6152771_e5627efa2ab2",
            "ja4",
            &mut hits,
        );
        m.match_exact(
            IocKind::Hash,
            &sha256.to_ascii_lowercase(),
            "sha256",
            &mut hits,
        );
        m.match_exact(
            IocKind::Hash,
            "D41D8CD98F00B204E9800998ECF8427E",
            "md5",
            &mut hits,
        );
        m.match_exact(IocKind::Hash, md5, "ja3", &mut hits[..0].to_vec());
        let got: Vec<_> = summary(&hits)
            .into_iter()
            .map(|(l, i, _, _, f)| (l, i, f))
            .collect();
        assert_eq!(
            got,
            [
                ("j3", "ja3", "ja3"),
                ("j4", "ja4", "ja4"),
                ("h", "hash", "sha256"),
                ("h", "hash", "md5")
            ]
        );
        assert_eq!(hits[3].indicator, md5);
    }
}

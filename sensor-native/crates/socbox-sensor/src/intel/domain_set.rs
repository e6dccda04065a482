use foldhash::HashMap;

use super::list_ids::ListIds;

/// Domain entries of all lists, matched by parent suffix: an entry matches
/// itself and every name below it.
#[derive(Debug, Default, Clone)]
pub struct DomainSet {
    entries: HashMap<Box<str>, ListIds>,
}

/// Lowercase, without a leading `*.`/`.` or trailing dot: the form queries
/// are kept in.
pub(crate) fn normalise_domain(entry: &str) -> Option<String> {
    let e = entry.trim();
    let e = e.strip_prefix("*.").unwrap_or(e);
    let e = e.trim_start_matches('.').trim_end_matches('.');
    (!e.is_empty()).then(|| e.to_ascii_lowercase())
}

impl DomainSet {
    pub fn insert(&mut self, entry: &str, list: u32) -> bool {
        let Some(name) = normalise_domain(entry) else {
            return false;
        };
        match self.entries.get_mut(name.as_str()) {
            Some(ids) => ids.add(list),
            None => {
                self.entries
                    .insert(name.into_boxed_str(), ListIds::One(list));
            }
        }
        true
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Calls `hit(list, entry)` once per list that holds `name` or one of its
    /// parents, with the longest such entry. `name` must be lowercase.
    pub fn lookup(&self, name: &str, mut hit: impl FnMut(u32, &str)) {
        if self.entries.is_empty() {
            return;
        }
        let name = name.trim_end_matches('.');
        let mut seen: Vec<u32> = Vec::new();
        let mut suffix = name;
        loop {
            if let Some(ids) = self.entries.get(suffix) {
                for &id in ids.as_slice() {
                    if !seen.contains(&id) {
                        seen.push(id);
                        hit(id, suffix);
                    }
                }
            }
            match suffix.find('.') {
                Some(dot) => suffix = &suffix[dot + 1..],
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(set: &DomainSet, name: &str) -> Vec<(u32, String)> {
        let mut v = Vec::new();
        set.lookup(name, |id, e| v.push((id, e.to_owned())));
        v
    }

    #[test]
    fn parent_suffix_longest_per_list() {
        let mut set = DomainSet::default();
        set.insert("onion.to", 0);
        set.insert("Evil.Example.", 1);
        set.insert("*.example", 1);
        set.insert("a.evil.example", 2);
        set.insert("", 0);
        assert_eq!(set.len(), 4);
        let cases: &[(&str, &[(u32, &str)])] = &[
            ("badsite.onion.to", &[(0, "onion.to")]),
            ("onion.to", &[(0, "onion.to")]),
            ("notonion.to", &[]),
            (
                "x.a.evil.example",
                &[(2, "a.evil.example"), (1, "evil.example")],
            ),
            ("other.example", &[(1, "example")]),
            ("to", &[]),
            ("", &[]),
        ];
        for (name, expect) in cases {
            let expect: Vec<(u32, String)> =
                expect.iter().map(|(i, e)| (*i, e.to_string())).collect();
            assert_eq!(hits(&set, name), expect, "{name}");
        }
    }
}

use super::str_table::StrTable;

/// Domain entries of all lists, matched by parent suffix: an entry matches
/// itself and every name below it.
#[derive(Debug, Default, Clone)]
pub struct DomainSet {
    entries: StrTable,
}

/// Without a leading `*.`/`.` or trailing dot (lower-cased, it is the form
/// queries are kept in).
fn trim_domain(entry: &str) -> &str {
    let e = entry.trim();
    let e = e.strip_prefix("*.").unwrap_or(e);
    e.trim_start_matches('.').trim_end_matches('.')
}

impl DomainSet {
    pub fn insert(&mut self, entry: &str, list: u32) -> bool {
        let name = trim_domain(entry);
        if name.is_empty() {
            return false;
        }
        // Feed entries are nearly all lower case already: no copy for them.
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.entries
                .insert(name.to_ascii_lowercase().as_bytes(), list)
        } else {
            self.entries.insert(name.as_bytes(), list)
        }
    }

    /// Makes room for `entries` more entries of `bytes` in all.
    pub(crate) fn reserve(&mut self, entries: usize, bytes: usize) {
        self.entries.reserve(entries, bytes);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    pub(crate) fn shrink(&mut self) {
        self.entries.shrink();
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.entries.heap_bytes()
    }

    /// Calls `hit(list, entry)` once per list that holds `name` or one of its
    /// parents, with the longest such entry. `name` must be lowercase.
    pub fn lookup(&self, name: &str, mut hit: impl FnMut(u32, &str)) {
        if self.is_empty() {
            return;
        }
        let name = name.trim_end_matches('.');
        let mut seen = Seen::default();
        let mut suffix = name;
        loop {
            if let Some(ids) = self.entries.get(suffix.as_bytes()) {
                for &id in ids {
                    if seen.first(id) {
                        hit(id, suffix);
                    }
                }
            }
            // memchr: `str::find(char)` cost ~110 instructions per label.
            match memchr::memchr(b'.', suffix.as_bytes()) {
                Some(dot) => suffix = &suffix[dot + 1..],
                None => break,
            }
        }
    }
}

/// Lists already reported in one lookup; a few fit inline, so a lookup
/// does not allocate.
#[derive(Default)]
pub(crate) struct Seen {
    inline: [u32; 8],
    n: usize,
    more: Vec<u32>,
}

impl Seen {
    /// True the first time `id` is offered.
    pub(crate) fn first(&mut self, id: u32) -> bool {
        if self.inline[..self.n].contains(&id) || self.more.contains(&id) {
            return false;
        }
        if self.n < self.inline.len() {
            self.inline[self.n] = id;
            self.n += 1;
        } else {
            self.more.push(id);
        }
        true
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

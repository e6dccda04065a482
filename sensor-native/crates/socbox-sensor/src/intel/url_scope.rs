//! Scopes of URL list entries: the host of an entry that names one
//! (`evil.example/`), or the first path segment of a path-only entry
//! (`/wp-content/`). A request's form yields up to a dozen lookup keys
//! (`lookup_keys`), all of one host and one first segment; asking for the
//! scope first skips them all when no entry could share them, which is
//! almost every request.

use hashbrown::HashSet;
// Per request: `str::find(char)` cost ~140 instructions a scope.
use memchr::memchr;

#[derive(Debug, Default, Clone)]
pub(crate) struct UrlScopes {
    scopes: HashSet<Box<str>, foldhash::fast::RandomState>,
}

impl UrlScopes {
    pub(crate) fn insert(&mut self, entry: &str) {
        self.scopes
            .get_or_insert_with(scope_of(entry), |s| s.into());
    }

    pub(crate) fn contains(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    pub(crate) fn shrink(&mut self) {
        self.scopes.shrink_to_fit();
    }
}

/// The scope of a URL in the §3 form: up to and including its first `/`
/// when it names a host; for a path, up to and including its second `/`
/// if that comes before any `?`, else up to the `?`, else all of it. A key
/// equal to an entry has the entry's scope, so a key whose scope is not in
/// the set cannot be in the table.
pub(crate) fn scope_of(url: &str) -> &str {
    let b = url.as_bytes();
    let end = if url.starts_with('/') {
        let query = memchr(b'?', b).unwrap_or(b.len());
        match memchr(b'/', &b[1..query]) {
            Some(i) => i + 2,
            None => query,
        }
    } else {
        memchr(b'/', b).map_or(b.len(), |i| i + 1)
    };
    &url[..end]
}

#[cfg(test)]
mod tests {
    use super::super::url::{lookup_keys, path_start};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn scopes() {
        for (url, scope) in [
            ("evil.example/kit/a.php?x=1", "evil.example/"),
            ("evil.example/", "evil.example/"),
            ("/wp-content/x.php", "/wp-content/"),
            ("/gate.php?u=/a/b", "/gate.php"),
            ("/gate.php", "/gate.php"),
            ("/p/", "/p/"),
        ] {
            assert_eq!(scope_of(url), scope, "{url}");
        }
    }

    proptest! {
        /// What `match_url` relies on to skip keys after two lookups: a key
        /// that starts with `/` has the scope of the form's path, any other
        /// key the scope of the form.
        #[test]
        fn a_forms_keys_have_the_forms_or_its_paths_scope(
            // No `?` in the host: `match_url` asks key by key for those.
            host in "[a-z.=&]{0,6}",
            path in "(/[a-z?=&]{0,3}){1,4}(\\?([a-z/?]{0,2}[=&]?){0,4})?",
        ) {
            let form = format!("{host}{path}");
            let (whole, of_path) = (scope_of(&form), scope_of(&form[path_start(&form)..]));
            for key in lookup_keys(&form) {
                let (scope, want) = (scope_of(key), if key.starts_with('/') { of_path } else { whole });
                prop_assert_eq!(scope, want, "{}: {}", form, key);
            }
        }
    }
}

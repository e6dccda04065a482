//! URL form of match plan §3: no scheme, lower-case host, default port
//! dropped, fragment dropped, path and query as sent
//! (`evil.example/gate.php?id=1`). List entries and observed requests are
//! both brought to it, so matching is string equality (or an entry ending
//! in `/` as a prefix).

/// A list entry in the §3 form. An entry that is only a path (`/gate.php`)
/// stays a path and matches that path on any host. None for an entry that
/// is empty or has a scheme other than http/https.
pub fn normalise_url_entry(entry: &str) -> Option<String> {
    let e = entry.trim();
    let e = e.split('#').next().unwrap_or("");
    if e.is_empty() {
        return None;
    }
    if e.starts_with('/') {
        return Some(e.to_owned());
    }
    let scheme_end = e.find("://").filter(|&i| {
        i > 0
            && e.as_bytes()[0].is_ascii_alphabetic()
            && e[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    let (rest, default_port) = match scheme_end {
        Some(i) => {
            let scheme = &e[..i];
            let port = if scheme.eq_ignore_ascii_case("http") {
                "80"
            } else if scheme.eq_ignore_ascii_case("https") {
                "443"
            } else {
                return None;
            };
            (&e[i + 3..], port)
        }
        None => (e, "80"),
    };
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    // user:pass@ is not part of what a request shows.
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let host = strip_port(authority, default_port);
    if host.is_empty() {
        return None;
    }
    Some(join(host, path))
}

/// The form of an observed HTTP request: `host` is the Host header (lower
/// case), `uri` the request target. An absolute-form target
/// (`GET http://h/p`, proxies) names its own host. None when there is no
/// origin-form path to match.
pub fn request_url(host: Option<&str>, uri: &str) -> Option<String> {
    let uri = uri.split('#').next().unwrap_or("");
    let lower = uri
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return normalise_url_entry(uri);
    }
    if !uri.starts_with('/') {
        return None;
    }
    match host {
        Some(h) if !h.is_empty() => Some(join(&strip_port(h, "80").to_ascii_lowercase(), uri)),
        _ => Some(uri.to_owned()),
    }
}

fn strip_port<'a>(authority: &'a str, default_port: &str) -> &'a str {
    match authority.rsplit_once(':') {
        Some((h, p)) if p == default_port && (!h.contains(':') || h.ends_with(']')) => h,
        _ => authority,
    }
}

fn join(host: &str, path: &str) -> String {
    let mut s = String::with_capacity(host.len() + path.len() + 1);
    s.push_str(&host.to_ascii_lowercase());
    if !path.starts_with('/') {
        s.push('/');
    }
    s.push_str(path);
    s
}

/// Where the path starts in a normalised URL (0 for a path-only one).
pub(crate) fn path_start(url: &str) -> usize {
    if url.starts_with('/') {
        0
    } else {
        url.find('/').unwrap_or(url.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn entries() {
        for (entry, expect) in [
            (
                "evil.example/gate.php?id=1",
                Some("evil.example/gate.php?id=1"),
            ),
            (
                "HTTP://Evil.EXAMPLE:80/Gate.php#frag",
                Some("evil.example/Gate.php"),
            ),
            ("https://evil.example:443/a/", Some("evil.example/a/")),
            ("https://evil.example:80/a", Some("evil.example:80/a")),
            ("http://evil.example:8080", Some("evil.example:8080/")),
            ("evil.example?x=1", Some("evil.example/?x=1")),
            ("http://user:pw@evil.example/x", Some("evil.example/x")),
            ("http://[2001:db8::1]:80/x", Some("[2001:db8::1]/x")),
            ("/gate.php", Some("/gate.php")),
            ("ftp://evil.example/x", None),
            ("", None),
            ("#only", None),
            ("http:///x", None),
        ] {
            assert_eq!(normalise_url_entry(entry).as_deref(), expect, "{entry}");
        }
    }

    #[test]
    fn requests() {
        for (host, uri, expect) in [
            (
                Some("evil.example:80"),
                "/gate.php?id=1",
                Some("evil.example/gate.php?id=1"),
            ),
            (
                Some("evil.example:8080"),
                "/a#b",
                Some("evil.example:8080/a"),
            ),
            (None, "/a", Some("/a")),
            (
                Some("proxy"),
                "HTTP://Evil.example/x",
                Some("evil.example/x"),
            ),
            (Some("h"), "*", None),
            (Some("Upper.Example"), "/P", Some("upper.example/P")),
        ] {
            assert_eq!(request_url(host, uri).as_deref(), expect, "{host:?} {uri}");
        }
    }

    proptest! {
        /// What a request shows and what a list says of the same URL agree.
        #[test]
        fn request_and_entry_agree(
            host in "[a-zA-Z0-9.-]{1,20}",
            port in prop::option::of(prop_oneof![Just(80u16), 1u16..65535]),
            path in "(/[a-zA-Z0-9._~%!$&'()*+,;=:@-]{0,8}){1,4}(\\?[a-z0-9=&]{0,10})?",
        ) {
            let authority = match port { Some(p) => format!("{host}:{p}"), None => host.clone() };
            let from_request = request_url(Some(&authority.to_ascii_lowercase()), &path);
            let from_entry = normalise_url_entry(&format!("http://{authority}{path}"));
            prop_assert_eq!(&from_request, &from_entry);
            let url = from_entry.unwrap();
            prop_assert!(url[path_start(&url)..].starts_with('/'));
            // Idempotent.
            prop_assert_eq!(normalise_url_entry(&url), Some(url.clone()));
        }

        #[test]
        fn never_panics(entry in "\\PC{0,40}", uri in "\\PC{0,40}") {
            let _ = normalise_url_entry(&entry);
            let _ = request_url(Some(&entry), &uri);
        }
    }
}

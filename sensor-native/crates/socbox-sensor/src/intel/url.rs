//! URL form of match plan §3: no scheme, lower-case host, default port
//! dropped, fragment dropped, percent-escapes of unreserved characters
//! decoded and others in upper-case hex, path and query kept
//! (`evil.example/gate.php?id=1`). List entries and observed requests are
//! both brought to it, so matching is a few exact lookups (`lookup_keys`).

/// A list entry in the §3 form. An entry that is only a path (`/gate.php`)
/// stays a path and matches that path on any host. None for an entry that
/// is empty, has a scheme other than http(s)/ws(s), or is the bare path `/`
/// (it would match every request).
pub fn normalise_url_entry(entry: &str) -> Option<String> {
    let e = entry.trim();
    let e = e.split('#').next().unwrap_or("").trim();
    if e.is_empty() {
        return None;
    }
    if e.starts_with('/') {
        let path = normalise_percent(e);
        return (path != "/" && path != "/?").then_some(path);
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
            let port = if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("ws") {
                "80"
            } else if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("wss") {
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
    let uri = &uri[..memchr::memchr(b'#', uri.as_bytes()).unwrap_or(uri.len())];
    // A scheme is looked for in the first 8 bytes, and only in a target
    // that has them whole.
    let head = uri.get(..8).unwrap_or_default().as_bytes();
    if ["http://", "https://", "ws://", "wss://"].iter().any(|s| {
        head.get(..s.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(s.as_bytes()))
    }) {
        return normalise_url_entry(uri);
    }
    if !uri.starts_with('/') {
        return None;
    }
    match host {
        Some(h) if !h.is_empty() => Some(join(strip_port(h, "80"), uri)),
        _ => Some(normalise_percent(uri)),
    }
}

/// Drops the scheme's default port, and `:80` whatever the scheme (a
/// request's Host header keeps no scheme).
fn strip_port<'a>(authority: &'a str, default_port: &str) -> &'a str {
    match authority.rsplit_once(':') {
        Some((h, p))
            if (p == default_port || p == "80") && (!h.contains(':') || h.ends_with(']')) =>
        {
            h
        }
        _ => authority,
    }
}

/// Built in one string: a request is matched per event, and copies of
/// its parts were four allocations each time.
fn join(host: &str, path: &str) -> String {
    let mut s = String::with_capacity(host.len() + path.len() + 1);
    s.push_str(host);
    s.make_ascii_lowercase();
    // Escapes are never decoded to `/`: the path starts with one as sent.
    if !path.starts_with('/') {
        s.push('/');
    }
    push_normalised_percent(path, &mut s);
    s
}

/// `%xx` of an unreserved character decoded, every other escape in
/// upper-case hex (RFC 3986 §6.2.2), as the feed build writes entries.
pub(crate) fn normalise_percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_normalised_percent(text, &mut out);
    out
}

/// [`normalise_percent`] appended to `out`.
fn push_normalised_percent(text: &str, out: &mut String) {
    if !text.contains('%') {
        out.push_str(text);
        return;
    }
    let b = text.as_bytes();
    let mut i = 0;
    let mut plain = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let (h, l) = (b[i + 1], b[i + 2]);
            if let (Some(hv), Some(lv)) = (hex(h), hex(l)) {
                out.push_str(&text[plain..i]);
                let c = hv * 16 + lv;
                if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~') {
                    out.push(c as char);
                } else {
                    out.push('%');
                    out.push(h.to_ascii_uppercase() as char);
                    out.push(l.to_ascii_uppercase() as char);
                }
                i += 3;
                plain = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&text[plain..]);
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The keys under which a list entry can match a request form, most
/// specific first: the form itself; the form without its query (an entry
/// without a query matches any query); every prefix ending in `=`, `&` or
/// `?` inside the query (entries such as `gate.php?id=`) or in `/` inside
/// the path (directory entries such as `evil.example/kit/`). All of it
/// twice: with the host, and as the path alone (path-only entries match on
/// any host). The bare path `/` is never a key.
pub(crate) fn lookup_keys(form: &str) -> Vec<&str> {
    // A key equal to another is always pushed right after it (the form
    // ending in `=`, the path ending in `/` before `?`); a repeat would only
    // cost a lookup, as hits are kept once per list.
    fn push<'a>(keys: &mut Vec<&'a str>, k: &'a str) {
        if k != "/" && keys.last() != Some(&k) {
            keys.push(k);
        }
    }
    let mut keys: Vec<&str> = Vec::new();
    let path_at = path_start(form);
    let with_host_too = path_at > 0 && path_at < form.len();
    for f in [Some(form), with_host_too.then(|| &form[path_at..])]
        .into_iter()
        .flatten()
    {
        let query = f.find('?');
        push(&mut keys, f);
        if let Some(q) = query {
            for i in (q + 1..f.len()).rev() {
                if matches!(f.as_bytes()[i], b'=' | b'&') {
                    push(&mut keys, &f[..=i]);
                }
            }
            push(&mut keys, &f[..=q]);
            push(&mut keys, &f[..q]);
        }
        let end = query.unwrap_or(f.len());
        for i in (path_start(f)..end).rev() {
            if f.as_bytes()[i] == b'/' {
                push(&mut keys, &f[..=i]);
            }
        }
    }
    keys
}

/// Where the path starts in a normalised URL (0 for a path-only one).
pub(crate) fn path_start(url: &str) -> usize {
    if url.starts_with('/') {
        0
    } else {
        memchr::memchr(b'/', url.as_bytes()).unwrap_or(url.len())
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
            ("http://evil.example:8080", Some("evil.example:8080/")),
            ("evil.example?x=1", Some("evil.example/?x=1")),
            ("http://user:pw@evil.example/x", Some("evil.example/x")),
            ("http://[2001:db8::1]:80/x", Some("[2001:db8::1]/x")),
            ("/gate.php", Some("/gate.php")),
            ("/%7eu/%2f", Some("/~u/%2F")),
            ("https://evil.example:80/a", Some("evil.example/a")),
            ("wss://evil.example:443/s", Some("evil.example/s")),
            ("/", None),
            ("/?", None),
            ("ftp://evil.example/x", None),
            ("", None),
            ("#only", None),
            ("http:///x", None),
        ] {
            assert_eq!(normalise_url_entry(entry).as_deref(), expect, "{entry}");
        }
    }

    #[test]
    fn keys() {
        assert_eq!(
            lookup_keys("evil.example/kit/gate.php?id=7&x=1"),
            [
                "evil.example/kit/gate.php?id=7&x=1",
                "evil.example/kit/gate.php?id=7&x=",
                "evil.example/kit/gate.php?id=7&",
                "evil.example/kit/gate.php?id=",
                "evil.example/kit/gate.php?",
                "evil.example/kit/gate.php",
                "evil.example/kit/",
                "evil.example/",
                "/kit/gate.php?id=7&x=1",
                "/kit/gate.php?id=7&x=",
                "/kit/gate.php?id=7&",
                "/kit/gate.php?id=",
                "/kit/gate.php?",
                "/kit/gate.php",
                "/kit/",
            ]
        );
        assert_eq!(lookup_keys("a.example/"), ["a.example/"]);
        assert!(lookup_keys("/").is_empty());
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
            (Some("h"), "/a%2f%41", Some("h/a%2FA")),
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
            if let Some(u) = request_url(Some(&entry), &uri) {
                let keys = lookup_keys(&u);
                prop_assert!(!keys.contains(&"/"));
                let mut unique = keys.clone();
                unique.sort_unstable();
                unique.dedup();
                prop_assert_eq!(unique.len(), keys.len(), "{:?}", keys);
            }
        }
    }
}

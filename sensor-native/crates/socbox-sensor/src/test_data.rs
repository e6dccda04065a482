//! Shared helpers for tests: the shared capture folder and sample events.

use std::path::PathBuf;

use crate::event::{Body, DnsBody, Endpoint, Event};

/// `../shared/data` beside the repository. Tests that need it fail (never
/// skip) when it is missing.
pub(crate) fn shared_data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data");
    assert!(
        dir.join("README.md").is_file(),
        "shared captures not found at {}: these tests read ../shared/data beside the repository \
         checkout; lay it out there (it is part of the workplace, not of the repo)",
        dir.display()
    );
    dir
}

/// Path of a capture under the shared data folder.
pub(crate) fn shared_capture(rel: &str) -> PathBuf {
    let path = shared_data_dir().join(rel);
    assert!(
        path.is_file(),
        "capture {} is missing from shared data",
        path.display()
    );
    path
}

/// The example event of `dsl/schema/README.md` §1.
pub(crate) fn sample_dns_event() -> Event {
    Event {
        ts: 1_700_000_000_123,
        flow: "1:Xb0=".into(),
        src: Endpoint {
            ip: "10.0.0.5".parse().unwrap(),
            port: Some(53211),
            internal: true,
        },
        dst: Endpoint {
            ip: "8.8.8.8".parse().unwrap(),
            port: Some(53),
            internal: false,
        },
        body: Body::Dns(DnsBody {
            query: "example.com".into(),
            qtype: "A".into(),
            rcode: Some("NOERROR".into()),
            answers: vec!["93.184.216.34".into()],
            ttl: Some(300),
            proto: "udp",
            trans_id: 4660,
        }),
        hits: Vec::new(),
    }
}

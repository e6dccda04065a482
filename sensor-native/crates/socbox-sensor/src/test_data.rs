//! Shared helpers for tests: the shared capture folder, sample events, and
//! a writer whose bytes the test reads back.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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
        flow_proto: None,
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

/// Builders of frames for pipeline tests.
pub(crate) mod frames {
    use std::net::Ipv4Addr;

    /// An Ethernet frame carrying an IPv4 packet with the given fragment
    /// fields (`offset` in bytes) around `payload`.
    pub(crate) fn eth_ipv4(
        src: Ipv4Addr,
        dst: Ipv4Addr,
        proto: u8,
        id: u16,
        offset: u16,
        more: bool,
        payload: &[u8],
    ) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
        f.extend_from_slice(&((20 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&id.to_be_bytes());
        let flags = (offset / 8) | if more { 0x2000 } else { 0 };
        f.extend_from_slice(&flags.to_be_bytes());
        f.extend_from_slice(&[64, proto, 0, 0]);
        f.extend_from_slice(&src.octets());
        f.extend_from_slice(&dst.octets());
        f.extend_from_slice(payload);
        f
    }

    /// A UDP header and payload.
    pub(crate) fn udp(src_port: u16, dst_port: u16, payload: &[u8]) -> Vec<u8> {
        let mut d = src_port.to_be_bytes().to_vec();
        d.extend_from_slice(&dst_port.to_be_bytes());
        d.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(payload);
        d
    }

    /// A TCP header (no options) and payload.
    pub(crate) fn tcp(
        src_port: u16,
        dst_port: u16,
        seq: u32,
        ack: u32,
        flags: u8,
        payload: &[u8],
    ) -> Vec<u8> {
        let mut d = src_port.to_be_bytes().to_vec();
        d.extend_from_slice(&dst_port.to_be_bytes());
        d.extend_from_slice(&seq.to_be_bytes());
        d.extend_from_slice(&ack.to_be_bytes());
        d.extend_from_slice(&[5 << 4, flags, 0xff, 0xff, 0, 0, 0, 0]);
        d.extend_from_slice(payload);
        d
    }

    /// A TCP conversation as frames: handshake, then each (from_client,
    /// bytes) segment in order, then FINs both ways.
    pub(crate) fn tcp_conversation(
        client: (Ipv4Addr, u16),
        server: (Ipv4Addr, u16),
        segments: &[(bool, &[u8])],
    ) -> Vec<Vec<u8>> {
        let (mut cseq, mut sseq) = (1000u32, 5000u32);
        let frame = |from_client: bool, seq, ack, flags, data: &[u8]| {
            let (s, d) = if from_client {
                (client, server)
            } else {
                (server, client)
            };
            eth_ipv4(
                s.0,
                d.0,
                6,
                0,
                0,
                false,
                &tcp(s.1, d.1, seq, ack, flags, data),
            )
        };
        let mut frames = vec![
            frame(true, cseq, 0, 0x02, &[]),
            frame(false, sseq, cseq + 1, 0x12, &[]),
        ];
        cseq += 1;
        sseq += 1;
        frames.push(frame(true, cseq, sseq, 0x10, &[]));
        for (from_client, data) in segments {
            if *from_client {
                frames.push(frame(true, cseq, sseq, 0x18, data));
                cseq += data.len() as u32;
            } else {
                frames.push(frame(false, sseq, cseq, 0x18, data));
                sseq += data.len() as u32;
            }
        }
        frames.push(frame(true, cseq, sseq, 0x11, &[]));
        frames.push(frame(false, sseq, cseq + 1, 0x11, &[]));
        frames
    }

    /// A DNS query for `name` (type A) with id `id`.
    pub(crate) fn dns_query(id: u16, name: &str) -> Vec<u8> {
        let mut m = id.to_be_bytes().to_vec();
        m.extend_from_slice(&[1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        for label in name.split('.') {
            m.push(label.len() as u8);
            m.extend_from_slice(label.as_bytes());
        }
        m.extend_from_slice(&[0, 0, 1, 0, 1]);
        m
    }
}

/// Frames of a few shared captures (DNS, HTTP, TLS, fragments, several
/// link types), loaded once, as seeds for the property tests.
pub(crate) fn seed_frames() -> &'static [(crate::capture::LinkType, Vec<u8>)] {
    use crate::capture::{CaptureFile, Record};
    static SEEDS: std::sync::OnceLock<Vec<(crate::capture::LinkType, Vec<u8>)>> =
        std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut frames = Vec::new();
        for rel in [
            "MALSITE/maltrail__dns_queries.pcap",
            "MALSITE/maltrail__http_trails.pcap",
            "MALSITE/maltrail__tls_sni.pcap",
            "BENIGN/chrissanders-packets__dns_query_response.pcapng",
            "suricata-verify/tests/dns/dns-incomplete/input.pcap",
            "suricata-verify/tests/http-ipv6/input.pcap",
            "suricata-verify/tests/output-eve-smb-01/input.pcap",
            "suricata-verify/tests/dns/dns-udp-eve-log-srv/input.pcap",
            "PARSERS/ja4/pcap/tls-alpn-h2.pcap",
            "LATERAL/pcap-attack__DCSync_krbtgt_dcerpc_smb.pcapng",
            "suricata-verify/tests/krb5-request-frag-log/krb5-frag.pcap",
            "suricata-verify/tests/dcerpc/dcerpc-smb-ctxid/input.pcap",
        ] {
            let capture = CaptureFile::open(shared_capture(rel)).unwrap();
            let mut reader = capture.reader().unwrap();
            loop {
                match reader.next(capture.bytes()) {
                    Record::Packet(p) => frames.push((p.link_type, p.data.to_vec())),
                    Record::Skipped => {}
                    Record::Truncated | Record::End => break,
                }
            }
        }
        frames
    })
}

/// Raw bytes of a shared capture file.
pub(crate) fn capture_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(shared_capture(rel)).unwrap()
}

/// A writer into memory the test reads back (it may be moved to another
/// thread), failing as a closed pipe does once it would hold more than
/// `fail_after` bytes.
#[derive(Clone)]
pub(crate) struct SharedWriter {
    bytes: Arc<Mutex<Vec<u8>>>,
    fail_after: usize,
}

impl SharedWriter {
    pub(crate) fn new() -> Self {
        Self::failing_after(usize::MAX)
    }

    pub(crate) fn failing_after(fail_after: usize) -> Self {
        Self {
            bytes: Arc::default(),
            fail_after,
        }
    }

    /// The bytes written so far.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        self.bytes.lock().unwrap().clone()
    }
}

impl Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = self.bytes.lock().unwrap();
        if bytes.len() + buf.len() > self.fail_after {
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "reader gone"));
        }
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

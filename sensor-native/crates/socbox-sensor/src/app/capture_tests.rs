//! Files, TLS server sides, SSH, RDP, SMTP, FTP and ICMP from the shared
//! captures. Every expectation here was read with tshark first (export
//! objects + sha256sum/md5sum for files; x509 fields and `openssl x509
//! -nameopt RFC2253` for certificates; ssh.protocol, rdp.*, ftp.request,
//! smtp.req and imf.subject for the rest).

use crate::event::{Body, Event};
use crate::source::{EventSource, SourceOptions};
use crate::test_data::shared_capture;

fn events(rel: &str) -> Vec<Event> {
    let mut src = EventSource::open(shared_capture(rel), SourceOptions::default()).unwrap();
    let mut all = Vec::new();
    loop {
        let batch = src.next_events(4096);
        if batch.is_empty() {
            break;
        }
        all.extend(batch);
    }
    all
}

fn files(rel: &str) -> Vec<crate::event::FileBody> {
    events(rel)
        .into_iter()
        .filter_map(|e| match e.body {
            Body::File(f) => Some(f),
            _ => None,
        })
        .collect()
}

#[test]
fn http_downloads_hash_like_tshark_export_objects() {
    // tshark --export-objects http + sha256sum/md5sum.
    let got: Vec<_> = files("MALSITE/chrissanders-packets__aurora.pcapng")
        .into_iter()
        .map(|f| {
            (
                f.size,
                f.magic.as_str(),
                f.complete,
                f.sha256.unwrap(),
                f.md5.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                11266,
                "html",
                true,
                "d9e680e12574b0131e7b89919b184c5fd876f7f96d9b8a12ca21e8fa5b29504f".into(),
                "e57c4c6e23918f92cd0586404b88b9fb".into()
            ),
            (
                43,
                "unknown",
                true,
                "548f2d6f4d0d820c6c5ffbeffcbd7f0e73193e2932eefe542accc84762deec87".into(),
                "df3e567d6f16d040326c7a0ea29a4f41".into()
            ),
        ]
    );
    // An upload (form post) and its response.
    let got: Vec<_> = files("C2/ndpi__trickbot.pcap")
        .into_iter()
        .map(|f| (f.direction, f.size, f.sha256.unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "upload",
                928,
                "7f3ed2d877ca54fbcad1d231e2cfa0c860679e82cd41bf881493362a488f5f4d".into()
            ),
            (
                "download",
                56532,
                "e650cbb86cdc8055a77ce7f43c7d2a97393047d798a8d6049ef93c41ca23e2dc".into()
            ),
        ]
    );
}

#[test]
fn a_cut_exe_download_is_typed_and_named_but_not_hashed() {
    // The capture stops after 13296 of the 679008 bytes Content-Length
    // announces (tshark cannot export it either).
    let f = files("MALDL/ndpi__exe_download.pcap");
    assert_eq!(f.len(), 1);
    let f = &f[0];
    assert_eq!(
        (
            f.source,
            f.direction,
            f.name.as_deref(),
            f.size,
            f.complete,
            f.magic.as_str()
        ),
        (
            "http",
            "download",
            Some("phn34ycjtghm.exe"),
            13296,
            false,
            "pe"
        )
    );
    assert_eq!(
        (
            f.host.as_deref(),
            f.uri.as_deref(),
            f.mime.as_deref(),
            &f.sha256
        ),
        (
            Some("144.91.69.195"),
            Some("/solar.php"),
            Some("application/octet-stream"),
            &None
        )
    );
}

#[test]
fn tls_server_side_with_the_leaf_certificate() {
    let tls: Vec<_> = events("C2/ndpi__tls_malicious_sha1.pcapng")
        .into_iter()
        .filter_map(|e| match e.body {
            Body::Tls(t) => Some((e.ts, t)),
            _ => None,
        })
        .collect();
    assert_eq!(tls.len(), 1);
    let (ts, t) = &tls[0];
    // ts is the ClientHello's, not the certificate's.
    assert_eq!(*ts, 1702228308374);
    assert_eq!(
        (t.cipher.as_deref(), t.ja3s.as_deref()),
        (
            Some("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Some("e2bc06b738d7e5d2b0cec5d2196b1d80")
        )
    );
    assert_eq!(
        (t.subject.as_deref(), t.issuer.as_deref()),
        (
            Some("CN=www.prbtest.dev"),
            Some("CN=GTS CA 1D4,O=Google Trust Services LLC,C=US")
        )
    );
    assert_eq!(
        (t.not_before, t.not_after),
        (Some(1701175811000), Some(1708954762000))
    );
    assert_eq!(
        t.cert_sha1.as_deref(),
        Some("0ddb34f875632c7e1ec09d75827f82d2336dfeb6")
    );
}

fn bodies(rel: &str, kind: &str) -> Vec<Body> {
    events(rel)
        .into_iter()
        .filter(|e| e.kind() == kind)
        .map(|e| e.body)
        .collect()
}

fn app_of_conns(rel: &str) -> Vec<Option<&'static str>> {
    bodies(rel, "conn")
        .into_iter()
        .map(|b| match b {
            Body::Conn(c) => c.app,
            _ => unreachable!(),
        })
        .collect()
}

#[test]
fn ssh_banners_both_sides() {
    let got = bodies("BENIGN/ja4__ssh.pcapng", "ssh");
    assert_eq!(
        got,
        [Body::Ssh(crate::event::SshBody {
            client: Some("SSH-2.0-OpenSSH_7.6p1 Ubuntu-4ubuntu0.5".into()),
            server: Some("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1".into()),
        })]
    );
    assert_eq!(app_of_conns("BENIGN/ja4__ssh.pcapng"), [Some("ssh")]);
}

#[test]
fn rdp_connection_requests() {
    use crate::event::RdpBody;
    let rdp = |cookie: Option<&str>| {
        Body::Rdp(RdpBody {
            cookie: cookie.map(Into::into),
            protocols: vec!["tls".into(), "hybrid".into(), "hybrid_ex".into()],
            selected: Some("hybrid_ex"),
        })
    };
    assert_eq!(bodies("BENIGN/ndpi__rdp.pcap", "rdp"), [rdp(None)]);
    assert_eq!(app_of_conns("BENIGN/ndpi__rdp.pcap"), [Some("rdp")]);
    assert_eq!(
        bodies("LATERAL/pcap-attack__LM_rdp_sharprdp.pcapng", "rdp"),
        [rdp(Some("IEUser")), rdp(Some("IEUser"))]
    );
}

#[test]
fn ftp_commands_with_replies() {
    let got: Vec<_> = bodies("PARSERS/ndpi/pcap/ftp.pcap", "ftp")
        .into_iter()
        .map(|b| match b {
            Body::Ftp(f) => (f.command, f.arg, f.reply, f.user),
            _ => unreachable!(),
        })
        .collect();
    let user = Some("anonymous".to_string());
    assert_eq!(got.len(), 16);
    assert_eq!(
        got[0],
        ("USER".into(), user.clone(), Some(331), user.clone())
    );
    assert_eq!(
        got[1],
        ("PASS".into(), None, Some(230), user.clone()),
        "password not kept"
    );
    assert_eq!(
        got[14],
        (
            "RETR".into(),
            Some("1MB.zip".into()),
            Some(226),
            user.clone()
        )
    );
    assert_eq!(got[15], ("QUIT".into(), None, Some(221), user));
}

#[test]
fn smtp_transaction() {
    let got = bodies(
        "C2/malcolm-test-artifacts__a30789ce-1e1c-4f96-a097-78c34b9fb612.pcap",
        "smtp",
    );
    let [Body::Smtp(m)] = &got[..] else {
        panic!("{got:?}")
    };
    assert_eq!(
        (
            m.helo.as_deref(),
            m.from.as_deref(),
            &m.to[..],
            m.subject.as_deref(),
            m.status
        ),
        (
            Some("User-PC"),
            Some("shipping@oceanskylogistics.in"),
            &["bkhin.supply@gmail.com".to_string()][..],
            Some("PW_admin/USER-PC"),
            Some(250)
        )
    );
    assert!(m.bytes.unwrap() > 0 && !m.starttls);
}

#[test]
fn icmp_flows_with_sizes_and_entropy() {
    // 6 port-unreachable messages (tshark: icmp.type 3, code 10); entropy
    // over their payloads computed from the raw bytes.
    let got = bodies("RECON/esnet-curated-pcaps__nmap_80_all.pcap", "icmp");
    assert_eq!(
        got,
        [Body::Icmp(crate::event::IcmpBody {
            icmp_type: 3,
            code: 10,
            pkts: 6,
            bytes: 264,
            max_len: 44,
            entropy_milli: 4037,
        })]
    );
    // A DNS tunnel is DNS: no ICMP, no files.
    let kinds: Vec<_> = events("C2/ndpi__dns-tunnel-iodine.pcap")
        .iter()
        .map(|e| e.kind())
        .filter(|k| *k != "dns" && *k != "conn")
        .collect();
    assert!(kinds.is_empty(), "{kinds:?}");
}

#[test]
fn ftp_data_connection_is_a_named_file() {
    // PASV (227 … 90,130,70,73,95,203) then RETR 1MB.zip: the data
    // connection to port 24523 carries 76 segments of 1440 bytes (tshark
    // conv/tcp.len), one of them out of order, which tshark's ftp-data
    // export drops (108000 bytes). The capture stops before the server's
    // FIN (conn S1; the 150 reply announces 1048576 bytes), so the file is
    // not complete and not hashed.
    let f = files("PARSERS/ndpi/pcap/ftp.pcap");
    assert_eq!(f.len(), 1, "the LIST connection is a listing, not a file");
    let f = &f[0];
    assert_eq!(
        (
            f.source,
            f.direction,
            f.name.as_deref(),
            f.size,
            f.complete,
            &f.sha256
        ),
        ("ftp", "download", Some("1MB.zip"), 109440, false, &None)
    );
}

//! SMB, DCE/RPC and Kerberos events from shared captures, checked against
//! what tshark shows in the same files (the expectations below were read
//! off `tshark -r FILE -Y smb2|dcerpc|kerberos -T fields …`).

use crate::encode::write_ndjson_line;
use crate::event::{Body, DceRpcBody, Event, FileBody, KerberosBody, SmbBody};
use crate::source::{EventSource, SourceOptions};
use crate::test_data::shared_capture;

/// All events of a shared capture.
pub(crate) fn capture_events(rel: &str) -> Vec<Event> {
    let mut src = EventSource::open(shared_capture(rel), SourceOptions::default()).unwrap();
    let mut all = Vec::new();
    loop {
        let batch = src.next_events(4096);
        if batch.is_empty() {
            return all;
        }
        all.extend(batch);
    }
}

/// Events of one kind as NDJSON lines (for messages and eyeballing).
pub(crate) fn lines(events: &[Event], kind: &str) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.kind() == kind)
        .map(|e| {
            let mut out = Vec::new();
            write_ndjson_line(&mut out, e);
            String::from_utf8(out).unwrap().trim_end().to_string()
        })
        .collect()
}

fn smb(events: &[Event]) -> Vec<&SmbBody> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            Body::Smb(s) => Some(&**s),
            _ => None,
        })
        .collect()
}

fn files(events: &[Event]) -> Vec<&FileBody> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            Body::File(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn dcerpc(events: &[Event]) -> Vec<&DceRpcBody> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            Body::DceRpc(d) => Some(&**d),
            _ => None,
        })
        .collect()
}

fn conn_apps(events: &[Event]) -> Vec<(u16, Option<&'static str>)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            Body::Conn(c) => Some((e.dst.port.unwrap_or(0), c.app)),
            _ => None,
        })
        .collect()
}

/// PsExec: NTLM login as 3B\backdoor, ADMIN$ tree, PSEXESVC.exe written
/// (65536 + 65536 + 12288 + 2208 bytes in four WRITEs, tshark
/// `smb2.write_length`), the PSEXESVC pipes on IPC$; svcctl over TCP on the
/// port the endpoint mapper gave (49688).
#[test]
fn psexec_over_smb2_and_svcctl() {
    let events = capture_events("LATERAL/pcap-attack__LM_psexec_smb_dcerpc_epm_svcctl.pcapng");
    let s = smb(&events);
    let summary: Vec<String> = s
        .iter()
        .map(|b| {
            format!(
                "{} {} {} {}",
                b.command,
                b.share.as_deref().unwrap_or("-"),
                b.name.as_deref().unwrap_or("-"),
                b.status.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "SESSION_SETUP - - STATUS_SUCCESS",
            "TREE_CONNECT ADMIN$ - STATUS_SUCCESS",
            "CREATE ADMIN$ PSEXESVC.exe STATUS_SUCCESS",
            "CLOSE ADMIN$ PSEXESVC.exe STATUS_SUCCESS",
            "TREE_CONNECT IPC$ - STATUS_SUCCESS",
            "CREATE IPC$ PSEXESVC STATUS_SUCCESS",
            "CREATE IPC$ PSEXESVC-02694W-WIN10-13272-stdin STATUS_SUCCESS",
            "CREATE IPC$ PSEXESVC-02694W-WIN10-13272-stdout STATUS_SUCCESS",
            "CREATE IPC$ PSEXESVC-02694W-WIN10-13272-stderr STATUS_SUCCESS",
        ],
        "{:#?}",
        lines(&events, "smb")
    );
    assert_eq!(
        (
            s[0].user.as_deref(),
            s[0].domain.as_deref(),
            s[0].workstation.as_deref()
        ),
        (Some("backdoor"), Some("3B"), Some("02694W-WIN10"))
    );
    assert_eq!(s[0].version, 3, "dialect 3.1.1");
    assert_eq!(s[1].tree.as_deref(), Some("\\\\172.16.66.36\\ADMIN$"));
    assert_eq!((s[2].created, s[2].pipe), (Some(true), Some(false)));
    assert_eq!(
        (s[3].bytes_written, s[3].bytes_read),
        (Some(145_568), Some(0))
    );
    assert_eq!((s[5].pipe, s[5].created), (Some(true), Some(false)));

    let ops: Vec<String> = dcerpc(&events)
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d.service.unwrap_or("-"),
                d.opnum.map_or("-".into(), |n| n.to_string()),
                d.operation.unwrap_or("-")
            )
        })
        .collect();
    // tshark: ept_map on 135, then on 49688 opnums 15, 45, 0, 16, 19, 6, 6, 0, 0
    // (45 is RCreateServiceWOW64W in [MS-SCMR], which tshark leaves unnamed).
    assert_eq!(
        ops,
        [
            "epmapper 3 ept_map",
            "svcctl 15 OpenSCManagerW",
            "svcctl 45 CreateServiceWOW64W",
            "svcctl 0 CloseServiceHandle",
            "svcctl 16 OpenServiceW",
            "svcctl 19 StartServiceW",
            "svcctl 6 QueryServiceStatus",
            "svcctl 6 QueryServiceStatus",
            "svcctl 0 CloseServiceHandle",
            "svcctl 0 CloseServiceHandle",
        ]
    );
    assert!(dcerpc(&events).iter().all(|d| d.transport == "tcp"));

    // The service binary as `tshark --export-objects smb` writes it
    // (sha256sum/md5sum of %5cPSEXESVC.exe); pipe data is not a file.
    let files = files(&events);
    assert_eq!(files.len(), 1, "{:#?}", lines(&events, "file"));
    let f = files[0];
    assert_eq!(
        (f.source, f.direction, f.name.as_deref(), f.size, f.complete),
        ("smb", "upload", Some("PSEXESVC.exe"), 145_568, true)
    );
    assert_eq!(f.magic, crate::file::Magic::Pe);
    assert_eq!(
        f.sha256.as_deref(),
        Some("141b2190f51397dbd0dfde0e3904b264c91b6f81febc823ff0c33da980b69944")
    );
    assert_eq!(f.md5.as_deref(), Some("75b55bb34dac9d02740b9ad6b6820360"));
    let apps = conn_apps(&events);
    assert!(apps.contains(&(445, Some("smb"))), "{apps:?}");
    assert!(apps.contains(&(135, Some("dcerpc"))), "{apps:?}");
    assert!(apps.contains(&(49688, Some("dcerpc"))), "{apps:?}");
}

/// WMI process creation: DCOM activation (ISystemActivator
/// RemoteCreateInstance), IWbemLevel1Login NTLMLogin, IWbemServices
/// GetObject then ExecMethod (Win32_Process.Create); tshark's
/// `dcerpc.cn_bind_to_uuid` and `dcerpc.opnum` per context.
#[test]
fn wmi_process_call_create() {
    let events = capture_events("LATERAL/pcap-attack__LM_WMI_ProcessCallCreate.pcapng");
    let calls: Vec<(Option<&str>, Option<u16>, Option<&str>)> = dcerpc(&events)
        .iter()
        .map(|d| (d.service, d.opnum, d.operation))
        .collect();
    assert_eq!(
        calls,
        [
            (
                Some("isystemactivator"),
                Some(4),
                Some("RemoteCreateInstance")
            ),
            (Some("iremunknown2"), Some(3), Some("RemQueryInterface")),
            (None, Some(3), None),
            (Some("iwbemlevel1login"), Some(3), Some("EstablishPosition")),
            (Some("iwbemlevel1login"), Some(6), Some("NTLMLogin")),
            (Some("iremunknown2"), Some(5), Some("RemRelease")),
            (Some("iwbemservices"), Some(6), Some("GetObject")),
            (Some("iwbemservices"), Some(24), Some("ExecMethod")),
            (Some("iremunknown2"), Some(5), Some("RemRelease")),
        ],
        "{:#?}",
        lines(&events, "dcerpc")
    );
    // The context rebound to an interface without a name keeps its UUID.
    assert_eq!(
        dcerpc(&events)[2].interface.as_deref(),
        Some("d4781cd6-e5d3-44df-ad94-930efe48a887")
    );
}

/// DCSync: the capture starts after the bind, so the interface is unknown;
/// the opnums are drsuapi's DRSBind (0), DRSDomainControllerInfo (16),
/// DRSCrackNames (12), DRSBind, DRSGetNCChanges (3), DRSUnbind (1) as tshark
/// lists them (`Request: … opnum: N, Ctx: 0`). The SMB2 connection is
/// seen only at its tree disconnect and logoff: no events.
#[test]
fn dcsync_midstream_keeps_the_opnums() {
    let events = capture_events("LATERAL/pcap-attack__DCSync_krbtgt_dcerpc_smb.pcapng");
    let d = dcerpc(&events);
    let opnums: Vec<Option<u16>> = d.iter().map(|d| d.opnum).collect();
    assert_eq!(
        opnums,
        [Some(0), Some(16), Some(12), Some(0), Some(3), Some(1)]
    );
    assert!(d
        .iter()
        .all(|d| d.interface.is_none() && d.transport == "tcp"));
    assert!(smb(&events).is_empty());
    assert!(conn_apps(&events).contains(&(445, Some("smb"))));
}

/// EternalBlue against Windows 7: SMB1 anonymous sessions and IPC$ tree
/// connects (tshark: `smb.cmd == 0x73` and `0x75` with
/// `\\192.168.198.203\IPC$`), all STATUS_SUCCESS.
#[test]
fn eternalblue_smb1_sessions_and_ipc_trees() {
    let events =
        capture_events("LATERAL/malcolm-test-artifacts__eternalblue-success-unpatched-win7.pcap");
    let s = smb(&events);
    assert!(s.iter().all(|b| b.version == 1));
    let trees: Vec<&str> = s
        .iter()
        .filter(|b| b.command == "TREE_CONNECT")
        .filter_map(|b| b.tree.as_deref())
        .collect();
    assert_eq!(trees, ["\\\\192.168.198.203\\IPC$"; 2]);
    let setups = s
        .iter()
        .filter(|b| b.command == "SESSION_SETUP")
        .collect::<Vec<_>>();
    assert_eq!(setups.len(), 6, "{:#?}", lines(&events, "smb"));
    assert!(setups
        .iter()
        .all(|b| b.user.is_none() && b.status.as_deref() == Some("STATUS_SUCCESS")));
}

/// SMB 3.1.1 with an encrypted share: login SUSE\administrator, trees
/// `\\WS2016\encrypted` and IPC$; what follows is encrypted.
#[test]
fn smb3_encrypted_share() {
    let events = capture_events("BENIGN/zeek-traces__smb3.pcap");
    let s = smb(&events);
    let got: Vec<(&str, Option<&str>)> =
        s.iter().map(|b| (b.command, b.share.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("SESSION_SETUP", None),
            ("TREE_CONNECT", Some("ENCRYPTED")),
            ("TREE_CONNECT", Some("IPC$"))
        ]
    );
    assert_eq!(
        (
            s[0].user.as_deref(),
            s[0].domain.as_deref(),
            s[0].workstation.as_deref(),
            s[0].version
        ),
        (Some("administrator"), Some("SUSE"), None, 3)
    );
    assert_eq!(s[1].tree.as_deref(), Some("\\\\WS2016\\encrypted"));
    // tshark: 44 messages with the transform header (smb2.protocol_id
    // 0xfd534d42), each counted and skipped.
    let mut src = EventSource::open(
        shared_capture("BENIGN/zeek-traces__smb3.pcap"),
        SourceOptions::default(),
    )
    .unwrap();
    while !src.next_events(4096).is_empty() {}
    assert_eq!((src.stats().encrypted, src.stats().app_dropped), (44, 0));
}

fn kerberos(events: &[Event]) -> Vec<&KerberosBody> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            Body::Kerberos(k) => Some(&**k),
            _ => None,
        })
        .collect()
}

/// Kerberoasting (suricata-verify krb5-kerberoasting): a TGS request over
/// TCP for HTTP/dc-mantvydas.offense.local answered with an RC4 ticket for
/// `spotless` (tshark: TGS-REP ticket etype 23).
#[test]
fn kerberoasting_tgs_gets_an_rc4_ticket() {
    let events = capture_events("suricata-verify/tests/krb5-kerberoasting/kerberoast.pcap");
    let k = kerberos(&events);
    assert_eq!(k.len(), 1, "{:#?}", lines(&events, "kerberos"));
    assert_eq!(
        (
            k[0].request,
            k[0].client.as_deref(),
            k[0].realm.as_deref(),
            k[0].service.as_deref()
        ),
        (
            "TGS",
            Some("spotless"),
            Some("OFFENSE.LOCAL"),
            Some("HTTP/dc-mantvydas.offense.local")
        )
    );
    assert_eq!(
        (k[0].ticket_etype.as_deref(), k[0].proto),
        (Some("rc4-hmac"), "tcp")
    );
    assert!(conn_apps(&events).contains(&(88, Some("kerberos"))));
}

/// An AS request without pre-authentication (suricata-verify krb5-probing):
/// KRB-ERROR 25 for aiello@AD.NWRA.COM.
#[test]
fn as_request_answered_with_preauth_required() {
    let events = capture_events("suricata-verify/tests/krb5-probing/krb.pcap");
    let k = kerberos(&events);
    assert_eq!(k.len(), 1, "{:#?}", lines(&events, "kerberos"));
    assert_eq!(
        (
            k[0].request,
            k[0].client.as_deref(),
            k[0].service.as_deref()
        ),
        ("AS", Some("aiello"), Some("krbtgt/AD.NWRA.COM"))
    );
    assert_eq!(
        (k[0].error.as_deref(), k[0].ticket_etype.as_deref()),
        (Some("KDC_ERR_PREAUTH_REQUIRED"), None)
    );
}

/// A login over TCP with requests split across segments
/// (suricata-verify krb5-request-frag-log): AS (preauth required), AS
/// (ticket), TGS for HTTP/epgidvwman1088.epga.dom.lo.com, all user01.
#[test]
fn fragmented_tcp_login() {
    let events = capture_events("suricata-verify/tests/krb5-request-frag-log/krb5-frag.pcap");
    type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let got: Vec<Row> = kerberos(&events)
        .iter()
        .map(|k| {
            (
                k.request,
                k.client.as_deref(),
                k.service.as_deref(),
                k.error.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "AS",
                Some("user01"),
                Some("krbtgt/dom.test.lo.com"),
                Some("KDC_ERR_PREAUTH_REQUIRED")
            ),
            ("AS", Some("user01"), Some("krbtgt/dom.test.lo.com"), None),
            (
                "TGS",
                Some("user01"),
                Some("HTTP/epgidvwman1088.epga.dom.lo.com"),
                None
            ),
        ],
        "{:#?}",
        lines(&events, "kerberos")
    );
}

/// nDPI's kerberos-login: twelve TGS exchanges over UDP and one over TCP
/// (tshark: msg_type 12/13 pairs; client names des, xp1$, u5, UBUNTU64A$).
#[test]
fn udp_and_tcp_tgs_exchanges() {
    let events = capture_events("PARSERS/ndpi/pcap/kerberos-login.pcap");
    let k = kerberos(&events);
    let udp: Vec<_> = k.iter().filter(|k| k.proto == "udp").collect();
    let tcp: Vec<_> = k.iter().filter(|k| k.proto == "tcp").collect();
    assert_eq!(
        (udp.len(), tcp.len()),
        (12, 1),
        "{:#?}",
        lines(&events, "kerberos")
    );
    assert!(k
        .iter()
        .all(|k| k.request == "TGS" && k.ticket_etype.is_some()));
    assert_eq!(
        (
            tcp[0].client.as_deref(),
            tcp[0].realm.as_deref(),
            tcp[0].service.as_deref()
        ),
        (Some("UBUNTU64A$"), Some("TESTBED1.CA"), Some("ldap/dc"))
    );
    let udp_conns = events
        .iter()
        .filter(
            |e| matches!(&e.body, Body::Conn(c) if c.proto == "udp" && c.app == Some("kerberos")),
        )
        .count();
    assert_eq!(
        udp_conns, 12,
        "one UDP flow per exchange (new client port each time)"
    );
    let clients: std::collections::BTreeSet<_> =
        k.iter().filter_map(|k| k.client.as_deref()).collect();
    assert_eq!(
        clients.into_iter().collect::<Vec<_>>(),
        ["UBUNTU64A$", "des", "u5", "xp1$"]
    );
}

/// Files over SMB, hashed like tshark's `--export-objects smb` output
/// (sha256sum of each exported file): EICAR written over SMB1
/// (suricata-verify smb-eicar-file), an xlsx read over SMB2 midstream
/// (smb1-01, despite its name), a file written then deleted by SET_INFO
/// disposition over SMB 3 (smb2-delete).
#[test]
fn files_over_smb1_and_smb2() {
    let summary = |rel: &str| -> Vec<String> {
        files(&capture_events(rel))
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {} {}",
                    f.direction,
                    f.name.as_deref().unwrap_or("-"),
                    f.size,
                    f.magic.as_str(),
                    f.sha256.as_deref().unwrap_or("-")
                )
            })
            .collect()
    };
    assert_eq!(
        summary("suricata-verify/tests/smb-eicar-file/input.pcap"),
        ["upload \\eicar 68 text 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"]
    );
    assert_eq!(
        summary("suricata-verify/tests/smb1-01/smb1.pcap"),
        ["download Test\\2009-12 Payroll.xlsx 25940 ooxml ccec011226c8513d3c3e9f821fe91bbf4f6de391ca8b3ef770a80427275644bf"]
    );
    let events = capture_events("suricata-verify/tests/smb2-delete/input.pcap");
    assert_eq!(
        summary("suricata-verify/tests/smb2-delete/input.pcap"),
        ["upload test 10 text e731ec54c3453369763fcfcc973d4e88c7764c4a275ce46106ace9f56c7601b8"]
    );
    let deletes: Vec<_> = smb(&events)
        .into_iter()
        .filter(|b| b.command == "DELETE")
        .map(|b| (b.name.as_deref(), b.share.as_deref(), b.status.as_deref()))
        .collect();
    assert_eq!(
        deletes,
        [(Some("test"), Some("SAND"), Some("STATUS_SUCCESS"))]
    );
    let login = smb(&events)[0];
    assert_eq!(
        (login.user.as_deref(), login.workstation.as_deref()),
        (Some("GUEST"), Some("AIR-DE-CATENA"))
    );
}

/// DCE/RPC over SMB2 named pipes: atsvc bound by a WRITE and NetrJobAdd
/// called through IOCTL FSCTL_PIPE_TRANSCEIVE (tshark: bind frame with
/// three contexts of 1ff70682-…, `JobAdd request` on context 1). In
/// dcerpc-smb-ctxid the whole session is seen; dcerpc-3109 starts after
/// the tree connect, so the pipe is recognised by its first write.
#[test]
fn atsvc_job_over_smb2_pipes() {
    for (rel, tree_seen) in [
        (
            "suricata-verify/tests/dcerpc/dcerpc-smb-ctxid/input.pcap",
            true,
        ),
        ("suricata-verify/tests/dcerpc/dcerpc-3109/input.pcap", false),
    ] {
        let events = capture_events(rel);
        let d = dcerpc(&events);
        assert_eq!(d.len(), 1, "{rel}: {:#?}", lines(&events, "dcerpc"));
        assert_eq!(
            (
                d[0].transport,
                d[0].pipe.as_deref(),
                d[0].service,
                d[0].opnum,
                d[0].operation
            ),
            (
                "smb",
                Some("atsvc"),
                Some("atsvc"),
                Some(0),
                Some("NetrJobAdd")
            ),
            "{rel}"
        );
        let create = smb(&events)
            .into_iter()
            .find(|b| b.command == "CREATE")
            .unwrap();
        assert_eq!(create.pipe, tree_seen.then_some(true), "{rel}");
    }
    let events = capture_events("suricata-verify/tests/dcerpc/dcerpc-smb-ctxid/input.pcap");
    let login = smb(&events)[0];
    assert_eq!(
        (
            login.user.as_deref(),
            login.domain.as_deref(),
            login.workstation.as_deref()
        ),
        (Some("Administrator"), Some("PURP"), Some("GURDIL-PC1"))
    );
}

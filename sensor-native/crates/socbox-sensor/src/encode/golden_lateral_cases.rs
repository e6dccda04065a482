//! Golden cases for the lateral-movement kinds (`smb`, `dcerpc`,
//! `kerberos`), written and checked by `golden_tests.rs` like the others.

use crate::event::{Body, DceRpcBody, Endpoint, Event, KerberosBody, SmbBody};
use crate::net::{community_id_v1, FlowTuple};

fn endpoint(ip: &str, port: u16) -> Endpoint {
    Endpoint {
        ip: ip.parse().unwrap(),
        port: Some(port),
        internal: true,
    }
}

fn event(ts: i64, proto: u8, src: Endpoint, dst: Endpoint, body: Body) -> Event {
    let flow = community_id_v1(
        &FlowTuple {
            src: src.ip,
            dst: dst.ip,
            proto,
            src_port: src.port.unwrap_or(0),
            dst_port: dst.port.unwrap_or(0),
        },
        0,
    );
    Event {
        ts,
        flow: flow.into(),
        flow_proto: None,
        src,
        dst,
        body,
        hits: Vec::new(),
    }
}

pub(super) fn cases() -> Vec<(&'static str, Vec<Event>)> {
    let client = endpoint("172.16.66.1", 52445);
    let server = endpoint("172.16.66.36", 445);
    let smb = |ts, body: SmbBody| event(ts, 6, client, server, Body::Smb(Box::new(body)));
    // A login, the ADMIN$ tree, the service binary written and closed:
    // each event has its own set of fields, the rest absent.
    let smb_case = vec![
        smb(
            1_595_164_481_182,
            SmbBody {
                version: 3,
                command: "SESSION_SETUP",
                status: Some("STATUS_SUCCESS".into()),
                user: Some("backdoor".into()),
                domain: Some("3B".into()),
                workstation: Some("02694W-WIN10".into()),
                ..SmbBody::default()
            },
        ),
        smb(
            1_595_164_481_184,
            SmbBody {
                version: 3,
                command: "TREE_CONNECT",
                status: Some("STATUS_SUCCESS".into()),
                tree: Some("\\\\172.16.66.36\\ADMIN$".into()),
                share: Some("ADMIN$".into()),
                ..SmbBody::default()
            },
        ),
        smb(
            1_595_164_481_188,
            SmbBody {
                version: 3,
                command: "CLOSE",
                status: Some("STATUS_SUCCESS".into()),
                tree: Some("\\\\172.16.66.36\\ADMIN$".into()),
                share: Some("ADMIN$".into()),
                name: Some("PSEXESVC.exe".into()),
                pipe: Some(false),
                bytes_read: Some(0),
                bytes_written: Some(145_568),
                ..SmbBody::default()
            },
        ),
    ];

    // Over a named pipe: a call, and an interface bound but never called
    // (no opnum); then the same over TCP.
    let rpc = |ts, src, dst, body: DceRpcBody| event(ts, 6, src, dst, Body::DceRpc(Box::new(body)));
    let dcerpc_case = vec![
        rpc(
            1_700_000_000_010,
            client,
            server,
            DceRpcBody {
                transport: "smb",
                pipe: Some("svcctl".into()),
                interface: Some("367abb81-9844-35f1-ad32-98f038001003".into()),
                service: Some("svcctl"),
                opnum: Some(12),
                operation: Some("CreateServiceW"),
                inferred: None,
            },
        ),
        rpc(
            1_700_000_000_005,
            client,
            server,
            DceRpcBody {
                transport: "smb",
                pipe: Some("lsarpc".into()),
                interface: Some("12345778-1234-abcd-ef00-0123456789ab".into()),
                service: Some("lsarpc"),
                opnum: None,
                operation: None,
                inferred: None,
            },
        ),
        rpc(
            1_700_000_000_020,
            endpoint("10.1.1.5", 52036),
            endpoint("10.1.1.2", 49667),
            DceRpcBody {
                transport: "tcp",
                pipe: None,
                interface: Some("e3514235-4b06-11d1-ab04-00c04fc2dcd2".into()),
                service: Some("drsuapi"),
                opnum: Some(3),
                operation: Some("DRSGetNCChanges"),
                inferred: None,
            },
        ),
        // A call on a connection whose bind is not in the capture, named
        // from an earlier bind to the same endpoint.
        rpc(
            1_700_000_000_030,
            endpoint("10.1.1.5", 52040),
            endpoint("10.1.1.2", 49667),
            DceRpcBody {
                transport: "tcp",
                pipe: None,
                interface: Some("e3514235-4b06-11d1-ab04-00c04fc2dcd2".into()),
                service: Some("drsuapi"),
                opnum: Some(3),
                operation: Some("DRSGetNCChanges"),
                inferred: Some(true),
            },
        ),
    ];

    // Kerberoasting's TGS with an RC4 ticket, and an AS request refused
    // for lack of pre-authentication, over UDP.
    let kdc = endpoint("10.0.0.2", 88);
    let kerberos_case = vec![
        event(
            1_700_000_001_000,
            6,
            endpoint("10.0.0.9", 49216),
            kdc,
            Body::Kerberos(Box::new(KerberosBody {
                request: "TGS",
                client: Some("spotless".into()),
                realm: Some("OFFENSE.LOCAL".into()),
                service: Some("HTTP/dc-mantvydas.offense.local".into()),
                etypes: vec![
                    "aes256-cts-hmac-sha1-96".into(),
                    "rc4-hmac".into(),
                    "etype-24".into(),
                ],
                ticket_etype: Some("rc4-hmac".into()),
                error: None,
                proto: "tcp",
            })),
        ),
        event(
            1_700_000_002_000,
            17,
            endpoint("10.0.0.9", 35920),
            kdc,
            Body::Kerberos(Box::new(KerberosBody {
                request: "AS",
                client: Some("aiello".into()),
                realm: Some("AD.NWRA.COM".into()),
                service: Some("krbtgt/AD.NWRA.COM".into()),
                etypes: vec!["aes256-cts-hmac-sha1-96".into(), "des-cbc-md5".into()],
                ticket_etype: None,
                error: Some("KDC_ERR_PREAUTH_REQUIRED".into()),
                proto: "udp",
            })),
        ),
    ];

    vec![
        ("smb-session", smb_case),
        ("dcerpc-pipe-and-tcp", dcerpc_case),
        ("kerberos-tgs-and-error", kerberos_case),
    ]
}

//! SMB sessions over hand-built messages: framing across segments,
//! compounded requests, matching by message id, and the events.

use super::ntlmssp::tests::authenticate;
use super::*;
use crate::event::DceRpcBody;

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// An SMB2 header for `command`; `status` and `tree` as given.
fn header(command: u16, msg_id: u64, response: bool, status: u32, tree: u32) -> Vec<u8> {
    let mut h = b"\xfeSMB".to_vec();
    h.extend_from_slice(&64u16.to_le_bytes());
    h.extend_from_slice(&[0, 0]);
    h.extend_from_slice(&status.to_le_bytes());
    h.extend_from_slice(&command.to_le_bytes());
    h.extend_from_slice(&[1, 0]);
    h.extend_from_slice(&u32::from(response).to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    h.extend_from_slice(&msg_id.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    h.extend_from_slice(&tree.to_le_bytes());
    h.extend_from_slice(&[0; 24]);
    assert_eq!(h.len(), 64);
    h
}

/// `body` after the header, with a variable part at the body offset
/// `var_at` and its (offset, length) written at `fields` as u16 pairs.
fn message(mut h: Vec<u8>, mut body: Vec<u8>, var: &[u8], fields: Option<usize>) -> Vec<u8> {
    if let Some(at) = fields {
        let off = (64 + body.len()) as u16;
        body[at..at + 2].copy_from_slice(&off.to_le_bytes());
        body[at + 2..at + 4].copy_from_slice(&(var.len() as u16).to_le_bytes());
    }
    h.extend(body);
    h.extend_from_slice(var);
    h
}

fn nbss(msgs: &[Vec<u8>]) -> Vec<u8> {
    let mut joined = Vec::new();
    for (i, m) in msgs.iter().enumerate() {
        let mut m = m.clone();
        // Compound: every message but the last points at the next (8-aligned).
        if i + 1 < msgs.len() {
            while m.len() % 8 != 0 {
                m.push(0);
            }
            let next = m.len() as u32;
            m[20..24].copy_from_slice(&next.to_le_bytes());
        }
        joined.extend(m);
    }
    let mut out = vec![0];
    out.extend_from_slice(&(joined.len() as u32).to_be_bytes()[1..]);
    out.extend(joined);
    out
}

fn session_setup(id: u64, blob: &[u8]) -> Vec<u8> {
    let mut body = vec![0u8; 24];
    body[0] = 25;
    let mut m = header(1, id, false, 0, 0);
    let off = (64 + body.len()) as u16;
    body[12..14].copy_from_slice(&off.to_le_bytes());
    body[14..16].copy_from_slice(&(blob.len() as u16).to_le_bytes());
    m.extend(body);
    m.extend_from_slice(blob);
    m
}

fn tree_connect(id: u64, path: &str) -> Vec<u8> {
    message(
        header(3, id, false, 0, 0),
        vec![9, 0, 0, 0, 0, 0, 0, 0],
        &utf16(path),
        Some(4),
    )
}

fn tree_response(id: u64, tree: u32, share_type: u8) -> Vec<u8> {
    message(
        header(3, id, true, 0, tree),
        vec![16, 0, share_type, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        &[],
        None,
    )
}

fn create(id: u64, tree: u32, name: &str, options: u32) -> Vec<u8> {
    let mut body = vec![0u8; 56];
    body[0] = 57;
    body[40..44].copy_from_slice(&options.to_le_bytes());
    let mut m = header(5, id, false, 0, tree);
    let off = (64 + body.len()) as u16;
    body[44..46].copy_from_slice(&off.to_le_bytes());
    body[46..48].copy_from_slice(&((name.len() * 2) as u16).to_le_bytes());
    m.extend(body);
    m.extend(utf16(name));
    m
}

fn create_response(id: u64, status: u32, action: u32, fid: u128) -> Vec<u8> {
    let mut body = vec![0u8; 88];
    body[0] = 89;
    body[4..8].copy_from_slice(&action.to_le_bytes());
    body[64..80].copy_from_slice(&fid.to_le_bytes());
    message(header(5, id, true, status, 0), body, &[], None)
}

fn with_fid(command: u16, id: u64, size: usize, fid_at: usize, fid: u128) -> Vec<u8> {
    let mut body = vec![0u8; size];
    body[fid_at..fid_at + 16].copy_from_slice(&fid.to_le_bytes());
    message(header(command, id, false, 0, 7), body, &[], None)
}

fn write(id: u64, fid: u128, data: &[u8]) -> Vec<u8> {
    write_at(id, fid, 0, data)
}

fn write_at(id: u64, fid: u128, offset: u64, data: &[u8]) -> Vec<u8> {
    let mut body = vec![0u8; 48];
    body[0] = 49;
    body[8..16].copy_from_slice(&offset.to_le_bytes());
    body[2..4].copy_from_slice(&((64 + 48) as u16).to_le_bytes());
    body[4..8].copy_from_slice(&(data.len() as u32).to_le_bytes());
    body[16..32].copy_from_slice(&fid.to_le_bytes());
    message(header(9, id, false, 0, 7), body, data, None)
}

fn read_response(id: u64, len: u32) -> Vec<u8> {
    let mut body = vec![0u8; 16];
    body[0] = 17;
    body[2] = 64 + 16;
    body[4..8].copy_from_slice(&len.to_le_bytes());
    message(
        header(8, id, true, 0, 7),
        body,
        &vec![0x41; len as usize],
        None,
    )
}

fn set_info(id: u64, fid: u128, class: u8, info: &[u8]) -> Vec<u8> {
    let mut body = vec![0u8; 32];
    body[0] = 33;
    body[2] = 1;
    body[3] = class;
    body[4..8].copy_from_slice(&(info.len() as u32).to_le_bytes());
    body[8..10].copy_from_slice(&((64 + 32) as u16).to_le_bytes());
    body[16..32].copy_from_slice(&fid.to_le_bytes());
    message(header(17, id, false, 0, 7), body, info, None)
}

fn ok(command: u16, id: u64) -> Vec<u8> {
    message(header(command, id, true, 0, 7), vec![2, 0, 0, 0], &[], None)
}

fn ctx(dir: Direction, ts_us: i64) -> ChunkCtx {
    ChunkCtx {
        dir,
        ts_us,
        orig_port: 50000,
        resp_port: 445,
        inspect_body: 0,
    }
}

/// Runs client and server byte streams (each cut into `piece`-byte
/// chunks) in turns; returns the SMB and DCE/RPC event bodies.
fn run(turns: &[(bool, Vec<u8>)], piece: usize) -> (Vec<Body>, SmbCounts) {
    let mut s = SmbSession::default();
    let mut out = Vec::new();
    for (i, (client, bytes)) in turns.iter().enumerate() {
        let dir = if *client {
            Direction::Orig
        } else {
            Direction::Resp
        };
        for c in bytes.chunks(piece) {
            s.on_chunk(ctx(dir, i as i64 * 1000), StreamChunk::Data(c), &mut out);
        }
    }
    s.finish(&mut out);
    let bodies = out
        .into_iter()
        .map(|o| match o.item {
            AppItem::Event(b) => b,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    (bodies, s.counts)
}

fn smb(b: &Body) -> &SmbBody {
    match b {
        Body::Smb(s) => s,
        other => panic!("not smb: {other:?}"),
    }
}

const FID: u128 = 0x1111_2222_3333_4444_5555_6666_7777_8888;

#[test]
fn psexec_like_session_gives_setup_tree_create_and_close() {
    let turns = vec![
        (
            true,
            nbss(&[session_setup(
                1,
                &authenticate(20, "backdoor", "3B", "WIN10"),
            )]),
        ),
        (
            false,
            nbss(&[message(
                header(1, 1, true, 0, 0),
                vec![9, 0, 0, 0, 0, 0, 0, 0],
                &[],
                None,
            )]),
        ),
        (true, nbss(&[tree_connect(2, "\\\\10.0.0.5\\admin$")])),
        (false, nbss(&[tree_response(2, 7, 1)])),
        (true, nbss(&[create(3, 7, "PSEXESVC.exe", 0)])),
        (false, nbss(&[create_response(3, 0, 2, FID)])),
        (true, nbss(&[write(4, FID, &[0x4d; 3000])])),
        (false, nbss(&[ok(9, 4)])),
        (true, nbss(&[with_fid(8, 5, 48, 16, FID)])),
        (false, nbss(&[read_response(5, 10)])),
        (true, nbss(&[with_fid(6, 6, 24, 8, FID)])),
        (false, nbss(&[ok(6, 6)])),
    ];
    // Segments of 7 bytes: every message is split across chunks.
    let (events, counts) = run(&turns, 7);
    assert_eq!(counts, SmbCounts::default());
    let got: Vec<&SmbBody> = events
        .iter()
        .filter(|b| b.kind() == "smb")
        .map(smb)
        .collect();
    assert_eq!(got.len(), 4, "{got:#?}");
    assert_eq!(got[0].command, "SESSION_SETUP");
    assert_eq!(
        (
            got[0].user.as_deref(),
            got[0].domain.as_deref(),
            got[0].workstation.as_deref()
        ),
        (Some("backdoor"), Some("3B"), Some("WIN10"))
    );
    assert_eq!(got[1].command, "TREE_CONNECT");
    assert_eq!(
        (
            got[1].tree.as_deref(),
            got[1].share.as_deref(),
            got[1].status.as_deref()
        ),
        (
            Some("\\\\10.0.0.5\\admin$"),
            Some("ADMIN$"),
            Some("STATUS_SUCCESS")
        )
    );
    assert_eq!(
        (
            got[2].command,
            got[2].name.as_deref(),
            got[2].created,
            got[2].pipe
        ),
        ("CREATE", Some("PSEXESVC.exe"), Some(true), Some(false))
    );
    assert_eq!(
        (got[3].command, got[3].bytes_written, got[3].bytes_read),
        ("CLOSE", Some(3000), Some(10))
    );
    assert_eq!(got[3].share.as_deref(), Some("ADMIN$"));
}

#[test]
fn compounded_create_and_close_use_the_related_file_id() {
    let turns = vec![
        (true, nbss(&[tree_connect(1, "\\\\srv\\C$")])),
        (false, nbss(&[tree_response(1, 7, 1)])),
        (
            true,
            nbss(&[
                create(2, 7, "tmp\\x.bat", 0x1000),
                write(3, u128::MAX, b"echo"),
                with_fid(6, 4, 24, 8, u128::MAX),
            ]),
        ),
        (
            false,
            nbss(&[create_response(2, 0, 2, FID), ok(9, 3), ok(6, 4)]),
        ),
    ];
    let (events, _) = run(&turns, 1500);
    let commands: Vec<&str> = events.iter().map(|b| smb(b).command).collect();
    // The write in the chain names the related id, unknown until the
    // response: it is not counted, so the close has nothing to report.
    assert_eq!(commands, ["TREE_CONNECT", "CREATE", "DELETE"]);
    assert_eq!(smb(&events[2]).name.as_deref(), Some("tmp\\x.bat"));
}

#[test]
fn rename_and_delete_by_set_info_name_the_open() {
    let mut rename = vec![0u8; 20];
    let target = utf16("new.txt");
    rename[16..20].copy_from_slice(&(target.len() as u32).to_le_bytes());
    rename.extend(target);
    let turns = vec![
        (true, nbss(&[tree_connect(1, "\\\\srv\\data")])),
        (false, nbss(&[tree_response(1, 7, 1)])),
        (true, nbss(&[create(2, 7, "old.txt", 0)])),
        (false, nbss(&[create_response(2, 0, 1, FID)])),
        (
            true,
            nbss(&[set_info(3, FID, 10, &rename), set_info(4, FID, 13, &[1])]),
        ),
        (false, nbss(&[ok(17, 3)])),
        (
            false,
            nbss(&[message(
                header(17, 4, true, 0xc000_0022, 7),
                vec![2, 0],
                &[],
                None,
            )]),
        ),
    ];
    let (events, _) = run(&turns, 100);
    let got: Vec<&SmbBody> = events.iter().map(smb).collect();
    assert_eq!(got[1].created, Some(false));
    assert_eq!(
        (
            got[2].command,
            got[2].name.as_deref(),
            got[2].new_name.as_deref()
        ),
        ("RENAME", Some("old.txt"), Some("new.txt"))
    );
    assert_eq!(
        (got[3].command, got[3].status.as_deref()),
        ("DELETE", Some("STATUS_ACCESS_DENIED"))
    );
}

#[test]
fn a_session_setup_leg_that_needs_more_is_not_an_event_and_unanswered_requests_are() {
    let turns = vec![
        (true, nbss(&[session_setup(1, b"NTLMSSP\0\x01\0\0\0")])),
        (
            false,
            nbss(&[message(
                header(1, 1, true, 0xc000_0016, 0),
                vec![9, 0, 0, 0, 0, 0, 0, 0],
                &[],
                None,
            )]),
        ),
        (true, nbss(&[tree_connect(2, "\\\\srv\\IPC$")])),
    ];
    let (events, _) = run(&turns, 9);
    assert_eq!(events.len(), 1);
    let t = smb(&events[0]);
    assert_eq!(
        (t.command, t.status.as_deref(), t.share.as_deref()),
        ("TREE_CONNECT", None, Some("IPC$"))
    );
}

#[test]
fn dcerpc_over_a_pipe_write_and_transceive() {
    use crate::app::dcerpc::tests::{bind_pdu, request_pdu};
    let mut ioctl_body = vec![0u8; 56];
    ioctl_body[0] = 57;
    ioctl_body[4..8].copy_from_slice(&0x0011_c017u32.to_le_bytes());
    ioctl_body[8..24].copy_from_slice(&FID.to_le_bytes());
    let req = request_pdu(0, 12, 3);
    ioctl_body[24..28].copy_from_slice(&((64 + 56) as u32).to_le_bytes());
    ioctl_body[28..32].copy_from_slice(&(req.len() as u32).to_le_bytes());
    let ioctl = message(header(11, 5, false, 0, 7), ioctl_body, &req, None);
    let turns = vec![
        (true, nbss(&[tree_connect(1, "\\\\srv\\IPC$")])),
        (false, nbss(&[tree_response(1, 7, 2)])),
        (true, nbss(&[create(2, 7, "svcctl", 0)])),
        (false, nbss(&[create_response(2, 0, 1, FID)])),
        (
            true,
            nbss(&[write(
                3,
                FID,
                &bind_pdu(&[(0, "367abb81-9844-35f1-ad32-98f038001003")]),
            )]),
        ),
        (true, nbss(&[ioctl])),
    ];
    let (events, _) = run(&turns, 64);
    let rpc: Vec<&DceRpcBody> = events
        .iter()
        .filter_map(|b| match b {
            Body::DceRpc(d) => Some(&**d),
            _ => None,
        })
        .collect();
    assert_eq!(rpc.len(), 1);
    assert_eq!(
        (
            rpc[0].transport,
            rpc[0].pipe.as_deref(),
            rpc[0].service,
            rpc[0].operation
        ),
        (
            "smb",
            Some("svcctl"),
            Some("svcctl"),
            Some("CreateServiceW")
        )
    );
    assert_eq!(smb(&events[1]).pipe, Some(true));
}

#[test]
fn encrypted_messages_are_counted_and_skipped() {
    let mut transform = b"\xfdSMB".to_vec();
    transform.extend_from_slice(&[0xee; 60]);
    let (events, counts) = run(&[(true, nbss(&[transform]))], 10);
    assert!(events.is_empty());
    assert_eq!((counts.encrypted, counts.malformed), (1, 0));
}

#[test]
fn pending_requests_are_capped() {
    let many: Vec<Vec<u8>> = (0..(MAX_PENDING as u64 + 10))
        .map(|i| tree_connect(i, "\\\\s\\x"))
        .collect();
    let turns: Vec<(bool, Vec<u8>)> = many
        .iter()
        .map(|m| (true, nbss(std::slice::from_ref(m))))
        .collect();
    let (events, counts) = run(&turns, 4096);
    assert_eq!(events.len(), MAX_PENDING);
    assert_eq!(counts.dropped, 10);
}

/// SMB1: header, then words and bytes.
fn smb1(
    command: u8,
    reply: bool,
    status: u32,
    tid: u16,
    mid: u16,
    words: &[u8],
    bytes: &[u8],
) -> Vec<u8> {
    let mut m = b"\xffSMB".to_vec();
    m.push(command);
    m.extend_from_slice(&status.to_le_bytes());
    m.push(if reply { 0x98 } else { 0x18 });
    m.extend_from_slice(&0xc807u16.to_le_bytes());
    m.extend_from_slice(&[0; 12]);
    m.extend_from_slice(&tid.to_le_bytes());
    m.extend_from_slice(&7u16.to_le_bytes());
    m.extend_from_slice(&0u16.to_le_bytes());
    m.extend_from_slice(&mid.to_le_bytes());
    m.push((words.len() / 2) as u8);
    m.extend_from_slice(words);
    m.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
    m.extend_from_slice(bytes);
    m
}

#[test]
fn smb1_andx_chain_session_setup_and_tree_connect() {
    // SESSION_SETUP_ANDX (extended security, 12 words) chained to
    // TREE_CONNECT_ANDX.
    let blob = authenticate(0, "alice", "CORP", "PC1");
    let ss_words_len = 24;
    let ss_bytes_len = blob.len();
    let tc_at = 32 + 1 + ss_words_len + 2 + ss_bytes_len;
    let mut ss_words = vec![0u8; ss_words_len];
    ss_words[0] = 0x75;
    ss_words[2..4].copy_from_slice(&(tc_at as u16).to_le_bytes());
    ss_words[14..16].copy_from_slice(&(blob.len() as u16).to_le_bytes());
    let mut req = smb1(0x73, false, 0, 0, 5, &ss_words, &blob);
    assert_eq!(req.len(), tc_at);
    let mut tc_words = vec![0xff, 0, 0, 0, 0, 0, 1, 0];
    tc_words[6..8].copy_from_slice(&1u16.to_le_bytes());
    let mut tc_bytes = vec![0u8]; // password
    if (tc_at + 1 + 8 + 2 + 1) % 2 == 1 {
        tc_bytes.push(0);
    }
    tc_bytes.extend(utf16("\\\\10.0.0.9\\IPC$\0"));
    tc_bytes.extend_from_slice(b"?????\0");
    req.push(4);
    req.extend(tc_words);
    req.extend_from_slice(&(tc_bytes.len() as u16).to_le_bytes());
    req.extend(tc_bytes);
    // The reply: both blocks, chained the same way.
    let mut resp = smb1(0x73, true, 0, 2048, 5, &[0x75, 0, 0, 0, 0, 0, 0, 0], &[]);
    let at = resp.len() as u16;
    resp[35..37].copy_from_slice(&at.to_le_bytes());
    resp.extend_from_slice(&[3, 0xff, 0, 0, 0, 1, 0, 0, 0]);
    let with_frame = |m: Vec<u8>| {
        let mut out = vec![0, 0];
        out.extend_from_slice(&(m.len() as u16).to_be_bytes());
        out.extend(m);
        out
    };
    let (events, counts) = run(&[(true, with_frame(req)), (false, with_frame(resp))], 13);
    assert_eq!(counts.malformed, 0);
    let got: Vec<&SmbBody> = events.iter().map(smb).collect();
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(
        (got[0].version, got[0].command, got[0].user.as_deref()),
        (1, "SESSION_SETUP", Some("alice"))
    );
    assert_eq!(
        (
            got[1].command,
            got[1].share.as_deref(),
            got[1].status.as_deref()
        ),
        ("TREE_CONNECT", Some("IPC$"), Some("STATUS_SUCCESS"))
    );
}

#[test]
fn smb1_delete_and_rename_by_path() {
    let mut bytes = vec![4u8];
    bytes.extend(utf16("a.txt\0"));
    let del = smb1(0x06, false, 0, 9, 1, &[0x16, 0], &bytes);
    let mut bytes = vec![4u8];
    bytes.extend(utf16("a.txt\0"));
    bytes.push(4);
    bytes.push(0);
    bytes.extend(utf16("b.txt\0"));
    let ren = smb1(0x07, false, 0, 9, 2, &[0x16, 0], &bytes);
    let framed = |m: Vec<u8>| {
        let mut out = vec![0, 0];
        out.extend_from_slice(&(m.len() as u16).to_be_bytes());
        out.extend(m);
        out
    };
    let (events, _) = run(
        &[
            (true, framed(del)),
            (true, framed(ren)),
            (false, framed(smb1(0x06, true, 0, 9, 1, &[], &[]))),
        ],
        50,
    );
    let got: Vec<&SmbBody> = events.iter().map(smb).collect();
    assert_eq!(got.len(), 2);
    assert_eq!(
        (
            got[0].command,
            got[0].name.as_deref(),
            got[0].status.as_deref()
        ),
        ("DELETE", Some("a.txt"), Some("STATUS_SUCCESS"))
    );
    assert_eq!(
        (
            got[1].command,
            got[1].name.as_deref(),
            got[1].new_name.as_deref(),
            got[1].status.as_deref()
        ),
        ("RENAME", Some("a.txt"), Some("b.txt"), None)
    );
}

fn file_bodies(events: &[Body]) -> Vec<&crate::event::FileBody> {
    events
        .iter()
        .filter_map(|b| match b {
            Body::File(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest as _, Sha256};
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A write longer than the framing cap comes as head and tail: the file's
/// hash covers every byte; a later non-sequential write of another file
/// makes that one incomplete, without a hash.
#[test]
fn long_writes_are_hashed_whole_and_out_of_order_writes_are_not() {
    const OTHER: u128 = 42;
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let turns = vec![
        (true, nbss(&[tree_connect(1, "\\\\srv\\C$")])),
        (false, nbss(&[tree_response(1, 7, 1)])),
        (true, nbss(&[create(2, 7, "big.bin", 0)])),
        (false, nbss(&[create_response(2, 0, 2, FID)])),
        (true, nbss(&[write_at(3, FID, 0, &big[..200_000])])),
        (true, nbss(&[write_at(4, FID, 200_000, &big[200_000..])])),
        (true, nbss(&[create(5, 7, "holes.bin", 0)])),
        (false, nbss(&[create_response(5, 0, 2, OTHER)])),
        (true, nbss(&[write_at(6, OTHER, 0, b"MZ first")])),
        (true, nbss(&[write_at(7, OTHER, 4096, b"later")])),
        (
            true,
            nbss(&[with_fid(6, 8, 24, 8, FID), with_fid(6, 9, 24, 8, OTHER)]),
        ),
        (false, nbss(&[ok(6, 8), ok(6, 9)])),
    ];
    let (events, counts) = run(&turns, 1460);
    assert_eq!(counts.malformed, 0);
    let f = file_bodies(&events);
    assert_eq!(f.len(), 2);
    assert_eq!(
        (f[0].name.as_deref(), f[0].size, f[0].complete),
        (Some("big.bin"), 300_000, true)
    );
    assert_eq!(f[0].sha256.as_deref(), Some(sha256_hex(&big).as_str()));
    assert_eq!(
        (
            f[1].name.as_deref(),
            f[1].size,
            f[1].complete,
            f[1].sha256.as_deref()
        ),
        (Some("holes.bin"), 13, false, None)
    );
    assert_eq!(f[1].magic, crate::file::Magic::Pe);
}

/// Data read through an open becomes a download; an open never closed
/// still reports its file at the end of the connection.
#[test]
fn reads_are_downloads_and_unclosed_opens_report_at_the_end() {
    let turns = vec![
        (true, nbss(&[tree_connect(1, "\\\\srv\\share")])),
        (false, nbss(&[tree_response(1, 7, 1)])),
        (true, nbss(&[create(2, 7, "doc.pdf", 0)])),
        (false, nbss(&[create_response(2, 0, 1, FID)])),
        (true, nbss(&[with_fid(8, 3, 48, 16, FID)])),
        (false, nbss(&[read_response(3, 10)])),
    ];
    let (events, _) = run(&turns, 100);
    let f = file_bodies(&events);
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].direction, f[0].size, f[0].complete),
        ("download", 10, true)
    );
    assert_eq!(
        f[0].sha256.as_deref(),
        Some(sha256_hex(&[0x41; 10]).as_str())
    );
}

fn framed1(m: Vec<u8>) -> Vec<u8> {
    let mut out = vec![0, 0];
    out.extend_from_slice(&(m.len() as u16).to_be_bytes());
    out.extend(m);
    out
}

/// SMB1 TREE_CONNECT_ANDX for `path` (Unicode) and its reply giving `tid`.
fn smb1_tree(mid: u16, tid: u16, path: &str) -> [Vec<u8>; 2] {
    let mut bytes = vec![0u8]; // password
                               // Bytes start at 32 + 1 + 8 + 2 = 43, the password ends at 44: even.
    bytes.extend(utf16(&format!("{path}\0")));
    bytes.extend_from_slice(b"?????\0");
    let req = smb1(0x75, false, 0, 0, mid, &[0xff, 0, 0, 0, 0, 0, 1, 0], &bytes);
    let resp = smb1(0x75, true, 0, tid, mid, &[0xff, 0, 0, 0, 0, 0], &[]);
    [framed1(req), framed1(resp)]
}

/// SMB1 NT_CREATE_ANDX of `name` in `tid` and its reply giving `fid`.
fn smb1_create(mid: u16, tid: u16, name: &str, fid: u16) -> [Vec<u8>; 2] {
    let mut words = vec![0u8; 48];
    words[0] = 0xff;
    let name16 = utf16(name);
    words[5..7].copy_from_slice(&(name16.len() as u16).to_le_bytes());
    // Bytes start at 32 + 1 + 48 + 2 = 83 (odd): one pad byte.
    let mut bytes = vec![0u8];
    bytes.extend(name16);
    let req = smb1(0xa2, false, 0, tid, mid, &words, &bytes);
    let mut rw = vec![0u8; 68];
    rw[0] = 0xff;
    rw[5..7].copy_from_slice(&fid.to_le_bytes());
    rw[7..11].copy_from_slice(&1u32.to_le_bytes());
    let resp = smb1(0xa2, true, 0, tid, mid, &rw, &[]);
    [framed1(req), framed1(resp)]
}

/// SMB1 TRANSACTION (TransactNmPipe on `fid`) carrying `data`.
fn smb1_transact(mid: u16, tid: u16, fid: u16, data: &[u8]) -> Vec<u8> {
    let mut words = vec![0u8; 32];
    words[26] = 2; // setup count
    words[28..30].copy_from_slice(&0x26u16.to_le_bytes());
    words[30..32].copy_from_slice(&fid.to_le_bytes());
    // Bytes start at 32 + 1 + 32 + 2 = 67; data right there.
    words[22..24].copy_from_slice(&(data.len() as u16).to_le_bytes());
    words[24..26].copy_from_slice(&67u16.to_le_bytes());
    framed1(smb1(0x25, false, 0, tid, mid, &words, data))
}

#[test]
fn smb1_named_pipe_transactions_are_dcerpc() {
    use crate::app::dcerpc::tests::{bind_pdu, request_pdu};
    let [tree_req, tree_resp] = smb1_tree(1, 9, "\\\\dc\\IPC$");
    let [create_req, create_resp] = smb1_create(2, 9, "\\netlogon", 0x4001);
    let turns = vec![
        (true, tree_req),
        (false, tree_resp),
        (true, create_req),
        (false, create_resp),
        (
            true,
            smb1_transact(
                3,
                9,
                0x4001,
                &bind_pdu(&[(0, "12345678-1234-abcd-ef00-01234567cffb")]),
            ),
        ),
        (true, smb1_transact(4, 9, 0x4001, &request_pdu(0, 30, 3))),
    ];
    let (events, counts) = run(&turns, 33);
    assert_eq!(counts.malformed, 0);
    let create = smb(&events[1]);
    assert_eq!(
        (create.name.as_deref(), create.pipe, create.share.as_deref()),
        (Some("\\netlogon"), Some(true), Some("IPC$"))
    );
    let rpc: Vec<&DceRpcBody> = events
        .iter()
        .filter_map(|b| match b {
            Body::DceRpc(d) => Some(&**d),
            _ => None,
        })
        .collect();
    assert_eq!(rpc.len(), 1);
    assert_eq!(
        (rpc[0].pipe.as_deref(), rpc[0].service, rpc[0].operation),
        (
            Some("netlogon"),
            Some("netlogon"),
            Some("NetrServerPasswordSet2")
        )
    );
}

#[test]
fn smb1_trans2_rename_and_disposition_name_the_open() {
    let [tree_req, tree_resp] = smb1_tree(1, 5, "\\\\fs\\data");
    let [create_req, create_resp] = smb1_create(2, 5, "\\a.doc", 0x10);
    let trans2 = |mid: u16, level: u16, data: &[u8]| {
        let mut params = 0x10u16.to_le_bytes().to_vec();
        params.extend_from_slice(&level.to_le_bytes());
        params.extend_from_slice(&[0, 0]);
        let mut words = vec![0u8; 30];
        words[26] = 1;
        words[28..30].copy_from_slice(&8u16.to_le_bytes());
        // Bytes start at 32 + 1 + 30 + 2 = 65: parameters, then data.
        words[18..20].copy_from_slice(&(params.len() as u16).to_le_bytes());
        words[20..22].copy_from_slice(&65u16.to_le_bytes());
        words[22..24].copy_from_slice(&(data.len() as u16).to_le_bytes());
        words[24..26].copy_from_slice(&((65 + params.len()) as u16).to_le_bytes());
        let mut bytes = params;
        bytes.extend_from_slice(data);
        framed1(smb1(0x32, false, 0, 5, mid, &words, &bytes))
    };
    let new_name = utf16("b.doc");
    let mut rename = vec![0u8; 12];
    rename[8..12].copy_from_slice(&(new_name.len() as u32).to_le_bytes());
    rename.extend(new_name);
    let turns = vec![
        (true, tree_req),
        (false, tree_resp),
        (true, create_req),
        (false, create_resp),
        (true, trans2(3, 0x03f2, &rename)),
        (false, framed1(smb1(0x32, true, 0, 5, 3, &[], &[]))),
        (true, trans2(4, 0x0102, &[1])),
        (
            false,
            framed1(smb1(0x32, true, 0xc000_0022, 5, 4, &[], &[])),
        ),
    ];
    let (events, _) = run(&turns, 64);
    let got: Vec<&SmbBody> = events.iter().map(smb).collect();
    assert_eq!(got.len(), 4, "{got:#?}");
    assert_eq!(
        (
            got[2].command,
            got[2].name.as_deref(),
            got[2].new_name.as_deref(),
            got[2].share.as_deref()
        ),
        ("RENAME", Some("\\a.doc"), Some("b.doc"), Some("DATA"))
    );
    assert_eq!(
        (got[3].command, got[3].status.as_deref()),
        ("DELETE", Some("STATUS_ACCESS_DENIED"))
    );
}

/// Files hashed at once are capped; the ones over the cap are counted and
/// give no file event (their CLOSE still counts the bytes).
#[test]
fn concurrent_transfers_are_capped() {
    let mut turns = vec![
        (true, nbss(&[tree_connect(1, "\\\\srv\\C$")])),
        (false, nbss(&[tree_response(1, 7, 1)])),
    ];
    let n = MAX_TRANSFERS as u64 + 4;
    for i in 0..n {
        turns.push((true, nbss(&[create(10 + i, 7, &format!("f{i}"), 0)])));
        turns.push((
            false,
            nbss(&[create_response(10 + i, 0, 2, u128::from(i + 1))]),
        ));
        turns.push((true, nbss(&[write(100 + i, u128::from(i + 1), b"data")])));
    }
    for i in 0..n {
        turns.push((
            true,
            nbss(&[with_fid(6, 200 + i, 24, 8, u128::from(i + 1))]),
        ));
        turns.push((false, nbss(&[ok(6, 200 + i)])));
    }
    // After the closes there is room again.
    turns.push((true, nbss(&[create(500, 7, "late", 0)])));
    turns.push((false, nbss(&[create_response(500, 0, 2, 999)])));
    turns.push((true, nbss(&[write(501, 999, b"late data")])));
    let (events, counts) = run(&turns, 4096);
    assert_eq!(file_bodies(&events).len(), MAX_TRANSFERS + 1);
    assert_eq!(counts.dropped, 4);
    let closes = events
        .iter()
        .filter(|b| b.kind() == "smb" && smb(b).command == "CLOSE")
        .count();
    assert_eq!(closes as u64, n);
}

/// A pipe name is client data: a character across its fifth byte, where
/// the `PIPE\` prefix would end, once panicked the sensor.
#[test]
fn pipe_names_with_characters_across_the_prefix_are_kept() {
    assert_eq!(pipe_name("\\PIPE\\svcctl"), "svcctl");
    assert_eq!(pipe_name("pipe\\atsvc"), "atsvc");
    assert_eq!(pipe_name("atsvì"), "atsvì");
    assert_eq!(pipe_name("\\日本"), "日本");
}

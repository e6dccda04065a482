//! SMB, DCE/RPC and Kerberos parsers on real streams from the shared
//! captures with bytes flipped, cut into arbitrary chunks, with gaps, and
//! on arbitrary bytes: no panics, and held state stays within its caps.
//! `PROPTEST_CASES=100000 cargo test lateral_robustness` runs them longer.

use std::sync::OnceLock;

use proptest::prelude::*;

use super::dcerpc::DceRpcTcp;
use super::kerberos::Kerberos;
use super::smb::SmbSession;
use super::ChunkCtx;
use crate::capture::{CaptureFile, Record};
use crate::decode::{ip_packet, proto, TcpSegment};
use crate::flow::Direction;
use crate::reassembly::StreamChunk;
use crate::test_data::shared_capture;

/// A conversation: (from client, payload) in capture order.
type Turns = Vec<(bool, Vec<u8>)>;

/// TCP payloads to and from `port` in a capture, in capture order, as one
/// list of (from client, bytes).
fn tcp_turns(rel: &str, port: u16) -> Vec<(bool, Vec<u8>)> {
    let capture = CaptureFile::open(shared_capture(rel)).unwrap();
    let mut reader = capture.reader().unwrap();
    let mut turns = Vec::new();
    loop {
        match reader.next(capture.bytes()) {
            Record::Packet(p) => {
                let Ok(Some(ip)) = ip_packet(p.link_type, p.data) else {
                    continue;
                };
                if ip.proto != proto::TCP {
                    continue;
                }
                let Ok(seg) = TcpSegment::parse(ip.payload) else {
                    continue;
                };
                if !seg.payload.is_empty() && (seg.dst_port == port || seg.src_port == port) {
                    turns.push((seg.dst_port == port, seg.payload.to_vec()));
                }
            }
            Record::Skipped => {}
            Record::Truncated | Record::End => return turns,
        }
    }
}

fn smb_seeds() -> &'static [Turns] {
    static SEEDS: OnceLock<Vec<Turns>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        vec![
            tcp_turns(
                "LATERAL/pcap-attack__LM_psexec_smb_dcerpc_epm_svcctl.pcapng",
                445,
            ),
            tcp_turns(
                "LATERAL/malcolm-test-artifacts__eternalblue-success-unpatched-win7.pcap",
                445,
            ),
            tcp_turns("BENIGN/zeek-traces__smb3.pcap", 445),
        ]
    })
}

fn dcerpc_seeds() -> &'static [Turns] {
    static SEEDS: OnceLock<Vec<Turns>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        vec![
            tcp_turns(
                "LATERAL/pcap-attack__LM_psexec_smb_dcerpc_epm_svcctl.pcapng",
                49688,
            ),
            tcp_turns("LATERAL/pcap-attack__LM_WMI_ProcessCallCreate.pcapng", 135),
        ]
    })
}

fn kerberos_seeds() -> &'static [Turns] {
    static SEEDS: OnceLock<Vec<Turns>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        vec![
            tcp_turns(
                "suricata-verify/tests/krb5-request-frag-log/krb5-frag.pcap",
                88,
            ),
            tcp_turns(
                "suricata-verify/tests/krb5-kerberoasting/kerberoast.pcap",
                88,
            ),
        ]
    })
}

/// Chunks of a seed conversation with bytes flipped, split at arbitrary
/// points, and now and then a gap; at most `limit` turns.
fn mutated(
    seeds: fn() -> &'static [Turns],
    limit: usize,
) -> impl Strategy<Value = Vec<(bool, Option<Vec<u8>>)>> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..12),
        prop::collection::vec(1usize..300, 1..8),
        any::<Option<usize>>(),
        0..limit,
    )
        .prop_map(move |(pick, flips, sizes, gap_at, skip)| {
            let all = seeds();
            let seed = &all[pick.index(all.len())];
            let turns: Vec<(bool, Vec<u8>)> = seed
                .iter()
                .skip(skip % seed.len().max(1))
                .take(limit)
                .cloned()
                .collect();
            let mut bytes: Vec<(bool, Vec<u8>)> = turns;
            let total: usize = bytes.iter().map(|(_, b)| b.len()).sum();
            for (at, v) in flips {
                if total == 0 {
                    break;
                }
                let mut at = at % total;
                for (_, b) in bytes.iter_mut() {
                    if at < b.len() {
                        b[at] ^= v;
                        break;
                    }
                    at -= b.len();
                }
            }
            let mut out = Vec::new();
            let mut k = 0;
            for (i, (client, b)) in bytes.into_iter().enumerate() {
                if gap_at == Some(i) {
                    out.push((client, None));
                }
                let mut rest = &b[..];
                while !rest.is_empty() {
                    let take = sizes[k % sizes.len()].min(rest.len());
                    k += 1;
                    out.push((client, Some(rest[..take].to_vec())));
                    rest = &rest[take..];
                }
            }
            out
        })
}

fn ctx(client: bool) -> ChunkCtx {
    ChunkCtx {
        dir: if client {
            Direction::Orig
        } else {
            Direction::Resp
        },
        ts_us: 0,
        orig_port: 50000,
        resp_port: 445,
        inspect_body: 0,
    }
}

fn chunk(c: &Option<Vec<u8>>) -> StreamChunk<'_> {
    match c {
        Some(d) => StreamChunk::Data(d),
        None => StreamChunk::Gap,
    }
}

/// What an SMB session may hold: a message per direction and a PDU per
/// open pipe (each bounded).
const SMB_HELD_BOUND: usize = 2 * 72 * 1024 + 1024 * 4096;

proptest! {
    #[test]
    fn smb_session_takes_mutated_streams(turns in mutated(smb_seeds, 60)) {
        let mut s = SmbSession::default();
        let mut out = Vec::new();
        for (client, c) in &turns {
            let _ = s.on_chunk(ctx(*client), chunk(c), &mut out);
            prop_assert!(s.held() <= SMB_HELD_BOUND);
        }
        s.finish(&mut out);
    }

    #[test]
    fn smb_session_takes_arbitrary_bytes(
        turns in prop::collection::vec((any::<bool>(), prop::collection::vec(any::<u8>(), 0..200)), 0..20)
    ) {
        let mut s = SmbSession::default();
        let mut out = Vec::new();
        for (client, bytes) in &turns {
            // Half of the time behind a plausible NetBIOS + SMB2 header.
            let mut framed = bytes.clone();
            if bytes.len() % 2 == 0 {
                let mut m = vec![0, 0, 0, (bytes.len() + 4) as u8, 0xfe, b'S', b'M', b'B'];
                m.extend_from_slice(bytes);
                framed = m;
            }
            let _ = s.on_chunk(ctx(*client), StreamChunk::Data(&framed), &mut out);
        }
        s.finish(&mut out);
    }

    #[test]
    fn dcerpc_takes_mutated_streams(turns in mutated(dcerpc_seeds, 40)) {
        let mut d = DceRpcTcp::default();
        let mut out = Vec::new();
        for (client, c) in &turns {
            let _ = d.on_chunk(ctx(*client), chunk(c), &mut out);
        }
        d.finish(&mut out);
        prop_assert!(out.len() <= 64);
    }

    #[test]
    fn dcerpc_takes_arbitrary_bytes(stream in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..120), 0..12)) {
        let mut d = DceRpcTcp::default();
        let mut out = Vec::new();
        for bytes in &stream {
            let mut pdu = vec![5, 0, (bytes.len() % 16) as u8, 3, 0x10, 0, 0, 0];
            pdu.extend_from_slice(&((bytes.len() + 16) as u16).to_le_bytes());
            pdu.extend_from_slice(&[0; 6]);
            pdu.extend_from_slice(bytes);
            let _ = d.on_chunk(ctx(true), StreamChunk::Data(&pdu), &mut out);
        }
        d.finish(&mut out);
        prop_assert!(out.len() <= 64);
    }

    #[test]
    fn kerberos_tcp_takes_mutated_streams(turns in mutated(kerberos_seeds, 20)) {
        let mut k = Kerberos::default();
        let mut out = Vec::new();
        for (client, c) in &turns {
            let _ = k.on_chunk(ctx(*client), chunk(c), &mut out);
            prop_assert!(k.held() <= 2 * (64 * 1024 + 4));
            prop_assert!(k.waiting() <= 16);
        }
        k.finish(&mut out);
    }

    #[test]
    fn kerberos_messages_take_mutated_and_arbitrary_bytes(
        turns in mutated(kerberos_seeds, 20),
        junk in prop::collection::vec(any::<u8>(), 0..200),
        first in prop::sample::select(vec![0x6au8, 0x6b, 0x6c, 0x6d, 0x7e]),
    ) {
        let mut k = Kerberos::default();
        let mut out = Vec::new();
        // Each chunk as if it were a whole datagram (cut TCP framing off).
        for (client, c) in &turns {
            if let Some(d) = c {
                let _ = k.on_message(*client, 0, d.get(4..).unwrap_or(&[]), "udp", &mut out);
            }
        }
        let mut j = junk.clone();
        j.insert(0, first);
        let _ = k.on_message(true, 0, &j, "udp", &mut out);
        let _ = k.on_message(false, 0, &j, "udp", &mut out);
        k.finish(&mut out);
    }

    #[test]
    fn kerberos_tcp_takes_arbitrary_framing(
        chunks in prop::collection::vec((any::<bool>(), prop::collection::vec(any::<u8>(), 0..64)), 0..24)
    ) {
        let mut k = Kerberos::default();
        let mut out = Vec::new();
        for (client, bytes) in &chunks {
            let _ = k.on_chunk(ctx(*client), StreamChunk::Data(bytes), &mut out);
            prop_assert!(k.held() <= 2 * (64 * 1024 + 4));
        }
        k.finish(&mut out);
    }
}

//! KDC exchanges from a real capture (nDPI's kerberos-login.pcap: TGS
//! requests over UDP from xp1.denydc.com), replayed in different ways.

use super::*;
use crate::capture::{CaptureFile, Record};
use crate::decode::{ip_packet, proto, UdpDatagram};
use crate::test_data::shared_capture;

/// The UDP payloads of the capture: (from client, bytes).
fn datagrams() -> Vec<(bool, Vec<u8>)> {
    let capture =
        CaptureFile::open(shared_capture("PARSERS/ndpi/pcap/kerberos-login.pcap")).unwrap();
    let mut reader = capture.reader().unwrap();
    let mut out = Vec::new();
    loop {
        match reader.next(capture.bytes()) {
            Record::Packet(p) => {
                if let Ok(Some(ip)) = ip_packet(p.link_type, p.data) {
                    if ip.proto == proto::UDP {
                        if let Ok(u) = UdpDatagram::parse(ip.payload) {
                            out.push((u.dst_port == PORT, u.payload.to_vec()));
                        }
                    }
                }
            }
            Record::Skipped => {}
            Record::Truncated | Record::End => return out,
        }
    }
}

fn bodies(out: Vec<AppOutput>) -> Vec<KerberosBody> {
    out.into_iter()
        .map(|o| match o.item {
            AppItem::Event(Body::Kerberos(k)) => *k,
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

#[test]
fn requests_join_their_replies() {
    let d = datagrams();
    let mut k = Kerberos::default();
    let mut out = Vec::new();
    let mut bad = 0;
    for (i, (client, bytes)) in d.iter().take(4).enumerate() {
        bad += k.on_message(*client, i as i64, bytes, "udp", &mut out);
    }
    k.finish(&mut out);
    assert_eq!(bad, 0);
    let b = bodies(out);
    assert_eq!(b.len(), 2);
    // tshark: frame 1 TGS-REQ for host/xp1.denydc.com in DENYDC.COM, the
    // reply names client "des"; frame 3 cifs/VPC-W2K3ENT, client "xp1$".
    assert_eq!(
        (
            b[0].request,
            b[0].service.as_deref(),
            b[0].realm.as_deref(),
            b[0].client.as_deref()
        ),
        (
            "TGS",
            Some("host/xp1.denydc.com"),
            Some("DENYDC.COM"),
            Some("des")
        )
    );
    assert_eq!(b[1].service.as_deref(), Some("cifs/VPC-W2K3ENT"));
    assert_eq!(b[1].client.as_deref(), Some("xp1$"));
    assert!(b
        .iter()
        .all(|b| b.ticket_etype.is_some() && b.error.is_none()));
    assert!(b[0].etypes.contains(&"rc4-hmac".to_string()));
}

#[test]
fn a_request_without_reply_goes_out_after_five_seconds_or_at_the_end() {
    let d = datagrams();
    let mut k = Kerberos::default();
    let mut out = Vec::new();
    k.on_message(true, 0, &d[0].1, "udp", &mut out);
    k.on_message(true, 6_000_000, &d[2].1, "udp", &mut out);
    assert_eq!(out.len(), 1, "the first request timed out");
    k.finish(&mut out);
    let b = bodies(out);
    assert_eq!(b.len(), 2);
    assert!(b
        .iter()
        .all(|b| b.ticket_etype.is_none() && b.error.is_none()));
}

#[test]
fn tcp_messages_split_and_joined() {
    let d = datagrams();
    let mut stream = Vec::new();
    for (client, bytes) in d.iter().take(2) {
        let mut framed = (bytes.len() as u32).to_be_bytes().to_vec();
        framed.extend_from_slice(bytes);
        stream.push((*client, framed));
    }
    let mut k = Kerberos::default();
    let mut out = Vec::new();
    for (client, framed) in &stream {
        let ctx = ChunkCtx {
            dir: if *client {
                Direction::Orig
            } else {
                Direction::Resp
            },
            ts_us: 0,
            orig_port: 1061,
            resp_port: PORT,
            inspect_body: 0,
        };
        for piece in framed.chunks(3) {
            assert_eq!(k.on_chunk(ctx, StreamChunk::Data(piece), &mut out), 0);
        }
    }
    let b = bodies(out);
    assert_eq!(b.len(), 1);
    assert_eq!((b[0].proto, b[0].client.as_deref()), ("tcp", Some("des")));
    assert_eq!(k.held(), 0);
}

#[test]
fn junk_is_counted_and_waiting_requests_are_capped() {
    let d = datagrams();
    let mut k = Kerberos::default();
    let mut out = Vec::new();
    assert_eq!(k.on_message(true, 0, b"\x6a\x03abc", "udp", &mut out), 1);
    // A reply from the client side is not a reply.
    assert_eq!(k.on_message(true, 0, &d[1].1, "udp", &mut out), 1);
    for _ in 0..(MAX_WAITING + 3) {
        k.on_message(true, 0, &d[0].1, "udp", &mut out);
    }
    assert_eq!(k.waiting(), MAX_WAITING);
    assert_eq!((k.dropped, out.len()), (3, 3));
}

#[test]
fn empty_and_oversized_tcp_messages_are_stepped_over() {
    let d = datagrams();
    let mut stream = vec![0, 0, 0, 0];
    stream.extend_from_slice(&(200_000u32).to_be_bytes());
    stream.extend(vec![0x6a; 200_000]);
    stream.extend_from_slice(&(d[0].1.len() as u32).to_be_bytes());
    stream.extend_from_slice(&d[0].1);
    let mut k = Kerberos::default();
    let mut out = Vec::new();
    let ctx = ChunkCtx {
        dir: Direction::Orig,
        ts_us: 0,
        orig_port: 1061,
        resp_port: PORT,
        inspect_body: 0,
    };
    for piece in stream.chunks(1000) {
        k.on_chunk(ctx, StreamChunk::Data(piece), &mut out);
    }
    assert_eq!(k.waiting(), 1);
    assert_eq!(k.held(), 0);
}

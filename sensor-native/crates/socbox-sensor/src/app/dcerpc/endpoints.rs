//! Which interface a server endpoint serves, learned across connections: a
//! request whose bind is not in the capture (the connection started before
//! it, or the client bound on another connection) is attributed to the one
//! interface an earlier bind to the same endpoint, or an endpoint-mapper
//! answer, named for it, and marked `inferred`.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

use super::interfaces;
use super::pdu::{Header, RESPONSE};
use crate::event::DceRpcBody;

/// Reads little-endian NDR (tower floors are little-endian whatever the
/// PDU's data representation).
const LE: Header = Header {
    ptype: 0,
    flags: 0,
    little_endian: true,
    frag_len: 16,
};

/// Endpoints remembered at once; the oldest is forgotten beyond it.
const MAX_ENDPOINTS: usize = 4096;
/// Interfaces remembered per endpoint.
const MAX_PER_ENDPOINT: usize = 8;

/// An interface the endpoint mapper placed at a TCP port (an `ept_map`
/// answer's tower).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcEndpoint {
    pub uuid: String,
    /// The address in the tower; None: 0.0.0.0 or absent (the mapper's own).
    pub ip: Option<IpAddr>,
    pub port: u16,
}

/// A server endpoint: its TCP port, or its named pipe (lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Place {
    Port(u16),
    Pipe(String),
}

#[derive(Debug, Default)]
pub struct InterfaceMemory {
    known: HashMap<(IpAddr, Place), Vec<String>>,
    order: VecDeque<(IpAddr, Place)>,
}

fn place(body: &DceRpcBody, server_port: u16) -> Place {
    match &body.pipe {
        Some(pipe) => Place::Pipe(pipe.to_ascii_lowercase()),
        None => Place::Port(server_port),
    }
}

impl InterfaceMemory {
    fn learn_at(&mut self, key: (IpAddr, Place), uuid: &str) {
        if let Some(list) = self.known.get_mut(&key) {
            if !list.iter().any(|u| u == uuid) && list.len() < MAX_PER_ENDPOINT {
                list.push(uuid.to_owned());
            }
            return;
        }
        if self.known.len() >= MAX_ENDPOINTS {
            if let Some(old) = self.order.pop_front() {
                self.known.remove(&old);
            }
        }
        self.order.push_back(key.clone());
        self.known.insert(key, vec![uuid.to_owned()]);
    }

    /// The endpoint mapper says `e` serves its interface.
    pub fn learn_endpoint(&mut self, mapper: IpAddr, e: &RpcEndpoint) {
        let ip = e.ip.filter(|ip| !ip.is_unspecified()).unwrap_or(mapper);
        self.learn_at((ip, Place::Port(e.port)), &e.uuid);
    }

    /// One event of a connection to `server`: a bound interface is
    /// remembered for its endpoint; a call without one takes the endpoint's
    /// interface when exactly one is known (several: left out, not guessed).
    pub fn observe(&mut self, server: (IpAddr, u16), body: &mut DceRpcBody) {
        let key = (server.0, place(body, server.1));
        match &body.interface {
            Some(uuid) if body.inferred.is_none() => {
                let uuid = uuid.clone();
                self.learn_at(key, &uuid);
            }
            Some(_) => {}
            None => {
                if let Some([uuid]) = self.known.get(&key).map(Vec::as_slice) {
                    let iface = interfaces::lookup(uuid);
                    body.service = iface.map(|i| i.service);
                    body.operation = iface
                        .zip(body.opnum)
                        .and_then(|(i, n)| interfaces::operation(i, n));
                    body.interface = Some(uuid.clone());
                    body.inferred = Some(true);
                }
            }
        }
    }
}

/// Towers of an endpoint-mapper answer (C706 appendix L: floor 1 the
/// interface, then RPC protocol, TCP port, IP address), found in a
/// response's stub by their first floor's shape.
pub fn towers(stub: &[u8]) -> Vec<RpcEndpoint> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 5 <= stub.len() && out.len() < 16 {
        // floor count (3..=6, LE), then floor 1's lhs: 19 bytes, 0x0d.
        let count = u16::from_le_bytes([stub[i], stub[i + 1]]);
        if (3..=6).contains(&count) && stub[i + 2..i + 5] == [19, 0, 0x0d] {
            if let Some((e, end)) = tower(stub, i + 2, count) {
                out.push(e);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// One tower's floors from `at`; the endpoint and where the tower ends.
fn tower(b: &[u8], mut at: usize, count: u16) -> Option<(RpcEndpoint, usize)> {
    let u16_le = |at: usize| Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?));
    let mut uuid = None;
    let (mut port, mut ip) = (None, None);
    for floor in 0..count {
        let lhs_len = usize::from(u16_le(at)?);
        let lhs = b.get(at + 2..at + 2 + lhs_len)?;
        at += 2 + lhs_len;
        let rhs_len = usize::from(u16_le(at)?);
        let rhs = b.get(at + 2..at + 2 + rhs_len)?;
        at += 2 + rhs_len;
        match (floor, lhs.first(), rhs) {
            (0, Some(0x0d), _) if lhs_len == 19 => uuid = LE.uuid_at(lhs, 1),
            (_, Some(0x07), [hi, lo]) => port = Some(u16::from_be_bytes([*hi, *lo])),
            (_, Some(0x09), [a, b, c, d]) => ip = Some(IpAddr::from([*a, *b, *c, *d])),
            _ => {}
        }
    }
    Some((
        RpcEndpoint {
            uuid: uuid?,
            ip,
            port: port.filter(|&p| p != 0)?,
        },
        at,
    ))
}

/// The stub of a connection-oriented response PDU.
pub(super) fn response_stub<'a>(h: &Header, p: &'a [u8]) -> Option<&'a [u8]> {
    (h.ptype == RESPONSE).then(|| p.get(24..)).flatten()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::tests::uuid_bytes;
    use super::*;

    const DRSUAPI: &str = "e3514235-4b06-11d1-ab04-00c04fc2dcd2";
    const SAMR: &str = "12345778-1234-abcd-ef00-0123456789ac";

    /// An ept_map-style tower: interface, NDR, RPC CO, TCP port, IP.
    pub(crate) fn tower_bytes(uuid: &str, port: u16, ip: [u8; 4]) -> Vec<u8> {
        let mut t = vec![5, 0];
        let mut floor = |lhs: &[u8], rhs: &[u8]| {
            t.extend_from_slice(&(lhs.len() as u16).to_le_bytes());
            t.extend_from_slice(lhs);
            t.extend_from_slice(&(rhs.len() as u16).to_le_bytes());
            t.extend_from_slice(rhs);
        };
        let mut iface = vec![0x0d];
        iface.extend(uuid_bytes(uuid));
        iface.extend_from_slice(&[4, 0]);
        floor(&iface, &[0, 0]);
        let mut ndr = vec![0x0d];
        ndr.extend(uuid_bytes("8a885d04-1ceb-11c9-9fe8-08002b104860"));
        ndr.extend_from_slice(&[2, 0]);
        floor(&ndr, &[0, 0]);
        floor(&[0x0b], &[0, 0]);
        floor(&[0x07], &port.to_be_bytes());
        floor(&[0x09], &ip);
        t
    }

    #[test]
    fn towers_give_interface_port_and_address() {
        let mut stub = vec![0xee; 40];
        stub.extend(tower_bytes(DRSUAPI, 49667, [10, 1, 1, 2]));
        stub.extend_from_slice(&[0, 0, 0]);
        stub.extend(tower_bytes(SAMR, 49668, [0, 0, 0, 0]));
        let got = towers(&stub);
        assert_eq!(
            got,
            [
                RpcEndpoint {
                    uuid: DRSUAPI.into(),
                    ip: Some(IpAddr::from([10, 1, 1, 2])),
                    port: 49667
                },
                RpcEndpoint {
                    uuid: SAMR.into(),
                    ip: Some(IpAddr::from([0, 0, 0, 0])),
                    port: 49668
                }
            ]
        );
        // Cut anywhere, a tower is found whole or not at all.
        let one = tower_bytes(DRSUAPI, 49667, [10, 1, 1, 2]);
        for cut in 0..one.len() {
            assert!(towers(&one[..cut]).is_empty(), "{cut}");
        }
        assert!(towers(&tower_bytes(DRSUAPI, 0, [1, 1, 1, 1])).is_empty());
    }

    fn call(pipe: Option<&str>, uuid: Option<&str>, opnum: Option<u16>) -> DceRpcBody {
        DceRpcBody {
            transport: if pipe.is_some() { "smb" } else { "tcp" },
            pipe: pipe.map(Into::into),
            interface: uuid.map(Into::into),
            opnum,
            ..DceRpcBody::default()
        }
    }

    #[test]
    fn calls_without_a_bind_take_the_endpoints_one_interface() {
        let dc: IpAddr = "10.1.1.2".parse().unwrap();
        let mut m = InterfaceMemory::default();
        // Nothing known yet: left as it is.
        let mut c = call(None, None, Some(3));
        m.observe((dc, 49667), &mut c);
        assert_eq!((c.interface.as_deref(), c.inferred), (None, None));
        // An endpoint-mapper answer, with the mapper's address left out.
        m.learn_endpoint(
            dc,
            &RpcEndpoint {
                uuid: DRSUAPI.into(),
                ip: Some(IpAddr::from([0, 0, 0, 0])),
                port: 49667,
            },
        );
        m.observe((dc, 49667), &mut c);
        assert_eq!(
            (c.interface.as_deref(), c.service, c.operation, c.inferred),
            (
                Some(DRSUAPI),
                Some("drsuapi"),
                Some("DRSGetNCChanges"),
                Some(true)
            )
        );
        // Another port of the same host, and another host, know nothing.
        let mut other = call(None, None, Some(3));
        m.observe((dc, 49668), &mut other);
        m.observe(("10.1.1.3".parse().unwrap(), 49667), &mut other);
        assert_eq!(other.inferred, None);
        // An earlier bind on a named pipe names the pipe's interface.
        let svcctl = "367abb81-9844-35f1-ad32-98f038001003";
        m.observe((dc, 445), &mut call(Some("SVCCTL"), Some(svcctl), Some(15)));
        let mut later = call(Some("svcctl"), None, Some(12));
        m.observe((dc, 445), &mut later);
        assert_eq!(
            (later.operation, later.inferred),
            (Some("CreateServiceW"), Some(true))
        );
        // Two interfaces on one endpoint: not guessed.
        m.observe((dc, 49667), &mut call(None, Some(SAMR), Some(1)));
        let mut two = call(None, None, Some(3));
        m.observe((dc, 49667), &mut two);
        assert_eq!(two.inferred, None);
    }

    #[test]
    fn memory_is_bounded() {
        let mut m = InterfaceMemory::default();
        for port in 0..(MAX_ENDPOINTS as u16 + 10) {
            m.observe(
                ("10.0.0.1".parse().unwrap(), port),
                &mut call(None, Some(DRSUAPI), Some(1)),
            );
        }
        assert_eq!(m.known.len(), MAX_ENDPOINTS);
        assert_eq!(m.order.len(), MAX_ENDPOINTS);
    }
}

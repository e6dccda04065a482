//! From raw packets to finished events: decoding, DNS transactions, home-net
//! marking, community-id and intel hits.

use std::collections::VecDeque;
use std::net::IpAddr;

use crate::capture::RawPacket;
use crate::decode::{self, proto, DecodeError, UdpDatagram};
use crate::dns::{self, qtype_name, rcode_name, DnsMessage, DnsTransaction, DnsTransactions};
use crate::event::{Body, DnsBody, Endpoint, Event, IntelBody};
use crate::intel::{Hit, IntelMatcher};
use crate::net::{community_id_v1, FlowTuple, HomeNets};
use crate::reassembly::{FragmentLimits, Fragments};
use crate::stats::Counters;

/// Settings of a pipeline.
#[derive(Debug, Default, Clone)]
pub struct PipelineConfig {
    pub home_nets: HomeNets,
    pub intel: IntelMatcher,
    pub dns_limit: dns::PendingLimit,
    pub fragment_limits: FragmentLimits,
}

#[derive(Debug)]
pub struct Pipeline {
    home_nets: HomeNets,
    intel: IntelMatcher,
    dns: DnsTransactions,
    fragments: Fragments,
    finished_dns: Vec<DnsTransaction>,
    counters: Counters,
}

impl Pipeline {
    pub fn new(config: PipelineConfig) -> Self {
        Self {
            home_nets: config.home_nets,
            intel: config.intel,
            dns: DnsTransactions::new(config.dns_limit),
            fragments: Fragments::new(config.fragment_limits),
            finished_dns: Vec::new(),
            counters: Counters::default(),
        }
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Counts a record the capture reader could not use.
    pub fn count_malformed_record(&mut self) {
        self.counters.malformed += 1;
    }

    /// Takes one packet; events it completes are appended to `out`.
    pub fn on_packet(&mut self, pkt: &RawPacket<'_>, out: &mut VecDeque<Event>) {
        self.counters.packets += 1;
        self.counters.bytes += u64::from(pkt.orig_len.max(pkt.data.len() as u32));
        if self.decode(pkt).is_err() {
            self.counters.malformed += 1;
        }
        self.emit_dns(out);
    }

    /// End of input: everything still pending becomes an event.
    pub fn finish(&mut self, out: &mut VecDeque<Event>) {
        self.dns.flush(&mut self.finished_dns);
        self.emit_dns(out);
    }

    fn decode(&mut self, pkt: &RawPacket<'_>) -> Result<(), DecodeError> {
        let ts_us = pkt.ts_us;
        self.dns.expire(ts_us, &mut self.finished_dns);
        let Some(ip) = decode::ip_packet(pkt.link_type, pkt.data)? else {
            return Ok(());
        };
        let reassembled;
        let payload = match ip.fragment {
            None => ip.payload,
            Some(frag) => {
                match self
                    .fragments
                    .add(ts_us, ip.src, ip.dst, ip.proto, frag, ip.payload)
                {
                    Some(whole) => {
                        reassembled = whole;
                        &reassembled
                    }
                    None => return Ok(()),
                }
            }
        };
        if ip.proto == proto::UDP {
            let udp = UdpDatagram::parse(payload)?;
            if dns::is_dns_port(udp.src_port) || dns::is_dns_port(udp.dst_port) {
                let msg = DnsMessage::parse(udp.payload)
                    .map_err(|_| DecodeError::Invalid("DNS message"))?;
                self.dns.on_message(
                    ts_us,
                    (ip.src, udp.src_port),
                    (ip.dst, udp.dst_port),
                    proto::UDP,
                    msg,
                    &mut self.finished_dns,
                );
            }
        }
        Ok(())
    }

    fn emit_dns(&mut self, out: &mut VecDeque<Event>) {
        for tx in std::mem::take(&mut self.finished_dns) {
            let event = self.dns_event(tx);
            self.push_with_intel(event, out);
        }
    }

    fn endpoint(&self, ip: IpAddr, port: Option<u16>) -> Endpoint {
        Endpoint {
            ip,
            port,
            internal: self.home_nets.contains(ip),
        }
    }

    fn dns_event(&self, tx: DnsTransaction) -> Event {
        let flow = community_id_v1(
            &FlowTuple {
                src: tx.client.0,
                dst: tx.server.0,
                proto: tx.transport,
                src_port: tx.client.1,
                dst_port: tx.server.1,
            },
            0,
        );
        let mut hits = Vec::new();
        self.intel
            .match_domain(&tx.question.name, "query", &mut hits);
        for answer in &tx.answers {
            match answer.parse::<IpAddr>() {
                Ok(ip) => self.intel.match_ip(ip, "answers", &mut hits),
                Err(_) => self.intel.match_domain(answer, "answers", &mut hits),
            }
        }
        self.match_endpoints(tx.client.0, tx.server.0, &mut hits);
        Event {
            ts: tx.ts_us.div_euclid(1000),
            flow,
            src: self.endpoint(tx.client.0, Some(tx.client.1)),
            dst: self.endpoint(tx.server.0, Some(tx.server.1)),
            body: Body::Dns(DnsBody {
                query: tx.question.name,
                qtype: qtype_name(tx.question.qtype),
                rcode: tx.rcode.map(rcode_name),
                answers: tx.answers,
                ttl: tx.min_ttl,
                proto: if tx.transport == proto::TCP {
                    "tcp"
                } else {
                    "udp"
                },
                trans_id: tx.id,
            }),
            hits,
        }
    }

    fn match_endpoints(&self, src: IpAddr, dst: IpAddr, hits: &mut Vec<Hit>) {
        self.intel.match_ip(src, "src.ip", hits);
        self.intel.match_ip(dst, "dst.ip", hits);
    }

    /// Queues `event`, then one `intel` event per hit it carries.
    fn push_with_intel(&mut self, event: Event, out: &mut VecDeque<Event>) {
        let records: Vec<Event> = event
            .hits
            .iter()
            .map(|h| Event {
                ts: event.ts,
                flow: event.flow.clone(),
                src: event.src,
                dst: event.dst,
                body: Body::Intel(IntelBody {
                    list: h.list.clone(),
                    ioc: h.ioc,
                    indicator: h.indicator.clone(),
                    value: h.value.clone(),
                    field: h.field,
                    on: event.kind(),
                }),
                hits: Vec::new(),
            })
            .collect();
        self.counters.events += 1 + records.len() as u64;
        out.push_back(event);
        out.extend(records);
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::capture::LinkType;
    use crate::test_data::frames::{dns_query, eth_ipv4, udp};

    const CLIENT: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 10);
    const SERVER: Ipv4Addr = Ipv4Addr::new(9, 9, 9, 9);

    fn run(frames: &[Vec<u8>]) -> (Vec<Event>, Counters) {
        let mut p = Pipeline::new(PipelineConfig::default());
        let mut out = VecDeque::new();
        for (i, f) in frames.iter().enumerate() {
            let pkt = RawPacket {
                ts_us: 1_000_000 + i as i64 * 1000,
                link_type: LinkType::ETHERNET,
                data: f,
                orig_len: f.len() as u32,
            };
            p.on_packet(&pkt, &mut out);
        }
        p.finish(&mut out);
        (out.into_iter().collect(), p.counters())
    }

    fn queries(events: &[Event]) -> Vec<&str> {
        events
            .iter()
            .filter_map(|e| match &e.body {
                Body::Dns(d) => Some(d.query.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fragmented_dns_query_is_reassembled() {
        let datagram = udp(40000, 53, &dns_query(7, "fragmented.example.org"));
        let (first, rest) = datagram.split_at(16);
        let frames = [
            eth_ipv4(CLIENT, SERVER, 17, 99, 16, false, rest),
            eth_ipv4(CLIENT, SERVER, 17, 99, 0, true, first),
        ];
        let (events, counters) = run(&frames);
        assert_eq!(queries(&events), ["fragmented.example.org"]);
        assert_eq!(counters.malformed, 0);
        let e = &events[0];
        // The datagram exists from the packet that completed it.
        assert_eq!((e.ts, e.src.internal, e.dst.internal), (1_001, true, false));
    }

    #[test]
    fn a_lone_fragment_gives_no_event_and_no_error() {
        let datagram = udp(40000, 53, &dns_query(7, "lost.example.org"));
        let frames = [eth_ipv4(CLIENT, SERVER, 17, 5, 0, true, &datagram[..16])];
        let (events, counters) = run(&frames);
        assert!(events.is_empty());
        assert_eq!((counters.packets, counters.malformed), (1, 0));
    }

    #[test]
    fn malformed_packets_are_counted_and_reading_goes_on() {
        let good = eth_ipv4(
            CLIENT,
            SERVER,
            17,
            1,
            0,
            false,
            &udp(1, 53, &dns_query(1, "ok.example")),
        );
        let mut bad_dns = good.clone();
        bad_dns.truncate(14 + 20 + 8 + 5);
        bad_dns[14 + 3] = (20 + 8 + 5) as u8; // keep IP length consistent
        let frames = [vec![0u8; 10], bad_dns, good];
        let (events, counters) = run(&frames);
        assert_eq!(queries(&events), ["ok.example"]);
        assert_eq!((counters.packets, counters.malformed), (3, 2));
    }
}

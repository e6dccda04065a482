use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::name::{read_name, skip_name};
use crate::decode::{be16, be32};
use crate::net::dotted_quad;

/// Why a DNS message could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsError {
    Truncated(&'static str),
    Invalid(&'static str),
}

impl fmt::Display for DnsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated(what) => write!(f, "DNS {what} cut short"),
            Self::Invalid(what) => write!(f, "invalid DNS {what}"),
        }
    }
}

impl std::error::Error for DnsError {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Lowercase, no trailing dot; the root is `.`.
    pub name: String,
    pub qtype: u16,
}

/// The parts of a DNS message the events need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsMessage {
    pub id: u16,
    pub is_response: bool,
    pub rcode: u8,
    /// The first question; messages may carry none (mDNS announcements).
    pub question: Option<Question>,
    /// Answer-section values as text, in order: addresses and names.
    pub answers: Vec<String>,
    /// Smallest TTL over the answer section.
    pub min_ttl: Option<u32>,
}

const TYPE_A: u16 = 1;
const TYPE_NS: u16 = 2;
const TYPE_CNAME: u16 = 5;
const TYPE_SOA: u16 = 6;
const TYPE_PTR: u16 = 12;
const TYPE_MX: u16 = 15;
const TYPE_TXT: u16 = 16;
const TYPE_AAAA: u16 = 28;
const TYPE_SRV: u16 = 33;
const TYPE_DNAME: u16 = 39;

/// Answers kept per message: enough for any real response, bounded for
/// crafted ones.
const MAX_ANSWERS: usize = 64;

impl DnsMessage {
    /// Parses header, first question and answer section. Header and
    /// question must be whole; an answer section cut short (snap length,
    /// truncated UDP) keeps the answers read so far.
    pub fn parse(msg: &[u8]) -> Result<Self, DnsError> {
        let (Some(id), Some(flags), Some(qdcount), Some(ancount)) =
            (be16(msg, 0), be16(msg, 2), be16(msg, 4), be16(msg, 6))
        else {
            return Err(DnsError::Truncated("header"));
        };
        if msg.len() < 12 {
            return Err(DnsError::Truncated("header"));
        }
        let mut at = 12;
        let mut question = None;
        for i in 0..qdcount {
            let mut name = String::new();
            at = read_name(msg, at, &mut name)?;
            let qtype = be16(msg, at).ok_or(DnsError::Truncated("question"))?;
            if msg.len() < at + 4 {
                return Err(DnsError::Truncated("question"));
            }
            at += 4;
            if i == 0 {
                question = Some(Question { name, qtype });
            }
        }
        let mut out = Self {
            id,
            is_response: flags & 0x8000 != 0,
            rcode: (flags & 0x000f) as u8,
            question,
            answers: Vec::new(),
            min_ttl: None,
        };
        for _ in 0..ancount {
            match read_answer(msg, at, &mut out) {
                Some(next) => at = next,
                None => break,
            }
        }
        Ok(out)
    }
}

/// Reads one resource record at `at`; returns the offset after it, or None
/// when the record is cut or broken (reading stops there).
fn read_answer(msg: &[u8], at: usize, out: &mut DnsMessage) -> Option<usize> {
    let at = skip_name(msg, at).ok()?;
    let rtype = be16(msg, at)?;
    let ttl = be32(msg, at + 4)?;
    let rdlen = usize::from(be16(msg, at + 8)?);
    let start = at + 10;
    let rdata = msg.get(start..start + rdlen)?;
    let value = match rtype {
        TYPE_A => <[u8; 4]>::try_from(rdata)
            .ok()
            .map(|o| dotted_quad(Ipv4Addr::from(o))),
        TYPE_AAAA => <[u8; 16]>::try_from(rdata)
            .ok()
            .map(|o| Ipv6Addr::from(o).to_string()),
        TYPE_CNAME | TYPE_NS | TYPE_PTR | TYPE_DNAME | TYPE_SOA => name_at(msg, start),
        TYPE_MX => name_at(msg, start + 2),
        TYPE_SRV => name_at(msg, start + 6),
        TYPE_TXT => Some(txt(rdata)),
        // Other types (OPT, RRSIG, …) carry no address or name worth matching.
        _ => None,
    };
    if let Some(v) = value {
        if out.answers.len() < MAX_ANSWERS {
            out.answers.push(v);
        }
    }
    // RFC 2181 §8: a TTL with the top bit set is treated as zero.
    let ttl = if ttl & 0x8000_0000 != 0 { 0 } else { ttl };
    out.min_ttl = Some(out.min_ttl.map_or(ttl, |m| m.min(ttl)));
    Some(start + rdlen)
}

fn name_at(msg: &[u8], at: usize) -> Option<String> {
    let mut s = String::new();
    read_name(msg, at, &mut s).ok().map(|_| s)
}

/// TXT character-strings joined; bytes outside printable ASCII as `\DDD`.
fn txt(mut rdata: &[u8]) -> String {
    let mut s = String::new();
    while let Some((&len, rest)) = rdata.split_first() {
        let take = rest.len().min(usize::from(len));
        for &b in &rest[..take] {
            match b {
                b'\\' => s.push_str("\\\\"),
                0x20..=0x7e => s.push(b as char),
                _ => {
                    s.push('\\');
                    s.push((b'0' + b / 100) as char);
                    s.push((b'0' + b / 10 % 10) as char);
                    s.push((b'0' + b % 10) as char);
                }
            }
        }
        rdata = &rest[take..];
    }
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a DNS message: header, one question, and answers given as
    /// (type, ttl, rdata) with the owner name compressed to the question.
    pub(crate) fn message(
        id: u16,
        flags: u16,
        qname: &str,
        qtype: u16,
        answers: &[(u16, u32, Vec<u8>)],
    ) -> Vec<u8> {
        let mut m = id.to_be_bytes().to_vec();
        m.extend_from_slice(&flags.to_be_bytes());
        m.extend_from_slice(&1u16.to_be_bytes());
        m.extend_from_slice(&(answers.len() as u16).to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 0]);
        m.extend(encode_name(qname));
        m.extend_from_slice(&qtype.to_be_bytes());
        m.extend_from_slice(&1u16.to_be_bytes());
        for (rtype, ttl, rdata) in answers {
            m.extend_from_slice(&[0xc0, 12]);
            m.extend_from_slice(&rtype.to_be_bytes());
            m.extend_from_slice(&1u16.to_be_bytes());
            m.extend_from_slice(&ttl.to_be_bytes());
            m.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
            m.extend_from_slice(rdata);
        }
        m
    }

    pub(crate) fn encode_name(name: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for label in name.split('.').filter(|l| !l.is_empty()) {
            out.push(label.len() as u8);
            out.extend_from_slice(label.as_bytes());
        }
        out.push(0);
        out
    }

    #[test]
    fn query_and_response() {
        let q = message(0x1234, 0x0100, "WWW.Example.com", 1, &[]);
        let m = DnsMessage::parse(&q).unwrap();
        assert_eq!((m.id, m.is_response, m.rcode), (0x1234, false, 0));
        assert_eq!(
            m.question,
            Some(Question {
                name: "www.example.com".into(),
                qtype: 1
            })
        );
        assert!(m.answers.is_empty() && m.min_ttl.is_none());

        let cname = [&[0xc0u8, 12][..]].concat(); // points at the question name
        let r = message(
            0x1234,
            0x8183,
            "www.example.com",
            1,
            &[
                (TYPE_CNAME, 300, cname),
                (TYPE_A, 60, vec![93, 184, 216, 34]),
                (
                    TYPE_AAAA,
                    120,
                    vec![0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                ),
                (
                    TYPE_MX,
                    500,
                    [&[0u8, 10][..], &encode_name("mail.example.com")].concat(),
                ),
                (TYPE_TXT, 500, b"\x05hello\x02\x01!".to_vec()),
                (46, 30, vec![1, 2, 3]),
            ],
        );
        let m = DnsMessage::parse(&r).unwrap();
        assert_eq!((m.is_response, m.rcode), (true, 3));
        assert_eq!(
            m.answers,
            [
                "www.example.com",
                "93.184.216.34",
                "2001:db8::1",
                "mail.example.com",
                "hello\\001!"
            ]
        );
        assert_eq!(m.min_ttl, Some(30));
    }

    #[test]
    fn cut_answers_keep_what_was_read() {
        let r = message(
            1,
            0x8180,
            "a.b",
            1,
            &[(TYPE_A, 5, vec![1, 2, 3, 4]), (TYPE_A, 5, vec![5, 6, 7, 8])],
        );
        let m = DnsMessage::parse(&r[..r.len() - 2]).unwrap();
        assert_eq!(m.answers, ["1.2.3.4"]);
    }

    #[test]
    fn broken_header_or_question() {
        let q = message(1, 0x0100, "a.b", 1, &[]);
        for (name, bytes, err) in [
            ("header", &q[..11], DnsError::Truncated("header")),
            ("qtype", &q[..q.len() - 3], DnsError::Truncated("question")),
            ("qname", &q[..14], DnsError::Truncated("name")),
            ("label", &q[..13], DnsError::Truncated("label")),
        ] {
            assert_eq!(DnsMessage::parse(bytes), Err(err), "{name}");
        }
    }
}

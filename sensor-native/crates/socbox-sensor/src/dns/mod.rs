//! DNS messages (RFC 1035) and the transactions they form.

mod codes;
mod message;
mod name;
mod transactions;

pub use codes::{qtype_name, rcode_name};
pub use message::{DnsError, DnsMessage, Question};
pub use transactions::{DnsTransaction, DnsTransactions, PendingLimit};

/// Ports on which UDP payloads are parsed as DNS: DNS, mDNS, LLMNR.
pub fn is_dns_port(port: u16) -> bool {
    matches!(port, 53 | 5353 | 5355)
}

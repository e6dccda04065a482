//! Events: one flat record per observation, in the shape of
//! `dsl/schema/README.md` §1. Each kind lists its columns once; both
//! encoders (NDJSON and wire batch) walk that list, so key order is defined
//! in one place.

mod conn;
mod dcerpc;
mod dns;
mod file;
mod flow_id;
mod ftp;
mod http;
mod icmp;
mod intel;
mod kerberos;
mod rdp;
mod sig;
mod smb;
mod smtp;
mod ssh;
mod tls;
mod value;

use std::net::IpAddr;

pub use conn::ConnBody;
pub use dcerpc::DceRpcBody;
pub use dns::DnsBody;
pub use file::{FileBody, DOWNLOAD, UPLOAD};
pub use flow_id::FlowId;
pub use ftp::FtpBody;
pub use http::HttpBody;
pub use icmp::IcmpBody;
pub use intel::IntelBody;
pub use kerberos::KerberosBody;
pub use rdp::RdpBody;
pub use sig::SigBody;
pub use smb::SmbBody;
pub use smtp::SmtpBody;
pub use ssh::SshBody;
pub use tls::TlsBody;
pub use value::Value;

use crate::encode::Fragment;
use crate::intel::Hit;

/// Columns every event starts with, after `kind`.
pub const COMMON_COLUMNS: usize = 8;

/// Builds a kind's full column list: the common columns, the kind's own
/// fields, then `hits`.
macro_rules! columns {
    ($($field:literal),* $(,)?) => {
        &[
            "ts", "flow", "src.ip", "src.port", "src.internal", "dst.ip", "dst.port",
            "dst.internal", $($field,)* "hits",
        ]
    };
}
pub(crate) use columns;

/// One side of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: IpAddr,
    /// Absent for protocols without ports.
    pub port: Option<u16>,
    /// In the sensor's home networks.
    pub internal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Conn(ConnBody),
    Dns(DnsBody),
    Http(HttpBody),
    Tls(Box<TlsBody>),
    Intel(IntelBody),
    File(FileBody),
    Sig(SigBody),
    Smb(Box<SmbBody>),
    DceRpc(Box<DceRpcBody>),
    Kerberos(Box<KerberosBody>),
    Rdp(RdpBody),
    Ssh(SshBody),
    Smtp(SmtpBody),
    Ftp(FtpBody),
    Icmp(IcmpBody),
}

impl Body {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Conn(_) => "conn",
            Self::Dns(_) => "dns",
            Self::Http(_) => "http",
            Self::Tls(_) => "tls",
            Self::Intel(_) => "intel",
            Self::File(_) => "file",
            Self::Sig(_) => "sig",
            Self::Smb(_) => "smb",
            Self::DceRpc(_) => "dcerpc",
            Self::Kerberos(_) => "kerberos",
            Self::Rdp(_) => "rdp",
            Self::Ssh(_) => "ssh",
            Self::Smtp(_) => "smtp",
            Self::Ftp(_) => "ftp",
            Self::Icmp(_) => "icmp",
        }
    }

    fn columns(&self) -> &'static [&'static str] {
        match self {
            Self::Conn(_) => ConnBody::COLUMNS,
            Self::Dns(_) => DnsBody::COLUMNS,
            Self::Http(_) => HttpBody::COLUMNS,
            Self::Tls(_) => TlsBody::COLUMNS,
            Self::Intel(_) => IntelBody::COLUMNS,
            Self::File(_) => FileBody::COLUMNS,
            Self::Sig(_) => SigBody::COLUMNS,
            Self::Smb(_) => SmbBody::COLUMNS,
            Self::DceRpc(_) => DceRpcBody::COLUMNS,
            Self::Kerberos(_) => KerberosBody::COLUMNS,
            Self::Rdp(_) => RdpBody::COLUMNS,
            Self::Ssh(_) => SshBody::COLUMNS,
            Self::Smtp(_) => SmtpBody::COLUMNS,
            Self::Ftp(_) => FtpBody::COLUMNS,
            Self::Icmp(_) => IcmpBody::COLUMNS,
        }
    }

    /// The kind's own fields present, in key order, each with its index in
    /// the kind's column list and its key as written in a JSON object
    /// (`,"name":`, one fragment made at compile time): the kind is matched
    /// once per event, and each kind's loop (a constant count over its own
    /// `field`) is unrolled into straight code, where [`Event::column`]
    /// matches the kind and then the index per column.
    #[inline]
    pub fn each_field<'a>(&'a self, mut f: impl FnMut(usize, &'static Fragment, Value<'a>)) {
        macro_rules! each {
            ($b:expr, $body:ty) => {{
                static KEYS: [Fragment; <$body>::COLUMNS.len() - COMMON_COLUMNS - 1] =
                    Fragment::keys(<$body>::COLUMNS, COMMON_COLUMNS);
                for (i, key) in KEYS.iter().enumerate() {
                    if let Some(v) = $b.field(i) {
                        f(COMMON_COLUMNS + i, key, v);
                    }
                }
            }};
        }
        match self {
            Self::Conn(b) => each!(b, ConnBody),
            Self::Dns(b) => each!(b, DnsBody),
            Self::Http(b) => each!(b, HttpBody),
            Self::Tls(b) => each!(b, TlsBody),
            Self::Intel(b) => each!(b, IntelBody),
            Self::File(b) => each!(b, FileBody),
            Self::Sig(b) => each!(b, SigBody),
            Self::Smb(b) => each!(b, SmbBody),
            Self::DceRpc(b) => each!(b, DceRpcBody),
            Self::Kerberos(b) => each!(b, KerberosBody),
            Self::Rdp(b) => each!(b, RdpBody),
            Self::Ssh(b) => each!(b, SshBody),
            Self::Smtp(b) => each!(b, SmtpBody),
            Self::Ftp(b) => each!(b, FtpBody),
            Self::Icmp(b) => each!(b, IcmpBody),
        }
    }

    /// The kind's own field `i` (0 = first after the common columns).
    #[inline]
    fn field(&self, i: usize) -> Option<Value<'_>> {
        match self {
            Self::Conn(b) => b.field(i),
            Self::Dns(b) => b.field(i),
            Self::Http(b) => b.field(i),
            Self::Tls(b) => b.field(i),
            Self::Intel(b) => b.field(i),
            Self::File(b) => b.field(i),
            Self::Sig(b) => b.field(i),
            Self::Smb(b) => b.field(i),
            Self::DceRpc(b) => b.field(i),
            Self::Kerberos(b) => b.field(i),
            Self::Rdp(b) => b.field(i),
            Self::Ssh(b) => b.field(i),
            Self::Smtp(b) => b.field(i),
            Self::Ftp(b) => b.field(i),
            Self::Icmp(b) => b.field(i),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Capture time, ms since the epoch.
    pub ts: i64,
    /// community-id v1 of the flow.
    pub flow: FlowId,
    /// The IP protocol (TCP or UDP) under which `flow` is the community id
    /// (seed 0) of `src` and `dst`, when whoever made the event knows it
    /// (the pipeline, from the flow the event came from): the wire encoder
    /// then writes the protocol instead of the id without hashing again.
    /// None: unknown, and the encoder checks.
    pub flow_proto: Option<u8>,
    pub src: Endpoint,
    pub dst: Endpoint,
    pub body: Body,
    /// Intel entries this event hit.
    pub hits: Vec<Hit>,
}

impl Event {
    /// [`Event::flow_proto`] of an event of a flow of IP protocol `proto`
    /// whose `src` and `dst` are the flow's endpoints (`ports`: with their ports).
    pub fn endpoints_flow_proto(proto: u8, ports: bool) -> Option<u8> {
        (ports && matches!(proto, crate::decode::proto::TCP | crate::decode::proto::UDP))
            .then_some(proto)
    }

    pub fn kind(&self) -> &'static str {
        self.body.kind()
    }

    /// Column names in key order (without `kind`).
    pub fn columns(&self) -> &'static [&'static str] {
        self.body.columns()
    }

    /// Value of column `i`, None when absent.
    #[inline]
    pub fn column(&self, i: usize) -> Option<Value<'_>> {
        let columns = self.columns();
        match i {
            0 => Some(Value::Int(self.ts)),
            1 => Some(self.flow.value()),
            2 => Some(Value::Ip(self.src.ip)),
            3 => self.src.port.map(|p| Value::Int(i64::from(p))),
            4 => Some(Value::Bool(self.src.internal)),
            5 => Some(Value::Ip(self.dst.ip)),
            6 => self.dst.port.map(|p| Value::Int(i64::from(p))),
            7 => Some(Value::Bool(self.dst.internal)),
            _ if i + 1 == columns.len() => {
                (!self.hits.is_empty()).then_some(Value::Hits(&self.hits))
            }
            _ => self.body.field(i - COMMON_COLUMNS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_lists_share_the_common_prefix_and_end_in_hits() {
        for cols in [
            ConnBody::COLUMNS,
            DnsBody::COLUMNS,
            HttpBody::COLUMNS,
            TlsBody::COLUMNS,
            IntelBody::COLUMNS,
            FileBody::COLUMNS,
            SigBody::COLUMNS,
            SmbBody::COLUMNS,
            DceRpcBody::COLUMNS,
            KerberosBody::COLUMNS,
            RdpBody::COLUMNS,
            SshBody::COLUMNS,
            SmtpBody::COLUMNS,
            FtpBody::COLUMNS,
            IcmpBody::COLUMNS,
        ] {
            assert_eq!(cols[0], "ts");
            assert_eq!(cols[COMMON_COLUMNS - 1], "dst.internal");
            assert_eq!(cols[cols.len() - 1], "hits");
        }
    }
}

use std::borrow::Cow;

/// Mnemonic of a DNS RR type (IANA "Resource Record (RR) TYPEs"); unknown
/// types are `TYPE<n>` as in RFC 3597.
pub fn qtype_name(qtype: u16) -> Cow<'static, str> {
    let name = match qtype {
        1 => "A",
        2 => "NS",
        3 => "MD",
        4 => "MF",
        5 => "CNAME",
        6 => "SOA",
        7 => "MB",
        8 => "MG",
        9 => "MR",
        10 => "NULL",
        11 => "WKS",
        12 => "PTR",
        13 => "HINFO",
        14 => "MINFO",
        15 => "MX",
        16 => "TXT",
        17 => "RP",
        18 => "AFSDB",
        19 => "X25",
        20 => "ISDN",
        21 => "RT",
        22 => "NSAP",
        23 => "NSAP-PTR",
        24 => "SIG",
        25 => "KEY",
        26 => "PX",
        27 => "GPOS",
        28 => "AAAA",
        29 => "LOC",
        30 => "NXT",
        31 => "EID",
        32 => "NIMLOC",
        33 => "SRV",
        34 => "ATMA",
        35 => "NAPTR",
        36 => "KX",
        37 => "CERT",
        38 => "A6",
        39 => "DNAME",
        40 => "SINK",
        41 => "OPT",
        42 => "APL",
        43 => "DS",
        44 => "SSHFP",
        45 => "IPSECKEY",
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        49 => "DHCID",
        50 => "NSEC3",
        51 => "NSEC3PARAM",
        52 => "TLSA",
        53 => "SMIMEA",
        55 => "HIP",
        56 => "NINFO",
        57 => "RKEY",
        58 => "TALINK",
        59 => "CDS",
        60 => "CDNSKEY",
        61 => "OPENPGPKEY",
        62 => "CSYNC",
        63 => "ZONEMD",
        64 => "SVCB",
        65 => "HTTPS",
        99 => "SPF",
        108 => "EUI48",
        109 => "EUI64",
        249 => "TKEY",
        250 => "TSIG",
        251 => "IXFR",
        252 => "AXFR",
        253 => "MAILB",
        254 => "MAILA",
        255 => "ANY",
        256 => "URI",
        257 => "CAA",
        32768 => "TA",
        32769 => "DLV",
        _ => return Cow::Owned(format!("TYPE{qtype}")),
    };
    Cow::Borrowed(name)
}

/// Mnemonic of a DNS RCODE (RFC 1035 §4.1.1, RFC 2136, RFC 8490); unknown
/// codes are `RCODE<n>`.
pub fn rcode_name(rcode: u8) -> Cow<'static, str> {
    let name = match rcode {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        11 => "DSOTYPENI",
        _ => return Cow::Owned(format!("RCODE{rcode}")),
    };
    Cow::Borrowed(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (n, name) in [
            (1, "A"),
            (28, "AAAA"),
            (16, "TXT"),
            (65, "HTTPS"),
            (999, "TYPE999"),
        ] {
            assert_eq!(qtype_name(n), name);
        }
        for (n, name) in [
            (0, "NOERROR"),
            (3, "NXDOMAIN"),
            (5, "REFUSED"),
            (15, "RCODE15"),
        ] {
            assert_eq!(rcode_name(n), name);
        }
    }
}

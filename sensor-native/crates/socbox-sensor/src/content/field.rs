/// A field content signatures read (match plan §3). Suricata's sticky-buffer
/// names that mean the same thing are accepted as aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    HttpMethod,
    HttpUri,
    HttpHost,
    HttpUserAgent,
    HttpReferrer,
    HttpHeader,
    /// The response's header block; `http.header` of a `to_client`
    /// signature.
    HttpResponseHeader,
    HttpRequestBody,
    FileData,
    DnsQuery,
    TlsSni,
    TlsSubject,
    TlsIssuer,
    Payload,
}

pub const FIELD_COUNT: usize = 14;

impl Field {
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::HttpMethod,
        Field::HttpUri,
        Field::HttpHost,
        Field::HttpUserAgent,
        Field::HttpReferrer,
        Field::HttpHeader,
        Field::HttpResponseHeader,
        Field::HttpRequestBody,
        Field::FileData,
        Field::DnsQuery,
        Field::TlsSni,
        Field::TlsSubject,
        Field::TlsIssuer,
        Field::Payload,
    ];

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "http.method" => Self::HttpMethod,
            "http.uri" => Self::HttpUri,
            "http.host" => Self::HttpHost,
            "http.user_agent" => Self::HttpUserAgent,
            "http.referrer" | "http.referer" => Self::HttpReferrer,
            "http.header" => Self::HttpHeader,
            "http.response_header" => Self::HttpResponseHeader,
            "http.request_body" => Self::HttpRequestBody,
            "file.data" | "http.response_body" => Self::FileData,
            "dns.query" => Self::DnsQuery,
            "tls.sni" => Self::TlsSni,
            "tls.subject" | "tls.cert_subject" => Self::TlsSubject,
            "tls.issuer" | "tls.cert_issuer" => Self::TlsIssuer,
            "payload" => Self::Payload,
            _ => return None,
        })
    }

    /// The contract's name, as a `sig` event's `field` says it.
    pub fn name(self) -> &'static str {
        match self {
            Self::HttpMethod => "http.method",
            Self::HttpUri => "http.uri",
            Self::HttpHost => "http.host",
            Self::HttpUserAgent => "http.user_agent",
            Self::HttpReferrer => "http.referrer",
            Self::HttpHeader => "http.header",
            Self::HttpResponseHeader => "http.response_header",
            Self::HttpRequestBody => "http.request_body",
            Self::FileData => "file.data",
            Self::DnsQuery => "dns.query",
            Self::TlsSni => "tls.sni",
            Self::TlsSubject => "tls.subject",
            Self::TlsIssuer => "tls.issuer",
            Self::Payload => "payload",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The values of the fields one event offers, by [`Field::index`].
#[derive(Debug, Default, Clone, Copy)]
pub struct FieldValues<'a> {
    pub values: [Option<&'a [u8]>; FIELD_COUNT],
}

impl<'a> FieldValues<'a> {
    pub fn set(&mut self, field: Field, value: Option<&'a [u8]>) {
        self.values[field.index()] = value;
    }

    pub fn get(&self, field: Field) -> Option<&'a [u8]> {
        self.values[field.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_aliases() {
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(f.index(), i);
            assert_eq!(Field::parse(f.name()), Some(*f));
        }
        assert_eq!(Field::parse("http.referer"), Some(Field::HttpReferrer));
        assert_eq!(Field::parse("tls.cert_issuer"), Some(Field::TlsIssuer));
        assert_eq!(Field::parse("http.stat_code"), None);
    }
}

use super::{columns, Value};
use crate::file::{Magic, Summary};

/// A transferred file (`kind: "file"`): an HTTP body, an SMB file read or
/// written, FTP data, an SMTP attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileBody {
    /// `http`, `smb`, `ftp`, `smtp`.
    pub source: &'static str,
    /// `download` (towards the flow's originator) or `upload`.
    pub direction: &'static str,
    /// File name when known.
    pub name: Option<String>,
    pub size: u64,
    pub complete: bool,
    pub magic: Magic,
    /// Declared Content-Type.
    pub mime: Option<String>,
    /// Lower-case hex, only when `complete`.
    pub sha256: Option<String>,
    pub md5: Option<String>,
    /// HTTP only: the request's Host and URI.
    pub host: Option<String>,
    pub uri: Option<String>,
}

/// `direction` of a file sent by the flow's responder.
pub const DOWNLOAD: &str = "download";
/// `direction` of a file sent by the flow's originator.
pub const UPLOAD: &str = "upload";

impl FileBody {
    pub const COLUMNS: &'static [&'static str] = columns!(
        "source",
        "direction",
        "name",
        "size",
        "complete",
        "magic",
        "mime",
        "sha256",
        "md5",
        "host",
        "uri"
    );

    /// A file event body from a finished digest; name, mime, host and uri
    /// are the caller's to fill.
    pub fn new(source: &'static str, from_orig: bool, s: Summary) -> Self {
        Self {
            source,
            direction: if from_orig { UPLOAD } else { DOWNLOAD },
            name: None,
            size: s.size,
            complete: s.complete,
            magic: s.magic,
            mime: None,
            sha256: s.sha256,
            md5: s.md5,
            host: None,
            uri: None,
        }
    }

    #[inline]
    pub(super) fn field(&self, i: usize) -> Option<Value<'_>> {
        fn s(v: &Option<String>) -> Option<Value<'_>> {
            v.as_deref().map(Value::Str)
        }
        match i {
            0 => Some(Value::Str(self.source)),
            1 => Some(Value::Str(self.direction)),
            2 => s(&self.name),
            3 => Some(Value::Int(i64::try_from(self.size).unwrap_or(i64::MAX))),
            4 => Some(Value::Bool(self.complete)),
            5 => Some(Value::Str(self.magic.as_str())),
            6 => s(&self.mime),
            7 => s(&self.sha256),
            8 => s(&self.md5),
            9 => s(&self.host),
            10 => s(&self.uri),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::write_ndjson_line;
    use crate::event::{Body, Endpoint, Event};
    use crate::file::Digest;

    #[test]
    fn a_download_prints_in_contract_order_and_an_incomplete_one_without_hashes() {
        let ep = |ip: &str, port| Endpoint {
            ip: ip.parse().unwrap(),
            port: Some(port),
            internal: false,
        };
        let mut d = Digest::default();
        d.update(b"MZ");
        let mut body = FileBody::new("http", false, d.finish());
        body.name = Some("a.exe".into());
        body.uri = Some("/a.exe".into());
        let mut e = Event {
            ts: 5,
            flow: "1:x".into(),
            flow_proto: None,
            src: ep("10.0.0.1", 1000),
            dst: ep("1.2.3.4", 80),
            body: Body::File(body),
            hits: Vec::new(),
        };
        let mut out = Vec::new();
        write_ndjson_line(&mut out, &e);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"{"kind":"file","ts":5,"flow":"1:x","#,
                r#""src":{"ip":"10.0.0.1","port":1000,"internal":false},"#,
                r#""dst":{"ip":"1.2.3.4","port":80,"internal":false},"#,
                r#""source":"http","direction":"download","name":"a.exe","size":2,"#,
                r#""complete":true,"magic":"pe","#,
                r#""sha256":"9b8db510ef42b8ed54a3712636fda55a4f8cfcd5493e20b74ab00cd4f3979f2d","#,
                r#""md5":"ac6ad5d9b99757c3a878f2d275ace198","uri":"/a.exe"}"#,
                "\n"
            )
        );
        let mut d = Digest::new(1);
        d.update(b"ab");
        let Body::File(b) = &mut e.body else {
            unreachable!()
        };
        *b = FileBody::new("ftp", true, d.finish());
        let mut out = Vec::new();
        write_ndjson_line(&mut out, &e);
        let line = String::from_utf8(out).unwrap();
        assert!(
            line.ends_with(concat!(
                r#""source":"ftp","direction":"upload","size":2,"#,
                r#""complete":false,"magic":"text"}"#,
                "\n"
            )),
            "{line}"
        );
    }
}

use std::fmt;
use std::path::PathBuf;

/// Why a capture file cannot be read at all. Per-packet problems are not
/// errors: they are counted and reading goes on.
#[derive(Debug)]
pub struct CaptureError {
    path: PathBuf,
    kind: CaptureErrorKind,
}

#[derive(Debug)]
#[non_exhaustive]
pub enum CaptureErrorKind {
    Io(std::io::Error),
    Empty,
    Compressed,
    NotACapture { first_bytes: Vec<u8> },
    BadHeader(&'static str),
}

impl CaptureError {
    pub(crate) fn new(path: impl Into<PathBuf>, kind: CaptureErrorKind) -> Self {
        Self {
            path: path.into(),
            kind,
        }
    }

    pub fn kind(&self) -> &CaptureErrorKind {
        &self.kind
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.kind {
            CaptureErrorKind::Io(e) => write!(
                f,
                "cannot read capture file {path}: {e}; check that the path exists and is readable"
            ),
            CaptureErrorKind::Empty => write!(
                f,
                "capture file {path} is empty; give a pcap or pcapng file with packets"
            ),
            CaptureErrorKind::Compressed => write!(
                f,
                "capture file {path} is gzip-compressed; decompress it first (gunzip)"
            ),
            CaptureErrorKind::NotACapture { first_bytes } => {
                write!(f, "{path} is not a pcap or pcapng capture (it starts with")?;
                for b in first_bytes {
                    write!(f, " {b:02x}")?;
                }
                write!(f, "); give a file written by tcpdump, tshark or dumpcap")
            }
            CaptureErrorKind::BadHeader(what) => write!(
                f,
                "capture file {path} has a damaged header ({what}); it cannot be read"
            ),
        }
    }
}

impl std::error::Error for CaptureError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            CaptureErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

//! Text protocols read line by line (SSH banners, SMTP, FTP): bytes are
//! split at `\n`, each line handed over without its line end, with a cap on
//! what is held so an endless line costs bounded memory.

/// A line splitter for one direction.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    buf: Vec<u8>,
    /// Bytes of the current line beyond what is held.
    dropped: usize,
}

/// One line as read: its text (at most the cap, without CR LF) and how many
/// bytes it took in the stream, line end included.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub text: &'a [u8],
    pub raw_len: usize,
    /// Longer than the cap: `text` is its start.
    pub cut: bool,
}

impl Lines {
    /// Feeds bytes; `f` gets each complete line. At most `cap` bytes of a
    /// line are held.
    pub(crate) fn feed(&mut self, data: &[u8], cap: usize, f: &mut dyn FnMut(Line<'_>)) {
        let mut rest = data;
        while !rest.is_empty() {
            match rest.iter().position(|&b| b == b'\n') {
                Some(nl) => {
                    let part = &rest[..nl];
                    let room = cap.saturating_sub(self.buf.len());
                    self.buf.extend_from_slice(&part[..part.len().min(room)]);
                    self.dropped += part.len().saturating_sub(room);
                    let raw_len = self.buf.len() + self.dropped + 1;
                    let mut text = &self.buf[..];
                    if self.dropped == 0 {
                        text = text.strip_suffix(b"\r").unwrap_or(text);
                    }
                    f(Line {
                        text,
                        raw_len,
                        cut: self.dropped > 0,
                    });
                    self.buf.clear();
                    self.dropped = 0;
                    rest = &rest[nl + 1..];
                }
                None => {
                    let room = cap.saturating_sub(self.buf.len());
                    self.buf.extend_from_slice(&rest[..rest.len().min(room)]);
                    self.dropped += rest.len().saturating_sub(room);
                    break;
                }
            }
        }
    }

    /// Bytes were lost: the partial line is dropped.
    pub(crate) fn gap(&mut self) {
        self.buf.clear();
        self.dropped = 0;
    }

    /// Bytes held of an unfinished line.
    pub(crate) fn pending(&self) -> &[u8] {
        &self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(pieces: &[&[u8]], cap: usize) -> Vec<(String, usize, bool)> {
        let mut l = Lines::default();
        let mut out = Vec::new();
        for p in pieces {
            l.feed(p, cap, &mut |line| {
                out.push((
                    String::from_utf8_lossy(line.text).into_owned(),
                    line.raw_len,
                    line.cut,
                ))
            });
        }
        out
    }

    #[test]
    fn splits_joins_and_caps() {
        assert_eq!(
            lines(&[b"ab", b"c\r\nde\n", b"\r\n"], 100),
            [
                ("abc".into(), 5, false),
                ("de".into(), 3, false),
                ("".into(), 2, false)
            ]
        );
        assert_eq!(
            lines(&[b"0123456789", b"abc\r\nx\n"], 4),
            [("0123".into(), 15, true), ("x".into(), 2, false)]
        );
    }
}

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;

use memmap2::{Advice, Mmap, MmapOptions, UncheckedAdvice};

use super::pcap::PcapReader;
use super::pcapng::PcapngReader;
use super::{CaptureError, CaptureErrorKind, LinkType, Record};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureFormat {
    Pcap,
    Pcapng,
}

/// A capture file mapped into memory. Packets borrow from it.
#[derive(Debug)]
pub struct CaptureFile {
    path: PathBuf,
    map: Arc<Mmap>,
    format: CaptureFormat,
    window: Window,
    /// Moves the window on its own thread (None where no thread could be
    /// made: then the reader's thread does it).
    mover: Option<WindowMover>,
}

/// A thread that reads pages in ahead of the reader and gives back those
/// behind it, so the reader's thread spends no time in madvise (a few per
/// cent of a run). Reading a page it has not reached yet only faults it in.
#[derive(Debug)]
struct WindowMover {
    moves: Option<Sender<Move>>,
    thread: Option<JoinHandle<()>>,
}

/// Pages to read in (`populate`) and to give back (`release`), as ranges.
#[derive(Debug, Clone, Copy)]
struct Move {
    populate: (usize, usize),
    release: (usize, usize),
}

impl WindowMover {
    fn start(map: &Arc<Mmap>) -> Option<Self> {
        let (moves, to_do) = channel::<Move>();
        let map = Arc::clone(map);
        let thread = std::thread::Builder::new()
            .name("capture-window".into())
            .spawn(move || {
                for m in to_do {
                    apply(&map, m);
                }
            })
            .ok()?;
        Some(Self {
            moves: Some(moves),
            thread: Some(thread),
        })
    }
}

impl Drop for WindowMover {
    fn drop(&mut self) {
        self.moves = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads in and gives back the pages of `m`; both are hints.
fn apply(map: &Mmap, m: Move) {
    let (from, to) = m.populate;
    if to > from {
        // Needs Linux 5.14; without it pages come by read-ahead faults.
        let _ = map.advise_range(Advice::PopulateRead, from, to - from);
    }
    let (from, to) = m.release;
    if to > from {
        release(map, from, to - from);
    }
}

/// The part of the map kept resident around the reader: read in ahead of
/// it, given back behind it (see [`CaptureFile::reading_at`]).
#[derive(Debug, Default)]
struct Window {
    /// Pages before this offset were given back.
    released: usize,
    /// Pages up to this offset were read in.
    populated: usize,
    /// The window moves when the reader passes this offset.
    next_move: usize,
}

/// Bytes of the file read in ahead of the reader at a time, and kept
/// behind it. A file is read once, front to back: with the whole file
/// resident, reading a 1 GB capture cost 1 GB of resident memory.
const WINDOW: usize = 32 << 20;

impl CaptureFile {
    /// Maps `path` and checks that it is a pcap or pcapng capture.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CaptureError> {
        let path = path.as_ref();
        let err = |kind| CaptureError::new(path, kind);
        let file = File::open(path).map_err(|e| err(CaptureErrorKind::Io(e)))?;
        let meta = file.metadata().map_err(|e| err(CaptureErrorKind::Io(e)))?;
        if meta.is_dir() {
            return Err(err(CaptureErrorKind::Io(std::io::Error::other(
                "it is a directory",
            ))));
        }
        if meta.len() == 0 {
            return Err(err(CaptureErrorKind::Empty));
        }
        let map = map_read_only(&file).map_err(|e| err(CaptureErrorKind::Io(e)))?;
        let format = match map.get(..4) {
            Some([0xd4, 0xc3, 0xb2, 0xa1] | [0xa1, 0xb2, 0xc3, 0xd4])
            | Some([0x4d, 0x3c, 0xb2, 0xa1] | [0xa1, 0xb2, 0x3c, 0x4d]) => CaptureFormat::Pcap,
            Some([0x0a, 0x0d, 0x0d, 0x0a]) => CaptureFormat::Pcapng,
            Some([0x1f, 0x8b, ..]) => return Err(err(CaptureErrorKind::Compressed)),
            _ => {
                let first_bytes = map[..map.len().min(8)].to_vec();
                return Err(err(CaptureErrorKind::NotACapture { first_bytes }));
            }
        };
        let map = Arc::new(map);
        let mut capture = Self {
            path: path.to_owned(),
            mover: None,
            map,
            format,
            window: Window::default(),
        };
        capture.reader()?;
        // The first window is read in here, before the first record is.
        capture.reading_at(0);
        if capture.map.len() > WINDOW {
            capture.mover = WindowMover::start(&capture.map);
        }
        Ok(capture)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn format(&self) -> CaptureFormat {
        self.format
    }

    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// The mapped bytes, for threads that read the capture beside the one
    /// that owns this file and moves its window (shards of one run).
    pub fn shared_bytes(&self) -> SharedBytes {
        SharedBytes(Arc::clone(&self.map))
    }

    /// The reader is at byte `at`: the window of resident pages follows it.
    /// Pages ahead are read in at once (one call, not a fault per page);
    /// pages more than a window behind are given back to the page cache.
    /// Both are hints: reading any byte again stays valid and faults its
    /// page back in.
    pub fn reading_at(&mut self, at: usize) {
        let w = &mut self.window;
        if at < w.next_move && w.populated > 0 {
            return;
        }
        let len = self.map.len();
        let ahead = at.saturating_add(WINDOW).min(len);
        let from = w.populated.max(at);
        let behind = at.saturating_sub(WINDOW);
        let m = Move {
            populate: (from, ahead),
            release: (w.released, behind),
        };
        w.populated = w.populated.max(ahead);
        w.released = w.released.max(behind);
        w.next_move = at.saturating_add(WINDOW / 2);
        let sent = self
            .mover
            .as_ref()
            .and_then(|mover| mover.moves.as_ref())
            .is_some_and(|moves| moves.send(m).is_ok());
        if !sent {
            apply(&self.map, m);
        }
    }

    /// A reader positioned at the first record.
    pub fn reader(&self) -> Result<PacketReader, CaptureError> {
        let bad = |what| CaptureError::new(&self.path, CaptureErrorKind::BadHeader(what));
        Ok(match self.format {
            CaptureFormat::Pcap => {
                PacketReader(Reader::Pcap(PcapReader::new(&self.map).map_err(bad)?))
            }
            CaptureFormat::Pcapng => {
                PacketReader(Reader::Pcapng(PcapngReader::new(&self.map).map_err(bad)?))
            }
        })
    }
}

/// Gives back the resident pages of `map[offset..offset + len]`.
#[allow(unsafe_code)]
fn release(map: &Mmap, offset: usize, len: usize) {
    // SAFETY: the map is a private read-only mapping of a file: dropping its
    // pages loses nothing (there are no private changes), and a later read
    // of those bytes faults them in again from the file, unchanged. Slices
    // borrowed from the map stay valid.
    let _ = unsafe { map.unchecked_advise_range(UncheckedAdvice::DontNeed, offset, len) };
}

#[allow(unsafe_code)]
fn map_read_only(file: &File) -> std::io::Result<Mmap> {
    // SAFETY: the map is read-only and private to this process; if another
    // process truncated the file while we read it we could fault, which is
    // the accepted risk of memory-mapped reading (the same as tcpdump -r).
    // Pages are read in a window at a time as reading goes
    // (`CaptureFile::reading_at`), not all at open.
    let map = unsafe { MmapOptions::new().map(file)? };
    // Read front to back once: ask for aggressive read-ahead. Advice is a
    // hint; failing to give it changes nothing.
    let _ = map.advise(Advice::Sequential);
    Ok(map)
}

/// Reads records from a capture's bytes, whichever the format.
/// The bytes of a mapped capture, shared between threads.
#[derive(Debug, Clone)]
pub struct SharedBytes(Arc<Mmap>);

impl std::ops::Deref for SharedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

#[derive(Debug, Clone)]
pub struct PacketReader(Reader);

#[derive(Debug, Clone)]
enum Reader {
    Pcap(PcapReader),
    Pcapng(PcapngReader),
}

impl PacketReader {
    pub fn next<'a>(&mut self, data: &'a [u8]) -> Record<'a> {
        match &mut self.0 {
            Reader::Pcap(r) => r.next(data),
            Reader::Pcapng(r) => r.next(data),
        }
    }

    /// Byte offset of the next record.
    pub fn offset(&self) -> usize {
        match &self.0 {
            Reader::Pcap(r) => r.offset(),
            Reader::Pcapng(r) => r.offset(),
        }
    }

    /// Link type of the file (pcapng: of its first interface).
    pub fn link_type(&self) -> Option<LinkType> {
        match &self.0 {
            Reader::Pcap(r) => Some(r.link_type()),
            Reader::Pcapng(r) => r.link_type(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::pcap::tests::pcap_file;
    use crate::capture::pcapng::tests::pcapng_file;

    fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("socbox-capture-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn opens_both_formats() {
        for (name, bytes, format) in [
            ("a.pcap", pcap_file(1, &[(1, 0, b"x")]), CaptureFormat::Pcap),
            (
                "a.pcapng",
                pcapng_file(1, &[(1, b"x")]),
                CaptureFormat::Pcapng,
            ),
        ] {
            let c = CaptureFile::open(temp_file(name, &bytes)).unwrap();
            assert_eq!(c.format(), format);
            let mut r = c.reader().unwrap();
            assert!(matches!(r.next(c.bytes()), Record::Packet(_)), "{name}");
        }
    }

    #[test]
    fn a_file_larger_than_the_window_reads_whole_while_the_window_moves() {
        let payload: Vec<u8> = (0..1500u32).map(|i| (i % 251) as u8).collect();
        let count = (WINDOW * 2 + WINDOW / 3) / (payload.len() + 16);
        let records: Vec<(u32, u32, &[u8])> =
            (0..count).map(|i| (i as u32, 0, &payload[..])).collect();
        let path = temp_file("big.pcap", &pcap_file(1, &records));
        let mut c = CaptureFile::open(&path).unwrap();
        assert!(c.mover.is_some(), "a thread moves the window");
        let mut r = c.reader().unwrap();
        let mut seen = 0usize;
        loop {
            c.reading_at(r.offset());
            match r.next(c.bytes()) {
                Record::Packet(p) => {
                    assert_eq!((p.ts_us, p.data), (seen as i64 * 1_000_000, &payload[..]));
                    seen += 1;
                }
                Record::End => break,
                other => panic!("{other:?} at {seen}"),
            }
        }
        assert_eq!(seen, count);
        assert_eq!(c.window.populated, c.bytes().len());
        assert!(c.window.released >= c.bytes().len() - WINDOW - WINDOW / 2);
        // Pages given back read again the same.
        let mut again = c.reader().unwrap();
        assert!(matches!(again.next(c.bytes()), Record::Packet(p) if p.data == &payload[..]));
        drop(c);
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn refuses_what_is_not_a_capture_with_a_clear_message() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("empty.pcap", b"", "is empty"),
            (
                "text.pcap",
                b"hello world",
                "not a pcap or pcapng capture (it starts with 68 65",
            ),
            ("gz.pcap", b"\x1f\x8b\x08\x00rest", "gzip"),
            ("short.pcap", b"\xd4\xc3\xb2\xa1\x02\x00", "damaged header"),
        ];
        for (name, bytes, expect) in cases {
            let path = temp_file(name, bytes);
            let msg = CaptureFile::open(&path).unwrap_err().to_string();
            assert!(msg.contains(expect), "{name}: {msg}");
            assert!(msg.contains(name), "{name}: message names the file: {msg}");
        }
        let msg = CaptureFile::open("/nonexistent/x.pcap")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("/nonexistent/x.pcap") && msg.contains("No such file"),
            "{msg}"
        );
    }
}

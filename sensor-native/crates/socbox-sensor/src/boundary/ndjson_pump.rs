//! NDJSON encoded and written on a second thread: while the source decodes
//! the packets of the next batch, the batch before is encoded, written and
//! freed. Lines come out in the order of the batches (one writer, a FIFO
//! channel), so the output is the same bytes as writing them in line.

use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::guarded::panic_message;
use crate::encode::write_ndjson_line;
use crate::event::Event;

/// Batches queued for the writer beyond the one it is writing: enough to
/// keep both threads busy, few enough that memory stays at a few batches.
const QUEUED: usize = 1;

/// A writer thread for NDJSON batches. Errors of writing (a closed pipe)
/// come back from the next [`Self::send`] or from [`Self::finish`].
pub struct NdjsonPump {
    to_writer: Option<SyncSender<Vec<Event>>>,
    /// Emptied batch vectors the writer gives back, to fill again.
    spare: Receiver<Vec<Event>>,
    writer: Option<JoinHandle<io::Result<()>>>,
}

impl NdjsonPump {
    /// Starts the writer thread over `w`.
    pub fn new<W: Write + Send + 'static>(mut w: W) -> io::Result<Self> {
        let (to_writer, batches) = sync_channel::<Vec<Event>>(QUEUED);
        let (give_back, spare) = sync_channel::<Vec<Event>>(QUEUED + 2);
        let writer = std::thread::Builder::new()
            .name("ndjson-writer".into())
            .spawn(move || {
                let mut buf = Vec::new();
                for mut batch in batches {
                    buf.clear();
                    for e in &batch {
                        write_ndjson_line(&mut buf, e);
                    }
                    // The events are freed here, off the decoding thread.
                    batch.clear();
                    let _ = give_back.try_send(batch);
                    w.write_all(&buf)?;
                }
                w.flush()
            })?;
        Ok(Self {
            to_writer: Some(to_writer),
            spare,
            writer: Some(writer),
        })
    }

    /// An empty vector to fill with the next batch.
    pub fn empty_batch(&mut self) -> Vec<Event> {
        self.spare.try_recv().unwrap_or_default()
    }

    /// Queues `batch` to be written after the batches before it; waits
    /// while the writer is a batch behind. Fails with the writer's error
    /// when an earlier write failed.
    pub fn send(&mut self, batch: Vec<Event>) -> io::Result<()> {
        let sent = match &self.to_writer {
            Some(tx) => tx.send(batch).is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // The writer is gone: it stopped on an error (or was finished).
        self.finish()?;
        Err(io::Error::new(
            io::ErrorKind::BrokenPipe,
            "the NDJSON writer has stopped; no more events can be written",
        ))
    }

    /// Waits until every queued batch is written; the first error of
    /// writing, if any. Later calls return Ok.
    pub fn finish(&mut self) -> io::Result<()> {
        self.to_writer = None;
        match self.writer.take() {
            None => Ok(()),
            Some(writer) => match writer.join() {
                Ok(result) => result,
                Err(panic) => Err(io::Error::other(format!(
                    "the NDJSON writer panicked (a bug, please report it with the capture): {}",
                    panic_message(&*panic)
                ))),
            },
        }
    }
}

impl Drop for NdjsonPump {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::{sample_dns_event, SharedWriter};

    fn batch(first_ts: i64, n: usize) -> Vec<Event> {
        (0..n)
            .map(|i| {
                let mut e = sample_dns_event();
                e.ts = first_ts + i as i64;
                e
            })
            .collect()
    }

    #[test]
    fn writes_every_batch_in_order_as_in_line_encoding_would() {
        let out = SharedWriter::new();
        let mut pump = NdjsonPump::new(out.clone()).unwrap();
        let mut expected = Vec::new();
        for b in 0..50 {
            let mut v = pump.empty_batch();
            assert!(v.is_empty());
            v.extend(batch(b * 1000, 1 + (b as usize % 7)));
            for e in &v {
                write_ndjson_line(&mut expected, e);
            }
            pump.send(v).unwrap();
        }
        pump.finish().unwrap();
        assert_eq!(out.bytes(), expected);
        pump.finish().unwrap();
    }

    #[test]
    fn a_failed_write_comes_back_as_an_error_and_stops_the_pump() {
        let out = SharedWriter::failing_after(1000);
        let mut pump = NdjsonPump::new(out).unwrap();
        let mut failed = None;
        for b in 0..100 {
            if let Err(e) = pump.send(batch(b, 20)) {
                failed = Some(e);
                break;
            }
        }
        let err = failed.expect("a send fails once the writer stopped");
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{err}");
        assert!(pump.send(batch(0, 1)).is_err());
    }

    #[test]
    fn finish_reports_the_error_of_the_last_batch() {
        let out = SharedWriter::failing_after(10);
        let mut pump = NdjsonPump::new(out).unwrap();
        pump.send(batch(0, 3)).unwrap();
        let err = pump.finish().unwrap_err();
        assert!(err.to_string().contains("reader gone"), "{err}");
    }
}

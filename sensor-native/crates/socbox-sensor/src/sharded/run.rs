//! A whole capture file decoded by several pipelines at once, its events
//! written as NDJSON: `socbox events FILE` on every core.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::progress::Progress;
use super::shard::{Rounds, Shard};
use super::walk::Walks;
use super::writer::{write_rounds, Stopped};
use crate::boundary::{catch, CallError};
use crate::flow::FlowLimits;
use crate::pipeline::{Pipeline, PipelineConfig};
use crate::source::{open_parts, Opened, SourceError, SourceOptions, SourceStats};

/// Chunks queued from each shard to the writer: the slack that lets a shard
/// run on while the writer waits for another. Work per round varies between
/// shards and the difference adds up over rounds, so the slack is as deep as
/// the read window allows: a shard at most this many rounds (of at most
/// `Rounds::bytes`) apart from shard 0, which moves the window, stays inside
/// it (32 MiB).
const QUEUED_CHUNKS: usize = 16;

/// Why a run failed after it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// Writing the output failed (a closed pipe, a full disk).
    Write(String),
    /// A shard or the writer panicked (a bug).
    Panicked(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Write(e) => write!(f, "writing NDJSON: {e}"),
            Self::Panicked(what) => CallError::<String>::Panicked(what.clone()).fmt(f),
        }
    }
}

impl std::error::Error for RunError {}

/// A run in progress; [`ShardedRun::finish`] waits for its end. Dropped
/// before, it stops its threads at their next round.
pub struct ShardedRun {
    progress: Arc<Progress>,
    shards: Vec<JoinHandle<()>>,
    writer: Option<JoinHandle<Result<(), Stopped>>>,
    /// Panic messages of shards (the first one is reported).
    panics: Arc<Mutex<Vec<String>>>,
    /// Unchanging parts of the stats.
    base: SourceStats,
    outcome: Option<Result<(), RunError>>,
}

impl fmt::Debug for ShardedRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShardedRun")
            .field("shards", &self.shards.len())
            .finish_non_exhaustive()
    }
}

impl ShardedRun {
    /// Opens `path` like [`crate::source::EventSource::open`] and starts
    /// `shards` pipelines (at least 1) over it, writing to `out`. Starting
    /// elsewhere than the beginning needs the single pipeline.
    pub fn start<W: Write + Send + 'static>(
        path: impl AsRef<Path>,
        options: &SourceOptions,
        shards: usize,
        out: W,
    ) -> Result<Self, SourceError> {
        Self::start_with(path.as_ref(), options, shards, Rounds::default(), out)
    }

    pub(crate) fn start_with<W: Write + Send + 'static>(
        path: &Path,
        options: &SourceOptions,
        shards: usize,
        rounds: Rounds,
        mut out: W,
    ) -> Result<Self, SourceError> {
        if options.start_offset.is_some_and(|o| o > 0) || options.resume.is_some() {
            return Err(SourceError::StartOffset(
                "a file read by several threads is read from its beginning; read it with one thread (--threads 1) to start at an offset or resume".into(),
            ));
        }
        let shards = shards.max(1);
        let Opened {
            home_nets,
            intel,
            content,
            capture,
        } = open_parts(path, options)?;
        let reader = capture.reader().map_err(SourceError::Capture)?;
        let size = capture.bytes().len() as u64;
        let start = reader.offset() as u64;
        let report = content.report();
        let base = SourceStats {
            packets: 0,
            bytes: 0,
            malformed: 0,
            events: 0,
            offset: start,
            size,
            resume_offset: start,
            emit_offset: start,
            linktype: "unknown",
            signatures: report.loaded,
            signatures_refused: report.refused_total(),
            payload_cap: content.caps().payload,
            body_cap: content.caps().body,
            app_dropped: 0,
            encrypted: 0,
        };
        // Together the shards hold no more flows than one pipeline would.
        let defaults = FlowLimits::default();
        let config = PipelineConfig {
            home_nets,
            intel: Arc::new(intel),
            content: Arc::new(content),
            flow_limits: FlowLimits {
                max_flows: defaults.max_flows.div_ceil(shards),
                ..defaults
            },
            ..PipelineConfig::default()
        };
        let progress = Arc::new(Progress::new(shards, start));
        let panics = Arc::new(Mutex::new(Vec::new()));
        let data = capture.shared_bytes();
        let mut capture = Some(capture);
        let walks = Arc::new(Walks::new(shards, rounds));
        let (mut from_shards, mut give_back) = (Vec::new(), Vec::new());
        let mut run = Self {
            progress: Arc::clone(&progress),
            shards: Vec::new(),
            writer: None,
            panics: Arc::clone(&panics),
            base,
            outcome: None,
        };
        let spawn_failed = |e: io::Error| SourceError::Threads(e);
        for index in 0..shards {
            let (to_writer, chunks) = sync_channel(QUEUED_CHUNKS);
            let (back, spare) = sync_channel(QUEUED_CHUNKS + 2);
            from_shards.push(chunks);
            give_back.push(back);
            let shard = Shard {
                index,
                rounds,
                data: data.clone(),
                reader: reader.clone(),
                walks: Arc::clone(&walks),
                capture: capture.take(),
                pipeline: Pipeline::new(config.clone()),
                to_writer,
                spare,
                progress: Arc::clone(&progress),
            };
            let panics = Arc::clone(&panics);
            let handle = std::thread::Builder::new()
                .name(format!("shard-{index}"))
                .spawn(move || {
                    if let Err(CallError::Panicked(what)) = catch(|| {
                        shard.run();
                        Ok::<_, ()>(())
                    }) {
                        let mut panics = panics.lock().unwrap_or_else(|p| p.into_inner());
                        panics.push(format!("shard {index}: {what}"));
                    }
                });
            match handle {
                Ok(handle) => run.shards.push(handle),
                Err(e) => {
                    // The shards started stop at their next chunk once
                    // nobody can take it; then dropping `run` joins them.
                    progress.stop();
                    drop(from_shards);
                    return Err(spawn_failed(e));
                }
            }
        }
        let writer_progress = Arc::clone(&progress);
        let writer = std::thread::Builder::new()
            .name("ndjson-writer".into())
            .spawn(move || {
                // Done however it ends, a panic included, so `wait` returns.
                let _finished = Finished(writer_progress);
                let written =
                    catch(|| Ok::<_, ()>(write_rounds(&from_shards, &give_back, &mut out)));
                match written {
                    Ok(w) => w,
                    Err(CallError::Panicked(what)) => Err(Stopped::Panicked(what)),
                    Err(_) => Ok(()),
                }
            })
            .map_err(spawn_failed)?;
        run.writer = Some(writer);
        Ok(run)
    }

    /// Waits up to `timeout` for the end; whether it came (then
    /// [`Self::finish`] returns at once).
    pub fn wait(&self, timeout: Duration) -> bool {
        self.outcome.is_some() || self.progress.wait_finished(timeout)
    }

    /// Counters so far, summed over the shards.
    pub fn stats(&self) -> SourceStats {
        let c = self.progress.counters();
        let done = matches!(self.outcome, Some(Ok(())));
        let at = if done {
            self.base.size
        } else {
            self.progress.offset()
        };
        SourceStats {
            packets: c.packets,
            bytes: c.bytes,
            malformed: c.malformed,
            events: c.events,
            offset: at,
            resume_offset: if done { at } else { self.base.resume_offset },
            emit_offset: if done { at } else { self.base.emit_offset },
            linktype: self.progress.link_type().map_or("unknown", |l| l.name()),
            app_dropped: c.app_dropped,
            encrypted: c.encrypted,
            ..self.base.clone()
        }
    }

    /// Waits for the end: every event written, or the first error.
    pub fn finish(&mut self) -> Result<SourceStats, RunError> {
        if self.outcome.is_none() {
            let outcome = self.join();
            self.outcome = Some(outcome);
        }
        match &self.outcome {
            Some(Err(e)) => Err(e.clone()),
            _ => Ok(self.stats()),
        }
    }

    fn join(&mut self) -> Result<(), RunError> {
        let written = self.writer.take().map_or(Ok(()), |w| {
            w.join()
                .unwrap_or_else(|_| Err(Stopped::Panicked("the writer".into())))
        });
        for shard in self.shards.drain(..) {
            // Shards catch their panics (into `panics`).
            let _ = shard.join();
        }
        let panics = self.panics.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(first) = panics.first() {
            return Err(RunError::Panicked(first.clone()));
        }
        match written {
            Ok(()) => Ok(()),
            Err(Stopped::Write(e)) => Err(RunError::Write(e.to_string())),
            Err(Stopped::Panicked(what)) => Err(RunError::Panicked(format!("writer: {what}"))),
            Err(Stopped::ShardGone(shard)) => Err(RunError::Panicked(format!(
                "shard {shard} stopped before the end of input"
            ))),
        }
    }
}

impl Drop for ShardedRun {
    fn drop(&mut self) {
        if self.outcome.is_none() {
            self.progress.stop();
            let _ = self.join();
        }
    }
}

/// Marks the writer done when dropped.
struct Finished(Arc<Progress>);

impl Drop for Finished {
    fn drop(&mut self) {
        self.0.set_finished();
    }
}

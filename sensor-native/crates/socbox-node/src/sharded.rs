//! napi binding of a sharded run: `socbox events FILE` on every core, the
//! NDJSON written by the addon's threads straight to a file descriptor.

use std::time::Duration;

use napi::Result;
use napi_derive::napi;
use socbox_sensor::boundary::{FdWriter, Guarded};
use socbox_sensor::sharded::ShardedRun;

use crate::{core_options, js_error, js_stats, SourceOptions, SourceStats};

/// Every event of one capture file as NDJSON lines on `fd`, decoded by
/// `threads` pipelines at once (packets shared out by the pair of addresses
/// they are between). The lines come in an order fixed by the file and the
/// thread count; as a multiset they are those of a `FileSource`. Runs on its
/// own threads from construction; `wait` reports the end.
#[napi]
pub struct ShardedEvents {
    inner: Guarded<ShardedRun>,
}

#[napi]
impl ShardedEvents {
    /// Opens `path` and starts. Throws like `FileSource` on a bad file or
    /// option; `startOffset` and `resume` need a `FileSource`.
    #[napi(constructor)]
    pub fn new(
        path: String,
        fd: i32,
        threads: u32,
        options: Option<SourceOptions>,
    ) -> Result<Self> {
        crate::allocator::keep_freed_pages();
        crate::allocator::no_huge_pages();
        let options = core_options(options)?;
        let inner = Guarded::new(|| {
            ShardedRun::start(&path, &options, threads.max(1) as usize, FdWriter::new(fd))
        })
        .map_err(js_error)?;
        Ok(Self { inner })
    }

    /// Waits up to `ms` milliseconds for the end; true once every line is
    /// written. Throws when writing failed (a closed pipe) or a thread
    /// panicked.
    #[napi]
    pub fn wait(&mut self, ms: u32) -> Result<bool> {
        self.inner
            .with(|run| {
                if !run.wait(Duration::from_millis(u64::from(ms))) {
                    return Ok(false);
                }
                run.finish().map(|_| true).map_err(|e| e.to_string())
            })
            .map_err(js_error)
    }

    /// Counters so far, summed over the threads; `offset` is where the
    /// slowest reads.
    #[napi]
    pub fn stats(&mut self) -> Result<SourceStats> {
        self.inner
            .with(|run| Ok::<_, String>(js_stats(run.stats())))
            .map_err(js_error)
    }
}

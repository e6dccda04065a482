//! `socbox events FILE`: every event of a capture as one compact JSON
//! object per line on stdout; progress, counts and errors on stderr.
//!
//! A program of its own, which `bin/socbox` runs straight (and `node
//! bin/socbox.mjs events` spawns): through Node the same run began with
//! Node's start, the loading of modules and of the addon, ~35 ms before the
//! plan began to load. The 1 GB mixed capture (default pack, 6 runs each,
//! alternated) took 1.26 s through Node and the addon, 1.20 s here; a
//! 21-packet capture 96 ms and 70 ms.

#[path = "../../socbox-node/src/allocator.rs"]
mod allocator;
mod args;
mod progress;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use socbox_sensor::boundary::{FdWriter, NdjsonPump};
use socbox_sensor::sharded::ShardedRun;
use socbox_sensor::source::{EventSource, SourceOptions, SourceStats};

use args::{Args, UsageError, HELP};
use progress::Progress;

/// Events handed to the NDJSON writer at a time by the single pipeline.
const EVENTS_PER_BATCH: usize = 4096;

/// Why a run stopped early: said on stderr, with its exit status.
struct Failure {
    message: String,
    status: u8,
}

fn main() -> ExitCode {
    allocator::keep_freed_pages();
    allocator::no_huge_pages();
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let args = match args::parse(&argv, cores) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(UsageError(why)) => {
            eprint!("socbox events: {why}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    // The sensor's threads catch their own panics; this catches one of the
    // opening, so a bug reads as a message, not an abort.
    let outcome = catch_unwind(AssertUnwindSafe(|| run(&args))).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        Err(Failure {
            message: format!("internal error (a bug; please report it): {what}"),
            status: 1,
        })
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, status }) => {
            eprintln!("socbox events: {message}");
            ExitCode::from(status)
        }
    }
}

fn run(args: &Args) -> Result<(), Failure> {
    let started = Instant::now();
    let options = SourceOptions {
        home_nets: args.home_nets.clone(),
        plan_file: args.plan.clone(),
        ..SourceOptions::default()
    };
    let label = format!("events {}", args.file.display());
    let stats = if args.threads == 1 {
        single(args, options, Progress::new(label))?
    } else {
        sharded(args, &options, Progress::new(label))?
    };
    eprintln!(
        "socbox events: {} ({}): {} packets, {} bytes, {} events, {} malformed packets in {:.2} s",
        args.file.display(),
        stats.linktype,
        stats.packets,
        stats.bytes,
        stats.events,
        stats.malformed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A file that cannot be opened exits 2, as a usage error does.
fn unopened(e: impl std::fmt::Display) -> Failure {
    Failure {
        message: e.to_string(),
        status: 2,
    }
}

fn write_failed(e: impl std::fmt::Display) -> Failure {
    Failure {
        message: e.to_string(),
        status: 1,
    }
}

/// One pipeline: the events in capture order, written on a second thread.
fn single(args: &Args, options: SourceOptions, mut bar: Progress) -> Result<SourceStats, Failure> {
    let mut source = EventSource::open(&args.file, options).map_err(unopened)?;
    let mut pump = NdjsonPump::new(FdWriter::new(1))
        .map_err(|e| write_failed(format!("starting the NDJSON writer: {e}")))?;
    while source
        .pump_ndjson(&mut pump, EVENTS_PER_BATCH)
        .map_err(|e| write_failed(format!("writing NDJSON: {e}")))?
        > 0
    {
        bar.update(&source.stats());
    }
    bar.done();
    Ok(source.stats())
}

/// `threads` pipelines on their own threads; this one shows progress.
fn sharded(
    args: &Args,
    options: &SourceOptions,
    mut bar: Progress,
) -> Result<SourceStats, Failure> {
    let mut run =
        ShardedRun::start(&args.file, options, args.threads, FdWriter::new(1)).map_err(unopened)?;
    while !run.wait(Duration::from_millis(100)) {
        bar.update(&run.stats());
    }
    bar.done();
    run.finish().map_err(write_failed)
}

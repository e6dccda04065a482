//! In-process figures for `npm run bench:sensor` (one JSON object per run
//! on stdout; the TS script prints the table):
//! `bench capture FILE [--plan PLAN.json] [--mode batch|ndjson|pump] [--batch N] [--out EVENTS.ndjson]`
//!   the whole pipeline on one thread: CPU seconds (this thread; and of
//!   the process, which with `--mode pump` includes the NDJSON writer
//!   thread), wall
//!   seconds, Gbit/s and Mpps per CPU second, events per batch, peak RSS;
//!   `--out` keeps the NDJSON, or in batch mode the wire batches one a
//!   line (to compare the events of two builds);
//! `bench capture FILE --mode sharded [--threads N] [--plan PLAN.json] [--out EVENTS.ndjson]`
//!   the file decoded by N pipelines at once (default: the cores), NDJSON
//!   written as `socbox events` does: wall and CPU seconds of the process
//!   from opening (plan load included) to the last line written;
//! `bench plan PACK_OR_PLAN.json`
//!   CPU seconds of each phase of loading a plan (read, parse, IOC sets,
//!   content signatures) and the wall seconds of the whole load;
//! `bench ioc PLAN.json [--lookups N]`
//!   resident MB of the plan's IOC sets (RSS before/after loading), CPU
//!   seconds to load and CPU ns per lookup (domain suffix walk, IP, URL;
//!   about 1 % hits).

use std::time::Instant;

// The allocator of the addon (socbox-node) and its settings, so the figures
// are the addon's.
#[path = "../../socbox-node/src/allocator.rs"]
mod allocator;

use socbox_sensor::intel::{IntelMatcher, IocKind, MatchPlan};
use socbox_sensor::source::{EventSource, SourceOptions};

fn cpu_s(clock: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    #[allow(unsafe_code)]
    unsafe {
        libc::clock_gettime(clock, &mut ts);
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

fn thread_cpu_s() -> f64 {
    cpu_s(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU of every thread of the process (the pump's writer thread too).
fn process_cpu_s() -> f64 {
    cpu_s(libc::CLOCK_PROCESS_CPUTIME_ID)
}

/// (current RSS, peak RSS) in bytes, from /proc/self/status.
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    allocator::keep_freed_pages();
    allocator::no_huge_pages();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("capture") => capture(&args[1..]),
        Some("ioc") => ioc(&args[1..]),
        Some("plan") => plan_phases(&args[1..]),
        _ => Err("usage: bench capture FILE [--plan P] [--mode batch|ndjson|pump] [--batch N] | bench plan FILE | bench ioc PLAN [--lookups N]".into()),
    }
}

fn capture(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let path = args.first().ok_or("capture FILE")?;
    let mode = arg(args, "--mode").unwrap_or_else(|| "batch".into());
    if mode == "sharded" {
        return sharded(path, args);
    }
    let batch: usize = arg(args, "--batch").map_or(Ok(4096), |b| b.parse())?;
    let plan = arg(args, "--plan")
        .map(std::fs::read_to_string)
        .transpose()?;
    let load_start = Instant::now();
    let mut source = EventSource::open(
        path,
        SourceOptions {
            plan,
            ..SourceOptions::default()
        },
    )?;
    let load_s = load_start.elapsed().as_secs_f64();
    let rss_loaded = rss().0;
    let (cpu0, process_cpu0, wall0) = (thread_cpu_s(), process_cpu_s(), Instant::now());
    let mut sink: Box<dyn std::io::Write + Send> = match arg(args, "--out") {
        Some(out) => Box::new(std::io::BufWriter::new(std::fs::File::create(out)?)),
        None => Box::new(std::io::sink()),
    };
    // `pump`: NDJSON encoded and written on a second thread, as `socbox
    // events` does; the sink moves to that thread.
    let mut pump = if mode == "pump" {
        let sink = std::mem::replace(&mut sink, Box::new(std::io::sink()));
        Some(socbox_sensor::boundary::NdjsonPump::new(sink)?)
    } else {
        None
    };
    let (mut crossings, mut out_bytes) = (0u64, 0u64);
    loop {
        let n = if let Some(pump) = &mut pump {
            source.pump_ndjson(pump, batch)?
        } else if mode == "ndjson" {
            source.write_ndjson(&mut sink, batch)?
        } else {
            match source.next_batch(batch) {
                Some(b) => {
                    out_bytes += b.len() as u64;
                    // One wire batch a line (to compare two builds' batches).
                    sink.write_all(&b)?;
                    sink.write_all(b"\n")?;
                    1
                }
                None => 0,
            }
        };
        if n == 0 {
            break;
        }
        crossings += 1;
    }
    let (cpu, wall) = (thread_cpu_s() - cpu0, wall0.elapsed().as_secs_f64());
    let process_cpu = process_cpu_s() - process_cpu0;
    let st = source.stats();
    let (_, peak) = rss();
    println!(
        "{{\"mode\":\"{mode}\",\"packets\":{},\"bytes\":{},\"events\":{},\"malformed\":{},\"cpu_s\":{cpu:.4},\"process_cpu_s\":{process_cpu:.4},\"wall_s\":{wall:.4},\"gbps_cpu\":{:.3},\"mpps_cpu\":{:.4},\"gbps_wall\":{:.3},\"crossings\":{crossings},\"events_per_crossing\":{:.1},\"batch_bytes\":{out_bytes},\"load_s\":{load_s:.3},\"rss_loaded_mb\":{:.1},\"peak_rss_mb\":{:.1},\"signatures\":{},\"signatures_refused\":{},\"payload_cap\":{},\"body_cap\":{}}}",
        st.packets,
        st.bytes,
        st.events,
        st.malformed,
        st.bytes as f64 * 8.0 / cpu / 1e9,
        st.packets as f64 / cpu / 1e6,
        st.bytes as f64 * 8.0 / wall / 1e9,
        st.events as f64 / crossings.max(1) as f64,
        rss_loaded as f64 / 1e6,
        peak as f64 / 1e6,
        st.signatures,
        st.signatures_refused,
        st.payload_cap,
        st.body_cap,
    );
    Ok(())
}

/// A sharded run, whole: open, plan load, decoding on every shard, NDJSON.
fn sharded(path: &str, args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let threads = match arg(args, "--threads") {
        Some(n) => n.parse()?,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let plan = arg(args, "--plan")
        .map(std::fs::read_to_string)
        .transpose()?;
    let sink: Box<dyn std::io::Write + Send> = match arg(args, "--out") {
        Some(out) => Box::new(std::io::BufWriter::new(std::fs::File::create(out)?)),
        None => Box::new(std::io::sink()),
    };
    let options = SourceOptions {
        plan,
        ..SourceOptions::default()
    };
    let (cpu0, wall0) = (process_cpu_s(), Instant::now());
    let mut run = socbox_sensor::sharded::ShardedRun::start(path, &options, threads, sink)?;
    let open_s = wall0.elapsed().as_secs_f64();
    let st = run.finish()?;
    let (cpu, wall) = (process_cpu_s() - cpu0, wall0.elapsed().as_secs_f64());
    println!(
        "{{\"mode\":\"sharded\",\"threads\":{threads},\"packets\":{},\"bytes\":{},\"events\":{},\"malformed\":{},\"process_cpu_s\":{cpu:.4},\"wall_s\":{wall:.4},\"open_s\":{open_s:.4},\"gbps_wall\":{:.3},\"peak_rss_mb\":{:.1}}}",
        st.packets,
        st.bytes,
        st.events,
        st.malformed,
        st.bytes as f64 * 8.0 / wall / 1e9,
        rss().1 as f64 / 1e6,
    );
    Ok(())
}

/// CPU seconds of each phase of loading a pack or plan file: reading it,
/// parsing the JSON, building the IOC sets, compiling the content
/// signatures, and the whole `load_plan_file` as the CLI does it.
fn plan_phases(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    use socbox_sensor::content::{ContentMatcher, InspectCaps};
    let path = std::path::PathBuf::from(args.first().ok_or("plan FILE")?);
    let t = thread_cpu_s();
    let text = std::fs::read_to_string(&path)?;
    let read_s = thread_cpu_s() - t;
    let t = thread_cpu_s();
    let plan = MatchPlan::parse(&text)?;
    let parse_s = thread_cpu_s() - t;
    let t = thread_cpu_s();
    let intel = IntelMatcher::new(&plan);
    let intel_s = thread_cpu_s() - t;
    let t = thread_cpu_s();
    let content = ContentMatcher::new(&plan.content, InspectCaps::default());
    let content_s = thread_cpu_s() - t;
    let t = thread_cpu_s();
    drop((plan, intel, content));
    drop(text);
    let drop_s = thread_cpu_s() - t;
    let wall = Instant::now();
    let loaded = socbox_sensor::plan_load::load_plan_file(&path, InspectCaps::default())?;
    let whole_wall_s = wall.elapsed().as_secs_f64();
    drop(loaded);
    println!(
        "{{\"read_s\":{read_s:.4},\"parse_s\":{parse_s:.4},\"intel_s\":{intel_s:.4},\"content_s\":{content_s:.4},\"drop_s\":{drop_s:.4},\"load_plan_file_wall_s\":{whole_wall_s:.4}}}"
    );
    Ok(())
}

/// A small deterministic generator (xorshift) for probe values.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn ioc(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let path = args.first().ok_or("ioc PLAN")?;
    let lookups: usize = arg(args, "--lookups").map_or(Ok(2_000_000), |b| b.parse())?;
    let text = std::fs::read_to_string(path)?;
    let plan = MatchPlan::parse(&text)?;
    // Listed values to hit with, one per kind.
    let listed = |kind: IocKind| -> Vec<String> {
        plan.intel
            .iter()
            .filter(|l| l.ioc == kind)
            .flat_map(|l| l.entries.iter().step_by(97).map(|e| e.to_string()))
            .take(5000)
            .collect()
    };
    let (domains, ips, urls) = (
        listed(IocKind::Domain),
        listed(IocKind::Ip),
        listed(IocKind::Url),
    );
    let entries: usize = plan.intel.iter().map(|l| l.entries.len()).sum();
    let before = rss().0;
    let start = thread_cpu_s();
    let m = IntelMatcher::new(&plan);
    let load_s = thread_cpu_s() - start;
    drop(plan);
    // The text is resident in both readings (the plan borrowed from it).
    let after = rss().0;
    drop(text);
    let sizes = m.sizes();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut hits = Vec::new();
    // Probes: 99 % misses (fresh names/addresses), 1 % listed values.
    let probes_domain: Vec<String> = (0..10_000)
        .map(|i| {
            if i % 100 == 0 && !domains.is_empty() {
                format!("www.{}", domains[i / 100 % domains.len()])
            } else {
                format!(
                    "host{}.cdn{}.example{}.com",
                    rng.next() % 1000,
                    rng.next() % 100,
                    rng.next() % 10
                )
            }
        })
        .collect();
    let probes_ip: Vec<std::net::IpAddr> = (0..10_000)
        .map(|i| {
            if i % 100 == 0 && !ips.is_empty() {
                let e = &ips[i / 100 % ips.len()];
                e.split('/')
                    .next()
                    .unwrap_or(e)
                    .parse()
                    .unwrap_or([0u8; 4].into())
            } else {
                std::net::IpAddr::from((rng.next() as u32).to_be_bytes())
            }
        })
        .collect();
    let probes_url: Vec<(String, String)> = (0..10_000)
        .map(|i| {
            if i % 100 == 0 && !urls.is_empty() {
                let u = socbox_sensor::intel::normalise_url_entry(&urls[i / 100 % urls.len()])
                    .unwrap_or_default();
                let at = u.find('/').unwrap_or(u.len());
                (u[..at].to_owned(), u[at..].to_owned())
            } else {
                (
                    format!("site{}.example", rng.next() % 1000),
                    format!("/p/{}/index.php?id={}", rng.next() % 100, rng.next() % 1000),
                )
            }
        })
        .collect();
    // CPU time of this thread: other processes on the machine do not count.
    let time = |f: &mut dyn FnMut(usize)| {
        let t = thread_cpu_s();
        for i in 0..lookups {
            f(i);
        }
        (thread_cpu_s() - t) * 1e9 / lookups as f64
    };
    let mut found = 0usize;
    let ns_domain = time(&mut |i| {
        hits.clear();
        m.match_domain(&probes_domain[i % probes_domain.len()], "query", &mut hits);
        found += hits.len();
    });
    let ns_ip = time(&mut |i| {
        hits.clear();
        m.match_ip(probes_ip[i % probes_ip.len()], "dst.ip", &mut hits);
        found += hits.len();
    });
    let ns_url = time(&mut |i| {
        hits.clear();
        let (h, u) = &probes_url[i % probes_url.len()];
        m.match_url(Some(h), u, &mut hits);
        found += hits.len();
    });
    println!(
        "{{\"entries\":{entries},\"domain\":{},\"ip\":{},\"url\":{},\"ja3\":{},\"ja4\":{},\"hash\":{},\"skipped\":{},\"load_s\":{load_s:.3},\"resident_mb\":{:.1},\"heap_mb\":{:.1},\"ns_domain\":{ns_domain:.0},\"ns_ip\":{ns_ip:.0},\"ns_url\":{ns_url:.0},\"hits\":{found}}}",
        sizes.domain,
        sizes.ip,
        sizes.url,
        sizes.ja3,
        sizes.ja4,
        sizes.hash,
        m.skipped_entries(),
        after.saturating_sub(before) as f64 / 1e6,
        sizes.heap_bytes as f64 / 1e6,
    );
    Ok(())
}

//! Reads a capture through the whole pipeline and prints throughput:
//! `cargo run --release --example throughput -- FILE [ndjson]`.
//! With `ndjson`, events are also encoded as NDJSON (into a buffer that is
//! dropped), as `socbox events FILE > /dev/null` does.

use std::time::Instant;

use socbox_sensor::source::{EventSource, SourceOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: throughput FILE [ndjson]")?;
    let ndjson = args.next().as_deref() == Some("ndjson");
    let start = Instant::now();
    let mut source = EventSource::open(&path, SourceOptions::default())?;
    let mut sink = std::io::sink();
    loop {
        let n = if ndjson {
            source.write_ndjson(&mut sink, 4096)?
        } else {
            source.next_events(4096).len()
        };
        if n == 0 {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let st = source.stats();
    println!(
        "{} packets, {} bytes, {} events in {:.3} s: {:.2} Gbit/s, {:.2} Mpps",
        st.packets,
        st.bytes,
        st.events,
        secs,
        st.bytes as f64 * 8.0 / secs / 1e9,
        st.packets as f64 / secs / 1e6
    );
    Ok(())
}

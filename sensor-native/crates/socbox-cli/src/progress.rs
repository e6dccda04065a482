//! Progress of a long read on stderr, as the other capture commands show
//! it (`sensor-native/src/agent/progress.mjs`): a live line on a terminal,
//! a line every few seconds otherwise (CI logs show life without flooding).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use socbox_sensor::source::SourceStats;

pub struct Progress {
    label: String,
    started: Instant,
    tty: bool,
    last: Option<Instant>,
    drawn: bool,
}

impl Progress {
    pub fn new(label: String) -> Self {
        Self {
            label,
            started: Instant::now(),
            tty: std::io::stderr().is_terminal(),
            last: None,
            drawn: false,
        }
    }

    pub fn update(&mut self, stats: &SourceStats) {
        let every = Duration::from_millis(if self.tty { 100 } else { 5000 });
        let now = Instant::now();
        if self.last.is_some_and(|t| now - t < every) || now - self.started < every {
            return;
        }
        self.last = Some(now);
        let line = describe(&self.label, stats, (now - self.started).as_secs_f64());
        let mut err = std::io::stderr().lock();
        // Progress is a courtesy: a closed stderr loses nothing else.
        let _ = if self.tty {
            self.drawn = true;
            write!(err, "\r\x1b[2K{line}")
        } else {
            writeln!(err, "{line}")
        };
    }

    pub fn done(&mut self) {
        if self.drawn {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// `events x.pcap 42% · 1200 packets · 3.10 Gbit/s · 350 events · eta 2s`
pub fn describe(label: &str, s: &SourceStats, seconds: f64) -> String {
    let pct = if s.size > 0 {
        (100.0 * s.offset as f64 / s.size as f64).min(100.0)
    } else {
        100.0
    };
    let gbits = if seconds > 0.0 {
        s.bytes as f64 * 8.0 / seconds / 1e9
    } else {
        0.0
    };
    let mut parts = vec![
        format!("{label} {pct:.0}%"),
        format!("{} packets", s.packets),
        format!("{gbits:.2} Gbit/s"),
        format!("{} events", s.events),
    ];
    if s.malformed > 0 {
        parts.push(format!("{} malformed", s.malformed));
    }
    let mut line = parts.join(" · ");
    if pct > 0.0 && pct < 100.0 {
        line += &format!(" eta {:.0}s", seconds * (100.0 - pct) / pct);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(offset: u64, size: u64, malformed: u64) -> SourceStats {
        SourceStats {
            packets: 1200,
            bytes: 500_000_000,
            malformed,
            events: 350,
            offset,
            size,
            resume_offset: 0,
            emit_offset: 0,
            linktype: "ethernet",
            signatures: 0,
            signatures_refused: 0,
            payload_cap: 0,
            body_cap: 0,
            app_dropped: 0,
            encrypted: 0,
        }
    }

    #[test]
    fn a_line_says_how_far_how_fast_and_how_long_yet() {
        assert_eq!(
            describe("events x.pcap", &stats(25, 100, 0), 2.0),
            "events x.pcap 25% · 1200 packets · 2.00 Gbit/s · 350 events eta 6s"
        );
    }

    #[test]
    fn malformed_packets_are_named_and_the_end_has_no_eta() {
        assert_eq!(
            describe("events x.pcap", &stats(100, 100, 3), 4.0),
            "events x.pcap 100% · 1200 packets · 1.00 Gbit/s · 350 events · 3 malformed"
        );
        assert_eq!(
            describe("e", &stats(0, 0, 0), 0.0),
            "e 100% · 1200 packets · 0.00 Gbit/s · 350 events"
        );
    }
}

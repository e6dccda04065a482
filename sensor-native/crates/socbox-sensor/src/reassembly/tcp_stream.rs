//! One direction of a TCP connection as a byte stream. Segments may arrive
//! out of order, repeated or overlapping; bytes are delivered once, in
//! order. Out-of-order data is held up to a cap; beyond it the stream skips
//! to what it holds and reports a gap, so memory stays bounded.

/// What the stream hands to its consumer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamChunk<'a> {
    Data(&'a [u8]),
    /// Bytes were lost before the next chunk.
    Gap,
}

#[derive(Debug, Clone, Default)]
pub struct TcpStream {
    /// Next sequence number expected; None until the first SYN or data.
    next: Option<u32>,
    /// Held out-of-order segments: (seq, bytes).
    pending: Vec<(u32, Vec<u8>)>,
    pending_bytes: usize,
    cap: usize,
    /// Bytes delivered so far.
    delivered: u64,
    gaps: u32,
}

/// `a - b` in sequence space (RFC 9293 §3.4: comparisons are modulo 2^32).
fn seq_diff(a: u32, b: u32) -> i64 {
    i64::from(a.wrapping_sub(b) as i32)
}

impl TcpStream {
    /// A stream that holds at most `cap` bytes of out-of-order data.
    pub fn new(cap: usize) -> Self {
        Self {
            cap,
            ..Self::default()
        }
    }

    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// Out-of-order bytes held now.
    pub fn held_bytes(&self) -> usize {
        self.pending_bytes
    }

    pub fn gaps(&self) -> u32 {
        self.gaps
    }

    /// A SYN fixes the initial sequence number: data starts one after it.
    pub fn syn(&mut self, isn: u32) {
        if self.next.is_none() {
            self.next = Some(isn.wrapping_add(1));
        }
    }

    /// Takes one segment; in-order bytes go to `deliver`.
    pub fn segment(&mut self, seq: u32, data: &[u8], deliver: &mut impl FnMut(StreamChunk<'_>)) {
        if data.is_empty() {
            return;
        }
        let next = *self.next.get_or_insert(seq);
        let ahead = seq_diff(seq, next);
        if ahead > 0 {
            if self.pending_bytes + data.len() <= self.cap {
                self.pending_bytes += data.len();
                self.pending.push((seq, data.to_vec()));
                return;
            }
            // No room to wait for the missing bytes: skip to the earliest
            // data there is.
            let earliest = self
                .pending
                .iter()
                .map(|(s, _)| *s)
                .chain(std::iter::once(seq))
                .min_by_key(|s| seq_diff(*s, next))
                .unwrap_or(seq);
            self.gaps += 1;
            deliver(StreamChunk::Gap);
            self.next = Some(earliest);
            self.drain(deliver);
            if earliest != seq {
                // Room was made by delivering held data; place this segment
                // again (each round empties at least one held segment).
                return self.segment(seq, data, deliver);
            }
        }
        self.deliver_from(seq, data, deliver);
        self.drain(deliver);
    }

    /// End of the connection: whatever is held is delivered after a gap.
    pub fn finish(&mut self, deliver: &mut impl FnMut(StreamChunk<'_>)) {
        while let Some(next) = self.next {
            let Some(earliest) = self
                .pending
                .iter()
                .map(|(s, _)| *s)
                .min_by_key(|s| seq_diff(*s, next))
            else {
                return;
            };
            self.gaps += 1;
            deliver(StreamChunk::Gap);
            self.next = Some(earliest);
            self.drain(deliver);
        }
    }

    /// Delivers the part of (seq, data) at or after `next`.
    fn deliver_from(&mut self, seq: u32, data: &[u8], deliver: &mut impl FnMut(StreamChunk<'_>)) {
        let Some(next) = self.next else { return };
        let behind = -seq_diff(seq, next);
        if behind < 0 {
            return;
        }
        let skip = behind as usize;
        if skip >= data.len() {
            return; // a retransmission of bytes already delivered
        }
        let fresh = &data[skip..];
        deliver(StreamChunk::Data(fresh));
        self.delivered += fresh.len() as u64;
        self.next = Some(next.wrapping_add(fresh.len() as u32));
    }

    /// Delivers held segments that have become in order.
    fn drain(&mut self, deliver: &mut impl FnMut(StreamChunk<'_>)) {
        loop {
            let Some(next) = self.next else { return };
            let Some(i) = self
                .pending
                .iter()
                .position(|(s, _)| seq_diff(*s, next) <= 0)
            else {
                return;
            };
            let (seq, data) = self.pending.swap_remove(i);
            self.pending_bytes -= data.len();
            self.deliver_from(seq, &data, deliver);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds (seq, bytes) segments and returns what was delivered, gaps as `|`.
    fn feed(cap: usize, isn: Option<u32>, segments: &[(u32, &str)], finish: bool) -> String {
        let mut s = TcpStream::new(cap);
        if let Some(isn) = isn {
            s.syn(isn);
        }
        let mut out = String::new();
        let mut take = |c: StreamChunk<'_>| match c {
            StreamChunk::Data(d) => out.push_str(std::str::from_utf8(d).unwrap()),
            StreamChunk::Gap => out.push('|'),
        };
        for (seq, data) in segments {
            s.segment(*seq, data.as_bytes(), &mut take);
        }
        if finish {
            s.finish(&mut take);
        }
        out
    }

    #[test]
    fn delivers_in_order_once() {
        /// (name, cap, isn, segments, finish, delivered)
        type Case<'a> = (
            &'a str,
            usize,
            Option<u32>,
            &'a [(u32, &'a str)],
            bool,
            &'a str,
        );
        let cases: &[Case] = &[
            (
                "in order",
                100,
                Some(99),
                &[(100, "abc"), (103, "def")],
                false,
                "abcdef",
            ),
            (
                "out of order",
                100,
                Some(99),
                &[(103, "def"), (100, "abc")],
                false,
                "abcdef",
            ),
            (
                "retransmission",
                100,
                Some(99),
                &[(100, "abc"), (100, "abc"), (103, "d")],
                false,
                "abcd",
            ),
            (
                "overlap",
                100,
                Some(99),
                &[(100, "abc"), (101, "bcde")],
                false,
                "abcde",
            ),
            (
                "midstream",
                100,
                None,
                &[(5000, "xy"), (5002, "z")],
                false,
                "xyz",
            ),
            (
                "wraparound",
                100,
                Some(u32::MAX - 1),
                &[(u32::MAX, "ab"), (1, "cd")],
                false,
                "abcd",
            ),
            (
                "held then finished",
                100,
                Some(99),
                &[(100, "a"), (110, "late")],
                true,
                "a|late",
            ),
            (
                "over the cap",
                4,
                Some(99),
                &[(100, "a"), (110, "1234"), (120, "5")],
                true,
                "a|1234|5",
            ),
            (
                "old data ignored",
                100,
                Some(99),
                &[(100, "abc"), (50, "zz")],
                false,
                "abc",
            ),
        ];
        for (name, cap, isn, segments, finish, expect) in cases {
            assert_eq!(feed(*cap, *isn, segments, *finish), *expect, "{name}");
        }
    }

    #[test]
    fn counts_bytes_and_gaps() {
        let mut s = TcpStream::new(2);
        let mut sink = |_: StreamChunk<'_>| {};
        s.syn(0);
        s.segment(1, b"ab", &mut sink);
        s.segment(10, b"xyz", &mut sink);
        assert_eq!((s.delivered(), s.gaps()), (5, 1));
    }
}

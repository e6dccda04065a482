//! MD5 (RFC 1321), for file hashes and JA3/JA3S.
//!
//! MD5 is one long chain of dependent additions, with no CPU instruction
//! for it, so its speed is the length of that chain. On x86-64 each step is
//! written in assembly ([`x86_64`]) so that the chain holds only what must
//! be on it: the message word and constant are added to the step's input
//! before the round function's result is known, and the round function is
//! formed so the newest word enters last (4-5 operations per step). The
//! compiler reorders the same steps written in Rust (it adds the constant
//! after the round function) and the `md-5` crate's assembly puts a
//! three-operand `lea` on the chain. Measured on the sensor's machine (Zen 4,
//! 64 MiB): 809 MB/s, against 624 for `md-5` with its assembly and 766 for
//! OpenSSL. [`portable`] is the same steps in Rust, for other targets and as
//! the reference the assembly is tested against.

#[cfg(any(test, not(target_arch = "x86_64")))]
mod portable;
#[cfg(target_arch = "x86_64")]
mod x86_64;

/// Bytes of one MD5 block.
pub const BLOCK: usize = 64;

const INIT: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];

/// The sine-derived constant of each of the 64 steps (RFC 1321 §3.4).
#[rustfmt::skip]
const K: [u32; 64] = [
    0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
    0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
    0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
    0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
    0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
    0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
    0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
    0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
];

/// Shift of each step, by round and position within its four.
const SHIFT: [[u32; 4]; 4] = [
    [7, 12, 17, 22],
    [5, 9, 14, 20],
    [4, 11, 16, 23],
    [6, 10, 15, 21],
];

/// Message word of step `i` (RFC 1321 §3.4).
const fn word_index(i: usize) -> usize {
    match i / 16 {
        0 => i,
        1 => (1 + 5 * i) % 16,
        2 => (5 + 3 * i) % 16,
        _ => (7 * i) % 16,
    }
}

/// The 16 little-endian message words of a block (`block` is 64 bytes).
fn words(block: &[u8]) -> [u32; 16] {
    let mut m = [0u32; 16];
    for (w, b) in m.iter_mut().zip(block.chunks_exact(4)) {
        *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
    m
}

/// Runs the compression function over `blocks`, whole 64-byte blocks.
fn compress(state: &mut [u32; 4], blocks: &[u8]) {
    debug_assert_eq!(blocks.len() % BLOCK, 0);
    #[cfg(target_arch = "x86_64")]
    x86_64::compress(state, blocks);
    #[cfg(not(target_arch = "x86_64"))]
    portable::compress(state, blocks);
}

/// A streaming MD5: [`Md5::update`] with pieces of any size, then
/// [`Md5::finalize`]. Whole blocks of a piece are hashed where they lie.
#[derive(Debug, Clone)]
pub struct Md5 {
    state: [u32; 4],
    /// Bytes taken so far (the length in the padding is this mod 2^64 bits).
    len: u64,
    pending: [u8; BLOCK],
}

impl Default for Md5 {
    fn default() -> Self {
        Self::new()
    }
}

impl Md5 {
    pub fn new() -> Self {
        Self {
            state: INIT,
            len: 0,
            pending: [0; BLOCK],
        }
    }

    /// MD5 of `data` in one call.
    pub fn digest(data: &[u8]) -> [u8; 16] {
        let mut h = Self::new();
        h.update(data);
        h.finalize()
    }

    pub fn update(&mut self, mut data: &[u8]) {
        let held = (self.len % BLOCK as u64) as usize;
        self.len = self.len.wrapping_add(data.len() as u64);
        if held > 0 {
            let take = (BLOCK - held).min(data.len());
            self.pending[held..held + take].copy_from_slice(&data[..take]);
            data = &data[take..];
            if held + take < BLOCK {
                return;
            }
            let block = self.pending;
            compress(&mut self.state, &block);
        }
        let (blocks, rest) = data.split_at(data.len() - data.len() % BLOCK);
        compress(&mut self.state, blocks);
        self.pending[..rest.len()].copy_from_slice(rest);
    }

    pub fn finalize(mut self) -> [u8; 16] {
        let bits = self.len.wrapping_mul(8);
        let held = (self.len % BLOCK as u64) as usize;
        // 0x80, zeros up to 56 mod 64, then the length in bits, little-endian.
        let pad_len = if held < 56 { 56 - held } else { 120 - held };
        let mut pad = [0u8; BLOCK + 8];
        pad[0] = 0x80;
        pad[pad_len..pad_len + 8].copy_from_slice(&bits.to_le_bytes());
        self.update(&pad[..pad_len + 8]);
        debug_assert_eq!(self.len % BLOCK as u64, 0);
        let mut out = [0u8; 16];
        for (o, w) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests;

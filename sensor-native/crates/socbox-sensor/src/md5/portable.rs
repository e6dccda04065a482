//! The MD5 steps in Rust: the compression function on targets without the
//! assembly, and the reference it is tested against on those with it.

use super::{word_index, words, BLOCK, K, SHIFT};

pub(super) fn compress(state: &mut [u32; 4], blocks: &[u8]) {
    for block in blocks.chunks_exact(BLOCK) {
        let m = words(block);
        let [mut a, mut b, mut c, mut d] = *state;
        for i in 0..64 {
            let f = match i / 16 {
                0 => (b & c) | (!b & d),
                1 => (d & b) | (!d & c),
                2 => b ^ c ^ d,
                _ => c ^ (b | !d),
            };
            let sum = a
                .wrapping_add(f)
                .wrapping_add(K[i])
                .wrapping_add(m[word_index(i)]);
            let next = b.wrapping_add(sum.rotate_left(SHIFT[i / 16][i % 4]));
            (a, b, c, d) = (d, next, b, c);
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d]) {
            *s = s.wrapping_add(v);
        }
    }
}

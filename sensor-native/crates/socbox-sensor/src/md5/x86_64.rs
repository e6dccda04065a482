//! The MD5 steps in x86-64 assembly, one `asm!` block per step.
//!
//! Each block is written so that the chain from the newest word `b` to the
//! step's result is as short as the round function allows: `a + M[i] + K[i]`
//! and the parts of the round function without `b` are ready before `b` is,
//! the CPU runs them early, and the chain is the rest (F and I: 5
//! operations, G and H: 4). The compiler only allocates registers and loads
//! the message words; it cannot reorder inside a block.
#![allow(unsafe_code)]

use core::arch::asm;

use super::{words, BLOCK, K};

/// One step: `a = b + rotl(a + M + K + f(b, c, d), s)`.
macro_rules! step {
    (F, $a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr) => {
        // f = ((c ^ d) & b) ^ d
        step!(@asm $a, $b, $c, $d, $m, $k, $s,
            "mov {t:e}, {c:e}", "xor {t:e}, {d:e}", "and {t:e}, {b:e}", "xor {t:e}, {d:e}",
            "add {a:e}, {t:e}")
    };
    (G, $a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr) => {
        // f = (c & !d) + (b & d): the two never share a bit, so + is |,
        // and the half without b is added first.
        step!(@asm $a, $b, $c, $d, $m, $k, $s,
            "mov {t:e}, {d:e}", "not {t:e}", "and {t:e}, {c:e}", "add {a:e}, {t:e}",
            "mov {t:e}, {d:e}", "and {t:e}, {b:e}", "add {a:e}, {t:e}")
    };
    (H, $a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr) => {
        // f = (c ^ d) ^ b
        step!(@asm $a, $b, $c, $d, $m, $k, $s,
            "mov {t:e}, {c:e}", "xor {t:e}, {d:e}", "xor {t:e}, {b:e}", "add {a:e}, {t:e}")
    };
    (I, $a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr) => {
        // f = (b | !d) ^ c
        step!(@asm $a, $b, $c, $d, $m, $k, $s,
            "mov {t:e}, {d:e}", "not {t:e}", "or {t:e}, {b:e}", "xor {t:e}, {c:e}",
            "add {a:e}, {t:e}")
    };
    (@asm $a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:expr, $($f:literal),+) => {
        // SAFETY: register arithmetic only: no memory, no stack, no flags
        // read; every register written is an output operand.
        unsafe {
            asm!(
                "add {a:e}, {m:e}",
                "add {a:e}, {k}",
                $($f,)+
                "rol {a:e}, {s}",
                "add {a:e}, {b:e}",
                a = inout(reg) $a,
                b = in(reg) $b,
                c = in(reg) $c,
                d = in(reg) $d,
                m = in(reg) $m,
                t = out(reg) _,
                k = const K[$k] as i32,
                s = const $s,
                options(pure, nomem, nostack),
            )
        }
    };
}

/// Four steps, the words rotating through a, b, c, d as RFC 1321 writes them.
macro_rules! four {
    ($f:ident, $m:ident, $a:ident, $b:ident, $c:ident, $d:ident, $k:expr,
     [$i0:expr, $i1:expr, $i2:expr, $i3:expr], [$s0:expr, $s1:expr, $s2:expr, $s3:expr]) => {
        step!($f, $a, $b, $c, $d, $m[$i0], $k, $s0);
        step!($f, $d, $a, $b, $c, $m[$i1], $k + 1, $s1);
        step!($f, $c, $d, $a, $b, $m[$i2], $k + 2, $s2);
        step!($f, $b, $c, $d, $a, $m[$i3], $k + 3, $s3);
    };
}

pub(super) fn compress(state: &mut [u32; 4], blocks: &[u8]) {
    for block in blocks.chunks_exact(BLOCK) {
        let m = words(block);
        let [mut a, mut b, mut c, mut d] = *state;
        four!(F, m, a, b, c, d, 0, [0, 1, 2, 3], [7, 12, 17, 22]);
        four!(F, m, a, b, c, d, 4, [4, 5, 6, 7], [7, 12, 17, 22]);
        four!(F, m, a, b, c, d, 8, [8, 9, 10, 11], [7, 12, 17, 22]);
        four!(F, m, a, b, c, d, 12, [12, 13, 14, 15], [7, 12, 17, 22]);
        four!(G, m, a, b, c, d, 16, [1, 6, 11, 0], [5, 9, 14, 20]);
        four!(G, m, a, b, c, d, 20, [5, 10, 15, 4], [5, 9, 14, 20]);
        four!(G, m, a, b, c, d, 24, [9, 14, 3, 8], [5, 9, 14, 20]);
        four!(G, m, a, b, c, d, 28, [13, 2, 7, 12], [5, 9, 14, 20]);
        four!(H, m, a, b, c, d, 32, [5, 8, 11, 14], [4, 11, 16, 23]);
        four!(H, m, a, b, c, d, 36, [1, 4, 7, 10], [4, 11, 16, 23]);
        four!(H, m, a, b, c, d, 40, [13, 0, 3, 6], [4, 11, 16, 23]);
        four!(H, m, a, b, c, d, 44, [9, 12, 15, 2], [4, 11, 16, 23]);
        four!(I, m, a, b, c, d, 48, [0, 7, 14, 5], [6, 10, 15, 21]);
        four!(I, m, a, b, c, d, 52, [12, 3, 10, 1], [6, 10, 15, 21]);
        four!(I, m, a, b, c, d, 56, [8, 15, 6, 13], [6, 10, 15, 21]);
        four!(I, m, a, b, c, d, 60, [4, 11, 2, 9], [6, 10, 15, 21]);
        for (s, v) in state.iter_mut().zip([a, b, c, d]) {
            *s = s.wrapping_add(v);
        }
    }
}

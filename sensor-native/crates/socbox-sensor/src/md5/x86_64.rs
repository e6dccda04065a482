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

use super::{word_index, words, BLOCK, K, SHIFT};

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

/// Four steps from step `k`, the words rotating through a, b, c, d as RFC
/// 1321 writes them; message words and shifts from the shared schedule.
macro_rules! four {
    ($f:ident, $m:ident, $a:ident, $b:ident, $c:ident, $d:ident, $k:expr) => {
        step!(
            $f,
            $a,
            $b,
            $c,
            $d,
            $m[const { word_index($k) }],
            $k,
            SHIFT[$k / 16][0]
        );
        step!(
            $f,
            $d,
            $a,
            $b,
            $c,
            $m[const { word_index($k + 1) }],
            $k + 1,
            SHIFT[$k / 16][1]
        );
        step!(
            $f,
            $c,
            $d,
            $a,
            $b,
            $m[const { word_index($k + 2) }],
            $k + 2,
            SHIFT[$k / 16][2]
        );
        step!(
            $f,
            $b,
            $c,
            $d,
            $a,
            $m[const { word_index($k + 3) }],
            $k + 3,
            SHIFT[$k / 16][3]
        );
    };
}

pub(super) fn compress(state: &mut [u32; 4], blocks: &[u8]) {
    for block in blocks.chunks_exact(BLOCK) {
        let m = words(block);
        let [mut a, mut b, mut c, mut d] = *state;
        four!(F, m, a, b, c, d, 0);
        four!(F, m, a, b, c, d, 4);
        four!(F, m, a, b, c, d, 8);
        four!(F, m, a, b, c, d, 12);
        four!(G, m, a, b, c, d, 16);
        four!(G, m, a, b, c, d, 20);
        four!(G, m, a, b, c, d, 24);
        four!(G, m, a, b, c, d, 28);
        four!(H, m, a, b, c, d, 32);
        four!(H, m, a, b, c, d, 36);
        four!(H, m, a, b, c, d, 40);
        four!(H, m, a, b, c, d, 44);
        four!(I, m, a, b, c, d, 48);
        four!(I, m, a, b, c, d, 52);
        four!(I, m, a, b, c, d, 56);
        four!(I, m, a, b, c, d, 60);
        for (s, v) in state.iter_mut().zip([a, b, c, d]) {
            *s = s.wrapping_add(v);
        }
    }
}

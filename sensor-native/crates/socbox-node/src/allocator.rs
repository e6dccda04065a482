//! The allocator of the addon's Rust code, and how it keeps freed memory.
//! The bench example includes this file (`#[path]`), so its figures are
//! the addon's.
//!
//! Flows, sessions and events are many small allocations made and freed per
//! packet, and loading a plan makes hundreds of thousands: with glibc malloc
//! a fifth of a `socbox events` run went to malloc/free. The allocator only
//! serves this library's Rust allocations; Node's own stay on its allocator.

use std::ffi::{c_int, c_long};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` of mimalloc v3 (`include/mimalloc.h`, enum
/// `mi_option_e`; libmimalloc-sys names no constant for it). Its default is
/// 1000 (ms), which a test of socbox-sensor checks through this constant.
pub const MI_OPTION_PURGE_DELAY: c_int = 15;

/// Freed pages stay with the allocator for the next allocations instead of
/// being handed back to the kernel a second later. With transparent huge pages
/// every page handed back and touched again is a fault that zeroes up to
/// 2 MB: 18-31k faults on the capture with 1M flows became ~600, and 8.6k on
/// the 1 GB mixed capture 291. The CPU time gained is within this VM's noise
/// (1 GB mixed in-process 2.44-2.53 s against 2.45-2.54 s without; what is
/// left of the kernel's page clearing is first touches), for +6% peak RSS on
/// the 1M flows (the memory is reused, so the process stays at its peak).
pub fn keep_freed_pages() {
    // SAFETY: mi_option_set only stores an option value; any value is valid
    // for purge_delay (-1: never purge).
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1 as c_long);
    }
}

/// No transparent huge pages for this process from now on, for runs over a
/// capture file (a whole file read once: first touches are most of the
/// kernel's work). mimalloc asks for them on its arenas, and this VM's kernel
/// clears each 2 MB page whole at its first touch, however little of it is
/// used: `socbox events` on the 1 GB mixed capture (default pack, 4 runs
/// alternated on an idle machine) peak RSS 316-334 -> 250-265 MB, system
/// time 0.19-0.49 -> 0.20-0.26 s, wall time the same within noise (1.12-1.34
/// with, 1.16-1.23 s without); on the 1M flows capture user time +2% (TLB)
/// and system time 1.4-1.9 -> 0.5 s. It is what mimalloc's own `allow_thp=0` does
/// at its start (prctl, the whole process), done here because the arena
/// taken at the addon's load is already advised by then. Node's heap does not
/// ask for huge pages.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; a kernel
    // without it returns an error, and then nothing changes.
    #[allow(unsafe_code)]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

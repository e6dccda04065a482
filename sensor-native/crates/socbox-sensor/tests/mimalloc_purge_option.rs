//! The addon's allocator settings (socbox-node/src/allocator.rs, also the
//! bench example's) name a mimalloc option by its number, which
//! libmimalloc-sys does not export: this checks the number still names
//! purge_delay (default 1000 ms) in the mimalloc that is linked, and that
//! setting it takes.

#[path = "../../socbox-node/src/allocator.rs"]
#[allow(dead_code)]
mod allocator;

#[test]
fn purge_delay_is_the_option_set_and_it_takes() {
    // SAFETY: mi_option_get only reads an option.
    #[allow(unsafe_code)]
    let get = || unsafe { libmimalloc_sys::mi_option_get(allocator::MI_OPTION_PURGE_DELAY) };
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        assert_eq!(get(), 1000, "mimalloc v3.3 purge_delay default: 1000 ms");
    }
    allocator::keep_freed_pages();
    assert_eq!(get(), -1);
}

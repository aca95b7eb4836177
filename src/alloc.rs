//! The allocator: mimalloc, which a build's millions of small strings,
//! allocated and freed from two threads at once, suit better than the
//! system allocator (docs/performance.md), wrapped to count the bytes in
//! use when `DOSSIER_TIMINGS` asks for them.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The allocator the binary uses (see `main.rs`).
pub struct Allocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// mimalloc's `mi_option_purge_delay` (its `mimalloc.h` numbers the options;
/// the `extended` bindings name the ones around it but not this one).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps the memory a one-shot command frees for its own later use instead
/// of handing it back to the system: a build frees a phase's hundreds of
/// megabytes and allocates as much again in the next phase, and each page
/// handed back is faulted in and zeroed by the kernel again (at 100,000
/// briefs 3 to 5 s of CPU, see docs/performance.md). `serve`, which runs for
/// hours, keeps mimalloc's default and gives memory back.
pub fn keep_freed_memory() {
    set_purge_delay(-1);
}

/// For a long-running command's burst of work (`serve`'s first build): keeps
/// freed memory as [`keep_freed_memory`] does until the returned guard is
/// dropped, then gives it back as before.
pub fn keep_freed_memory_for_now() -> impl Drop {
    struct Restore(std::ffi::c_long);
    impl Drop for Restore {
        fn drop(&mut self) {
            set_purge_delay(self.0);
        }
    }
    // SAFETY: reads an option; any time is fine.
    let before = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
    set_purge_delay(-1);
    Restore(before)
}

fn set_purge_delay(ms: std::ffi::c_long) {
    // SAFETY: sets an option mimalloc reads at run time; any value is valid
    // for it (-1 means never purge).
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, ms) }
}

/// Starts counting the bytes in use (from now on: what was allocated
/// before is not counted).
pub fn start_counting() {
    COUNTING.store(true, Ordering::Relaxed);
}

/// The bytes allocated and not yet freed since counting started, and the
/// most there were at once; `None` when not counting.
pub fn in_use() -> Option<(usize, usize)> {
    COUNTING
        .load(Ordering::Relaxed)
        .then(|| (IN_USE.load(Ordering::Relaxed), PEAK.load(Ordering::Relaxed)))
}

/// Starts the count of the most bytes in use at once afresh, from the
/// bytes in use now (at the start of each phase).
pub fn reset_peak() {
    PEAK.store(IN_USE.load(Ordering::Relaxed), Ordering::Relaxed);
}

fn counted(size: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let now = IN_USE.fetch_add(size, Ordering::Relaxed) + size;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn uncounted(size: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        // Memory allocated before counting started may be freed after it:
        // never go below zero.
        let _ = IN_USE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
            Some(n.saturating_sub(size))
        });
    }
}

// SAFETY: every call is passed straight to mimalloc with the same layout
// and pointer; the counting touches only atomics.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted(layout.size());
        // SAFETY: the caller upholds `alloc`'s contract, passed on as is.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        uncounted(layout.size());
        // SAFETY: `ptr` was allocated by this allocator with `layout`.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        counted(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        uncounted(layout.size());
        counted(new_size);
        // SAFETY: `ptr` was allocated by this allocator with `layout`.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn purge_delay_is_the_option_numbered_here() {
        // mimalloc 3 purges after 1000 ms by default; a wrong number would read
        // (and set) another option.
        // SAFETY: reads an option; no other test sets it.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}

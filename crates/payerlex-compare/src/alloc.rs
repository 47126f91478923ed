//! A global allocator that counts allocations, but only while switched on.
//!
//! Hand-written (the one `unsafe` in this crate) because the counting allocators on crates.io
//! (stats_alloc and the like) bump shared atomic counters on every allocation and free, all the
//! time. That costs tens of cycles per allocation inside the timed rounds, which would
//! flatter the engines that allocate little against those that allocate a lot. Here an
//! allocation pays one relaxed load of the switch; the counters move only inside
//! [`count_allocations`], which the agreement pass wraps around each engine call.
//!
//! Counted: every `alloc`, `alloc_zeroed` and `realloc` call (a `realloc` is one allocation,
//! its growth the bytes). Frees are not counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The counting allocator; install it with `#[global_allocator]` in a binary or test.
pub struct CountingAllocator;

static ON: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

fn note(bytes: usize) {
    if ON.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so it
// upholds `GlobalAlloc`'s contract exactly as `System` does; counting touches only atomics
// and never allocates.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size.saturating_sub(layout.size()));
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations made by a piece of code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allocations {
    /// alloc, alloc_zeroed and realloc calls.
    pub count: u64,
    /// Bytes they asked for.
    pub bytes: u64,
}

impl std::ops::AddAssign for Allocations {
    fn add_assign(&mut self, other: Self) {
        self.count += other.count;
        self.bytes += other.bytes;
    }
}

/// Runs `f` with counting on and returns what it allocated. Counts nothing (zeros) unless
/// [`CountingAllocator`] is the global allocator. Not reentrant: the counters are global.
pub fn count_allocations<T>(f: impl FnOnce() -> T) -> (T, Allocations) {
    let count = ALLOCATIONS.load(Ordering::Relaxed);
    let bytes = BYTES.load(Ordering::Relaxed);
    ON.store(true, Ordering::Relaxed);
    let value = f();
    ON.store(false, Ordering::Relaxed);
    let allocations = Allocations {
        count: ALLOCATIONS.load(Ordering::Relaxed) - count,
        bytes: BYTES.load(Ordering::Relaxed) - bytes,
    };
    (value, allocations)
}

//! The counting allocator counts what happens inside `count_allocations` and nothing outside.
//! One test in its own binary: the counters are global, so a test running beside it would
//! add its allocations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use payerlex_compare::alloc::{count_allocations, Allocations, CountingAllocator};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[test]
fn counts_allocations_and_growth_inside_only() {
    let outside = black_box(vec![0u8; 1000]);
    let (mut inside, counted) = count_allocations(|| black_box(Vec::<u8>::with_capacity(100)));
    assert_eq!(
        counted,
        Allocations {
            count: 1,
            bytes: 100
        }
    );
    // Room for 300 more on an empty 100-byte vector: one realloc, 200 bytes of growth.
    let ((), grown) = count_allocations(|| inside.reserve_exact(300));
    assert_eq!(
        grown,
        Allocations {
            count: 1,
            bytes: 200
        }
    );
    let (_, nothing) = count_allocations(|| black_box(outside.len() + inside.capacity()));
    assert_eq!(nothing, Allocations::default());
}

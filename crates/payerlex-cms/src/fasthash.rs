//! A small, fast, non-cryptographic hasher for integer keys.
//!
//! The PTP table hashes millions of packed `u64` pair keys; the standard SipHash costs more than
//! the lookup itself. CMS tables are trusted input (no hash-flooding concern), so a
//! multiply-xorshift finaliser (splitmix64's) is enough, and it needs no crate.

use std::hash::{BuildHasherDefault, Hasher};

/// Hasher state; integer writes are mixed with the splitmix64 finaliser.
#[derive(Default, Clone, Copy)]
pub(crate) struct MixHasher(u64);

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Hasher for MixHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf) ^ (chunk.len() as u64) << 56);
        }
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = mix(self.0.rotate_left(5) ^ i);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

/// `BuildHasher` for `HashMap`/`HashSet`.
pub(crate) type MixState = BuildHasherDefault<MixHasher>;

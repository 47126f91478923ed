//! One patient's checks at a time.
//!
//! Deciding a claim reads the patient's history and then records the claim in it. Two checks
//! of the same (payer, patient) running side by side would both read the history before
//! either recorded, and each would miss the other (a duplicate not caught, say). So a check
//! holds its patient's lock from the read to the commit, and results equal those of some
//! sequential run. Locks are striped (a fixed array indexed by a hash of the key): no map
//! grows with the number of patients, and two patients rarely share a stripe.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, MutexGuard};

const STRIPES: usize = 256;

/// Striped locks keyed by (payer, patient).
#[derive(Debug)]
pub struct PatientLocks {
    stripes: Vec<Mutex<()>>,
}

impl Default for PatientLocks {
    fn default() -> Self {
        Self {
            stripes: (0..STRIPES).map(|_| Mutex::new(())).collect(),
        }
    }
}

impl PatientLocks {
    /// Waits for the patient's stripe (blocking: call from a blocking task). A stripe
    /// poisoned by a panicking check is still usable: it guards no data.
    pub fn lock(&self, payer: &str, patient: &str) -> MutexGuard<'_, ()> {
        self.lock_stripe(self.stripe(payer, patient))
    }

    /// Waits for the stripes of all the keys, taken in ascending order: a holder of several
    /// stripes never waits for a lower one while holding a higher one, so two groups cannot
    /// deadlock, and a single check holds only one stripe.
    pub fn lock_all<'k>(
        &self,
        keys: impl IntoIterator<Item = (&'k str, &'k str)>,
    ) -> Vec<MutexGuard<'_, ()>> {
        let mut stripes: Vec<usize> = keys
            .into_iter()
            .map(|(payer, patient)| self.stripe(payer, patient))
            .collect();
        stripes.sort_unstable();
        stripes.dedup();
        stripes.into_iter().map(|s| self.lock_stripe(s)).collect()
    }

    fn stripe(&self, payer: &str, patient: &str) -> usize {
        let mut hasher = DefaultHasher::new();
        (payer, patient).hash(&mut hasher);
        // The remainder is below the number of stripes, so the index is in range.
        usize::try_from(hasher.finish() % self.stripes.len() as u64).unwrap_or(0)
    }

    fn lock_stripe(&self, index: usize) -> MutexGuard<'_, ()> {
        self.stripes[index]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

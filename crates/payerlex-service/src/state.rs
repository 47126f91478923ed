//! What every request shares: the engine slot, the store, the patient locks, the metrics and
//! the limits. Built once by [`AppState::new`] and handed to the router in an `Arc`.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::config::Limits;
use crate::engine_slot::EngineSlot;
use crate::log_file::LogFile;
use crate::metrics::Metrics;
use crate::patient_locks::PatientLocks;
use crate::routes::formats::PayerMaps;
use crate::store::Store;

/// Shared state of a running service.
#[derive(Debug)]
pub struct AppState {
    /// The engine in force and its reload.
    pub engines: EngineSlot,
    /// History and decision log.
    pub store: Arc<dyn Store>,
    /// One check per patient at a time.
    pub locks: PatientLocks,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Limits.
    pub limits: Limits,
    /// Payer ids of X12 and FHIR input, mapped to pack ids.
    pub payers: PayerMaps,
    /// The masked decision log file, when configured.
    pub log_file: Option<LogFile>,
    /// Requests served at once, across all routes.
    pub request_permits: Semaphore,
    /// Playground compilations allowed at once.
    pub playground_permits: Arc<Semaphore>,
    /// Set when shutdown starts: `/readyz` answers 503 from then on.
    pub shutting_down: AtomicBool,
}

impl std::fmt::Debug for dyn Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}

impl AppState {
    /// Shared state over a loaded engine slot and a store.
    pub fn new(
        engines: EngineSlot,
        store: Arc<dyn Store>,
        limits: Limits,
        log_file: Option<LogFile>,
        payers: PayerMaps,
    ) -> Result<Arc<Self>, prometheus::Error> {
        let playground_permits = Arc::new(Semaphore::new(limits.max_playground_concurrent.max(1)));
        let request_permits = Semaphore::new(limits.max_concurrent_requests.max(1));
        Ok(Arc::new(Self {
            engines,
            store,
            locks: PatientLocks::default(),
            metrics: Metrics::new()?,
            limits,
            payers,
            log_file,
            request_permits,
            playground_permits,
            shutting_down: AtomicBool::new(false),
        }))
    }
}

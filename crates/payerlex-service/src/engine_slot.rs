//! The served engine and its hot reload.
//!
//! The engine in force sits in an [`ArcSwap`]: a request takes the current `Arc` once and
//! decides everything it was sent with it, so a reload never changes the engine under a
//! check in flight; the old engine is freed when its last request ends. A reload compiles
//! the packs completely on a blocking thread first and swaps only on success: a pack that
//! fails to load leaves the running engine untouched and the caller gets the diagnostics.
//! Reloads (HTTP and SIGHUP alike) take turns behind one lock, so two never race to swap.

use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;
use tokio::sync::Mutex;

use crate::payerlex_api::{Engine, LoadError, LoadOptions, Timestamp};

/// An engine and when it came into force.
#[derive(Debug)]
pub struct LoadedEngine {
    /// The compiled packs.
    pub engine: Engine,
    /// 1 for the engine loaded at start, then one more for each successful reload.
    pub generation: u64,
    /// When its load finished.
    pub loaded_at: Timestamp,
}

/// Why a reload did not take place.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// The packs did not compile; the running engine is unchanged.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The loading thread ended without an answer (it panicked or the runtime is stopping).
    #[error("the loading task did not finish: {0}")]
    Task(String),
}

/// The engine in force, and how to replace it.
#[derive(Debug)]
pub struct EngineSlot {
    current: ArcSwap<LoadedEngine>,
    policies: PathBuf,
    options: LoadOptions,
    reload_turn: Mutex<()>,
}

impl EngineSlot {
    /// Loads the packs under `policies` (blocking: call before serving, or in a blocking task).
    pub fn load(policies: PathBuf, options: LoadOptions) -> Result<Self, LoadError> {
        let engine = Engine::load_with(&policies, &options)?;
        Ok(Self::with_engine(engine, policies, options))
    }

    /// A slot holding an engine built elsewhere; reloads read `policies`.
    pub fn with_engine(engine: Engine, policies: PathBuf, options: LoadOptions) -> Self {
        let loaded = LoadedEngine {
            engine,
            generation: 1,
            loaded_at: Timestamp::now(),
        };
        Self {
            current: ArcSwap::from_pointee(loaded),
            policies,
            options,
            reload_turn: Mutex::new(()),
        }
    }

    /// The engine in force now. Hold the `Arc` for the whole request.
    pub fn current(&self) -> Arc<LoadedEngine> {
        self.current.load_full()
    }

    /// Compiles the packs again from the same folder and, when every pack loads, puts the
    /// new engine in force. On failure the engine in force is unchanged.
    pub async fn reload(&self) -> Result<Arc<LoadedEngine>, ReloadError> {
        let _turn = self.reload_turn.lock().await;
        let policies = self.policies.clone();
        let options = self.options.clone();
        let engine = tokio::task::spawn_blocking(move || Engine::load_with(&policies, &options))
            .await
            .map_err(|e| ReloadError::Task(e.to_string()))??;
        let generation = self.current.load().generation + 1;
        let loaded = Arc::new(LoadedEngine {
            engine,
            generation,
            loaded_at: Timestamp::now(),
        });
        self.current.store(loaded.clone());
        Ok(loaded)
    }
}

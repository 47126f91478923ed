//! Starting and stopping: load the packs, open the store, listen, reload on SIGHUP, and shut
//! down gracefully on SIGTERM or Ctrl-C (stop accepting, let requests in flight finish,
//! close the store).
//!
//! Nothing listens before the packs have loaded and the store has opened: a service that
//! answers is a service that can decide.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::config::{ServiceConfig, StateLocation};
use crate::engine_slot::EngineSlot;
use crate::log_file::LogFile;
use crate::payerlex_api::{LoadError, LoadOptions};
use crate::routes::formats::PayerMaps;
use crate::routes::{admin::reload_now, router};
use crate::state::AppState;
use crate::store::{MemoryStore, SqliteStore, Store, StoreError};

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The packs did not load.
    #[error("{}", .0.render())]
    Load(#[from] LoadError),
    /// The state store did not open.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be bound, or the log file opened.
    #[error("{what}: {source}")]
    Io {
        /// What failed.
        what: String,
        /// Why.
        source: std::io::Error,
    },
    /// The payer map did not load.
    #[error("payer map: {0}")]
    PayerMap(String),
    /// The metrics registry refused a metric (a bug).
    #[error("metrics: {0}")]
    Metrics(#[from] prometheus::Error),
}

/// Loads the packs and opens the store and log file (blocking).
pub fn build_state(config: &ServiceConfig) -> Result<Arc<AppState>, StartError> {
    let options = LoadOptions {
        tables: config.tables.iter().cloned().collect(),
        limits: config.load_limits,
    };
    let engines = EngineSlot::load(config.policies.clone(), options)?;
    let store: Arc<dyn Store> = match &config.state {
        StateLocation::Sqlite(path) => Arc::new(SqliteStore::open(
            path,
            config.durable_commits,
            config.limits.max_log_records,
        )?),
        StateLocation::Memory => Arc::new(MemoryStore::new(
            usize::try_from(config.limits.max_log_records).unwrap_or(usize::MAX),
        )?),
    };
    let log_file = match &config.decision_log {
        Some(path) => Some(LogFile::open(path).map_err(|source| StartError::Io {
            what: format!("cannot open the decision log `{}`", path.display()),
            source,
        })?),
        None => None,
    };
    let payers = PayerMaps::load(config.payer_map.as_deref()).map_err(StartError::PayerMap)?;
    Ok(AppState::new(
        engines,
        store,
        config.limits.clone(),
        log_file,
        payers,
    )?)
}

/// Serves `state` on `listener` until `shutdown` completes, reloading on SIGHUP.
pub async fn serve_on(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hangups = tokio::spawn(reload_on_hangup(state.clone()));
    let app = router(state.clone());
    let stopping = state.clone();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            stopping.shutting_down.store(true, Ordering::Relaxed);
            eprintln!("payerlex-serve: shutting down; finishing requests in flight");
        })
        .await;
    hangups.abort();
    result
}

/// Loads, binds `config.addr`, and serves until SIGTERM or Ctrl-C.
pub async fn serve(config: ServiceConfig) -> Result<(), StartError> {
    let build = config.clone();
    let state = tokio::task::spawn_blocking(move || build_state(&build))
        .await
        .map_err(|e| StartError::Io {
            what: "loading".to_owned(),
            source: std::io::Error::other(e.to_string()),
        })??;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Io {
            what: format!("cannot listen on {}", config.addr),
            source,
        })?;
    let local: SocketAddr = listener.local_addr().map_err(|source| StartError::Io {
        what: "local address".to_owned(),
        source,
    })?;
    let loaded = state.engines.current();
    eprintln!(
        "payerlex-serve: listening on http://{local} ({} pack(s), generation {}, state {})",
        loaded.engine.packs().count(),
        loaded.generation,
        match &config.state {
            StateLocation::Sqlite(path) => path.display().to_string(),
            StateLocation::Memory => "in memory".to_owned(),
        }
    );
    serve_on(listener, state, termination())
        .await
        .map_err(|source| StartError::Io {
            what: "serving".to_owned(),
            source,
        })
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn termination() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Reloads the packs on every SIGHUP, reporting the result on stderr.
async fn reload_on_hangup(state: Arc<AppState>) {
    #[cfg(unix)]
    {
        let Ok(mut hangups) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            eprintln!("payerlex-serve: SIGHUP cannot be caught here; reload with POST /v1/reload");
            return;
        };
        while hangups.recv().await.is_some() {
            match reload_now(&state).await {
                Ok(loaded) => eprintln!(
                    "payerlex-serve: SIGHUP: reloaded, generation {}",
                    loaded.generation
                ),
                Err(error) => eprintln!(
                    "payerlex-serve: SIGHUP: reload failed, the running packs stay in force:\n{}",
                    match error {
                        crate::engine_slot::ReloadError::Load(load) => load.render(),
                        other => other.to_string(),
                    }
                ),
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = state;
    }
}

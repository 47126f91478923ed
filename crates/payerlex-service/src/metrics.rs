//! Prometheus metrics served at `GET /metrics`.
//!
//! A private registry (not the process-global default) so that several services in one
//! process, as in the tests, count separately. Label values come from a closed set (routes as
//! declared, outcomes, pack ids of loaded packs), never from what a client sends, so the
//! number of series stays bounded.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

/// The service's metrics.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    /// Decisions answered, by claim outcome and pack.
    pub decisions: IntCounterVec,
    /// Claims not decided, by reason (`invalid_claim`, `unknown_payer`, `store`, ...).
    pub rejected: IntCounterVec,
    /// HTTP requests, by route and status code.
    pub requests: IntCounterVec,
    /// Request latency, by route.
    pub latency: HistogramVec,
    /// Reloads, by result (`ok`, `failed`).
    pub reloads: IntCounterVec,
    /// Generation of the engine in force.
    pub generation: IntGauge,
    /// Masked decision-log lines that could not be written.
    pub log_write_failures: IntCounter,
}

impl Metrics {
    /// A registry with every metric registered.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let decisions = IntCounterVec::new(
            Opts::new("payerlex_decisions_total", "Decisions answered"),
            &["outcome", "pack"],
        )?;
        let rejected = IntCounterVec::new(
            Opts::new("payerlex_rejected_claims_total", "Claims not decided"),
            &["reason"],
        )?;
        let requests = IntCounterVec::new(
            Opts::new("payerlex_http_requests_total", "HTTP requests"),
            &["route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("payerlex_request_duration_seconds", "Request latency").buckets(
                vec![
                    0.000_25, 0.000_5, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
                    2.5, 5.0, 10.0,
                ],
            ),
            &["route"],
        )?;
        let reloads = IntCounterVec::new(
            Opts::new("payerlex_reloads_total", "Policy reloads"),
            &["result"],
        )?;
        let generation = IntGauge::new(
            "payerlex_engine_generation",
            "Generation of the engine in force (1 at start, +1 per successful reload)",
        )?;
        let log_write_failures = IntCounter::new(
            "payerlex_decision_log_write_failures_total",
            "Masked decision-log lines that could not be written",
        )?;
        registry.register(Box::new(decisions.clone()))?;
        registry.register(Box::new(rejected.clone()))?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(reloads.clone()))?;
        registry.register(Box::new(generation.clone()))?;
        registry.register(Box::new(log_write_failures.clone()))?;
        generation.set(1);
        Ok(Self {
            registry,
            decisions,
            rejected,
            requests,
            latency,
            reloads,
            generation,
            log_write_failures,
        })
    }

    /// The text exposition format.
    pub fn render(&self) -> Result<String, prometheus::Error> {
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

//! The clients: each sends one claim per request (`POST /v1/check`), waits for the answer,
//! and checks it: status 200 and a decision whose pack digest is one of the two good
//! variants'. Claims are the bundled examples with a unique id per request and patient ids
//! cycling through a pool per client, so history is read and written all along and stays
//! bounded.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use crate::server::{send, Http};

/// Patients per client.
pub const PATIENTS_PER_CLIENT: usize = 5_000;

/// What one client saw.
#[derive(Debug, Default)]
pub struct ClientReport {
    /// Latency of each request, microseconds.
    pub latencies_us: Vec<u64>,
    /// Requests that failed, with why (status, transport error, or a wrong digest).
    pub failures: Vec<String>,
    /// Decisions made by variant A's packs and by variant B's.
    pub by_a: u64,
    pub by_b: u64,
}

/// The example claims that parse, as JSON values.
pub fn example_claims(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|line| payerlex::parse_claim(line).is_ok())
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

/// The `n`-th claim a client sends.
pub fn nth_claim(examples: &[Value], client: usize, n: usize) -> String {
    let mut claim = examples[n % examples.len()].clone();
    let patient = claim["patient"].as_str().unwrap_or_default().to_owned();
    claim["id"] = Value::from(format!("L{client}-{n}"));
    claim["patient"] = Value::from(format!("{patient}-{client}-{}", n % PATIENTS_PER_CLIENT));
    claim.to_string()
}

/// Sends claims until `stop`, checking every answer.
pub async fn run_client(
    http: Http,
    url: String,
    examples: Arc<Vec<Value>>,
    client: usize,
    digests: Arc<BTreeMap<String, BTreeSet<String>>>,
    digests_a: Arc<BTreeSet<String>>,
    stop: Arc<AtomicBool>,
) -> ClientReport {
    let mut report = ClientReport::default();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        let claim = nth_claim(&examples, client, n);
        n += 1;
        let started = Instant::now();
        let answer = send(&http, "POST", &url, claim).await;
        report
            .latencies_us
            .push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
        let (status, body) = match answer {
            Ok(answer) => answer,
            Err(error) => {
                report.failures.push(format!("transport: {error}"));
                continue;
            }
        };
        if status != 200 {
            report.failures.push(format!(
                "status {status}: {}",
                String::from_utf8_lossy(&body)
            ));
            continue;
        }
        let decision: Value = match serde_json::from_slice(&body) {
            Ok(decision) => decision,
            Err(error) => {
                report.failures.push(format!("not JSON: {error}"));
                continue;
            }
        };
        let pack = decision["policy"]["pack"].as_str().unwrap_or_default();
        let digest = decision["policy"]["digest"].as_str().unwrap_or_default();
        match digests.get(pack) {
            Some(known) if known.contains(digest) => {
                if digests_a.contains(digest) {
                    report.by_a += 1;
                } else {
                    report.by_b += 1;
                }
            }
            _ => report
                .failures
                .push(format!("decided by an unknown engine: {pack} {digest}")),
        }
    }
    report
}

/// The `q`-quantile of sorted values.
pub fn quantile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

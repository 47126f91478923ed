//! Load test of `payerlex-serve`: N clients (4 by default) send one claim per request for a
//! fixed time (60 s) over loopback while the packs are reloaded every few seconds, good and
//! broken by turns, through `POST /v1/reload` and SIGHUP alternately. It fails (exit 1) on any
//! failed request, on any decision made by an engine other than the two good variants'
//! (digests computed independently with the library), on a reload that does not do what it
//! should (a good variant in force, a broken one refused with the previous one kept), or on an
//! unclean shutdown. It reports latency percentiles and throughput, beside `payerlex check`
//! (the CLI) and `POST /v1/check/batch` on the same claims, measured in the same run.
//!
//! `cargo run --release --example loadtest -- --server ../../target/release/payerlex-serve
//! --cli ../../target/release/payerlex` (from crates/payerlex-service; `.ci/run` does this).

mod clients;
mod packs;
mod server;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{json, Value};

use clients::{example_claims, nth_claim, quantile, run_client, ClientReport};
use packs::{Packs, Variant};
use server::{client, send, Http, Server};

#[derive(Debug, Parser)]
#[command(about = "Load test of payerlex-serve with reloads")]
struct Args {
    /// The payerlex-serve binary.
    #[arg(long)]
    server: PathBuf,
    /// The payerlex binary, for the CLI baseline.
    #[arg(long)]
    cli: PathBuf,
    /// Seconds of load (at most 600).
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Concurrent clients (at most 64).
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Seconds between reloads.
    #[arg(long, default_value_t = 3)]
    reload_every: u64,
    /// Claims in the CLI and batch baselines.
    #[arg(long, default_value_t = 20_000)]
    baseline_claims: usize,
    /// Decision-log records the service keeps (`--max-log-records`): bounds the state file,
    /// which otherwise grows by a few KB per decision for the whole run.
    #[arg(long, default_value_t = 50_000)]
    max_log_records: u64,
    /// Extra arguments for payerlex-serve (e.g. --no-fsync).
    #[arg(long = "server-arg", allow_hyphen_values = true)]
    server_args: Vec<String>,
    /// Where to write the summary as JSON.
    #[arg(long, default_value = "../../target/loadtest.json")]
    out: PathBuf,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("loadtest: {error}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<bool, Box<dyn std::error::Error>> {
    let seconds = args.seconds.clamp(1, 600);
    let clients = args.clients.clamp(1, 64);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let work = tempfile::tempdir()?;
    let packs = Packs::new(&repo.join("policies"), &work.path().join("policies"))?;
    let examples = Arc::new(example_claims(&std::fs::read_to_string(
        repo.join("examples/claims.jsonl"),
    )?));

    // Baselines on the same claims: the CLI, then the service's batch route.
    let baseline: String = (0..args.baseline_claims)
        .map(|n| nth_claim(&examples, 99, n) + "\n")
        .collect();
    let baseline_file = work.path().join("baseline.jsonl");
    std::fs::write(&baseline_file, &baseline)?;
    let started = Instant::now();
    let cli = std::process::Command::new(&args.cli)
        .args(["check", "--policies"])
        .arg(&packs.dir)
        .arg(&baseline_file)
        .stdout(std::process::Stdio::null())
        .status()?;
    let cli_seconds = started.elapsed().as_secs_f64();
    if !cli.success() {
        return Err(format!("payerlex check exited {cli}").into());
    }

    let server_log = args.out.with_extension("server.log");
    let state_file = work.path().join("state.db");
    let mut server_args = vec![format!("--max-log-records={}", args.max_log_records)];
    server_args.extend(args.server_args.iter().cloned());
    let server = Server::start(
        &args.server,
        &packs.dir,
        &state_file,
        &server_args,
        &server_log,
    )?;
    let http = client();
    let started = Instant::now();
    let (status, body) = send(
        &http,
        "POST",
        &server.url("/v1/check/batch"),
        baseline.clone(),
    )
    .await
    .map_err(|e| e.to_string())?;
    let batch_seconds = started.elapsed().as_secs_f64();
    let batch_decided = body
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"{\"id\""))
        .count();
    if status != 200 || batch_decided != args.baseline_claims {
        return Err(format!("batch: status {status}, {batch_decided} decided").into());
    }

    // The load, with reloads.
    println!(
        "load: {clients} clients for {seconds} s, reloading every {} s",
        args.reload_every
    );
    let stop = Arc::new(AtomicBool::new(false));
    let digests = Arc::new(packs.digests.clone());
    let digests_a = Arc::new(packs.digests_a.clone());
    let mut tasks = Vec::new();
    for id in 0..clients {
        tasks.push(tokio::spawn(run_client(
            client(),
            server.url("/v1/check"),
            examples.clone(),
            id,
            digests.clone(),
            digests_a.clone(),
            stop.clone(),
        )));
    }
    let load_started = Instant::now();
    let reloads = reload_loop(&server, &http, &packs, seconds, args.reload_every).await;
    stop.store(true, Ordering::Relaxed);
    let mut total = ClientReport::default();
    for task in tasks {
        let report = task.await?;
        total.latencies_us.extend(report.latencies_us);
        total.failures.extend(report.failures);
        total.by_a += report.by_a;
        total.by_b += report.by_b;
    }
    let load_seconds = load_started.elapsed().as_secs_f64();
    let (_, metrics) = send(&http, "GET", &server.url("/metrics"), "")
        .await
        .map_err(|e| e.to_string())?;
    let clean_stop = server.stop();
    let state_bytes = std::fs::metadata(&state_file).map_or(0, |m| m.len());

    total.latencies_us.sort_unstable();
    let requests = total.latencies_us.len();
    let ms = |q: f64| quantile(&total.latencies_us, q) as f64 / 1000.0;
    let summary = json!({
        "clients": clients,
        "seconds": load_seconds,
        "requests": requests,
        "failed": total.failures.len(),
        "requests_per_second": requests as f64 / load_seconds,
        "latency_ms": {"p50": ms(0.50), "p90": ms(0.90), "p99": ms(0.99), "max": ms(1.0)},
        "decided_by": {"variant_a": total.by_a, "variant_b": total.by_b},
        "reloads": {"good": reloads.good, "broken_refused": reloads.refused, "by_sighup": reloads.by_signal, "wrong": reloads.wrong},
        "baseline_claims": args.baseline_claims,
        "cli_claims_per_second": args.baseline_claims as f64 / cli_seconds,
        "batch_claims_per_second": args.baseline_claims as f64 / batch_seconds,
        "server_args": server_args,
        "state_file_bytes": state_bytes,
        "clean_shutdown": clean_stop,
    });
    print_summary(&summary, &total.failures, &reloads.problems);
    let _ = std::fs::write(&args.out, serde_json::to_string_pretty(&summary)?);
    let metric_failures = metrics_mention_failures(&String::from_utf8_lossy(&metrics));
    let ok = total.failures.is_empty()
        && reloads.wrong == 0
        && reloads.good >= 2
        && reloads.refused >= 1
        && total.by_a > 0
        && total.by_b > 0
        && clean_stop
        && !metric_failures;
    println!("server log: {}", server_log.display());
    println!("{}", if ok { "PASS" } else { "FAIL" });
    Ok(ok)
}

/// Any 5xx counted by the service itself.
fn metrics_mention_failures(metrics: &str) -> bool {
    metrics
        .lines()
        .filter(|l| l.starts_with("payerlex_http_requests_total{"))
        .any(|l| l.contains("status=\"5"))
}

#[derive(Debug, Default)]
struct Reloads {
    good: u32,
    refused: u32,
    by_signal: u32,
    wrong: u32,
    problems: Vec<String>,
}

/// Every `every` seconds until `seconds` have passed: rewrite the packs as the next variant
/// (B, broken, A, broken, ...), reload by HTTP or by SIGHUP (alternately), and check that the
/// packs in force are what they should be.
async fn reload_loop(
    server: &Server,
    http: &Http,
    packs: &Packs,
    seconds: u64,
    every: u64,
) -> Reloads {
    let mut reloads = Reloads::default();
    let cycle = [Variant::B, Variant::Broken, Variant::A, Variant::Broken];
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut in_force = Variant::A;
    let mut round = 0usize;
    loop {
        let next = Instant::now() + Duration::from_secs(every.max(1));
        if next >= deadline {
            tokio::time::sleep_until(deadline.into()).await;
            break;
        }
        tokio::time::sleep_until(next.into()).await;
        let variant = cycle[round % cycle.len()];
        // HTTP, HTTP, SIGHUP, SIGHUP, ...: each way reloads good and broken packs.
        let by_signal = (round / 2) % 2 == 1;
        round += 1;
        if let Err(error) = packs.write(variant) {
            reloads.wrong += 1;
            reloads.problems.push(format!("writing the packs: {error}"));
            continue;
        }
        let outcome = if by_signal {
            reloads.by_signal += 1;
            reload_by_signal(server, http).await
        } else {
            reload_by_http(server, http).await
        };
        let expected_ok = variant != Variant::Broken;
        match outcome {
            Ok(true) if expected_ok => {
                reloads.good += 1;
                in_force = variant;
            }
            Ok(false) if !expected_ok => reloads.refused += 1,
            Ok(accepted) => {
                reloads.wrong += 1;
                reloads
                    .problems
                    .push(format!("{variant:?}: reload accepted = {accepted}"));
            }
            Err(error) => {
                reloads.wrong += 1;
                reloads.problems.push(format!("{variant:?}: {error}"));
            }
        }
        // The packs in force are exactly the expected variant's.
        match packs_in_force(server, http).await {
            Ok(digests) => {
                let want_a = in_force == Variant::A;
                if digests
                    .iter()
                    .any(|d| packs.digests_a.contains(d) != want_a)
                {
                    reloads.wrong += 1;
                    reloads.problems.push(format!(
                        "after {variant:?}: packs in force are not {in_force:?}'s"
                    ));
                }
            }
            Err(error) => {
                reloads.wrong += 1;
                reloads.problems.push(error);
            }
        }
    }
    reloads
}

async fn reload_by_http(server: &Server, http: &Http) -> Result<bool, String> {
    let (status, body) = send(http, "POST", &server.url("/v1/reload"), "")
        .await
        .map_err(|e| e.to_string())?;
    let answer: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    match (status, answer["reloaded"].as_bool()) {
        (200, Some(true)) => Ok(true),
        (422, Some(false))
            if answer["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.is_empty()) =>
        {
            Ok(false)
        }
        _ => Err(format!("POST /v1/reload answered {status}")),
    }
}

/// Sends SIGHUP and waits until the service counts one more reload (ok or failed).
async fn reload_by_signal(server: &Server, http: &Http) -> Result<bool, String> {
    let before = reload_counts(server, http).await?;
    server.signal("HUP").map_err(|e| e.to_string())?;
    for _ in 0..300 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = reload_counts(server, http).await?;
        if now.0 > before.0 {
            return Ok(true);
        }
        if now.1 > before.1 {
            return Ok(false);
        }
    }
    Err("SIGHUP: no reload within 6 s".to_owned())
}

async fn reload_counts(server: &Server, http: &Http) -> Result<(u64, u64), String> {
    let (_, body) = send(http, "GET", &server.url("/metrics"), "")
        .await
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&body);
    let count = |result: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("payerlex_reloads_total{{result=\"{result}\"}}")))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    Ok((count("ok"), count("failed")))
}

async fn packs_in_force(server: &Server, http: &Http) -> Result<Vec<String>, String> {
    let (_, body) = send(http, "GET", &server.url("/v1/packs"), "")
        .await
        .map_err(|e| e.to_string())?;
    let answer: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    Ok(answer["packs"]
        .as_array()
        .map(|packs| {
            packs
                .iter()
                .filter_map(|p| p["digest"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

fn print_summary(summary: &Value, failures: &[String], problems: &[String]) {
    println!(
        "{}",
        serde_json::to_string_pretty(summary).unwrap_or_default()
    );
    let latency = &summary["latency_ms"];
    println!();
    println!("| measure (one run) | figure |");
    println!("|---|---|");
    println!(
        "| requests (`POST /v1/check`, {} clients, {:.0} s) | {} ({} failed) |",
        summary["clients"],
        summary["seconds"].as_f64().unwrap_or(0.0),
        summary["requests"],
        summary["failed"]
    );
    println!(
        "| throughput | {:.0} claims/s |",
        summary["requests_per_second"].as_f64().unwrap_or(0.0)
    );
    println!(
        "| latency p50 / p99 / max | {} / {} / {} ms |",
        latency["p50"], latency["p99"], latency["max"]
    );
    println!(
        "| reloads: good / broken refused (of which SIGHUP) | {} / {} ({}) |",
        summary["reloads"]["good"],
        summary["reloads"]["broken_refused"],
        summary["reloads"]["by_sighup"]
    );
    println!(
        "| `POST /v1/check/batch`, one stream of {} claims | {:.0} claims/s |",
        summary["baseline_claims"],
        summary["batch_claims_per_second"].as_f64().unwrap_or(0.0)
    );
    println!(
        "| `payerlex check` (CLI), same claims | {:.0} claims/s |",
        summary["cli_claims_per_second"].as_f64().unwrap_or(0.0)
    );
    for failure in failures.iter().take(10) {
        println!("failed request: {failure}");
    }
    for problem in problems {
        println!("reload problem: {problem}");
    }
}

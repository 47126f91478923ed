//! Runs the bench claim mix N times through payerlex or the hand-written baseline, for
//! instruction counting under valgrind (see `scripts/instructions.sh`):
//! `instructions (payerlex|explain|handwritten) N`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../benches/support/claims.rs"]
mod claims;
#[path = "../benches/support/handwritten.rs"]
mod handwritten;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("payerlex");
    let rounds: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let engine = claims::engine().expect("bench policy loads");
    let claims = claims::claims();
    let baseline = handwritten::Baseline::new();
    let mut denied = 0usize;
    for _ in 0..rounds {
        for claim in &claims {
            denied += match mode {
                "handwritten" => baseline
                    .check(claim)
                    .iter()
                    .filter(|l| l.outcome == payerlex::Outcome::Deny)
                    .count(),
                "explain" => engine
                    .check_with(
                        claim,
                        &payerlex::NoHistory,
                        payerlex::CheckOptions { explain: true },
                    )
                    .unwrap()
                    .lines
                    .iter()
                    .filter(|l| l.outcome == payerlex::Outcome::Deny)
                    .count(),
                _ => engine
                    .check(claim, &payerlex::NoHistory)
                    .unwrap()
                    .lines
                    .iter()
                    .filter(|l| l.outcome == payerlex::Outcome::Deny)
                    .count(),
            };
        }
    }
    println!(
        "{mode}: {} claims checked, {denied} lines denied",
        rounds * claims.len()
    );
}

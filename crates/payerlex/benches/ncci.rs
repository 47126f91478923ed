//! NCCI scale: a pack with a 2-million-pair PTP table (synthetic, in the real layout, plus the
//! real 3D rows of the fixture) and the real CMS MUE table (from `../shared` when present,
//! else the sample), checked against claims. Prints load time and memory; criterion measures
//! per-claim latency against hand-written direct lookups in the same tables, in the same run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use payerlex::{Claim, Engine, NoHistory};
use payerlex::{LoadOptions, PackSources};

const PAIRS: usize = 2_000_000;
const REAL_MUE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/cms-ncci-mue-practitioner-2026q2/MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
);
const FIXTURE_PTP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../payerlex-cms/tests/fixtures/ptp_practitioner_sample.txt"
);
const SAMPLE_MUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mue_sample.csv");

const POLICY: &str = r#"policy bench.ncci
version 1.0.0
table ptp = ncci_ptp "ptp_synthetic.txt", "ptp_sample.txt"
table mue = mue "mue.csv"
modifiers ncci_associated = 24, 25, 27, 57, 58, 59, 78, 79, 91, XE, XS, XP, XU, LT, RT
rule ptp-0
  cite "NCCI PTP indicator 0"
  when any other line on same date by same provider where ptp[code, line.code].indicator = 0
  deny carc 236 rarc N20 "m"
rule ptp-1
  cite "NCCI PTP indicator 1"
  when line has no modifier in ncci_associated and any other line on same date by same provider where ptp[code, line.code].indicator = 1
  deny carc 236 rarc N20 "m"
rule mue-line
  cite "MUE MAI 1"
  when mue[line.code].mai = 1 and line.units > mue[line.code].value
  deny carc 151 rarc N362 "m"
rule mue-date
  cite "MUE MAI 2/3"
  when mue[line.code].mai in [2, 3] and (sum units of lines on same date where code = line.code) > mue[line.code].value
  deny carc 151 rarc N362 "m"
rule mue-gap
  cite "MUE"
  when not mue[line.code]
  advice "m"
"#;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn claim(id: &str, lines: &[(&str, &[&str], u32)]) -> Claim {
    let lines: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, (code, mods, units))| {
            let mods: Vec<String> = mods.iter().map(|m| format!("\"{m}\"")).collect();
            format!(r#"{{"number":{},"code":"{code}","modifiers":[{}],"units":{units},"date":"2026-04-02"}}"#, i + 1, mods.join(","))
        })
        .collect();
    payerlex::parse_claim(&format!(
        r#"{{"id":"{id}","payer":"bench","patient":"P","provider":{{"npi":"1234567893","role":"professional"}},"place_of_service":"11","lines":[{}]}}"#,
        lines.join(",")
    ))
    .unwrap()
}

/// Hand-written: the same five rules with direct table calls.
fn handwritten(data: (&payerlex_cms::PtpTable, &payerlex_cms::MueTable), claim: &Claim) -> usize {
    let (ptp, mue) = data;
    let bypass = [
        "24", "25", "27", "57", "58", "59", "78", "79", "91", "XE", "XS", "XP", "XU", "LT", "RT",
    ];
    let mut denied = 0;
    for (i, line) in claim.lines.iter().enumerate() {
        let mut deny = false;
        for (j, other) in claim.lines.iter().enumerate() {
            if i == j || other.date != line.date {
                continue;
            }
            if let Some(edit) = ptp.edit(other.code, line.code, line.date) {
                let bypassed = edit.indicator as u8 == 1
                    && line
                        .modifiers
                        .iter()
                        .any(|m| bypass.contains(&m.to_string().as_str()));
                deny |= !bypassed;
            }
        }
        if let Some(entry) = mue.get(line.code) {
            let units: u32 = if entry.mai.number() == 1 {
                line.units
            } else {
                claim
                    .lines
                    .iter()
                    .filter(|l| l.code == line.code && l.date == line.date)
                    .map(|l| l.units)
                    .sum()
            };
            deny |= units > entry.value;
        }
        denied += usize::from(deny);
    }
    denied
}

fn bench(c: &mut Criterion) {
    // Resident memory before anything is built: the tables' cost is measured from here, after
    // the 140 MB input buffer is freed again.
    let rss_start = rss_kib();
    let mut synthetic = Vec::new();
    payerlex_cms::write_synthetic_ptp(&mut synthetic, PAIRS, 7).unwrap();
    let input_len = synthetic.len();
    let real_mue = std::path::Path::new(REAL_MUE).exists();
    let mue_path = if real_mue { REAL_MUE } else { SAMPLE_MUE };
    // Two pairs from the synthetic table, to build claims that hit it.
    let text = String::from_utf8_lossy(&synthetic[..200_000]).into_owned();
    let pairs: Vec<(String, String, String)> = text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 6 && f[0].len() == 5 && f[4] == "*" && (f[5] == "0" || f[5] == "1"))
                .then(|| (f[0].to_owned(), f[1].to_owned(), f[5].to_owned()))
        })
        .take(2)
        .collect();

    let started = Instant::now();
    // The input moves into the pack sources, which the load drops (`&[pack]` is a temporary)
    // before memory is read: "held after load" is what the engine keeps.
    let pack = PackSources::new(
        "bench",
        "id = \"bench\"\nname = \"b\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"ncci.policy\"]\n",
    )
    .with_file("ncci.policy", POLICY)
    .with_table("ptp_synthetic.txt", synthetic)
    .with_table("ptp_sample.txt", std::fs::read(FIXTURE_PTP).unwrap());
    let mut options = LoadOptions::default();
    options.tables.insert("mue".into(), mue_path.into());
    let engine =
        Engine::from_sources_with(&[pack], &options).unwrap_or_else(|e| panic!("{}", e.render()));
    let load = started.elapsed();
    let rss_after = rss_kib();
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0);
    let rows: Vec<String> = engine
        .pack("bench")
        .unwrap()
        .tables()
        .map(|t| format!("{} {} rows", t.name, t.rows))
        .collect();
    eprintln!(
        "\nNCCI-scale pack: {} ({} MUE); load (parse + check + compile, from bytes in memory): {:.2} s; resident memory held after load: {} MiB; peak while loading: {} MiB (includes the {} MB input)\n",
        rows.join(", "),
        if real_mue { "real CMS" } else { "sample" },
        load.as_secs_f64(),
        rss_after.saturating_sub(rss_start) / 1024,
        peak.saturating_sub(rss_start) / 1024,
        input_len / 1_000_000
    );

    let (p1, p2) = (&pairs[0], &pairs[1]);
    let claims = vec![
        claim("3d-cta", &[("71275", &[], 1), ("76377", &["26"], 1)]),
        claim("3d-mra-xs", &[("70544", &[], 1), ("76377", &["XS"], 1)]),
        claim(
            "synthetic-hit",
            &[
                (&p1.0, &[], 1),
                (&p1.1, &[], 1),
                (&p2.0, &[], 1),
                (&p2.1, &[], 1),
            ],
        ),
        claim(
            "office-visit",
            &[("99213", &[], 1), ("93000", &[], 1), ("71046", &[], 3)],
        ),
        claim("gap", &[("99999", &[], 1)]),
    ];
    // The baseline reads its own copies of the same files through payerlex-cms directly (the
    // synthetic table generated again: same seed, same bytes).
    let mut synthetic = Vec::with_capacity(input_len);
    payerlex_cms::write_synthetic_ptp(&mut synthetic, PAIRS, 7).unwrap();
    let mut ptp = payerlex_cms::PtpTable::from_bytes(&synthetic, "ptp_synthetic.txt").unwrap();
    ptp.add_bytes(&std::fs::read(FIXTURE_PTP).unwrap(), "ptp_sample.txt")
        .unwrap();
    drop(synthetic);
    let mue =
        payerlex_cms::MueTable::from_bytes(&std::fs::read(mue_path).unwrap(), mue_path).unwrap();
    let data = (&ptp, &mue);
    for c in &claims {
        let d = engine.check(c, &NoHistory).unwrap();
        let ours = d
            .lines
            .iter()
            .filter(|l| l.outcome == payerlex::Outcome::Deny)
            .count();
        assert_eq!(ours, handwritten(data, c), "claim {}", c.id);
    }
    let mut group = c.benchmark_group("ncci_2m_pairs_claim_mix");
    group.throughput(Throughput::Elements(claims.len() as u64));
    group.bench_function("handwritten_lookups", |b| {
        b.iter(|| {
            claims
                .iter()
                .map(|c| handwritten(data, std::hint::black_box(c)))
                .sum::<usize>()
        })
    });
    group.bench_function("payerlex_compiled", |b| {
        b.iter(|| {
            for c in &claims {
                std::hint::black_box(engine.check(std::hint::black_box(c), &NoHistory).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

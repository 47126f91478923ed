//! Claims per second reading an 837P of 100,000 claims (generated here, not committed): the
//! reader alone and reader + `Engine::check` with the repository's `policies/`, beside the
//! JSON Lines path (`payerlex::parse_claim` alone and + check) over the same claims, in one
//! run. Report ratios between the rows, not absolute times: wall time is noisy on shared
//! machines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use payerlex::{Engine, NoHistory};
use payerlex_x12::{PayerMap, Reader, Record};

const CLAIMS: usize = 100_000;
/// Claims per transaction set, as the TR3 recommends at most.
const PER_TRANSACTION: usize = 5_000;

/// Line pairs of the 3D scenarios: a base study and a 3D rendering code, with modifiers.
const PAIRS: [(&str, &str); 6] = [
    ("HC:74177", "HC:76377"),
    ("HC:71275", "HC:76377"),
    ("HC:70450", "HC:76376"),
    ("HC:72192:26", "HC:76377:26"),
    ("HC:70544", "HC:76377:XS"),
    ("HC:74177", "HC:76377"),
];

/// An 837P interchange of `CLAIMS` claims of two lines, one subscriber each.
fn generate() -> String {
    let mut out = String::with_capacity(CLAIMS * 420);
    out.push_str("ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260320*1200*^*00501*000000001*0*T*:~\n");
    out.push_str("GS*HC*S*R*20260320*1200*1*X*005010X222A1~\n");
    let sets = CLAIMS.div_ceil(PER_TRANSACTION);
    for set in 0..sets {
        let control = format!("{:04}", set + 1);
        let _ = writeln!(out, "ST*837*{control}*005010X222A1~\nBHT*0019*00*{control}*20260320*1200*CH~\nNM1*41*2*SUBMITTER*****46*S1~\nPER*IC*OFFICE*TE*5555550100~\nNM1*40*2*RECEIVER*****46*R1~");
        out.push_str("HL*1**20*1~\nPRV*BI*PXC*2085R0202X~\nNM1*85*2*IMAGING*****XX*1234567893~\nN3*1 MAIN~\nN4*TOWN*IL*62701~\nREF*EI*123456789~\n");
        let mut segments = 11;
        for k in 0..PER_TRANSACTION.min(CLAIMS - set * PER_TRANSACTION) {
            let i = set * PER_TRANSACTION + k;
            let (base, three_d) = PAIRS[i % PAIRS.len()];
            let day = 2 + i % 27;
            let hl = k + 2;
            let _ = write!(
                out,
                "HL*{hl}*1*22*0~\nSBR*P*18*******MB~\nNM1*IL*1*DOE*JANE****MI*P{i}~\nDMG*D8*19600101*F~\nNM1*PR*2*MEDICARE*****PI*00882~\n\
                 CLM*C{i}*150***11:B:1*Y*A*Y*Y~\nHI*ABK:S32401A*ABF:I712~\n\
                 LX*1~\nSV1*{base}*100*UN*1***1~\nDTP*472*D8*202603{day:02}~\n\
                 LX*2~\nSV1*{three_d}*50*UN*1***1:2~\nDTP*472*D8*202603{day:02}~\n"
            );
            segments += 13;
        }
        let _ = writeln!(out, "SE*{}*{control}~", segments + 1);
    }
    let _ = writeln!(out, "GE*{sets}*1~\nIEA*1*000000001~");
    out
}

fn bench_read(c: &mut Criterion) {
    let engine =
        Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")).unwrap();
    let mut payers = PayerMap::new();
    payers.insert("00882", "medicare");
    let x12 = generate();
    let claims: Vec<payerlex::Claim> = Reader::new(x12.as_bytes())
        .unwrap()
        .with_payer_map(&payers)
        .map(|record| match record {
            Record::Claim(read) => read.claim,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(claims.len(), CLAIMS);
    // The same claims as JSON Lines, so both paths read identical claims.
    let jsonl: String = claims
        .iter()
        .map(|c| serde_json::to_string(c).unwrap() + "\n")
        .collect();
    for (line, claim) in jsonl.lines().zip(&claims).take(100) {
        assert_eq!(&payerlex::parse_claim(line).unwrap(), claim);
    }
    eprintln!(
        "837P: {} bytes, JSON Lines: {} bytes, {CLAIMS} claims",
        x12.len(),
        jsonl.len()
    );

    let mut group = c.benchmark_group("read_100k_claims");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CLAIMS as u64));
    group.bench_function("x12_read", |b| {
        b.iter(|| {
            let reader = Reader::new(black_box(x12.as_bytes()))
                .unwrap()
                .with_payer_map(&payers);
            reader
                .map(|r| match r {
                    Record::Claim(read) => read.claim.lines.len(),
                    _ => 0,
                })
                .sum::<usize>()
        })
    });
    group.bench_function("jsonl_parse", |b| {
        b.iter(|| {
            black_box(&jsonl)
                .lines()
                .map(|l| payerlex::parse_claim(l).unwrap().lines.len())
                .sum::<usize>()
        })
    });
    group.bench_function("x12_read_check", |b| {
        b.iter(|| {
            let reader = Reader::new(black_box(x12.as_bytes()))
                .unwrap()
                .with_payer_map(&payers);
            reader
                .map(|r| match r {
                    Record::Claim(read) => {
                        engine.check(&read.claim, &NoHistory).unwrap().lines.len()
                    }
                    _ => 0,
                })
                .sum::<usize>()
        })
    });
    group.bench_function("jsonl_parse_check", |b| {
        b.iter(|| {
            black_box(&jsonl)
                .lines()
                .map(|l| {
                    engine
                        .check(&payerlex::parse_claim(l).unwrap(), &NoHistory)
                        .unwrap()
                        .lines
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);

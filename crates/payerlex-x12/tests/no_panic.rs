//! Any bytes, and any mutation of a valid interchange: the reader never panics, always ends,
//! and every CLM segment yields exactly one claim or one rejected claim.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use payerlex_x12::{Reader, Record, Tokenizer};
use proptest::prelude::*;

const ISA: &[u8] = b"ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260320*1200*^*00501*000000001*0*T*:~";

fn fixture() -> Vec<u8> {
    std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios.x12"))
        .unwrap()
}

/// CLM segments as the tokenizer sees them.
fn clm_segments(input: &[u8]) -> usize {
    match Tokenizer::new(input) {
        Ok(tokens) => tokens.flatten().filter(|s| s.id() == b"CLM").count(),
        Err(_) => 0,
    }
}

/// Reads everything; checks one record per CLM and that every mapped claim is valid.
fn read_all(input: &[u8]) -> Result<(), TestCaseError> {
    let Ok(reader) = Reader::new(input) else {
        prop_assert_eq!(clm_segments(input), 0);
        return Ok(());
    };
    let mut per_claim = 0;
    for record in reader {
        match record {
            Record::Claim(read) => {
                per_claim += 1;
                prop_assert!(read.claim.validate().is_ok());
            }
            Record::Rejected(rejected) => {
                per_claim += 1;
                let _ = rejected.error.to_string();
            }
            Record::Error(error) => {
                let _ = error.to_string();
            }
        }
    }
    prop_assert_eq!(per_claim, clm_segments(input));
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, u8),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let delimiter = prop::sample::select(vec![b'*', b':', b'~', b'^', b'\n', b'0', b'A', b' ']);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), delimiter).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1usize..300).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut input: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let len = input.len().max(1);
        match *mutation {
            Mutation::Flip(at, byte) => {
                if let Some(b) = input.get_mut(at % len) {
                    *b = byte;
                }
            }
            Mutation::Delete(at, n) => {
                let start = (at % len).min(input.len());
                let end = (start + n).min(input.len());
                input.drain(start..end);
            }
            Mutation::Insert(at, byte) => input.insert((at % len).min(input.len()), byte),
            Mutation::Duplicate(at, n) => {
                let start = (at % len).min(input.len());
                let end = (start + n).min(input.len());
                let copy = input[start..end].to_vec();
                input.splice(end..end, copy);
            }
            Mutation::Truncate(at) => input.truncate(at % len),
        }
    }
    input
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_all(&bytes)?;
    }

    #[test]
    fn arbitrary_segments_after_a_valid_isa(
        segments in prop::collection::vec("(ST|SE|GS|GE|IEA|HL|NM1|CLM|LX|SV1|SV2|HI|DTP|REF|DMG|PRV|SBR|ISA)(\\*[A-Z0-9:.>^ -]{0,12}){0,10}", 0..80)
    ) {
        let mut input = ISA.to_vec();
        for segment in segments {
            input.extend_from_slice(segment.as_bytes());
            input.push(b'~');
        }
        read_all(&input)?;
    }

    #[test]
    fn mutated_valid_interchanges(mutations in prop::collection::vec(mutation(), 1..8)) {
        let input = apply(fixture(), &mutations);
        read_all(&input)?;
    }
}

#[test]
fn the_unmutated_fixture_reads_cleanly() {
    let input = fixture();
    let engine =
        payerlex::Engine::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies"))
            .unwrap();
    let mut claims = 0;
    for record in Reader::new(&input).unwrap() {
        let Record::Claim(read) = record else {
            panic!("{record:?}")
        };
        // Without a payer map the payer ids are not packs: the engine says so, nothing panics.
        assert!(engine.check(&read.claim, &payerlex::NoHistory).is_err());
        claims += 1;
    }
    assert_eq!(claims, clm_segments(&input));
    assert_eq!(claims, 16);
}

//! Orders packs so that every base comes before the packs extending it, checking `extends`
//! (the base is loaded, its version satisfies the requirement, no cycles).

use std::collections::HashMap;

use super::link::{at, span_of, ParsedPack};
use crate::check::did_you_mean;
use crate::diagnostics::{Diagnostic, PackError};

/// Orders packs so that every base comes before the packs extending it, refusing chains of
/// `extends` longer than `max_depth` (before anything is linked: each pack of a chain copies
/// its base's rules, so a 2,000-deep chain would cost gigabytes).
pub(super) fn base_first_order(
    parsed: &[ParsedPack<'_>],
    by_id: &HashMap<&str, usize>,
    max_depth: usize,
) -> Result<Vec<usize>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut base_of = vec![None; parsed.len()];
    for (i, pack) in parsed.iter().enumerate() {
        let Some(extends) = &pack.manifest.extends else {
            continue;
        };
        let wanted = extends.pack.get_ref().as_str();
        let Some(&b) = by_id.get(wanted) else {
            errors.push(at(
                &pack.manifest_file,
                span_of(&extends.pack),
                PackError::UnknownBase {
                    pack: wanted.to_owned(),
                    hint: did_you_mean(wanted, by_id.keys().copied()).or_else(|| {
                        Some(
                            "load the base pack too: put its folder under the same `--policies` folder"
                                .into(),
                        )
                    }),
                },
                "unknown pack",
            ));
            continue;
        };
        match semver::VersionReq::parse(extends.version.get_ref()) {
            Err(e) => errors.push(at(
                &pack.manifest_file,
                span_of(&extends.version),
                PackError::InvalidRequirement {
                    text: extends.version.get_ref().clone(),
                    reason: e.to_string(),
                },
                "not a semver requirement",
            )),
            Ok(req) if !req.matches(&parsed[b].version) => errors.push(at(
                &pack.manifest_file,
                span_of(&extends.version),
                PackError::VersionMismatch {
                    pack: wanted.to_owned(),
                    found: parsed[b].version.to_string(),
                    required: extends.version.get_ref().clone(),
                },
                "version mismatch",
            )),
            Ok(_) => base_of[i] = Some(b),
        }
    }
    let mut order = Vec::new();
    let mut state = vec![0u8; parsed.len()]; // 0 new, 1 visiting, 2 done
    for start in 0..parsed.len() {
        let mut chain = Vec::new();
        let mut at_pack = Some(start);
        while let Some(i) = at_pack {
            if state[i] == 2 {
                break;
            }
            if state[i] == 1 || chain.contains(&i) {
                let pack = &parsed[i];
                if let Some(extends) = &pack.manifest.extends {
                    errors.push(at(
                        &pack.manifest_file,
                        span_of(&extends.pack),
                        PackError::Cycle,
                        "cycle",
                    ));
                }
                chain.clear();
                break;
            }
            state[i] = 1;
            chain.push(i);
            at_pack = base_of[i];
        }
        for &i in chain.iter().rev() {
            state[i] = 2;
            order.push(i);
        }
    }
    if errors.is_empty() {
        errors.extend(too_deep(parsed, &order, &base_of, max_depth));
    }
    if errors.is_empty() {
        Ok(order)
    } else {
        Err(errors)
    }
}

/// One error for each pack that is the first of its chain past `max_depth` (the packs
/// extending it fail with it, without a diagnostic each).
fn too_deep(
    parsed: &[ParsedPack<'_>],
    order: &[usize],
    base_of: &[Option<usize>],
    max_depth: usize,
) -> Vec<Diagnostic> {
    let mut depth = vec![0usize; parsed.len()];
    let mut errors = Vec::new();
    for &i in order {
        depth[i] = base_of[i].map_or(0, |b| depth[b].saturating_add(1));
        if depth[i] == max_depth.saturating_add(1) {
            if let Some(extends) = &parsed[i].manifest.extends {
                errors.push(at(
                    &parsed[i].manifest_file,
                    span_of(&extends.pack),
                    PackError::LimitExceeded {
                        what: "this chain of packs extending packs".to_owned(),
                        limit: "extends_depth",
                        value: u64::try_from(max_depth).unwrap_or(u64::MAX),
                    },
                    "one step too deep",
                ));
            }
        }
    }
    errors
}

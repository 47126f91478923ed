//! Synthetic packs that use every construct of the policy language.
//!
//! Differential tests and fuzz targets need packs whose rules reach every corner of the
//! evaluator (aggregates, `earlier` and `other`, history scope, `by same provider`, phrases
//! and caller-stated facts, diagnoses, places, roles, prior authorisation, effective ranges,
//! date comparisons, arithmetic, `extends` with `disable` and `replaces`, imports across
//! policies), independent of what the shipped packs happen to contain today. The constructs
//! of general payer policies (windows, patient, providers, authorisations, unknown values)
//! have a pack of their own, in `fixtures_general`.

use crate::pack::PackSources;

/// Source text of a synthetic pack file.
pub const MANIFEST_BASE: &str = r#"
id = "syn"
name = "Synthetic base"
version = "1.0.0"
effective = "2025-01-01"
expires = "2027-12-31"
policies = ["sets.policy", "rules.policy"]
"#;

/// Sets in one policy, rules importing them in another (imports, phrases, facts).
pub const SETS: &str = r#"
policy syn.sets
version 1.0.0

set three_d = 76376, 76377
set base = 70450..70498, 72191..72194, 0159T..0165T
set hcpcs = G0288, C8900..C8902
modifiers comps = 26, TC
modifiers bypass = 59, XS, XU
places facility = 19, 21, 22, 23
diagnoses fractures = S32, S42.2, Q65..Q67, M4
phrases workstation = "independent workstation", "dedicated 3D workstation"
phrases necessity = "medically necessary", "preoperative planning"
"#;

/// Source text of a synthetic pack file.
pub const RULES: &str = r#"
policy syn.rules
version 1.0.0
effective 2025-03-01

import three_d, base, hcpcs, comps, bypass, facility, fractures, workstation, necessity from syn.sets
facts supervision

rule lone
  cite "c"
  when line.code in three_d and no line in claim or history on same date where code in base
  deny carc B15 rarc N657 "lone 3D"

rule angio
  cite "c"
  effective 2026-01-01
  when line.code in three_d
   and any other line in claim or history on same date by same provider where code in [70496, 70498, 71275]
   and line has no modifier in bypass
  deny carc 97 rarc M15 "angio"

rule mue
  cite "c"
  when line.code in three_d and sum units of lines in claim or history on same date where code = line.code > 2
  deny carc 151 rarc N362 "mue"

rule sessions
  cite "c"
  when line.code in three_d and line.units > count distinct codes of lines on same date where code in base
  review carc 151 "sessions"

rule earlier-duplicate
  cite "c"
  effective 2025-06-01 until 2026-06-30
  when line.code in three_d
   and any earlier line in claim or history on same date where code = line.code
         and ((has modifier 26 and line has modifier 26) or has no modifier in comps)
  deny carc 18 "duplicate"

rule workstation
  cite "c"
  when line.code = 76377 and not report.workstation
  review suggest 76376 "workstation"

rule documentation
  cite "c"
  when line.code in three_d and (not report.necessity or not report.supervision)
  review "documentation"

rule facility-needs-26
  cite "c"
  when line.code in three_d and claim.role = professional and line.pos in facility and line has no modifier 26
  deny carc 4 "facility"

rule indications
  cite "c"
  when line.code in three_d and not line.diagnoses in fractures and not claim.diagnoses in [Z00]
  deny carc 50 "indications"

rule prior-auth
  cite "c"
  when line.code in hcpcs and not claim.prior_authorization and claim.pos != 11
  deny carc 197 "prior auth"

rule arithmetic
  cite "c"
  when line.code in base and ((line.units * 2 - 1 > 3 + count other lines) or sum units of lines in history where code in base >= 3)
  advice "arithmetic"

rule dated
  cite "c"
  when line.date >= 2026-03-01 and line.date < 2026-04-01 and claim.pos in facility
  advice "dated"

rule wildcard
  cite "c"
  when any line in history where code in three_d and units > 1 and date != line.date
  advice "wildcard"

rule either
  cite "c"
  when (line.code = 76376 or line.code in hcpcs) and provider.role = facility
  review "either"
"#;

/// Source text of a synthetic pack file.
pub const MANIFEST_EXT: &str = r#"
id = "syn-ext"
name = "Synthetic extension"
version = "2.0.0"
effective = "2026-01-01"
policies = ["ext.policy"]
extends = { pack = "syn", version = "^1.0" }
disable = ["syn.rules/arithmetic"]
"#;

/// Source text of a synthetic pack file.
pub const EXT: &str = r#"
policy syn.ext
version 2.0.0

import three_d, base, necessity from syn.sets
phrases workstation = "workstation used"

rule lone replaces syn.rules/lone
  cite "c"
  when line.code in three_d and no line on same date where code in base
  deny carc 16 "lone 3D (ext)"

rule own
  cite "c"
  when line.code in three_d and count lines in history by same provider where code in three_d >= 1 and report.necessity
  review "own"

rule sized
  cite "c"
  when line.code in base and count lines = 1 and line.units = 4
  deny carc 151 "four units of a lone base study"

rule session-units
  cite "c"
  when line.code in three_d and sum units of lines on same date where code = line.code > 2
  deny carc 151 "units per session"

rule both-components
  cite "c"
  when line.code in three_d and line has modifier 26 and line has modifier TC
  deny carc 4 "both components"

rule follows-3d
  cite "c"
  when line.code = 76376 and any other line within 3 days before where code = 76377
  review "76376 after 76377"

rule base-first
  cite "c"
  when line.code in three_d and no earlier line where code in base
  advice "base study first"

rule near-3d
  cite "c"
  when line.code in three_d and 2 <= (count lines within 2 days where code in three_d)
  advice "3D lines near each other"
"#;

/// The synthetic packs: `syn` (sets in one policy, rules in another), `syn-ext`, which
/// extends it, and `syn-general` (general payer policies: windows, patient, providers,
/// authorisations, unknown values; see `fixtures_general`).
pub fn synthetic_packs() -> Vec<PackSources> {
    use super::fixtures_general::{HISTORY, MANIFEST_GENERAL, MUE_TABLE, PEOPLE};
    vec![
        PackSources::new("syn", MANIFEST_BASE)
            .with_file("sets.policy", SETS)
            .with_file("rules.policy", RULES),
        PackSources::new("syn-ext", MANIFEST_EXT).with_file("ext.policy", EXT),
        PackSources::new("syn-general", MANIFEST_GENERAL)
            .with_file("history.policy", HISTORY)
            .with_file("people.policy", PEOPLE)
            .with_table("tables/mue.csv", MUE_TABLE.as_bytes()),
    ]
}

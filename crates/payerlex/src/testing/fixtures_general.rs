//! A synthetic pack of general payer policies: every construct issue 9 added to the language.
//!
//! `syn`/`syn-ext` (in `fixtures`) cover the original language; this pack covers time windows
//! of every kind (days and months, before/after/both sides, same date, calendar year), date
//! arithmetic (days, months, years, against line dates and literals), `patient.age`,
//! `patient.age_months`, `patient.sex`, taxonomy and NPI sets, rendering providers (and
//! `by same rendering provider`, `by other provider`), principal and primary diagnoses,
//! `line.authorized`, `known(...)` (of a table field too), `when unknown review|deny|advice`,
//! group codes, history lines' own fields inside `where`, and deny rules reading other claims
//! (so replacements and `adjust_prior` matter). Every history source has a window, so the
//! pack's look-back is bounded and the engine's `adjust_prior` only revisits lines within it
//! (the `syn` pack covers the unbounded case). Its own payer keeps its vocabulary, and so
//! the generated claims, focused on these constructs.

/// Manifest of the general-policies pack.
pub const MANIFEST_GENERAL: &str = r#"
id = "syn-general"
name = "Synthetic general payer policies"
version = "1.0.0"
effective = "2025-01-01"
policies = ["history.policy", "people.policy"]
"#;

/// Rules over other claims: windows, date arithmetic, provider filters, history fields.
pub const HISTORY: &str = r#"
policy syn.history
version 1.0.0

set visits = 99212..99215
set surgery = 27447, 29881
set screening = 77067
set three_d = 76376, 76377
set base = 70450..70498
places facility = 21, 22
diagnoses fractures = S32, S42.2
taxonomies radiology = 2085R0202X, 2085N0700X
npis network = 1234567893, 1245319599

rule global-period
  cite "c"
  when line.code in visits and any line in claim or history within 90 days before where code in surgery
  deny group CO carc 97 rarc M144 "visit in a global surgical period"

rule preop-day
  cite "c"
  when line.code in visits and any other line in claim or history within 1 day after where code in surgery
  deny carc 97 "visit the day before surgery"

rule base-nearby
  cite "c"
  when line.code in three_d and no line in claim or history within 3 days where code in base
  review group OA carc 16 "no base study within three days"

rule annual-screening
  cite "c"
  when line.code in screening
   and any earlier line in claim or history within 11 months before where code in screening
  deny group PR carc 119 "one screening in eleven months"

rule repeat-surgery
  cite "c"
  when line.code in surgery
   and any line in history within 2 months after where code in surgery and pos in facility
  deny carc 18 "repeat surgery at a facility within two months"

rule facility-month
  cite "c"
  when line.code in three_d
   and count lines in claim or history within 1 month where code in three_d and role = facility >= 2
  advice "3D rendering billed by a facility twice in a month"

rule calendar-year
  cite "c"
  when line.code in screening
   and sum units of lines in claim or history in same calendar year where code in screening > 1
  deny group CO carc 119 rarc N362 "screening units in the calendar year"

rule shifted-dates
  cite "c"
  when line.code in visits
   and any line in history within 2 months
         where code in surgery and date >= line.date - 10 days and date < line.date + 1 month
  review "surgery from ten days before to a month after"

rule within-a-year
  cite "c"
  when line.code in surgery
   and any line in history within 12 months before
         where code = line.code and date > line.date - 1 year
  deny carc 18 "same surgery within a year"

rule into-the-year
  cite "c"
  when line.code in three_d and line.date - 30 days >= 2026-01-01
  advice "more than thirty days into 2026"

rule other-provider
  cite "c"
  when line.code in three_d
   and any other line in claim or history on same date by other provider where code in base
  review carc 16 "base study billed by another provider"

rule same-radiologist
  cite "c"
  when line.code in three_d
   and count lines in claim or history within 7 days before by same rendering provider where code in three_d >= 1
  deny carc 18 rarc N20 "3D rendering by the same radiologist within a week"

rule history-details
  cite "c"
  when line.code in base
   and any line in history on same date
         where code in base
           and (pos in facility or primary_diagnosis in fractures or diagnoses in [M4]
                or rendering.taxonomy in radiology or rendering.npi in network or npi in network)
  advice "a base study elsewhere that day"
"#;

/// A unit-limit table in the CMS MUE layout, with invented values for a few synthetic
/// codes (for `known(TABLE[...])` and table comparisons).
pub const MUE_TABLE: &str = "\"Synthetic table in the layout of the CMS practitioner MUE table; values invented for tests.\",,,
\"HCPCS/
CPT Code\",Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale
70450,1,2 Date of Service Edit: Policy,Policy
70498,2,3 Date of Service Edit: Clinical,Clinical: Data
76377,1,2 Date of Service Edit: Policy,Policy
";

/// Rules over the patient, the providers, authorisations, diagnoses and unknown values.
pub const PEOPLE: &str = r#"
policy syn.people
version 1.0.0

import three_d, base, visits, screening, fractures, radiology, network from syn.history
set prostate = 55700
set obstetric = 59400
set vaccines = 90707
phrases necessity = "medically necessary"
facts supervision
table mue = mue "tables/mue.csv"

rule adults-only
  cite "c"
  when line.code in three_d and patient.age < 18
  when unknown review
  deny carc 6 "3D rendering for adults"

rule vaccine-ages
  cite "c"
  when line.code in vaccines and (patient.age_months < 12 or patient.age >= 19)
  deny group CO carc 6 rarc N129 "vaccine outside its ages"

rule screening-women
  cite "c"
  when line.code in screening and (patient.age < 40 or patient.sex != F)
  when unknown deny
  deny group PR carc 6 "screening for women of 40 and older"

rule prostate
  cite "c"
  when line.code in prostate and patient.sex = F
  deny carc 7 "procedure inconsistent with the patient's sex"

rule obstetric
  cite "c"
  when line.code in obstetric and known(patient.sex) and not patient.sex = F
  when unknown advice
  deny carc 7 "obstetric care for a patient not stated female"

rule radiologist
  cite "c"
  when line.code = 76377 and not line.rendering.taxonomy in radiology
  when unknown review
  deny carc 185 "3D rendering on a workstation by a radiologist"

rule billing-specialty
  cite "c"
  when line.code in base and claim.provider.taxonomy = 2085R0202X and provider.role = facility
  advice "a radiology group billing as a facility"

rule outside-group
  cite "c"
  when line.code in three_d and not claim.provider.npi in network and line.rendering.npi in network
  review carc 16 "rendered in the group, billed outside it"

rule rendering-elsewhere
  cite "c"
  when line.code in base and line.rendering.npi = 1111111112
  review group OA carc 16 "rendered by a provider the plan does not know"

rule authorised
  cite "c"
  when line.code in three_d and not line.authorized and not claim.prior_authorization
  deny group CO carc 197 "no authorisation covers the 3D rendering"

rule principal
  cite "c"
  when line.code in base and known(claim.principal_diagnosis) and not claim.principal_diagnosis in fractures
  advice "principal diagnosis is not a fracture"

rule primary
  cite "c"
  when line.code in three_d and line.primary_diagnosis in fractures
  when unknown advice
  review group OA "primary diagnosis is a fracture"

rule known-values
  cite "c"
  when line.code in visits and known(patient.age) and not known(line.rendering.taxonomy)
   and not known(line.primary_diagnosis) and known(report.necessity)
  advice "age known, specialty and diagnosis not"

rule unit-limit
  cite "c"
  when line.code in base and known(mue[line.code].value) and line.units > mue[line.code].value
  review group CO carc 151 "more units than the synthetic limit"

rule no-unit-limit
  cite "c"
  when line.code in three_d and not known(mue[line.code].value)
  advice "no synthetic unit limit for this code"

rule documented
  cite "c"
  when line.code in three_d and not report.necessity and not report.supervision
  when unknown deny
  deny carc 50 "necessity and supervision undocumented"
"#;

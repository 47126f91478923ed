//! payerlex over Arrow record batches, for hosts that hold claims as columns (Spark's
//! `mapInArrow`, pyarrow, DataFusion, Parquet readers).
//!
//! Why one row per claim line: claims tables in warehouses are line-level (one row per service
//! line, claim fields repeated), which is what Spark partitions and sorts. A
//! [`BatchChecker`] reassembles each claim from its consecutive rows, decides it with the
//! history of the patient's earlier claims (carried across batches), and writes one output row
//! per input row.
//!
//! # Input: one row per claim line
//!
//! Rows must arrive grouped by (`payer`, `patient`) and, within a patient, sorted by the
//! claim's first date of service, `claim`, then `line` (for claims of one date of service,
//! which is most: `date`, `claim`, `line`). That order is the history order: a claim's history
//! is the patient's claims before it, exactly as in a JSON Lines file in that order. Rows
//! that break the order are error rows (`PLX-A002`), never a decision made with the wrong
//! history.
//!
//! | column | type | level | JSON contract field |
//! |---|---|---|---|
//! | `payer` | utf8 | claim (required) | `payer` |
//! | `patient` | utf8 | claim (required) | `patient` |
//! | `claim` | utf8 | claim (required) | `id` |
//! | `line` | int32/int64 | line (required) | `lines[].number` |
//! | `code` | utf8 | line | `lines[].code` |
//! | `units` | int32/int64 | line | `lines[].units` |
//! | `date` | date32 or utf8 `YYYY-MM-DD` | line | `lines[].date` |
//! | `modifiers` | list<utf8> | line | `lines[].modifiers` |
//! | `diagnosis_pointers` | list<int32/int64> | line | `lines[].diagnosis_pointers` |
//! | `line_place_of_service` | utf8 | line | `lines[].place_of_service` |
//! | `place_of_service` | utf8 | claim | `place_of_service` |
//! | `provider_npi` | utf8 | claim | `provider.npi` |
//! | `provider_role` | utf8 | claim | `provider.role` |
//! | `diagnoses` | list<utf8> | claim | `diagnoses` |
//! | `frequency` | utf8 | claim | `frequency` |
//! | `replaces` | utf8 | claim | `replaces` |
//! | `report_text` | utf8 | claim | `report.text` |
//! | `claim_json` | utf8 | claim | any other claim fields, as a JSON object (the columns above win; `provider` and `report` are merged) |
//!
//! Only `payer`, `patient`, `claim` and `line` must be present as columns; claim-level
//! columns are read from a claim's first row; a null or absent column leaves the field
//! unset (the claim's own checks then say what is missing). `utf8` may also be `large_utf8`.
//!
//! # Output: one row per input row
//!
//! See [`output_schema`]: `payer`, `patient`, `claim`, `line`, `decision` (the decision id),
//! `outcome` (the line's), `carc` (the first finding's CARC that has one), `rarc` (every
//! finding's RARCs), `rules` (every finding's rule), `estimate` (dollars), `findings`
//! (list of struct `rule`, `outcome`, `group`, `carc`, `rarc`, `message`), `adjustments` (on
//! a claim's first row only: the earlier lines of the patient this claim makes wrong, list of
//! struct `claim`, `line`, `rule`, `carc`; null on the other rows), and `error`,
//! `error_code` on rows whose claim was not decided (then the decision columns are null).
//! A claim whose rows span two batches is decided when its last row arrives, so an output
//! batch can hold rows of an earlier input batch; [`BatchChecker::finish`] decides the last.

mod build;
mod checker;
mod columns;
mod error;
mod output;

pub use checker::BatchChecker;
pub use error::ArrowCheckError;
pub use output::output_schema;

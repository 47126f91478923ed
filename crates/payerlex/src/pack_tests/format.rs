//! The pack test file format (`<pack>/tests/*.toml`), and its parser.
//!
//! Test files are TOML so that a coder can read and write them without learning another
//! syntax, and claims use the field names of the JSON claim contract so a claim can move
//! between a test and `payerlex check` unchanged. Every value keeps its position, so every
//! error names `file:line:col`.
//!
//! ```toml
//! # Fields every claim (and every line) of this file starts from; a test overrides them.
//! [defaults.claim]
//! patient = "P1"
//! provider = { npi = "1234567893", role = "professional" }
//! place_of_service = "11"
//! [defaults.line]
//! units = 1
//! date = "2026-03-02"
//!
//! [[test]]
//! name = "3D with a CT angiography the same day is denied"
//! claim.lines = [{ code = "71275" }, { code = "76377" }]
//! expect.1 = "allow"
//! expect.2 = { outcome = "deny", carc = "97", rules = ["integral-to-angiography"] }
//!
//! [[test]]
//! name = "units are summed across the patient's claims"
//! [[test.history]]                     # decided first, in order; joins the patient's history
//! lines = [{ code = "74177" }, { code = "76377", units = 2 }]
//! expect.2 = "allow"                   # optional for history claims
//! [test.claim]                         # the claim under test
//! lines = [{ code = "76377", modifiers = ["76"] }]
//! [test.expect]
//! 1 = { outcome = "deny", carc = "151", rarc = ["N362"] }
//! ```
//!
//! - A test has a `name`, the decided `claim`, and `expect`: one entry per line number of the
//!   claim (every line must have one), either an outcome (`"allow"`, `"review"`, `"deny"`) or
//!   a table with `outcome` and optionally `carc`, `rarc`, `rules`, `absent`, `suggest`.
//! - `carc`, `rarc`, `rules` and `suggest` are subset matches, as in Cedar's `run-tests`: the
//!   line must have a finding with that CARC, those RARCs, those rules (any outcome, advice
//!   and "not evaluated" included) and that suggested code; other findings may exist too.
//!   `absent` lists rules that must *not* produce a finding on the line (near misses).
//!   Rules are named by full id (`medicare.3d-rendering/biopsy-mapping`) or by rule name
//!   when only one rule of the pack has it.
//! - `history` claims are decided first, in order, and each joins the patient's history, as
//!   in a batch run; they may carry their own `expect`. Each test starts with no history.
//! - Defaults: `id` is `history-N` / `claim`, `payer` is the pack's id, a line's `number` is
//!   its position (1-based); the rest comes from `[defaults]` or the claim itself.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::parse::Ctx;
use super::PackTestError;
use crate::facts::{Carc, Claim, ProcedureCode, Rarc};
use crate::pack::Pack;
use crate::Outcome;

/// A place in a test file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as found under the policies folder.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One parsed test file.
#[derive(Debug, Clone)]
pub struct TestFile {
    /// The file.
    pub path: PathBuf,
    /// The pack whose tests these are.
    pub pack: String,
    /// Its tests, in file order.
    pub tests: Vec<TestCase>,
}

/// One test: claims decided in order, the last one being the claim under test.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The test's name.
    pub name: String,
    /// Where the test is (its `name`).
    pub location: Location,
    /// History claims, then the claim under test.
    pub steps: Vec<Step>,
}

/// One claim of a test and what its decision must be.
#[derive(Debug, Clone)]
pub struct Step {
    /// The claim.
    pub claim: Claim,
    /// Where the claim is written.
    pub location: Location,
    /// Expected line decisions; `None` for a history claim that is only decided.
    pub expect: Option<Vec<LineExpectation>>,
}

/// What one line's decision must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineExpectation {
    /// Line number.
    pub line: u32,
    /// Where the expectation is written.
    pub location: Location,
    /// The line's outcome.
    pub outcome: Outcome,
    /// A finding on the line must carry this CARC.
    pub carc: Option<Carc>,
    /// Findings on the line must carry these RARCs.
    pub rarc: Vec<Rarc>,
    /// Rules (full ids) that must produce a finding on the line.
    pub rules: Vec<Arc<str>>,
    /// Rules (full ids) that must not produce a finding on the line.
    pub absent: Vec<Arc<str>>,
    /// A finding on the line must suggest this code.
    pub suggest: Option<ProcedureCode>,
}

/// Parses and validates one test file of `pack`. Returns every error found.
pub fn parse_test_file(
    path: &Path,
    text: &str,
    pack: &Pack,
) -> Result<TestFile, Vec<PackTestError>> {
    Ctx::new(path, text, pack).file()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::pack::PackSources;
    use crate::Engine;

    const POLICY: &str = "policy t.p\nversion 1.0.0\nset three_d = 76376, 76377\nrule lone\n  cite \"x\"\n  when line.code in three_d and no other line on same date\n  deny carc B15 rarc N657 \"bill the base study\"\n";

    fn engine() -> Engine {
        let pack = PackSources::new("t", "id = \"t\"\nname = \"T\"\nversion = \"1.0.0\"\neffective = \"2025-01-01\"\npolicies = [\"p.policy\"]\n")
            .with_file("p.policy", POLICY);
        Engine::from_sources(&[pack]).unwrap()
    }

    fn parse(text: &str) -> Result<TestFile, Vec<PackTestError>> {
        let engine = engine();
        parse_test_file(Path::new("t/tests/a.toml"), text, engine.pack("t").unwrap())
    }

    const HEADER: &str = "[defaults.claim]\npatient = \"P1\"\nprovider = { npi = \"1234567893\", role = \"professional\" }\nplace_of_service = \"11\"\n[defaults.line]\nunits = 1\ndate = 2026-03-02\n";

    #[test]
    fn parses_defaults_history_and_expectations() {
        let text = format!(
            "{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.1 = {{ outcome = \"deny\", carc = 'B15', rarc = \"N657\", rules = [\"lone\"] }}\n\n[[test]]\nname = \"b\"\n[[test.history]]\nlines = [{{ code = \"76377\" }}]\nexpect.1 = \"deny\"\n[test.claim]\nlines = [{{ code = \"76377\", units = 2 }}]\n[test.expect]\n1 = \"deny\"\n"
        );
        let file = parse(&text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(file.tests.len(), 2);
        let a = &file.tests[0];
        assert_eq!(a.location.line, 10);
        let expect = a.steps[0].expect.as_ref().unwrap();
        assert_eq!(expect[0].carc.unwrap().as_str(), "B15");
        assert_eq!(&*expect[0].rules[0], "t.p/lone");
        assert_eq!(a.steps[0].claim.payer, "t");
        assert_eq!(a.steps[0].claim.lines[0].date.to_string(), "2026-03-02");
        let b = &file.tests[1];
        assert_eq!(b.steps.len(), 2);
        assert_eq!(b.steps[0].claim.id, "history-1");
        assert!(b.steps[0].expect.is_some());
        assert_eq!(b.steps[1].claim.lines[0].units, 2);
    }

    fn first_error(text: &str) -> String {
        let errors = parse(text).unwrap_err();
        errors[0].to_string()
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let bad_toml = first_error("[[test]]\nname = \"a\nclaim = 1\n");
        assert!(bad_toml.starts_with("t/tests/a.toml:2:"), "{bad_toml}");
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"7637\" }}]\nexpect.1 = \"deny\"\n");
        let bad_code = first_error(&text);
        assert!(bad_code.starts_with("t/tests/a.toml:11:"), "{bad_code}");
        assert!(bad_code.contains("lines[0].code"), "{bad_code}");
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.1 = {{ outcome = \"deny\", rules = [\"lonely\"] }}\n");
        let bad_rule = first_error(&text);
        assert!(bad_rule.starts_with("t/tests/a.toml:12:"), "{bad_rule}");
        assert!(bad_rule.contains("no rule named `lonely`"), "{bad_rule}");
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}, {{ code = \"74177\" }}]\nexpect.1 = \"denied\"\n");
        let errors = parse(&text).unwrap_err();
        assert!(
            errors[0].to_string().contains("unknown outcome `denied`"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[0].help(), Some("did you mean `deny`?"));
    }

    #[test]
    fn every_line_needs_an_expectation() {
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}, {{ code = \"74177\" }}]\nexpect.1 = \"deny\"\n");
        assert!(first_error(&text).contains("no expectation for line 2 (74177)"));
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.3 = \"deny\"\n");
        assert!(first_error(&text).contains("`expect.3` names no line"));
    }

    #[test]
    fn unknown_keys_and_foreign_payers_are_rejected() {
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaims.lines = [{{ code = \"76377\" }}]\nexpect.1 = \"deny\"\n");
        let errors = parse(&text).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.to_string().contains("unknown key `claims`")),
            "{errors:?}"
        );
        let text = format!("{HEADER}\n[[test]]\nname = \"a\"\nclaim.payer = \"other\"\nclaim.lines = [{{ code = \"76377\" }}]\nexpect.1 = \"deny\"\n");
        assert!(first_error(&text).contains("decide claims for payer `t`"));
    }
}

//! Errors of the check stage: a policy that parses but does not make sense (unknown names,
//! mistyped comparisons, malformed codes and dates).
//!
//! Each variant carries what is needed to say what is wrong and how to fix it; the message is
//! the variant's `Display`, the code and hint come from `miette::Diagnostic`. Suggestions
//! ("did you mean ...?") are computed by the checker and carried in `hint`.

use crate::facts::{
    CodeError, DateError, DiagnosisError, GroupCodeError, ModifierError, NpiError, PlaceError,
    ReasonCodeError, SexError, TaxonomyError,
};

/// A semantic error (or warning) in a policy file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum SemanticError {
    /// `version` is not semver.
    #[error("invalid version `{text}`: {reason}")]
    #[diagnostic(
        code("PLX-C001"),
        help("versions are MAJOR.MINOR.PATCH, e.g. `2026.1.0`")
    )]
    InvalidVersion {
        /// As written.
        text: String,
        /// The semver parser's complaint.
        reason: String,
    },
    /// Two rules of one policy share a name.
    #[error("rule `{name}` is declared twice")]
    #[diagnostic(
        code("PLX-C002"),
        help("the first is on line {first_line}; rule names are unique in a policy")
    )]
    DuplicateRule {
        /// The name.
        name: String,
        /// Line of the first declaration.
        first_line: usize,
    },
    /// `effective A until B` with B before A.
    #[error("the effective range is empty")]
    #[diagnostic(
        code("PLX-C003"),
        help("`until` is the last day in force; it cannot come before `effective`")
    )]
    EmptyEffectiveRange,
    /// `import ... from P` where P is not loaded before this policy.
    #[error("unknown policy `{name}`")]
    #[diagnostic(code("PLX-C004"))]
    UnknownPolicy {
        /// The policy named.
        name: String,
        /// A suggestion or an explanation.
        #[help]
        hint: Option<String>,
    },
    /// `import X from P` where P has no set or table X.
    #[error("policy `{policy}` declares no set `{name}`")]
    #[diagnostic(code("PLX-C005"))]
    UnknownImport {
        /// The policy.
        policy: String,
        /// The name asked for.
        name: String,
        /// A suggestion.
        #[help]
        hint: Option<String>,
    },
    /// A set name already used by a table.
    #[error("`{name}` is already a table")]
    #[diagnostic(
        code("PLX-C006"),
        help("set and table names are unique within a policy")
    )]
    NameIsTable {
        /// The name.
        name: String,
    },
    /// A set declared or imported twice.
    #[error("`{name}` is already {}", if *imported { "imported" } else { "declared" })]
    #[diagnostic(code("PLX-C007"), help("set names are unique within a policy"))]
    DuplicateSet {
        /// The name.
        name: String,
        /// Whether the first one was imported.
        imported: bool,
    },
    /// A table name already used.
    #[error("`{name}` is already declared")]
    #[diagnostic(
        code("PLX-C008"),
        help("set and table names are unique within a policy")
    )]
    DuplicateTable {
        /// The name.
        name: String,
    },
    /// `table t = LAYOUT` with an unknown layout.
    #[error("unknown table layout `{layout}`")]
    #[diagnostic(code("PLX-C009"))]
    UnknownLayout {
        /// As written.
        layout: String,
        /// A suggestion or the list of layouts.
        #[help]
        hint: Option<String>,
    },
    /// `from DATE` on a layout whose files are not dated.
    #[error("`{layout}` files are not dated")]
    #[diagnostic(
        code("PLX-C010"),
        help("only fee schedules take `from YYYY-MM-DD` (one file per release)")
    )]
    UndatedLayout {
        /// The layout.
        layout: &'static str,
    },
    /// A fee schedule file without its start date.
    #[error("a fee schedule file needs `from YYYY-MM-DD`")]
    #[diagnostic(
        code("PLX-C011"),
        help("e.g. `table fees = fee_schedule \"tables/pprrvu_2026.csv\" from 2026-01-01`")
    )]
    FeeScheduleNeedsDate,
    /// Two `cite` clauses.
    #[error("a rule has one `cite`")]
    #[diagnostic(code("PLX-C012"), help("join the sources in one string"))]
    SecondCite,
    /// Two `effective` clauses.
    #[error("a rule has at most one `effective` clause")]
    #[diagnostic(code("PLX-C013"))]
    SecondEffective,
    /// No `when`.
    #[error("rule `{rule}` has no `when` condition")]
    #[diagnostic(code("PLX-C014"), help("add `when ...` before the outcome"))]
    MissingWhen {
        /// The rule.
        rule: String,
    },
    /// Two `when` clauses.
    #[error("a rule has one `when`")]
    #[diagnostic(code("PLX-C015"), help("join conditions with `and`"))]
    SecondWhen,
    /// A malformed CARC.
    #[error("`{text}`: {error}", text = .0.rejected_text(), error = .0)]
    #[diagnostic(
        code("PLX-C016"),
        help("CARCs are 1-3 digits or a letter and digits, e.g. `97`, `B15`")
    )]
    InvalidCarc(ReasonCodeError),
    /// A malformed RARC.
    #[error("`{text}`: {error}", text = .0.rejected_text(), error = .0)]
    #[diagnostic(
        code("PLX-C017"),
        help("RARCs are `M`, `N` or `MA` and digits, e.g. `M15`, `N362`")
    )]
    InvalidRarc(ReasonCodeError),
    /// An empty outcome message.
    #[error("the message is empty")]
    #[diagnostic(
        code("PLX-C018"),
        help("say what to fix: what to document, which modifier, how to appeal")
    )]
    EmptyMessage,
    /// `claim has modifier ...`.
    #[error("`{subject}` has no modifiers")]
    #[diagnostic(code("PLX-C019"), help("write `line has modifier 26`"))]
    NoModifiers {
        /// The subject written.
        subject: String,
    },
    /// `has modifier` outside `where` without `line`.
    #[error("whose modifier?")]
    #[diagnostic(code("PLX-C020"), help("write `line has modifier ...`"))]
    WhoseModifier,
    /// A value used as a condition.
    #[error("this is {what}, not a condition")]
    #[diagnostic(
        code("PLX-C021"),
        help("compare it (`line.code = 76377`) or test membership (`line.code in SET`)")
    )]
    NotACondition {
        /// What the value is.
        what: &'static str,
    },
    /// A quantifier or aggregate inside another's `where`.
    #[error("quantifiers cannot be nested")]
    #[diagnostic(code("PLX-C022"), help("`where` takes every following `and`: put the first quantifier in parentheses, `(any line where ...) and any line where ...`; quantifiers never nest, which keeps evaluation linear in claim size"))]
    NestedQuantifier,
    /// `claim.role = x` with an unknown role.
    #[error("unknown provider role `{role}`")]
    #[diagnostic(code("PLX-C023"), help("roles are `professional` and `facility`"))]
    UnknownRole {
        /// As written.
        role: String,
    },
    /// `76377 = 76376`: nothing from the claim is read.
    #[error("this compares two bare values")]
    #[diagnostic(
        code("PLX-C024"),
        help("compare a field with a value: `line.units > 1`")
    )]
    BareComparison,
    /// Two kinds that cannot be compared.
    #[error("cannot compare {left} with {right}")]
    #[diagnostic(code("PLX-C025"))]
    MismatchedComparison {
        /// The left side's kind.
        left: &'static str,
        /// The right side's kind.
        right: &'static str,
        /// What fits.
        #[help]
        hint: Option<String>,
    },
    /// Arithmetic on something that is not a number.
    #[error("arithmetic needs numbers, this is {what}")]
    #[diagnostic(code("PLX-C026"))]
    ArithmeticNeedsNumbers {
        /// What the operand is.
        what: &'static str,
    },
    /// A bare field name where a line must be named.
    #[error("`{field}` of which line?")]
    #[diagnostic(code("PLX-C027"))]
    BareField {
        /// The field.
        field: String,
        /// How to name the line.
        #[help]
        hint: Option<String>,
    },
    /// `line.` without a field.
    #[error("a subject needs a field")]
    #[diagnostic(
        code("PLX-C028"),
        help("write e.g. `line.code`, `claim.pos` or `report.independent_workstation`")
    )]
    SubjectWithoutField,
    /// `report.x` where no policy declares x.
    #[error("unknown report fact `{fact}`")]
    #[diagnostic(code("PLX-C029"))]
    UnknownFact {
        /// The fact.
        fact: String,
        /// A suggestion or how to declare it.
        #[help]
        hint: Option<String>,
    },
    /// `line.x` where lines have no x.
    #[error("`{subject}` has no field `{field}`")]
    #[diagnostic(code("PLX-C030"))]
    UnknownField {
        /// `line`, `claim`...
        subject: String,
        /// The field.
        field: String,
        /// A suggestion.
        #[help]
        hint: Option<String>,
    },
    /// `TABLE[..].field in [a, b]` with something other than numbers.
    #[error("table fields hold numbers")]
    #[diagnostic(code("PLX-C031"), help("e.g. `fees[line.code].pctc in [0, 2, 3]`"))]
    TableFieldNotNumber,
    /// `TABLE[..].field in NAMED_SET`.
    #[error("a table field is tested against numbers written inline")]
    #[diagnostic(
        code("PLX-C032"),
        help("write the numbers: `mue[line.code].mai in [2, 3]`")
    )]
    TableFieldInNamedSet,
    /// `x in SET` where x cannot be in a set.
    #[error("`in` tests a field of the claim, this is {what}")]
    #[diagnostic(code("PLX-C033"), help("write e.g. `line.code in three_d`, `line.modifiers in bypass`, `claim.pos in facility_settings`"))]
    NotAMember {
        /// What the value is.
        what: &'static str,
    },
    /// An undeclared set.
    #[error("unknown set `{name}`")]
    #[diagnostic(code("PLX-C034"))]
    UnknownSet {
        /// The name.
        name: String,
        /// A suggestion or how to declare it.
        #[help]
        hint: Option<String>,
    },
    /// A set of the wrong kind.
    #[error("`{name}` is {is}, expected `{expected}` values here")]
    #[diagnostic(
        code("PLX-C035"),
        help("declare a set with `{expected} NAME = ...` for this test")
    )]
    WrongSetKind {
        /// The set.
        name: String,
        /// What it is.
        is: &'static str,
        /// The keyword of the kind expected.
        expected: &'static str,
    },
    /// A table field compared with something other than a number.
    #[error("a table field is a number; this compares it with {what}")]
    #[diagnostic(
        code("PLX-C036"),
        help("compare table fields with numbers: `mue[line.code].value < line.units`")
    )]
    TableComparedWith {
        /// What it was compared with.
        what: &'static str,
    },
    /// An undeclared table.
    #[error("unknown table `{name}`")]
    #[diagnostic(code("PLX-C037"))]
    UnknownTable {
        /// The name.
        name: String,
        /// A suggestion or how to declare one.
        #[help]
        hint: Option<String>,
    },
    /// A lookup with the wrong number of keys.
    #[error("a `{layout}` table takes {expected} key(s), this lookup has {found}")]
    #[diagnostic(code("PLX-C038"))]
    WrongKeyCount {
        /// The layout.
        layout: &'static str,
        /// How many it takes (`1`, `1 or 2`).
        expected: String,
        /// How many were written.
        found: usize,
        /// The keys the layout takes.
        #[help]
        hint: Option<String>,
    },
    /// A table key that is not a procedure code.
    #[error("table keys are procedure codes, this is {what}")]
    #[diagnostic(code("PLX-C039"))]
    KeyNotCode {
        /// What the key is.
        what: &'static str,
        /// The keys the layout takes.
        #[help]
        hint: Option<String>,
    },
    /// A field the layout does not have.
    #[error("a `{layout}` row has no field `{field}`")]
    #[diagnostic(code("PLX-C040"))]
    UnknownTableField {
        /// The layout.
        layout: &'static str,
        /// The field written.
        field: String,
        /// A suggestion or the list of fields.
        #[help]
        hint: Option<String>,
    },
    /// A table lookup used as a value without a field.
    #[error("which field of the row?")]
    #[diagnostic(code("PLX-C041"), help("fields: {fields}"))]
    MissingTableField {
        /// The layout's fields.
        fields: String,
    },
    /// A malformed procedure code.
    #[error("`{text}`: {error}", text = .0.rejected_text(), error = .0)]
    #[diagnostic(
        code("PLX-C042"),
        help("codes are 5 characters: `76377`, `0159T`, `G0288`")
    )]
    InvalidCode(CodeError),
    /// A malformed modifier.
    #[error("`{text}`: {error}", text = .0.rejected_text(), error = .0)]
    #[diagnostic(code("PLX-C043"))]
    InvalidModifier(ModifierError),
    /// A malformed place of service.
    #[error("`{text}`: {error}", text = .0.rejected_text(), error = .0)]
    #[diagnostic(code("PLX-C044"))]
    InvalidPlace(PlaceError),
    /// A malformed or impossible date.
    #[error("`{text}`: {error}", text = .0.rejected_text(), error = .0)]
    #[diagnostic(code("PLX-C045"))]
    InvalidDate(DateError),
    /// A malformed diagnosis code.
    #[error("`{text}`: {error}", text = .0.rejected_text(), error = .0)]
    #[diagnostic(
        code("PLX-C046"),
        help("diagnosis sets hold categories or codes such as `S32`, `S42.2`, `Q65`")
    )]
    InvalidDiagnosis(DiagnosisError),
    /// An element of the wrong form in a set.
    #[error("this element does not belong in `{keyword}` set")]
    #[diagnostic(code("PLX-C047"))]
    WrongElement {
        /// The set's keyword.
        keyword: &'static str,
        /// What the set holds.
        #[help]
        hint: Option<String>,
    },
    /// A code range whose ends have different shapes.
    #[error("range `{lo}..{hi}` mixes kinds of codes")]
    #[diagnostic(
        code("PLX-C048"),
        help("both ends must be CPT Category I, both Category II/III, or both HCPCS")
    )]
    MixedRange {
        /// First end.
        lo: String,
        /// Last end.
        hi: String,
    },
    /// A code range whose first end is after the last.
    #[error("range `{lo}..{hi}` is empty")]
    #[diagnostic(code("PLX-C049"), help("did you mean `{hi}..{lo}`?"))]
    EmptyRange {
        /// First end.
        lo: String,
        /// Last end.
        hi: String,
    },
    /// A diagnosis range that is not a range of categories.
    #[error("diagnosis range `{lo}..{hi}` is not a range of categories")]
    #[diagnostic(
        code("PLX-C050"),
        help("both ends have the same length and the first comes first, e.g. `Q65..Q76`")
    )]
    BadDiagnosisRange {
        /// First end.
        lo: String,
        /// Last end.
        hi: String,
    },
    /// `""` in a phrase list.
    #[error("empty phrase")]
    #[diagnostic(
        code("PLX-C051"),
        help("an empty phrase would match every report; remove it")
    )]
    EmptyPhrase,
    /// `known(...)` of a value that is always present.
    #[error("{what} is always known")]
    #[diagnostic(code("PLX-C052"), help("`known(...)` tests values a claim may leave out: report facts, `patient.age`, `patient.sex`, taxonomies, principal/primary diagnoses, table fields"))]
    AlwaysKnown {
        /// What was tested.
        what: &'static str,
    },
    /// Two date windows on one line source.
    #[error("a line source takes one date filter")]
    #[diagnostic(code("PLX-C053"), help("choose one of `on same date`, `in same calendar year`, `within N days|months [before|after]`; add date comparisons in `where` for more"))]
    SecondWindow,
    /// Two provider filters on one line source.
    #[error("a line source takes one provider filter")]
    #[diagnostic(
        code("PLX-C054"),
        help(
            "choose one of `by same provider`, `by other provider`, `by same rendering provider`"
        )
    )]
    SecondProviderFilter,
    /// `within 0 days before`.
    #[error("`within 0 {unit} {direction}` covers no date")]
    #[diagnostic(code("PLX-C055"), help("a window before or after the line's date needs at least 1; `on same date` is the day itself"))]
    EmptyWindow {
        /// `days` or `months`.
        unit: &'static str,
        /// `before` or `after`.
        direction: &'static str,
    },
    /// A malformed sex literal.
    #[error("invalid sex `{text}`: {error}")]
    #[diagnostic(code("PLX-C056"))]
    InvalidSex {
        /// As written.
        text: String,
        /// The problem.
        error: SexError,
    },
    /// A malformed taxonomy code.
    #[error(transparent)]
    #[diagnostic(code("PLX-C057"))]
    InvalidTaxonomy(TaxonomyError),
    /// A malformed NPI.
    #[error("`{text}`: {error}", text = .0.rejected_text(), error = .0)]
    #[diagnostic(code("PLX-C058"))]
    InvalidNpi(NpiError),
    /// A malformed group code.
    #[error(transparent)]
    #[diagnostic(code("PLX-C059"), help("CO contractual obligation, PR patient responsibility, OA other adjustment, PI payer-initiated reduction"))]
    InvalidGroup(GroupCodeError),
    /// Two `when unknown` clauses.
    #[error("a rule has one `when unknown`")]
    #[diagnostic(code("PLX-C060"))]
    SecondUnknownClause,
    /// A date shifted by something that is not a duration, or a duration used alone.
    #[error("{problem}")]
    #[diagnostic(
        code("PLX-C061"),
        help("dates move by durations: `line.date - 90 days`, `date + 1 month`")
    )]
    DateArithmetic {
        /// What is wrong.
        problem: &'static str,
    },
    /// A CARC that is not on X12's published list.
    #[error("CARC `{code}` is not on the published claim adjustment reason code list")]
    #[diagnostic(code("PLX-C062"), help("check the code against X12's list (crates/payerlex/src/facts/code_lists/README.md says which version payerlex ships)"))]
    UnpublishedCarc {
        /// The code.
        code: String,
    },
    /// A RARC that is not on the published list.
    #[error("RARC `{code}` is not on the published remittance advice remark code list")]
    #[diagnostic(code("PLX-C063"), help("check the code against the published list (crates/payerlex/src/facts/code_lists/README.md says which version payerlex ships)"))]
    UnpublishedRarc {
        /// The code.
        code: String,
    },
}

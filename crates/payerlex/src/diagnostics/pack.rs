//! Errors of reading and linking packs: folders, manifests, `extends`, `replaces`, `disable`,
//! table files.

/// A problem with a pack as a whole: its folder, its manifest or how it links to its base.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum PackError {
    /// A file or folder could not be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code("PLX-P001"))]
    Read {
        /// The path.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// `--policies` is not a folder.
    #[error("`{path}` is not a folder")]
    #[diagnostic(
        code("PLX-P002"),
        help("pass the folder that holds the packs, e.g. `--policies policies`")
    )]
    NotAFolder {
        /// The path.
        path: String,
    },
    /// No `pack.toml` under the folder.
    #[error("no policy packs under `{path}`")]
    #[diagnostic(
        code("PLX-P003"),
        help("a pack is a folder holding a `pack.toml` manifest and its `.policy` files")
    )]
    NoPacks {
        /// The folder.
        path: String,
    },
    /// `pack.toml` is not a valid manifest.
    #[error("invalid pack manifest: {reason}")]
    #[diagnostic(code("PLX-P004"), help("a manifest has `id`, `name`, `version`, `effective`, `policies` and optionally `expires`, `extends`, `disable`"))]
    InvalidManifest {
        /// The TOML parser's complaint.
        reason: String,
    },
    /// A pack id that is not a payer id.
    #[error("invalid pack id `{id}`")]
    #[diagnostic(
        code("PLX-P005"),
        help("use lower-case letters, digits and `-`, e.g. `acme-health`")
    )]
    InvalidId {
        /// As written.
        id: String,
    },
    /// A pack version that is not semver.
    #[error("invalid version `{text}`: {reason}")]
    #[diagnostic(
        code("PLX-P006"),
        help("pack versions are MAJOR.MINOR.PATCH, e.g. `2026.1.0`")
    )]
    InvalidVersion {
        /// As written.
        text: String,
        /// The semver parser's complaint.
        reason: String,
    },
    /// A manifest date that is not a date.
    #[error(transparent)]
    #[diagnostic(code("PLX-P007"), help("dates are YYYY-MM-DD"))]
    InvalidDate(crate::facts::DateError),
    /// `expires` before `effective`.
    #[error("the pack expires before it takes effect")]
    #[diagnostic(code("PLX-P008"))]
    EmptyRange,
    /// `disable` without `extends`.
    #[error("`disable` only applies to a pack that `extends` another")]
    #[diagnostic(code("PLX-P009"))]
    DisableWithoutBase,
    /// A listed policy file that is not there.
    #[error("policy file `{path}` not found in the pack folder")]
    #[diagnostic(code("PLX-P010"))]
    MissingPolicyFile {
        /// The file.
        path: String,
        /// A suggestion.
        #[help]
        hint: Option<String>,
    },
    /// Two packs with one id.
    #[error("two packs have the id `{id}`")]
    #[diagnostic(
        code("PLX-P011"),
        help("the other is `{other}`; one pack per payer id")
    )]
    DuplicateId {
        /// The id.
        id: String,
        /// The other pack's manifest.
        other: String,
    },
    /// `extends` names a pack that is not loaded.
    #[error("pack `{pack}` is not loaded")]
    #[diagnostic(code("PLX-P012"))]
    UnknownBase {
        /// The pack named.
        pack: String,
        /// A suggestion or how to load it.
        #[help]
        hint: Option<String>,
    },
    /// A version requirement that is not semver.
    #[error("invalid version requirement `{text}`: {reason}")]
    #[diagnostic(code("PLX-P013"), help("e.g. `^2026.1`"))]
    InvalidRequirement {
        /// As written.
        text: String,
        /// The semver parser's complaint.
        reason: String,
    },
    /// The base's version does not satisfy the requirement.
    #[error("`{pack}` is version {found}, which does not satisfy `{required}`")]
    #[diagnostic(code("PLX-P014"), help("update the requirement after reviewing `{pack}` {found}, or load the version this pack was written for"))]
    VersionMismatch {
        /// The base pack.
        pack: String,
        /// Its version.
        found: String,
        /// The requirement.
        required: String,
    },
    /// Packs that extend each other.
    #[error("packs extend each other in a cycle")]
    #[diagnostic(code("PLX-P015"))]
    Cycle,
    /// Two policies with one name in a pack chain.
    #[error("policy `{name}` is already loaded")]
    #[diagnostic(
        code("PLX-P016"),
        help("policy names are unique across a pack and the packs it extends")
    )]
    DuplicatePolicy {
        /// The name.
        name: String,
    },
    /// `disable` names a rule the base does not have.
    #[error("no rule `{rule}` in the extended pack")]
    #[diagnostic(code("PLX-P017"))]
    UnknownDisabledRule {
        /// The rule id.
        rule: String,
        /// A suggestion.
        #[help]
        hint: Option<String>,
    },
    /// `replaces` names a rule the base does not have.
    #[error("`{rule}` is not a rule of the extended pack")]
    #[diagnostic(code("PLX-P018"))]
    UnknownReplacedRule {
        /// The rule id.
        rule: String,
        /// A suggestion or what `replaces` takes.
        #[help]
        hint: Option<String>,
    },
    /// More report facts than the evaluator's per-claim cache holds.
    #[error("pack `{pack}`: {reason}")]
    #[diagnostic(
        code("PLX-P019"),
        help("split the pack's documentation rules across fewer report facts")
    )]
    TooManyFacts {
        /// The pack.
        pack: String,
        /// The limit reached.
        reason: String,
    },
    /// `--table NAME=PATH` for a table no policy declares.
    #[error("`--table {name}=...`: no loaded policy declares a table `{name}`")]
    #[diagnostic(code("PLX-P020"))]
    UnknownTableOverride {
        /// The name given.
        name: String,
        /// A suggestion.
        #[help]
        hint: Option<String>,
    },
    /// A file, item count or chain longer than a load limit allows.
    #[error("{what} exceeds the limit `{limit}` ({value})")]
    #[diagnostic(
        code("PLX-P021"),
        help("split it; if the input is trusted, raise the limit with `--limit {limit}=N` (`LoadOptions::limits`); `payerlex limits` lists them")
    )]
    LimitExceeded {
        /// What is too large or too long (`policy file \`p/p.policy\``), never its content.
        what: String,
        /// The limit's name, as `--limit` spells it.
        limit: &'static str,
        /// The limit's value.
        value: u64,
    },
    /// A table or policy path that leaves the pack folder.
    #[error("`{path}` is outside the pack folder ({reason})")]
    #[diagnostic(
        code("PLX-P022"),
        help("a pack reads only files inside its own folder: use a relative path without `..`; a host can pass a file of its own with `--table NAME=PATH`")
    )]
    OutsidePack {
        /// The path as the pack names it.
        path: String,
        /// Why: an absolute path, a `..` step, or a symbolic link leaving the folder.
        reason: &'static str,
    },
    /// A table or policy path that names a FIFO, device, socket or folder.
    #[error("`{path}` is not a regular file")]
    #[diagnostic(
        code("PLX-P023"),
        help("policy, manifest and table files are read only from regular files (not FIFOs, devices or folders)")
    )]
    NotARegularFile {
        /// The path.
        path: String,
    },
    /// A table file could not be read.
    #[error("table `{table}`: {reason}")]
    #[diagnostic(code("PLX-T001"))]
    TableFileUnreadable {
        /// The table.
        table: String,
        /// Why.
        reason: String,
        /// Where to put the file.
        #[help]
        hint: Option<String>,
    },
    /// A table file that is not in its layout.
    #[error("table `{table}` is not a valid `{layout}` file: {error}")]
    #[diagnostic(
        code("PLX-T002"),
        help("the file must be exactly as CMS publishes it for this layout")
    )]
    TableInvalid {
        /// The table.
        table: String,
        /// The layout.
        layout: &'static str,
        /// The reader's complaint (file, line, what was expected).
        #[source]
        error: TableFailure,
    },
    /// `--table NAME=PATH` for a table of several undated files (PTP parts).
    #[error("table `{table}` reads {files} files; `--table {table}=PATH` replaces only single-file tables and fee schedules")]
    #[diagnostic(code("PLX-T003"))]
    TableOverrideOfDatedFiles {
        /// The table.
        table: String,
        /// How many files it declares.
        files: usize,
    },
}

/// A table loader's typed error, shared so that diagnostics stay cheap to clone (the loader's
/// error can hold an I/O error, which is neither `Clone` nor comparable). Two failures are
/// equal when they say the same thing.
#[derive(Debug, Clone)]
pub struct TableFailure(pub std::sync::Arc<crate::tables::TableLoadError>);

impl PartialEq for TableFailure {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for TableFailure {}

impl std::fmt::Display for TableFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for TableFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

//! Load limits and the pack sandbox (issue 12): every policy, pack and table limit gives a
//! diagnostic with its code, never an abort; pack files resolve inside the pack folder and are
//! regular files. Reproducers c06-c12 and c15 of the reliability probe are here, built in the
//! test (no file of ../shared is read).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use payerlex::{Engine, Limits, LoadOptions, PackSources};

const MUE: &str = include_str!("fixtures/mue_sample.csv");

fn rule(condition: &str) -> String {
    format!(
        "{HEADER}set s = 76377\n\nrule r\n  cite \"x\"\n  when {condition}\n  deny carc 97 \"m\"\n"
    )
}

fn with_limits(edit: impl FnOnce(&mut Limits)) -> LoadOptions {
    let mut options = LoadOptions::default();
    edit(&mut options.limits);
    options
}

fn load_errors(sources: &[PackSources], options: &LoadOptions) -> Vec<payerlex::Diagnostic> {
    match Engine::from_sources_with(sources, options) {
        Ok(_) => panic!("expected the packs to fail"),
        Err(e) => e.errors().cloned().collect(),
    }
}

fn codes(errors: &[payerlex::Diagnostic]) -> Vec<String> {
    errors.iter().map(payerlex::Diagnostic::code).collect()
}

/// A fresh folder under the system's temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("payerlex-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Writes pack `p` (manifest + `p.policy`) under the folder; returns the pack folder.
    fn pack(&self, policy: &str) -> PathBuf {
        let pack = self.0.join("p");
        std::fs::create_dir_all(&pack).unwrap();
        std::fs::write(
            pack.join("pack.toml"),
            manifest("p").policies(&["p.policy"]).to_string(),
        )
        .unwrap();
        std::fs::write(pack.join("p.policy"), policy).unwrap();
        pack
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn disk_errors(dir: &Path, options: &LoadOptions) -> Vec<payerlex::Diagnostic> {
    match Engine::load_with(dir, options) {
        Ok(_) => panic!("expected {} to fail", dir.display()),
        Err(e) => e.errors().cloned().collect(),
    }
}

/// c06, c08, c09 through every path that walks the AST: loading (parse, check, compile),
/// `fmt` and the language server's workspace.
#[test]
fn deep_nesting_is_a_diagnostic_in_load_fmt_and_the_language_server() {
    let cases = [
        format!("{}line.units > 1{}", "(".repeat(1000), ")".repeat(1000)),
        format!("{}line.units > 1", "not ".repeat(20_000)),
        format!("line.units{} > 1", " + 1".repeat(10_000)),
    ];
    for condition in cases {
        let policy = rule(&format!("line.code in s and {condition}"));
        let errors = load_errors(&[one_policy_pack(&policy)], &LoadOptions::default());
        assert_eq!(codes(&errors), ["PLX-S002"]);
        assert!(errors[0]
            .location()
            .unwrap()
            .starts_with("test/p.policy:7:"));
        assert!(payerlex::authoring::format_policy("p.policy", &policy).is_err());

        let dir = TempDir::new("deep-lsp");
        let pack = dir.pack(&policy);
        let date = "2026-03-02".parse().unwrap();
        let diagnostics = match payerlex::authoring::Workspace::load(&dir.0, date) {
            Ok(workspace) => workspace.diagnostics().to_vec(),
            Err(_) => panic!("the workspace loads with diagnostics"),
        };
        assert!(
            diagnostics.iter().any(|d| d.code == "PLX-S002"
                && d.path.as_deref() == Some(&*pack.join("p.policy"))),
            "{diagnostics:?}"
        );
    }
}

/// The language server's workspace loads under the limits it is given (`payerlex lsp
/// --limit`).
#[test]
fn the_language_server_workspace_loads_under_its_limits() {
    let dir = TempDir::new("lsp-limits");
    let pack = dir.pack(&rule("line.code in s"));
    let date = "2026-03-02".parse().unwrap();
    let load =
        |limits: Limits| match payerlex::authoring::Workspace::load_with(&dir.0, date, limits) {
            Ok(workspace) => workspace.diagnostics().to_vec(),
            Err(_) => panic!("the workspace loads with diagnostics"),
        };
    assert!(load(Limits::default()).iter().all(|d| d.code != "PLX-P021"));
    let mut strict = Limits::default();
    strict.items_per_file = 1;
    let diagnostics = load(strict);
    assert!(
        diagnostics
            .iter()
            .any(|d| d.code == "PLX-P021" && d.path.as_deref() == Some(&*pack.join("p.policy"))),
        "{diagnostics:?}"
    );
}

/// The depth limits come from `Limits`, and never go past their ceilings: at the ceilings a
/// policy still parses, checks, compiles and decides on a test thread's 2 MiB stack.
#[test]
fn depth_limits_are_settable_up_to_their_ceilings() {
    let nested = format!("{}line.units > 1{}", "(".repeat(5), ")".repeat(5));
    let strict = with_limits(|l| l.nesting_depth = 4);
    let errors = load_errors(&[one_policy_pack(&rule(&nested))], &strict);
    assert_eq!(codes(&errors), ["PLX-S002"]);
    assert!(
        errors[0].message().contains("`nesting_depth`"),
        "{}",
        errors[0].message()
    );

    let unbounded = with_limits(|l| {
        l.nesting_depth = usize::MAX;
        l.operator_chain = usize::MAX;
    });
    let too_deep = format!("{}line.units > 1{}", "(".repeat(65), ")".repeat(65));
    let errors = load_errors(&[one_policy_pack(&rule(&too_deep))], &unbounded);
    assert_eq!(codes(&errors), ["PLX-S002"]);

    let at_ceiling = format!(
        "line.code in s and {}{}line.units{} > 1{}",
        "not ".repeat(payerlex::OPERATOR_CHAIN_CEILING),
        "(".repeat(payerlex::NESTING_DEPTH_CEILING - 1),
        " + 0".repeat(payerlex::OPERATOR_CHAIN_CEILING),
        ")".repeat(payerlex::NESTING_DEPTH_CEILING - 1),
    );
    let engine = Engine::from_sources_with(&[one_policy_pack(&rule(&at_ceiling))], &unbounded)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    // An even number of `not`s: the rule fires when units > 1.
    let decision = decide(&engine, &claim("test").line(line("76377").units(2)).build());
    assert_eq!(fired(&decision, 0), ["test.p/r"]);
    let decision = decide(&engine, &claim("test").line(line("76377").units(1)).build());
    assert!(fired(&decision, 0).is_empty());
}

/// c10: 8,000 one-line sets. Over `items_per_file` (5,000) the file is refused with one
/// diagnostic; allowed, it loads with one warning per unused set, each rendered from its own
/// lines (no diagnostic holds or prints a copy of the file).
#[test]
fn eight_thousand_sets_are_refused_or_load_with_small_diagnostics() {
    let mut policy = format!("{HEADER}set s = 76377\n\n");
    for i in 0..8000 {
        policy.push_str(&format!("set u{i} = 76377, 76376, 70450..70498\n"));
    }
    policy.push_str("rule r\n  cite \"x\"\n  when line.code in s\n  deny carc 97 \"m\"\n");
    assert!(policy.len() > 300_000);

    let errors = load_errors(&[one_policy_pack(&policy)], &LoadOptions::default());
    assert_eq!(codes(&errors), ["PLX-P021"]);
    assert!(errors[0].message().contains("`items_per_file`"));
    assert_eq!(errors[0].location().unwrap(), "test/p.policy:5004:1");

    let allowed = with_limits(|l| l.items_per_file = 10_000);
    let engine = Engine::from_sources_with(&[one_policy_pack(&policy)], &allowed).unwrap();
    let warnings = engine.warnings();
    assert_eq!(warnings.len(), 8000);
    let rendered: usize = warnings.iter().map(|w| w.render().len()).sum();
    assert!(rendered < 8000 * 1024, "{rendered} bytes rendered");
}

#[test]
fn rules_files_and_policy_size_are_limited() {
    let five_rules: String = (0..5).fold(format!("{HEADER}set s = 76377\n"), |text, i| {
        text + &format!("rule r{i}\n  cite \"x\"\n  when line.code in s\n  deny carc 97 \"m\"\n")
    });
    let errors = load_errors(
        &[one_policy_pack(&five_rules)],
        &with_limits(|l| l.rules_per_pack = 4),
    );
    assert_eq!(codes(&errors), ["PLX-P021"]);
    assert!(errors[0].message().contains("`rules_per_pack`"));

    let errors = load_errors(
        &[one_policy_pack(&five_rules)],
        &with_limits(|l| l.policy_file_bytes = 100),
    );
    assert_eq!(codes(&errors), ["PLX-P021"]);
    assert!(errors[0].message().contains("`policy_file_bytes`"));

    let three_files = manifest("test")
        .policies(&["a.policy", "b.policy", "c.policy"])
        .pack("test")
        .with_file("a.policy", "policy a\nversion 1.0.0\n")
        .with_file("b.policy", "policy b\nversion 1.0.0\n")
        .with_file("c.policy", "policy c\nversion 1.0.0\n");
    let errors = load_errors(&[three_files], &with_limits(|l| l.files_per_pack = 2));
    assert_eq!(codes(&errors), ["PLX-P021"]);
    assert!(errors[0].message().contains("`files_per_pack`"));

    // On disk: the file is not read past the limit.
    let dir = TempDir::new("policy-size");
    dir.pack(&five_rules);
    let manifest_bytes = std::fs::metadata(dir.0.join("p/pack.toml")).unwrap().len();
    assert!(manifest_bytes < 250 && five_rules.len() > 250);
    let errors = disk_errors(&dir.0, &with_limits(|l| l.policy_file_bytes = 250));
    assert_eq!(codes(&errors), ["PLX-P021"]);
    assert!(
        errors[0].message().contains("`p/p.policy`"),
        "{}",
        errors[0].message()
    );
    std::fs::write(dir.0.join("p/extra.policy"), HEADER).unwrap();
    let errors = disk_errors(&dir.0, &with_limits(|l| l.files_per_pack = 1));
    assert_eq!(codes(&errors), ["PLX-P021"]);
}

/// A 2,000-deep `extends` chain is refused before any pack is linked, with one diagnostic.
#[test]
fn a_deep_extends_chain_is_refused_with_one_diagnostic() {
    let policy = |i: usize| format!("policy p{i}.main\nversion 1.0.0\nset s{i} = 76377\n");
    let packs: Vec<PackSources> = (0..2000)
        .map(|i| {
            let id = format!("p{i}");
            let spec = manifest(&id).policies(&["p.policy"]);
            let spec = if i == 0 {
                spec
            } else {
                spec.extends(&format!("p{}", i - 1), "*")
            };
            spec.pack(&id).with_file("p.policy", policy(i))
        })
        .collect();
    let errors = load_errors(&packs, &LoadOptions::default());
    assert_eq!(codes(&errors), ["PLX-P021"]);
    assert!(errors[0].message().contains("`extends_depth`"));
    assert!(errors[0].location().unwrap().starts_with("p9/pack.toml:"));
    // Within the limit the chain links.
    let eight = &packs[..9];
    Engine::from_sources_with(eight, &LoadOptions::default()).unwrap();
}

/// c07, c11: table and policy paths stay inside the pack folder; nothing of the target file
/// is printed.
#[cfg(unix)]
#[test]
fn pack_paths_stay_inside_the_pack_folder() {
    let dir = TempDir::new("sandbox");
    std::fs::write(dir.0.join("outside.csv"), MUE).unwrap();
    let table_policy = |path: &str| {
        rule("line.code in s and known(mue[line.code].value)").replace(
            "set s = 76377\n",
            &format!("set s = 76377\ntable mue = mue \"{path}\"\n"),
        )
    };
    let pack = dir.pack(&table_policy("t.csv"));
    std::fs::write(pack.join("t.csv"), MUE).unwrap();
    Engine::load(&dir.0).unwrap_or_else(|e| panic!("{}", e.render()));

    // A symbolic link that stays inside the pack is fine.
    std::fs::create_dir_all(pack.join("tables")).unwrap();
    std::os::unix::fs::symlink("../t.csv", pack.join("tables/linked.csv")).unwrap();
    std::fs::write(pack.join("p.policy"), table_policy("tables/linked.csv")).unwrap();
    Engine::load(&dir.0).unwrap_or_else(|e| panic!("{}", e.render()));

    std::os::unix::fs::symlink(dir.0.join("outside.csv"), pack.join("out.csv")).unwrap();
    for (path, reason) in [
        ("../outside.csv", "a `..` step"),
        ("../../../../../../etc/passwd", "a `..` step"),
        ("/etc/passwd", "an absolute path"),
        ("out.csv", "a symbolic link out of the folder"),
    ] {
        std::fs::write(pack.join("p.policy"), table_policy(path)).unwrap();
        let errors = disk_errors(&dir.0, &LoadOptions::default());
        assert_eq!(codes(&errors), ["PLX-P022"], "{path}");
        assert!(
            errors[0].message().contains(reason),
            "{}",
            errors[0].message()
        );
        assert!(errors[0].location().unwrap().starts_with("p/p.policy:"));
    }

    // The host may still name a file outside the pack itself.
    std::fs::write(pack.join("p.policy"), table_policy("t.csv")).unwrap();
    let mut options = LoadOptions::default();
    options
        .tables
        .insert("mue".into(), dir.0.join("outside.csv"));
    Engine::load_with(&dir.0, &options).unwrap_or_else(|e| panic!("{}", e.render()));

    // c11: a `.policy` symlink to a file outside the pack is refused without its lines.
    std::fs::remove_file(pack.join("p.policy")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", pack.join("p.policy")).unwrap();
    let errors = disk_errors(&dir.0, &LoadOptions::default());
    assert_eq!(codes(&errors), ["PLX-P022"]);
    let rendered: String = errors.iter().map(payerlex::Diagnostic::render).collect();
    assert!(!rendered.contains("root:"), "{rendered}");
}

/// c12: a FIFO as a table or policy file, `/dev/zero` as a table: refused at once (the FIFO
/// has no writer: reading it would block forever).
#[cfg(unix)]
#[test]
fn special_files_are_refused_without_blocking() {
    let dir = TempDir::new("fifo");
    let policy = rule("line.code in s and known(mue[line.code].value)").replace(
        "set s = 76377\n",
        "set s = 76377\ntable mue = mue \"t.csv\"\n",
    );
    let pack = dir.pack(&policy);
    let fifo = |path: &Path| {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    };
    fifo(&pack.join("t.csv"));
    let errors = disk_errors(&dir.0, &LoadOptions::default());
    assert_eq!(codes(&errors), ["PLX-P023"]);

    let mut options = LoadOptions::default();
    options
        .tables
        .insert("mue".into(), PathBuf::from("/dev/zero"));
    let errors = disk_errors(&dir.0, &options);
    assert_eq!(codes(&errors), ["PLX-P023"]);

    std::fs::remove_file(pack.join("p.policy")).unwrap();
    fifo(&pack.join("p.policy"));
    let errors = disk_errors(&dir.0, &LoadOptions::default());
    assert_eq!(codes(&errors), ["PLX-P023"]);
}

/// Table files past `table_file_bytes` are refused, in the pack and given by the host.
#[test]
fn table_size_is_limited() {
    let dir = TempDir::new("table-size");
    let policy = rule("line.code in s and known(mue[line.code].value)").replace(
        "set s = 76377\n",
        "set s = 76377\ntable mue = mue \"t.csv\"\n",
    );
    let pack = dir.pack(&policy);
    std::fs::write(pack.join("t.csv"), MUE).unwrap();
    let small = with_limits(|l| l.table_file_bytes = 100);
    let errors = disk_errors(&dir.0, &small);
    assert_eq!(codes(&errors), ["PLX-P021"]);
    assert!(errors[0].message().contains("`table_file_bytes`"));
    let mut options = small;
    options.tables.insert("mue".into(), pack.join("t.csv"));
    assert_eq!(codes(&disk_errors(&dir.0, &options)), ["PLX-P021"]);
}

/// c15: `policy.digest` covers table contents: a `--table` override with other data changes
/// it; the same data under another path does not.
#[test]
fn the_digest_covers_table_data() {
    let dir = TempDir::new("digest");
    let policy = rule("line.code in s and known(mue[line.code].value)").replace(
        "set s = 76377\n",
        "set s = 76377\ntable mue = mue \"t.csv\"\n",
    );
    let pack = dir.pack(&policy);
    std::fs::write(pack.join("t.csv"), MUE).unwrap();
    std::fs::write(dir.0.join("same.csv"), MUE).unwrap();
    std::fs::write(
        dir.0.join("other.csv"),
        MUE.replace("\n15200,1,", "\n15200,2,"),
    )
    .unwrap();
    let digest = |table: Option<&str>| {
        let mut options = LoadOptions::default();
        if let Some(file) = table {
            options.tables.insert("mue".into(), dir.0.join(file));
        }
        let engine =
            Engine::load_with(&dir.0, &options).unwrap_or_else(|e| panic!("{}", e.render()));
        engine.pack("p").unwrap().policy().digest.to_string()
    };
    let base = digest(None);
    assert_eq!(digest(Some("same.csv")), base);
    assert_ne!(digest(Some("other.csv")), base);
}

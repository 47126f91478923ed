//! `payerlex fmt [--check] PATHS...`: rewrites policy files in the canonical layout.
//!
//! The layout is the library's (`payerlex::authoring::format_policy`); this command finds the
//! files (folders are searched for `*.policy`), writes the ones that change, or with `--check`
//! only names them and shows the first line that differs. `-` formats stdin to stdout, for
//! editors. A file that does not parse is reported with its syntax errors and left alone.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use payerlex::authoring::{format_policy, FormatError};

/// Folders never searched for policies.
const SKIPPED_FOLDERS: &[&str] = &["target", "node_modules"];
/// How deep folders are searched (symbolic links are not followed).
const MAX_DEPTH: usize = 32;

/// Arguments of `payerlex fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Do not write: exit 1 and name each file whose layout is not canonical.
    #[arg(long)]
    pub check: bool,
    /// Policy files, or folders searched for `*.policy` files; `-` reads stdin and writes
    /// the formatted text to stdout.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

/// Runs the command; returns the exit code: 0 formatted (or already canonical), 1 with
/// `--check` when some file is not, 2 when a file cannot be read, parsed or written.
pub fn run(args: &FmtArgs) -> u8 {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        return if args.paths.len() == 1 {
            stdin(args.check)
        } else {
            eprintln!("error: `-` (stdin) cannot be combined with other paths");
            2
        };
    }
    let mut files = Vec::new();
    for path in &args.paths {
        if let Err(message) = collect(path, 0, &mut files) {
            eprintln!("error: {message}");
            return 2;
        }
    }
    let (mut unformatted, mut failed) = (0usize, 0usize);
    for file in &files {
        match format_file(file, args.check) {
            Ok(true) => unformatted += 1,
            Ok(false) => {}
            Err(message) => {
                eprintln!("{message}");
                failed += 1;
            }
        }
    }
    let verb = if args.check {
        "would be reformatted"
    } else {
        "reformatted"
    };
    eprintln!(
        "{} file(s) checked, {unformatted} {verb}{}",
        files.len(),
        if failed > 0 {
            format!(", {failed} could not be formatted")
        } else {
            String::new()
        }
    );
    if failed > 0 {
        2
    } else if args.check && unformatted > 0 {
        1
    } else {
        0
    }
}

/// Formats one file; returns whether its layout changed (or would).
fn format_file(path: &Path, check: bool) -> Result<bool, String> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("error: cannot read {name}: {e}"))?;
    let formatted = format_policy(&name, &text).map_err(render)?;
    if formatted == text {
        return Ok(false);
    }
    if check {
        let (line, before, after) = first_difference(&text, &formatted);
        println!("{name}:{line}: not formatted");
        println!("  - {before}");
        println!("  + {after}");
    } else {
        std::fs::write(path, &formatted).map_err(|e| format!("error: cannot write {name}: {e}"))?;
        println!("{name}");
    }
    Ok(true)
}

fn stdin(check: bool) -> u8 {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: cannot read stdin: {e}");
        return 2;
    }
    match format_policy("<stdin>", &text) {
        Ok(formatted) if check => u8::from(formatted != text),
        Ok(formatted) => {
            let mut out = std::io::stdout().lock();
            if out.write_all(formatted.as_bytes()).is_err() {
                return 2;
            }
            0
        }
        Err(error) => {
            eprintln!("{}", render(error));
            2
        }
    }
}

fn render(error: FormatError) -> String {
    match &error {
        FormatError::Syntax { diagnostics, .. } => {
            let mut out: Vec<String> = diagnostics.iter().map(|d| d.render()).collect();
            out.push(format!("error: {error}"));
            out.join("\n")
        }
        _ => format!("error: {error}"),
    }
}

/// The 1-based number of the first line that differs, and that line before and after.
fn first_difference<'a>(before: &'a str, after: &'a str) -> (usize, &'a str, &'a str) {
    let mut a = before.lines();
    let mut b = after.lines();
    let mut number = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => number += 1,
            (x, y) => {
                return (
                    number,
                    x.unwrap_or("(end of file)"),
                    y.unwrap_or("(end of file)"),
                )
            }
        }
    }
}

/// Adds `path` (a policy file) or the `*.policy` files under it (a folder), sorted.
fn collect(path: &Path, depth: usize, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if meta.is_file() || (meta.file_type().is_symlink() && depth == 0 && path.is_file()) {
        files.push(path.to_path_buf());
        return Ok(());
    }
    if !meta.is_dir() || depth > MAX_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !name.starts_with('.') && !SKIPPED_FOLDERS.contains(&name.as_str()) {
                collect(&entry.path(), depth + 1, files)?;
            }
        } else if kind.is_file() && name.ends_with(".policy") {
            files.push(entry.path());
        }
    }
    Ok(())
}

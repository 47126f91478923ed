//! Reads the files of the tables a pack's policies declare (or the files given at load
//! time) and attaches the data; reports load-time table names that no policy declares.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::files::{read_regular, FileFailure};
use super::link::LoadOptions;
use super::sources::PackSources;
use super::Pack;
use crate::check::did_you_mean;
use crate::diagnostics::{Diagnostic, PackError, Problem};
use crate::facts::Date;
use crate::tables::{load_table, TableBytes, TableSlot};

/// Reads a declared table's files (or the override given at load time) and attaches the data.
pub(super) fn load_table_files(
    table: &TableSlot,
    sources: &PackSources,
    options: &LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let span = table.files.first().map_or(table.span, |f| f.span);
    let fail = |diagnostics: &mut Vec<Diagnostic>, error: PackError| {
        diagnostics.push(Diagnostic::in_file(
            Problem::error(span, error, "this table"),
            &table.source,
        ));
    };
    let mut loaded: Vec<(String, Vec<u8>, Option<Date>)> = Vec::new();
    if let Some(path) = options.tables.get(&table.name) {
        // A dated table (fee schedule) given one file at load time: that file replaces the
        // whole dated list and applies to every date of service.
        let from = if table.kind.dated_files() {
            Some(Date::MIN)
        } else if table.files.len() > 1 {
            fail(
                diagnostics,
                PackError::TableOverrideOfDatedFiles {
                    table: table.name.clone(),
                    files: table.files.len(),
                },
            );
            return;
        } else {
            table.files.first().and_then(|f| f.from)
        };
        // The host names this file itself: no folder rule, but still a regular file within
        // the size limit (a FIFO must not block the load, `/dev/zero` not fill memory).
        let shown = path.display().to_string();
        match read_regular(path, options.limits.table_file_bytes) {
            Ok(bytes) => loaded.push((shown, bytes, from)),
            Err(FileFailure::Io(e)) => {
                fail(
                    diagnostics,
                    PackError::TableFileUnreadable {
                        table: table.name.clone(),
                        reason: format!("cannot read `{shown}`: {e}"),
                        hint: None,
                    },
                );
                return;
            }
            Err(failure) => {
                fail(
                    diagnostics,
                    failure.into_pack_error(&shown, "table_file_bytes"),
                );
                return;
            }
        }
    } else {
        for file in &table.files {
            let shown = format!("{}/{}", sources.folder, file.path);
            match sources.table_bytes(&file.path, options.limits.table_file_bytes) {
                Ok(bytes) => loaded.push((shown, bytes, file.from)),
                Err(FileFailure::Io(e)) => {
                    fail(
                        diagnostics,
                        PackError::TableFileUnreadable {
                            table: table.name.clone(),
                            reason: format!("cannot read `{shown}`: {e}"),
                            hint: Some(format!("put the CMS file at that path in the pack, or pass `--table {}=PATH` (`LoadOptions::tables`)", table.name)),
                        },
                    );
                    return;
                }
                Err(failure) => {
                    fail(
                        diagnostics,
                        failure.into_pack_error(&shown, "table_file_bytes"),
                    );
                    return;
                }
            }
        }
    }
    let files: Vec<TableBytes<'_>> = loaded
        .iter()
        .map(|(name, bytes, from)| TableBytes {
            name,
            bytes,
            from: *from,
        })
        .collect();
    let mut hasher = Sha256::new();
    for (_, bytes, from) in &loaded {
        hasher.update(from.map(|d| d.to_string()).unwrap_or_default().as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let digest: [u8; 32] = hasher.finalize().into();
    match load_table(table.kind, &files) {
        Ok(data) => table.attach(data, digest),
        Err(error) => fail(
            diagnostics,
            PackError::TableInvalid {
                table: table.name.clone(),
                layout: table.kind.name(),
                error: crate::diagnostics::TableFailure(std::sync::Arc::new(error)),
            },
        ),
    }
}

/// Names given with `--table` that no loaded pack declares.
pub(crate) fn unknown_table_overrides(
    packs: &BTreeMap<String, Pack>,
    options: &LoadOptions,
) -> Vec<Diagnostic> {
    let declared: Vec<&str> = packs
        .values()
        .flat_map(|p| p.tables.iter().map(|t| t.name.as_str()))
        .collect();
    options
        .tables
        .keys()
        .filter(|name| !declared.contains(&name.as_str()))
        .map(|name| {
            Diagnostic::general(PackError::UnknownTableOverride {
                name: name.clone(),
                hint: did_you_mean(name, declared.iter().copied()),
            })
        })
        .collect()
}

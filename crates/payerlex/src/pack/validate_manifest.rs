//! Reads a pack's `pack.toml` and checks it: id, version, dates, `disable`, listed policy
//! files. Errors point into the manifest.

use super::link::{at, span_of, ParsedPack};
use super::manifest::Manifest;
use super::sources::PackSources;
use crate::check::did_you_mean;
use crate::diagnostics::{Diagnostic, LintWarning, PackError, Problem};
use crate::facts::{Date, DateRange};
use crate::source::Span;

pub(super) fn parse_manifest<'a>(
    sources: &'a PackSources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ParsedPack<'a>> {
    let file = sources.manifest_file();
    let manifest: Manifest = match toml::from_str(&sources.manifest) {
        Ok(m) => m,
        Err(e) => {
            let span = e.span().map_or(Span::default(), |r| Span {
                start: r.start,
                end: r.end,
            });
            diagnostics.push(at(
                &file,
                span,
                PackError::InvalidManifest {
                    reason: e.message().to_owned(),
                },
                "here",
            ));
            return None;
        }
    };
    let before = diagnostics.len();
    let id = manifest.id.get_ref();
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        diagnostics.push(at(
            &file,
            span_of(&manifest.id),
            PackError::InvalidId { id: id.clone() },
            "payer id",
        ));
    }
    let version = semver::Version::parse(manifest.version.get_ref())
        .map_err(|e| {
            diagnostics.push(at(
                &file,
                span_of(&manifest.version),
                PackError::InvalidVersion {
                    text: manifest.version.get_ref().clone(),
                    reason: e.to_string(),
                },
                "not semver",
            ))
        })
        .ok();
    let mut date = |value: &toml::Spanned<String>| {
        Date::parse(value.get_ref())
            .map_err(|e| {
                diagnostics.push(at(
                    &file,
                    span_of(value),
                    PackError::InvalidDate(e),
                    "not a date",
                ))
            })
            .ok()
    };
    let from = date(&manifest.effective);
    let until = manifest.expires.as_ref().map(&mut date);
    let effective = DateRange {
        from: from.unwrap_or(Date::MIN),
        until: until.flatten().unwrap_or(Date::MAX),
    };
    if effective.is_empty() {
        diagnostics.push(at(
            &file,
            span_of(&manifest.effective),
            PackError::EmptyRange,
            "empty date range",
        ));
    }
    if manifest.extends.is_none() {
        if let Some(first) = manifest.disable.first() {
            diagnostics.push(at(
                &file,
                span_of(first),
                PackError::DisableWithoutBase,
                "nothing to disable",
            ));
        }
    }
    for listed in &manifest.policies {
        if sources.file(listed.get_ref()).is_none() {
            let present: Vec<&str> = sources.files.iter().map(|(p, _)| p.as_str()).collect();
            diagnostics.push(at(
                &file,
                span_of(listed),
                PackError::MissingPolicyFile {
                    path: listed.get_ref().clone(),
                    hint: did_you_mean(listed.get_ref(), present.iter().copied()),
                },
                "missing file",
            ));
        }
    }
    for (path, _) in &sources.files {
        if !manifest.policies.iter().any(|p| p.get_ref() == path) {
            diagnostics.push(Diagnostic::in_file(
                Problem::warning(
                    span_of(&manifest.id),
                    LintWarning::UnlistedPolicy { path: path.clone() },
                    "not loaded",
                ),
                &file,
            ));
        }
    }
    if diagnostics[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(ParsedPack {
        sources,
        manifest,
        manifest_file: file,
        version: version?,
        effective,
    })
}

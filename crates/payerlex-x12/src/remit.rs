//! Decisions out as the adjustment segments an 835 remittance carries per line.
//!
//! For each claim: `CLP` (claim id, status 4 when every line is denied, else 1); for each
//! line: `SVC` (HC:code:modifiers, billed units in SVC07), `DTM*472` (date of service), `CAS`
//! (group code and CARC of each deny finding, up to six reasons per segment) and `LQ*HE` (each
//! RARC of the line's deny and review findings). payerlex decides what to adjust and why, not
//! how much: the monetary elements (CLP03/04, SVC02/03, CAS03) are left empty for the
//! adjudication system to fill, and no envelope (ISA/GS/ST/BPR...) is written. A line held for
//! review carries its remarks but no CAS: nothing is adjusted until a coder decides. The
//! group code is the policy's (see [`crate::group_of`]). A decision's adjustments of earlier
//! claims (`adjust_prior`) are not written: recouping a paid claim is a reversal of that claim
//! (CLP02 = 22), which needs its payment data.

use std::io::{self, Write};

use crate::group::group_of;
use crate::model::{Claim, Decision, FindingOutcome, GroupCode, LineDecision, Outcome};

/// Reasons one CAS segment holds (CAS02/05/08/11/14/17).
const REASONS_PER_CAS: usize = 6;

/// Why a decision cannot be written as X12.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemitError {
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The claim id holds a delimiter or a character outside the X12 basic set.
    #[error("claim id cannot be written in X12: it holds `*`, `:`, `~`, `^` or a non-printable character")]
    ClaimId,
    /// The decision's lines do not match the claim's.
    #[error("the decision does not belong to this claim (its lines differ)")]
    Mismatch,
}

/// Writes the 835 adjustment segments of one decided claim, one segment per line of text.
pub fn write_adjustments(
    out: &mut impl Write,
    claim: &Claim,
    decision: &Decision,
) -> Result<(), RemitError> {
    let writable = |b: u8| (b' '..=b'~').contains(&b) && !matches!(b, b'*' | b':' | b'~' | b'^');
    if claim.id.is_empty() || !claim.id.bytes().all(writable) {
        return Err(RemitError::ClaimId);
    }
    if claim.lines.len() != decision.lines.len()
        || claim
            .lines
            .iter()
            .zip(&decision.lines)
            .any(|(l, d)| l.number != d.number || l.code != d.code)
    {
        return Err(RemitError::Mismatch);
    }
    let status = if decision.lines.iter().all(|l| l.outcome == Outcome::Deny) {
        "4"
    } else {
        "1"
    };
    writeln!(out, "CLP*{}*{status}~", claim.id)?;
    for (line, decided) in claim.lines.iter().zip(&decision.lines) {
        write!(out, "SVC*HC:{}", line.code)?;
        for modifier in line.modifiers.iter() {
            write!(out, ":{modifier}")?;
        }
        writeln!(out, "******{}~", line.units)?;
        let (year, month, day) = line.date.ymd();
        writeln!(out, "DTM*472*{year:04}{month:02}{day:02}~")?;
        for (group, reasons) in adjustments(decided) {
            for chunk in reasons.chunks(REASONS_PER_CAS) {
                write!(out, "CAS*{}", group.as_str())?;
                for (i, reason) in chunk.iter().enumerate() {
                    let gap = if i == 0 { "" } else { "**" };
                    write!(out, "{gap}*{reason}")?;
                }
                writeln!(out, "~")?;
            }
        }
        let mut remarks: Vec<String> = Vec::new();
        for finding in &decided.findings {
            if matches!(
                finding.outcome,
                FindingOutcome::Deny | FindingOutcome::Review
            ) {
                for rarc in finding.rarc.iter() {
                    let rarc = rarc.to_string();
                    if !remarks.contains(&rarc) {
                        remarks.push(rarc);
                    }
                }
            }
        }
        for rarc in remarks {
            writeln!(out, "LQ*HE*{rarc}~")?;
        }
    }
    Ok(())
}

/// CARCs of the line's deny findings by group code, in finding order, without repeats.
fn adjustments(line: &LineDecision) -> Vec<(GroupCode, Vec<String>)> {
    let mut groups: Vec<(GroupCode, Vec<String>)> = Vec::new();
    for finding in &line.findings {
        if finding.outcome != FindingOutcome::Deny {
            continue;
        }
        let Some(carc) = finding.carc.as_ref() else {
            continue;
        };
        let group = group_of(finding);
        let carc = carc.to_string();
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, reasons)) if reasons.contains(&carc) => {}
            Some((_, reasons)) => reasons.push(carc),
            None => groups.push((group, vec![carc])),
        }
    }
    groups
}

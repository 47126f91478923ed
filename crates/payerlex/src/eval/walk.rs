//! Quantifiers and aggregates: walking the lines a source names (the claim's, the patient's
//! history, or both), keeping those in the date window and from the right provider, and
//! testing each against the `where` filter.
//!
//! The window is turned into a date range once per walk, so each line costs two date
//! comparisons; history lines of the claim a replacement replaces, and denied history lines
//! (never paid), are skipped.
//!
//! The fused scans of the fast path (`compile::specialize`: a quantifier over the claim's own
//! lines that filters on codes alone) visit the same lines in the same order, testing the
//! code directly instead of evaluating a filter node.

use super::evaluate::{LineEnv, Tracer};
use super::line_view::LineView;
use super::tri::Tri;
use crate::compile::{CodeScan, ScanTotal, SourceNode};
use crate::facts::{Line, Outcome, ProcedureCode};
use crate::ir::{AggregateKind, ProviderFilter, Scope, Selector};

impl<'a> LineEnv<'a> {
    /// `any ...`: true when a line of the source passes the filter, unknown when none does
    /// but some filter was unknown.
    pub(super) fn exists<T: Tracer>(&self, source: &SourceNode, tracer: &mut T) -> Tri {
        let mut result = Tri::False;
        self.walk(
            source,
            tracer,
            |v| match v {
                Tri::True => {
                    result = Tri::True;
                    false
                }
                Tri::Unknown => {
                    result = Tri::Unknown;
                    true
                }
                Tri::False => true,
            },
            |_| {},
        );
        result
    }

    /// `count ...`, `count distinct codes of ...`, `sum units of ...`; `None` when a filter
    /// was unknown.
    pub(super) fn aggregate<T: Tracer>(
        &self,
        kind: AggregateKind,
        source: &SourceNode,
        tracer: &mut T,
    ) -> Option<i64> {
        let mut total = 0i64;
        let mut unknown = false;
        // Built on first use: only `count distinct codes` needs it, and zeroing its slots for
        // every `count` and `sum` would cost more than many walks.
        let mut codes: Option<DistinctCodes> = None;
        self.walk(
            source,
            tracer,
            |v| {
                unknown |= v == Tri::Unknown;
                true
            },
            |view| match kind {
                AggregateKind::CountLines => total += 1,
                AggregateKind::SumUnits => total = total.saturating_add(i64::from(view.units())),
                AggregateKind::CountDistinctCodes => {
                    if codes
                        .get_or_insert_with(DistinctCodes::default)
                        .insert(view.code())
                    {
                        total += 1;
                    }
                }
            },
        );
        if unknown {
            None
        } else {
            Some(total)
        }
    }

    /// Visits the lines of a source. `on_filter` sees each candidate's filter value and
    /// returns whether to continue; `on_match` sees each line whose filter is true.
    fn walk<T: Tracer>(
        &self,
        source: &SourceNode,
        tracer: &mut T,
        mut on_filter: impl FnMut(Tri) -> bool,
        mut on_match: impl FnMut(LineView<'a>),
    ) {
        let (from, until) = source.window.range(self.line.date);
        let rendering = self.claim.rendering_npi(self.line);
        let mut visit = |view: LineView<'a>, tracer: &mut T| -> bool {
            let date = view.date();
            if date < from || date > until {
                return true;
            }
            let provider_ok = match source.provider {
                ProviderFilter::Any => true,
                ProviderFilter::SameBilling => view.billing_npi() == self.claim.provider.npi,
                ProviderFilter::OtherBilling => view.billing_npi() != self.claim.provider.npi,
                ProviderFilter::SameRendering => view.rendering_npi() == rendering,
            };
            if !provider_ok {
                return true;
            }
            let value = match &source.filter {
                Some(filter) => self.node(filter, Some(view), tracer),
                None => Tri::True,
            };
            if value == Tri::True {
                on_match(view);
            }
            on_filter(value)
        };
        if source.scope != Scope::History {
            for (i, line) in self.claim.lines.iter().enumerate() {
                let skip = match source.selector {
                    Selector::All => false,
                    Selector::Other => i == self.index,
                    Selector::Earlier => i >= self.index,
                };
                if !skip && !visit(LineView::Claim(self.claim, line), tracer) {
                    return;
                }
            }
        }
        if source.scope != Scope::Claim {
            let replaced = self.claim.replaces.as_deref();
            for prior in self.history {
                if prior.outcome == Outcome::Deny || Some(&*prior.claim) == replaced {
                    continue;
                }
                if !visit(LineView::Prior(prior), tracer) {
                    return;
                }
            }
        }
    }
}

impl LineEnv<'_> {
    /// [`NodeKind::ScanExists`](crate::compile::NodeKind::ScanExists): whether a claim line
    /// passes the scan (what [`LineEnv::exists`] answers for the source it was fused from).
    pub(super) fn scan_any(&self, scan: &CodeScan) -> bool {
        let mut found = false;
        self.scan(scan, |_| {
            found = true;
            false
        });
        found
    }

    /// [`NumNode::ScanAggregate`](crate::compile::NumNode::ScanAggregate): the lines passing
    /// the scan counted, or their units summed (what [`LineEnv::aggregate`] answers for the
    /// source it was fused from).
    pub(super) fn scan_total(&self, kind: ScanTotal, scan: &CodeScan) -> i64 {
        let mut total = 0i64;
        self.scan(scan, |line| {
            total = total.saturating_add(match kind {
                ScanTotal::Lines => 1,
                ScanTotal::Units => i64::from(line.units),
            });
            true
        });
        total
    }

    /// Visits the claim's lines that pass `scan`, in claim order, while `on_match` returns
    /// true: the same lines, in the same order, as [`LineEnv::walk`] visits for the source.
    #[inline]
    fn scan(&self, scan: &CodeScan, mut on_match: impl FnMut(&Line) -> bool) {
        let (from, until) = scan.window.range(self.line.date);
        let current = self.line.code;
        let end = match scan.selector {
            Selector::Earlier => self.index.min(self.claim.lines.len()),
            Selector::All | Selector::Other => self.claim.lines.len(),
        };
        for (i, line) in self.claim.lines.iter().enumerate().take(end) {
            if scan.selector == Selector::Other && i == self.index {
                continue;
            }
            if line.date < from || line.date > until || !scan.codes.admit(line.code, current) {
                continue;
            }
            if !on_match(line) {
                return;
            }
        }
    }
}

/// A set of codes that stays on the stack for up to 32 codes.
#[derive(Default)]
struct DistinctCodes {
    inline: [Option<ProcedureCode>; 32],
    len: usize,
    spill: Vec<ProcedureCode>,
}

impl DistinctCodes {
    /// Adds a code; true when it was new.
    fn insert(&mut self, code: ProcedureCode) -> bool {
        if self.inline[..self.len.min(32)].contains(&Some(code)) || self.spill.contains(&code) {
            return false;
        }
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = Some(code);
                self.len += 1;
            }
            None => self.spill.push(code),
        }
        true
    }
}

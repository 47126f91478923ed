//! Table lookups in conditions: `mue[line.code].value`, `ptp[code, line.code].indicator`,
//! typed against the layout's keys and fields.

use crate::diagnostics::{Problem, SemanticError};
use crate::ir::*;
use crate::source::Span;
use crate::syntax::ast;

use super::exprs::{Ctx, Typed};
use super::literals;
use super::Checker;

impl Checker<'_> {
    pub(super) fn table_mismatch(&mut self, span: Span, other: &Typed) -> CondKind {
        self.problems.push(Problem::error(
            span,
            SemanticError::TableComparedWith {
                what: other.describe(),
            },
            "mismatched comparison",
        ));
        CondKind::Const(false)
    }

    /// Types `TABLE[key, ...]`, with a field when `want_field`.
    pub(super) fn lookup(
        &mut self,
        ast: &ast::TableLookupAst,
        ctx: Ctx,
        want_field: bool,
    ) -> Option<Lookup> {
        let Some(table) = self.tables.get(&ast.table.node).cloned() else {
            if self.broken.contains(&ast.table.node) {
                return None;
            }
            let names: Vec<&str> = self.tables.keys().map(String::as_str).collect();
            let hint = super::suggest::did_you_mean(&ast.table.node, names.iter().copied())
                .or_else(|| Some("declare it: `table NAME = mue \"tables/mue.csv\"`".into()));
            self.problems.push(Problem::error(
                ast.table.span,
                SemanticError::UnknownTable {
                    name: ast.table.node.clone(),
                    hint,
                },
                "not declared or imported",
            ));
            return None;
        };
        self.used.insert(ast.table.node.clone());
        let (min, max) = table.kind.key_counts();
        if ast.keys.len() < min || ast.keys.len() > max {
            self.problems.push(Problem::error(
                ast.span,
                SemanticError::WrongKeyCount {
                    layout: table.kind.name(),
                    expected: if min == max {
                        min.to_string()
                    } else {
                        format!("{min} or {max}")
                    },
                    found: ast.keys.len(),
                    hint: Some(table.kind.key_help().to_owned()),
                },
                "wrong number of keys",
            ));
            return None;
        }
        let mut keys = Vec::new();
        for key in &ast.keys {
            match self.value(key, ctx) {
                Typed::Code(operand) => keys.push(operand),
                Typed::Word(w) => keys.push(CodeOperand::Literal(literals::code(
                    &w,
                    &mut self.problems,
                )?)),
                Typed::Invalid => return None,
                other => {
                    self.problems.push(Problem::error(
                        key.span,
                        SemanticError::KeyNotCode {
                            what: other.describe(),
                            hint: Some(table.kind.key_help().to_owned()),
                        },
                        "not a code",
                    ));
                    return None;
                }
            }
        }
        let field = match (&ast.field, want_field) {
            (Some(f), _) => match table.kind.fields().iter().find(|(name, _)| *name == f.node) {
                Some((_, field)) => Some(*field),
                None => {
                    let names: Vec<&str> = table.kind.fields().iter().map(|(n, _)| *n).collect();
                    let hint = super::suggest::did_you_mean(&f.node, names.iter().copied())
                        .or_else(|| Some(format!("fields: {}", names.join(", "))));
                    self.problems.push(Problem::error(
                        f.span,
                        SemanticError::UnknownTableField {
                            layout: table.kind.name(),
                            field: f.node.clone(),
                            hint,
                        },
                        "unknown field",
                    ));
                    return None;
                }
            },
            (None, true) => {
                let fields = table
                    .kind
                    .fields()
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ");
                self.problems.push(Problem::error(
                    ast.span,
                    SemanticError::MissingTableField { fields },
                    "no field",
                ));
                return None;
            }
            (None, false) => None,
        };
        Some(Lookup { table, keys, field })
    }
}

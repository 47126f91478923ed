//! The symbol table of one policy file, read from its AST: what it declares (sets, phrase
//! lists, facts, tables, imports, rules) and every name it uses (sets, tables, report facts,
//! the policy an import names, the rule a `replaces` names), each with its span and the rule
//! it occurs in.
//!
//! Built from whatever parsed: a file with a broken item still has symbols for the items that
//! parsed, so navigation keeps working while the author types.

use crate::source::Span;
use crate::syntax::ast::{
    Element, Expr, ExprKind, Item, KnownTarget, LineSource, Path, PolicyAst, SetKind, SetRef,
    TableLookupAst, Value, ValueKind,
};
use crate::syntax::parse_policy;

/// What a declaration declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclKind {
    /// A named set (codes, modifiers, places, diagnoses, phrases, taxonomies, NPIs).
    Set(SetKind),
    /// A report fact stated by the caller (`facts a, b`).
    Fact,
    /// A data table, with its layout.
    Table(String),
    /// An imported name, with the policy it comes from.
    Import(String),
    /// A rule.
    Rule,
}

/// A declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decl {
    /// The name declared.
    pub name: String,
    /// What it is.
    pub kind: DeclKind,
    /// Where the name is written.
    pub name_span: Span,
    /// The whole item.
    pub item_span: Span,
    /// Set elements (or table files) as written.
    pub elements: Vec<String>,
}

/// What a used name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A set (`in NAME`, `has modifier in NAME`).
    Set,
    /// A table (`NAME[...]`).
    Table,
    /// A report fact (`report.NAME`).
    Fact,
    /// The policy of an import (`from POLICY`).
    Policy,
    /// A rule of a base pack (`replaces policy/rule`).
    ReplacedRule,
}

/// A use of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// The name as written.
    pub name: String,
    /// What it refers to.
    pub kind: RefKind,
    /// Where.
    pub span: Span,
    /// The rule it occurs in, when it is in a rule.
    pub rule: Option<String>,
}

/// The symbols of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSymbols {
    /// `policy NAME` and where the name is.
    pub policy: Option<(String, Span)>,
    /// Declarations in source order.
    pub decls: Vec<Decl>,
    /// Uses of names in source order.
    pub refs: Vec<Ref>,
}

impl FileSymbols {
    /// The symbols of a policy text.
    pub fn of(text: &str) -> Self {
        match parse_policy(text).ast {
            Some(ast) => Self::of_ast(&ast),
            None => Self::default(),
        }
    }

    fn of_ast(ast: &PolicyAst) -> Self {
        let mut symbols = FileSymbols {
            policy: Some((ast.name.node.clone(), ast.name.span)),
            ..Self::default()
        };
        for item in &ast.items {
            symbols.item(item);
        }
        symbols
    }

    /// The declaration of `name` with a kind accepted by `wanted`.
    pub fn decl(&self, name: &str, wanted: impl Fn(&DeclKind) -> bool) -> Option<&Decl> {
        self.decls
            .iter()
            .find(|d| d.name == name && wanted(&d.kind))
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Set(set) => self.decls.push(Decl {
                name: set.name.node.clone(),
                kind: DeclKind::Set(set.kind),
                name_span: set.name.span,
                item_span: set.span,
                elements: set.elements.iter().map(element_text).collect(),
            }),
            Item::Facts(names) => {
                let span = cover(names.iter().map(|n| n.span));
                for name in names {
                    self.decls.push(Decl {
                        name: name.node.clone(),
                        kind: DeclKind::Fact,
                        name_span: name.span,
                        item_span: span,
                        elements: Vec::new(),
                    });
                }
            }
            Item::Table(table) => self.decls.push(Decl {
                name: table.name.node.clone(),
                kind: DeclKind::Table(table.kind.node.clone()),
                name_span: table.name.span,
                item_span: table.span,
                elements: table
                    .files
                    .iter()
                    .map(|f| match &f.from {
                        Some(from) => format!("\"{}\" from {}", f.path.node, from.node),
                        None => format!("\"{}\"", f.path.node),
                    })
                    .collect(),
            }),
            Item::Import(import) => {
                let span = cover(
                    import
                        .names
                        .iter()
                        .map(|n| n.span)
                        .chain(std::iter::once(import.from.span)),
                );
                for name in &import.names {
                    self.decls.push(Decl {
                        name: name.node.clone(),
                        kind: DeclKind::Import(import.from.node.clone()),
                        name_span: name.span,
                        item_span: span,
                        elements: Vec::new(),
                    });
                }
                self.refs.push(Ref {
                    name: import.from.node.clone(),
                    kind: RefKind::Policy,
                    span: import.from.span,
                    rule: None,
                });
            }
            Item::Rule(rule) => {
                self.decls.push(Decl {
                    name: rule.name.node.clone(),
                    kind: DeclKind::Rule,
                    name_span: rule.name.span,
                    item_span: rule.span,
                    elements: Vec::new(),
                });
                let mut refs = RefCollector {
                    refs: &mut self.refs,
                    rule: Some(rule.name.node.clone()),
                };
                if let Some(target) = &rule.replaces {
                    refs.push(&target.node, RefKind::ReplacedRule, target.span);
                }
                for when in &rule.when {
                    refs.expr(when);
                }
            }
        }
    }
}

/// The smallest span covering `spans`.
fn cover(spans: impl Iterator<Item = Span>) -> Span {
    spans
        .reduce(|a, b| Span {
            start: a.start.min(b.start),
            end: a.end.max(b.end),
        })
        .unwrap_or_default()
}

/// A set element as written.
pub fn element_text(element: &Element) -> String {
    match element {
        Element::Single(value) => value.node.clone(),
        Element::Range(lo, hi) => format!("{}..{}", lo.node, hi.node),
        Element::Phrase(phrase) => format!("\"{}\"", phrase.node),
    }
}

struct RefCollector<'a> {
    refs: &'a mut Vec<Ref>,
    rule: Option<String>,
}

impl RefCollector<'_> {
    fn push(&mut self, name: &str, kind: RefKind, span: Span) {
        self.refs.push(Ref {
            name: name.to_owned(),
            kind,
            span,
            rule: self.rule.clone(),
        });
    }

    /// Recursion follows the condition, whose nesting the parser bounds.
    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Or(parts) | ExprKind::And(parts) => parts.iter().for_each(|p| self.expr(p)),
            ExprKind::Not(inner) => self.expr(inner),
            ExprKind::Compare { lhs, rhs, .. } => {
                self.value(lhs);
                self.value(rhs);
            }
            ExprKind::In { value, set, .. } => {
                self.value(value);
                self.set_ref(set);
            }
            ExprKind::HasModifier { modifier, .. } => self.set_ref(modifier),
            ExprKind::Quantified { source, .. } => self.source(source),
            ExprKind::Flag(path) | ExprKind::Known(KnownTarget::Path(path)) => self.path(path),
            ExprKind::TableRow(lookup) | ExprKind::Known(KnownTarget::Table(lookup)) => {
                self.lookup(lookup)
            }
        }
    }

    fn set_ref(&mut self, set: &SetRef) {
        if let SetRef::Named(name) = set {
            self.push(&name.node, RefKind::Set, name.span);
        }
    }

    fn source(&mut self, source: &LineSource) {
        if let Some(filter) = &source.filter {
            self.expr(filter);
        }
    }

    fn path(&mut self, path: &Path) {
        let is_report = path.subject.as_ref().is_some_and(|s| s.node == "report");
        if let (true, Some(fact)) = (is_report, path.fields.first()) {
            self.push(&fact.node, RefKind::Fact, fact.span);
        }
    }

    fn lookup(&mut self, lookup: &TableLookupAst) {
        self.push(&lookup.table.node, RefKind::Table, lookup.table.span);
        lookup.keys.iter().for_each(|k| self.value(k));
    }

    fn value(&mut self, value: &Value) {
        match &value.kind {
            ValueKind::Word(_) | ValueKind::Date(_) => {}
            ValueKind::Path(path) => self.path(path),
            ValueKind::TableField(lookup) => self.lookup(lookup),
            ValueKind::Aggregate { source, .. } => self.source(source),
            ValueKind::Binary { lhs, rhs, .. } => {
                self.value(lhs);
                self.value(rhs);
            }
            ValueKind::Duration { amount, .. } => self.value(amount),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn declarations_and_uses_with_their_rules() {
        let text = "policy p\nversion 1.0.0\nimport base from q\nset three_d = 76376, 76377\nphrases ws = \"independent workstation\"\ntable mue = mue \"m.csv\"\nrule r\n  when line.code in three_d and mue[line.code].mai = 3 and not report.ws\n   and any line where code in base\n  deny carc 4 \"m\"\nrule s\n  broken here\n";
        let symbols = FileSymbols::of(text);
        assert_eq!(symbols.policy.as_ref().unwrap().0, "p");
        let names: Vec<&str> = symbols.decls.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["base", "three_d", "ws", "mue", "r"]);
        assert_eq!(symbols.decls[1].elements, ["76376", "76377"]);
        let uses: Vec<(&str, RefKind, Option<&str>)> = symbols
            .refs
            .iter()
            .map(|r| (r.name.as_str(), r.kind, r.rule.as_deref()))
            .collect();
        assert_eq!(
            uses,
            [
                ("q", RefKind::Policy, None),
                ("three_d", RefKind::Set, Some("r")),
                ("mue", RefKind::Table, Some("r")),
                ("ws", RefKind::Fact, Some("r")),
                ("base", RefKind::Set, Some("r")),
            ]
        );
        let three_d = &symbols.refs[1];
        assert_eq!(&text[three_d.span.start..three_d.span.end], "three_d");
    }
}

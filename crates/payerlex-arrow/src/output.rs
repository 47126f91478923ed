//! The output batch: one row per input row, the line's decision or the claim's error.

use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use payerlex::{Decision, ErrorRecord, Finding, PriorAdjustment};
use serde::Serialize;

use crate::error::ArrowCheckError;

/// The input row a claim's output row answers: its key columns.
pub struct RowKey {
    pub payer: Option<String>,
    pub patient: Option<String>,
    pub claim: Option<String>,
    pub line: Option<i64>,
}

fn text_list_field() -> Arc<Field> {
    Arc::new(Field::new("item", DataType::Utf8, true))
}

fn finding_fields() -> Fields {
    Fields::from(vec![
        Field::new("rule", DataType::Utf8, true),
        Field::new("outcome", DataType::Utf8, true),
        Field::new("group", DataType::Utf8, true),
        Field::new("carc", DataType::Utf8, true),
        Field::new("rarc", DataType::List(text_list_field()), true),
        Field::new("message", DataType::Utf8, true),
    ])
}

fn adjustment_fields() -> Fields {
    Fields::from(vec![
        Field::new("claim", DataType::Utf8, true),
        Field::new("line", DataType::Int64, true),
        Field::new("rule", DataType::Utf8, true),
        Field::new("carc", DataType::Utf8, true),
    ])
}

fn adjustment_field() -> Arc<Field> {
    Arc::new(Field::new(
        "item",
        DataType::Struct(adjustment_fields()),
        true,
    ))
}

fn finding_field() -> Arc<Field> {
    Arc::new(Field::new("item", DataType::Struct(finding_fields()), true))
}

/// The schema of every output batch.
pub fn output_schema() -> SchemaRef {
    let text = |name: &str| Field::new(name, DataType::Utf8, true);
    Arc::new(Schema::new(vec![
        text("payer"),
        text("patient"),
        text("claim"),
        Field::new("line", DataType::Int64, true),
        text("decision"),
        text("outcome"),
        text("carc"),
        Field::new("rarc", DataType::List(text_list_field()), true),
        Field::new("rules", DataType::List(text_list_field()), true),
        Field::new("estimate", DataType::Float64, true),
        Field::new("findings", DataType::List(finding_field()), true),
        Field::new("adjustments", DataType::List(adjustment_field()), true),
        text("error"),
        text("error_code"),
    ]))
}

/// Builds one output batch.
pub struct OutputBuilder {
    payer: StringBuilder,
    patient: StringBuilder,
    claim: StringBuilder,
    line: Int64Builder,
    decision: StringBuilder,
    outcome: StringBuilder,
    carc: StringBuilder,
    rarc: ListBuilder<StringBuilder>,
    rules: ListBuilder<StringBuilder>,
    estimate: Float64Builder,
    findings: ListBuilder<StructBuilder>,
    adjustments: ListBuilder<StructBuilder>,
    error: StringBuilder,
    error_code: StringBuilder,
}

impl Default for OutputBuilder {
    fn default() -> Self {
        let finding_builders: Vec<Box<dyn ArrayBuilder>> = vec![
            Box::new(StringBuilder::new()),
            Box::new(StringBuilder::new()),
            Box::new(StringBuilder::new()),
            Box::new(StringBuilder::new()),
            Box::new(ListBuilder::new(StringBuilder::new()).with_field(text_list_field())),
            Box::new(StringBuilder::new()),
        ];
        Self {
            payer: StringBuilder::new(),
            patient: StringBuilder::new(),
            claim: StringBuilder::new(),
            line: Int64Builder::new(),
            decision: StringBuilder::new(),
            outcome: StringBuilder::new(),
            carc: StringBuilder::new(),
            rarc: ListBuilder::new(StringBuilder::new()).with_field(text_list_field()),
            rules: ListBuilder::new(StringBuilder::new()).with_field(text_list_field()),
            estimate: Float64Builder::new(),
            findings: ListBuilder::new(StructBuilder::new(finding_fields(), finding_builders))
                .with_field(finding_field()),
            adjustments: ListBuilder::new(StructBuilder::from_fields(adjustment_fields(), 0))
                .with_field(adjustment_field()),
            error: StringBuilder::new(),
            error_code: StringBuilder::new(),
        }
    }
}

/// The JSON text of a serialisable code (line and finding outcomes).
fn code_text(value: &impl Serialize) -> Option<String> {
    match serde_json::to_value(value).ok()? {
        serde_json::Value::String(text) => Some(text),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl OutputBuilder {
    fn key(&mut self, key: &RowKey) {
        self.payer.append_option(key.payer.as_deref());
        self.patient.append_option(key.patient.as_deref());
        self.claim.append_option(key.claim.as_deref());
        self.line.append_option(key.line);
    }

    /// The rows of a decided claim, one per input row (the decision's lines, in order).
    pub fn decided(&mut self, rows: &[RowKey], decision: &Decision) {
        let id = decision.id.to_string();
        for (index, key) in rows.iter().enumerate() {
            self.key(key);
            self.decision.append_value(&id);
            let Some(line) = decision.lines.get(index) else {
                self.outcome.append_null();
                self.carc.append_null();
                self.rarc.append_null();
                self.rules.append_null();
                self.estimate.append_null();
                self.findings.append_null();
                self.error
                    .append_value("the decision has no line for this row");
                self.error_code.append_value("PLX-A004");
                continue;
            };
            self.outcome.append_option(code_text(&line.outcome));
            let carc = line.findings.iter().find_map(|f| f.carc.as_ref());
            self.carc.append_option(carc.map(|c| c.as_str()));
            for finding in &line.findings {
                for rarc in finding.rarc.iter() {
                    self.rarc.values().append_value(rarc.as_str());
                }
                self.rules.values().append_value(&*finding.rule);
            }
            self.rarc.append(true);
            self.rules.append(true);
            let amount = line
                .estimate
                .as_ref()
                .and_then(|e| e.amount.to_string().parse::<f64>().ok());
            self.estimate.append_option(amount);
            for finding in &line.findings {
                self.finding(finding);
            }
            self.findings.append(true);
            if index == 0 {
                for adjustment in &decision.adjustments {
                    self.adjustment(adjustment);
                }
                self.adjustments.append(true);
            } else {
                self.adjustments.append_null();
            }
            self.error.append_null();
            self.error_code.append_null();
        }
    }

    fn adjustment(&mut self, adjustment: &PriorAdjustment) {
        let item = self.adjustments.values();
        if let Some(claim) = item.field_builder::<StringBuilder>(0) {
            claim.append_value(&adjustment.claim);
        }
        if let Some(line) = item.field_builder::<Int64Builder>(1) {
            line.append_value(i64::from(adjustment.line));
        }
        if let Some(rule) = item.field_builder::<StringBuilder>(2) {
            rule.append_value(&*adjustment.finding.rule);
        }
        if let Some(carc) = item.field_builder::<StringBuilder>(3) {
            carc.append_option(adjustment.finding.carc.as_ref().map(|c| c.as_str()));
        }
        item.append(true);
    }

    fn finding(&mut self, finding: &Finding) {
        let item = self.findings.values();
        let text = |item: &mut StructBuilder, field: usize, value: Option<String>| {
            if let Some(builder) = item.field_builder::<StringBuilder>(field) {
                builder.append_option(value);
            }
        };
        text(item, 0, Some(finding.rule.to_string()));
        text(item, 1, code_text(&finding.outcome));
        text(item, 2, finding.group.map(|g| g.as_str().to_owned()));
        text(
            item,
            3,
            finding.carc.as_ref().map(|c| c.as_str().to_owned()),
        );
        if let Some(rarc) = item.field_builder::<ListBuilder<StringBuilder>>(4) {
            for code in finding.rarc.iter() {
                rarc.values().append_value(code.as_str());
            }
            rarc.append(true);
        }
        text(item, 5, Some(finding.message.to_string()));
        item.append(true);
    }

    /// The rows of a claim that was not decided: its error on each.
    pub fn rejected(&mut self, rows: &[RowKey], error: &ErrorRecord) {
        for key in rows {
            self.key(key);
            self.decision.append_null();
            self.outcome.append_null();
            self.carc.append_null();
            self.rarc.append_null();
            self.rules.append_null();
            self.estimate.append_null();
            self.findings.append_null();
            self.adjustments.append_null();
            self.error.append_value(&error.error);
            self.error_code
                .append_option(Some(error.code.as_str()).filter(|c| !c.is_empty()));
        }
    }

    /// The batch of the rows so far (the builder starts again empty).
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowCheckError> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.payer.finish()),
            Arc::new(self.patient.finish()),
            Arc::new(self.claim.finish()),
            Arc::new(self.line.finish()),
            Arc::new(self.decision.finish()),
            Arc::new(self.outcome.finish()),
            Arc::new(self.carc.finish()),
            Arc::new(self.rarc.finish()),
            Arc::new(self.rules.finish()),
            Arc::new(self.estimate.finish()),
            Arc::new(self.findings.finish()),
            Arc::new(self.adjustments.finish()),
            Arc::new(self.error.finish()),
            Arc::new(self.error_code.finish()),
        ];
        Ok(RecordBatch::try_new(output_schema(), columns)?)
    }
}

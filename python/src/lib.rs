//! `payerlex._payerlex`: the Rust side of the Python package. Claims and decisions cross as
//! JSON text (the JSON contract, so Python sees exactly what `payerlex check` writes) and
//! Arrow data crosses through the Arrow C data interface (`arrow-pyarrow`), without copies.
//! `payerlex/__init__.py` turns JSON into dicts and batches into `pyarrow.Table`s.

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::ffi_stream::ArrowArrayStreamReader;
use arrow_array::RecordBatch;
use arrow_pyarrow::PyArrowType;
use arrow_schema::Schema;
use payerlex::{parse_claim, CheckOptions, ErrorRecord, InMemoryHistory};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

create_exception!(
    _payerlex,
    PayerlexError,
    PyException,
    "Base of payerlex's errors."
);
create_exception!(
    _payerlex,
    PolicyError,
    PayerlexError,
    "Policy packs failed to load; `.diagnostics` lists every problem."
);
create_exception!(
    _payerlex,
    ClaimError,
    PayerlexError,
    "A claim could not be decided; `.code` is its diagnostic code."
);
create_exception!(
    _payerlex,
    ArrowError,
    PayerlexError,
    "An Arrow batch could not be read; `.code` is its diagnostic code."
);

/// An exception of `kind` with `message`, and `code` and `diagnostics` attributes.
fn error_with(
    py: Python<'_>,
    err: PyErr,
    code: &str,
    diagnostics: Vec<(String, String, bool)>,
) -> PyErr {
    let value = err.value(py);
    let list = PyList::empty(py);
    for (code, message, is_error) in diagnostics {
        let entry = PyDict::new(py);
        let filled = entry
            .set_item("code", code)
            .and_then(|()| entry.set_item("message", message))
            .and_then(|()| entry.set_item("severity", if is_error { "error" } else { "warning" }))
            .and_then(|()| list.append(entry));
        if let Err(e) = filled {
            return e;
        }
    }
    match value
        .setattr("code", code)
        .and_then(|()| value.setattr("diagnostics", list))
    {
        Ok(()) => err,
        Err(e) => e,
    }
}

fn claim_error(py: Python<'_>, record: ErrorRecord, what: &str) -> PyErr {
    let message = format!("{what}: {}", record.error);
    let diagnostic = (record.code.clone(), record.error.clone(), true);
    error_with(
        py,
        ClaimError::new_err(message),
        &record.code,
        vec![diagnostic],
    )
}

fn arrow_error(py: Python<'_>, error: payerlex_arrow::ArrowCheckError) -> PyErr {
    let code = miette::Diagnostic::code(&error)
        .map(|c| c.to_string())
        .unwrap_or_default();
    let message = error.to_string();
    error_with(
        py,
        ArrowError::new_err(message.clone()),
        &code,
        vec![(code.clone(), message, true)],
    )
}

/// Compiled policy packs.
#[pyclass(module = "payerlex._payerlex", frozen)]
struct Engine {
    inner: Arc<payerlex::Engine>,
}

#[pymethods]
impl Engine {
    /// Loads every pack under `policies` (a folder of packs, or one pack).
    #[staticmethod]
    fn load(py: Python<'_>, policies: PathBuf) -> PyResult<Self> {
        match py.detach(|| payerlex::Engine::load(&policies)) {
            Ok(engine) => Ok(Self {
                inner: Arc::new(engine),
            }),
            Err(e) => {
                let diagnostics = e
                    .diagnostics
                    .iter()
                    .map(|d| (d.code(), d.message(), d.is_error()))
                    .collect();
                let first = e.errors().next().map(|d| d.code()).unwrap_or_default();
                Err(error_with(
                    py,
                    PolicyError::new_err(format!("{e}\n{}", e.render())),
                    &first,
                    diagnostics,
                ))
            }
        }
    }

    /// Decides one claim (JSON text) after deciding `history`, the patient's earlier claims
    /// (JSON texts, oldest first); returns the decision as JSON text.
    fn check(&self, py: Python<'_>, claim: &str, history: Vec<String>) -> PyResult<String> {
        let engine = Arc::clone(&self.inner);
        let claim = claim.to_owned();
        let result = py.detach(move || -> Result<String, (ErrorRecord, String)> {
            let mut store = InMemoryHistory::for_engine(&engine);
            for (index, earlier) in history.iter().enumerate() {
                let what = format!("history[{index}]");
                let earlier = parse_claim(earlier)
                    .map_err(|e| (ErrorRecord::new(index + 1, &e), what.clone()))?;
                let decision = engine
                    .check_with(&earlier, &store, CheckOptions::default())
                    .map_err(|e| (ErrorRecord::new(index + 1, &e), what))?;
                store.record(&earlier, &decision);
            }
            let what = "claim".to_owned();
            let claim = parse_claim(&claim).map_err(|e| (ErrorRecord::new(1, &e), what.clone()))?;
            let decision = engine
                .check_with(&claim, &store, CheckOptions::default())
                .map_err(|e| (ErrorRecord::new(1, &e), what.clone()))?;
            serde_json::to_string(&decision).map_err(|e| {
                (
                    ErrorRecord {
                        record: 1,
                        error: e.to_string(),
                        code: "PLX-I001".into(),
                    },
                    what,
                )
            })
        });
        result.map_err(|(record, what)| claim_error(py, record, &what))
    }

    /// Decides a JSON Lines file (one record per line, history in file order); returns the
    /// output records as JSON Lines text.
    fn check_jsonl(&self, py: Python<'_>, path: PathBuf) -> PyResult<String> {
        let engine = Arc::clone(&self.inner);
        let result = py.detach(move || -> std::io::Result<Vec<u8>> {
            let file = std::io::BufReader::new(std::fs::File::open(&path)?);
            let mut out = Vec::new();
            payerlex::check_jsonl(&engine, file, &mut out, CheckOptions::default())?;
            Ok(out)
        });
        match result {
            Ok(out) => Ok(String::from_utf8_lossy(&out).into_owned()),
            Err(e) => Err(pyo3::exceptions::PyOSError::new_err(e.to_string())),
        }
    }

    /// Decides an Arrow stream of claim-line rows (anything with `__arrow_c_stream__`: a
    /// `pyarrow.Table`, a `RecordBatchReader`); returns the output schema and batches.
    #[allow(clippy::type_complexity)]
    fn check_arrow(
        &self,
        py: Python<'_>,
        stream: PyArrowType<ArrowArrayStreamReader>,
    ) -> PyResult<(PyArrowType<Schema>, Vec<PyArrowType<RecordBatch>>)> {
        let mut checker = payerlex_arrow::BatchChecker::new(Arc::clone(&self.inner));
        let mut out = Vec::new();
        for batch in stream.0 {
            let batch = batch.map_err(|e| ArrowError::new_err(e.to_string()))?;
            let decided = py
                .detach(|| checker.push(&batch))
                .map_err(|e| arrow_error(py, e))?;
            out.push(PyArrowType(decided));
        }
        let last = checker.finish().map_err(|e| arrow_error(py, e))?;
        out.push(PyArrowType(last));
        let schema = payerlex_arrow::output_schema();
        Ok((PyArrowType(Schema::clone(&schema)), out))
    }

    /// A checker for a stream of batches that arrive one at a time (Spark's `mapInArrow`).
    fn batch_checker(&self) -> BatchChecker {
        BatchChecker {
            inner: payerlex_arrow::BatchChecker::new(Arc::clone(&self.inner)),
        }
    }
}

/// Decides batches one at a time, carrying history from batch to batch.
#[pyclass(module = "payerlex._payerlex")]
struct BatchChecker {
    inner: payerlex_arrow::BatchChecker,
}

#[pymethods]
impl BatchChecker {
    /// Decides the claims whose rows are complete; the last claim waits for the next batch.
    fn push(
        &mut self,
        py: Python<'_>,
        batch: PyArrowType<RecordBatch>,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let inner = &mut self.inner;
        py.detach(|| inner.push(&batch.0))
            .map(PyArrowType)
            .map_err(|e| arrow_error(py, e))
    }

    /// Decides the last claim: call at the end of the stream.
    fn finish(&mut self, py: Python<'_>) -> PyResult<PyArrowType<RecordBatch>> {
        let inner = &mut self.inner;
        py.detach(|| inner.finish())
            .map(PyArrowType)
            .map_err(|e| arrow_error(py, e))
    }
}

/// The schema of `check_arrow`'s and `BatchChecker`'s output.
#[pyfunction]
fn output_schema() -> PyArrowType<Schema> {
    PyArrowType(Schema::clone(&payerlex_arrow::output_schema()))
}

#[pymodule]
fn _payerlex(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Engine>()?;
    m.add_class::<BatchChecker>()?;
    m.add_function(wrap_pyfunction!(output_schema, m)?)?;
    m.add("PayerlexError", py.get_type::<PayerlexError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("ClaimError", py.get_type::<ClaimError>())?;
    m.add("ArrowError", py.get_type::<ArrowError>())?;
    Ok(())
}

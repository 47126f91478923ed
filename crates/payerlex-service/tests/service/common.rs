//! Helpers shared by the service tests: services over the shipped packs (or a copy that a
//! test can change), requests through the router without a socket, and the example claims.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use payerlex_service::store::{MemoryStore, SqliteStore, Store};
use payerlex_service::{router, AppState, EngineSlot, Limits};
use serde_json::Value;
use tower::ServiceExt;

/// The repository's shipped packs.
pub fn policies_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

/// The repository's example claims, by id.
pub fn example_claim(id: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/claims.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find(|line| line.contains(&format!("\"id\":\"{id}\"")))
        .unwrap_or_else(|| panic!("no example claim {id}"))
        .to_owned()
}

/// The example claims file.
pub fn example_claims() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/claims.jsonl");
    std::fs::read_to_string(path).unwrap()
}

/// Copies a pack folder tree (files and sub-folders) into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the shipped packs in a temporary folder.
pub fn policies_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&policies_dir(), dir.path());
    dir
}

/// State over the packs in `policies` with the given store and limits.
pub fn state_with(policies: &Path, store: Arc<dyn Store>, limits: Limits) -> Arc<AppState> {
    let engines = EngineSlot::load(policies.to_path_buf(), Default::default())
        .unwrap_or_else(|e| panic!("packs do not load:\n{}", e.render()));
    AppState::new(engines, store, limits, None, Default::default()).unwrap()
}

/// State over the shipped packs, in memory, with the payer map of the X12 and FHIR fixtures.
pub fn state_with_payer_map(map: &Path) -> Arc<AppState> {
    let engines = EngineSlot::load(policies_dir(), Default::default()).unwrap();
    let payers = payerlex_service::PayerMaps::load(Some(map)).unwrap();
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new(1_000_000).unwrap());
    AppState::new(engines, store, Limits::default(), None, payers).unwrap()
}

/// State over the shipped packs, in memory, default limits.
pub fn memory_state() -> Arc<AppState> {
    state_with(
        &policies_dir(),
        Arc::new(MemoryStore::new(1_000_000).unwrap()),
        Limits::default(),
    )
}

/// State over the shipped packs with an SQLite file.
pub fn sqlite_state(file: &Path) -> Arc<AppState> {
    state_with(
        &policies_dir(),
        Arc::new(SqliteStore::open(file, false, 1_000_000).unwrap()),
        Limits::default(),
    )
}

/// An answer: status, content type and body.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// NDJSON lines.
    pub fn lines(&self) -> Vec<Value> {
        self.body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// Sends one request through the router.
pub async fn call(
    state: &Arc<AppState>,
    method: Method,
    path: &str,
    body: impl Into<Body>,
) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap();
    send(state, request).await
}

/// Sends a built request through the router.
pub async fn send(state: &Arc<AppState>, request: Request<Body>) -> Answer {
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// POST /v1/check with a claim.
pub async fn check(state: &Arc<AppState>, claim: &str) -> Answer {
    call(state, Method::POST, "/v1/check", claim.to_owned()).await
}

/// The rules of a decision's findings, over all lines.
pub fn rules(decision: &Value) -> Vec<String> {
    decision["lines"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|line| line["findings"].as_array().unwrap().iter())
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// A claim of `id` with the example claim's body, for `patient` and `payer`.
pub fn claim_as(example: &str, id: &str, patient: &str, payer: &str) -> String {
    let mut claim: Value = serde_json::from_str(&example_claim(example)).unwrap();
    claim["id"] = Value::from(id);
    claim["patient"] = Value::from(patient);
    claim["payer"] = Value::from(payer);
    claim.to_string()
}

/// A request body fed piece by piece by the test, and its sender.
pub fn channel_body() -> (
    tokio::sync::mpsc::Sender<Result<bytes::Bytes, std::io::Error>>,
    Body,
) {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    (sender, Body::from_stream(stream))
}

/// Reads answer lines from a streaming response body, one at a time.
pub struct LineReader {
    stream: axum::body::BodyDataStream,
    buffer: Vec<u8>,
}

impl LineReader {
    pub fn new(body: Body) -> Self {
        Self {
            stream: body.into_data_stream(),
            buffer: Vec::new(),
        }
    }

    /// The next line as JSON, or `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Value> {
        use futures_util::StreamExt;
        loop {
            if let Some(end) = self.buffer.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                return Some(serde_json::from_slice(&line).unwrap());
            }
            match self.stream.next().await {
                Some(chunk) => self.buffer.extend_from_slice(&chunk.unwrap()),
                None => return None,
            }
        }
    }
}

/// Sets a pack's version in its `pack.toml` (which changes its digest).
pub fn set_version(policies: &Path, pack: &str, from: &str, to: &str) {
    let path = policies.join(pack).join("pack.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let from = format!("version = \"{from}\"");
    assert!(text.contains(&from), "{} has no {from}", path.display());
    std::fs::write(&path, text.replace(&from, &format!("version = \"{to}\""))).unwrap();
}

/// Appends a rule that does not parse to a policy file; returns the file's previous text.
pub fn break_policy(policies: &Path, pack: &str, file: &str) -> String {
    let path = policies.join(pack).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}\nrule broken-on-purpose\n  when line.code in\n"),
    )
    .unwrap();
    text
}

/// The digest of `pack` in `/v1/packs`.
pub async fn digest_of(state: &Arc<AppState>, pack: &str) -> String {
    let packs = call(state, Method::GET, "/v1/packs", "").await.json();
    packs["packs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == pack)
        .unwrap()["digest"]
        .as_str()
        .unwrap()
        .to_owned()
}

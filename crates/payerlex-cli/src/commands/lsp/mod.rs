//! `payerlex lsp [--policies DIR]`: the language server editors start (the VS Code extension
//! in `editors/vscode` runs it over stdin and stdout, without a `--stdio` flag).
//!
//! Built on `lsp-server` (rust-analyzer's synchronous scaffold) and `lsp-types`: the server
//! is one loop over incoming messages, and all analysis is the library's
//! (`payerlex::authoring::Workspace`), so what the editor shows is what `payerlex check`
//! prints. Full-text document sync; changes that arrive together are analysed once, before
//! the next request is answered or when the queue is empty; diagnostics are published for
//! every file of the packs (and cleared when fixed).

mod convert;
mod requests;
mod rule_tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification, Request};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::{
    DiagnosticSeverity, InitializeParams, LogMessageParams, MessageType, NumberOrString,
    PositionEncodingKind, PublishDiagnosticsParams,
};
use payerlex::authoring::{normalize, Workspace};
use payerlex::{Date, Severity};
use serde_json::json;

use convert::{path_of, uri_of, Encoding, LineIndex};

/// The command behind the "run this rule's pack tests" code lens.
pub const RUN_RULE_TESTS: &str = "payerlex.runRuleTests";

/// Arguments of `payerlex lsp`.
#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Folder of policy packs. Default: `policies` in the editor's workspace folder, else the
    /// folder itself, else the packs around the first policy file opened.
    #[arg(long, value_name = "DIR")]
    pub policies: Option<PathBuf>,
    /// Load limits, as for `check`.
    #[command(flatten)]
    pub limit: super::load::LimitArgs,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Runs the server on stdin/stdout until the client shuts it down; returns the exit code.
pub fn run(args: &LspArgs) -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let code = match serve(&connection, args) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("payerlex lsp: {error}");
            1
        }
    };
    drop(connection);
    if let Err(error) = io_threads.join() {
        eprintln!("payerlex lsp: {error}");
    }
    code
}

/// Today (UTC): table rows in hovers are those in force today.
fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    Date::from_ymd(1970, 1, 1)
        .unwrap_or(Date::MIN)
        .add_days(i32::try_from(days).unwrap_or(0))
}

fn serve(connection: &Connection, args: &LspArgs) -> Result<(), Failure> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
    let encoding = if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    #[allow(deprecated)] // root_uri: older clients send only it
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())
        .and_then(path_of);
    connection.initialize_finish(
        id,
        json!({
            "capabilities": requests::capabilities(encoding),
            "serverInfo": {"name": "payerlex", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let mut server = Server {
        connection,
        encoding,
        workspace: None,
        pending: BTreeMap::new(),
        published: BTreeSet::new(),
        limits: args.limit.limits(),
    };
    let root = args
        .policies
        .clone()
        .or_else(|| folder.and_then(|f| default_root(&f)));
    if let Some(root) = root {
        server.open_workspace(&root)?;
    }
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                server.flush()?;
                server.request(request)?;
            }
            Message::Notification(notification) => {
                server.notification(notification)?;
                if connection.receiver.is_empty() {
                    server.flush()?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// `policies/` in the editor's folder, else the folder, when either holds packs.
fn default_root(folder: &Path) -> Option<PathBuf> {
    let has_packs = |dir: &Path| {
        dir.join("pack.toml").is_file()
            || std::fs::read_dir(dir).is_ok_and(|entries| {
                entries
                    .filter_map(Result::ok)
                    .any(|e| e.path().join("pack.toml").is_file())
            })
    };
    [folder.join("policies"), folder.to_path_buf()]
        .into_iter()
        .find(|dir| has_packs(dir))
}

/// The packs around a policy file: the folder holding its pack (so sibling packs it extends
/// load too).
fn root_around(path: &Path) -> Option<PathBuf> {
    let pack = path
        .ancestors()
        .skip(1)
        .find(|d| d.join("pack.toml").is_file())?;
    Some(pack.parent().unwrap_or(pack).to_path_buf())
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    workspace: Option<Workspace>,
    /// Document texts received and not yet analysed.
    pending: BTreeMap<PathBuf, String>,
    /// Files that have diagnostics shown (to clear them when fixed).
    published: BTreeSet<PathBuf>,
    /// Limits the workspace loads packs under (`--limit`).
    limits: payerlex::Limits,
}

impl Server<'_> {
    fn notify(&self, method: &str, params: impl serde::Serialize) -> Result<(), Failure> {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))?;
        Ok(())
    }

    fn log(&self, message: String) -> Result<(), Failure> {
        self.notify(
            LogMessage::METHOD,
            LogMessageParams {
                typ: MessageType::INFO,
                message,
            },
        )
    }

    fn open_workspace(&mut self, root: &Path) -> Result<(), Failure> {
        match Workspace::load_with(root, today(), self.limits) {
            Ok(workspace) => {
                self.log(format!(
                    "payerlex: {} policy file(s) under {}",
                    workspace.policy_files().count(),
                    workspace.root().display()
                ))?;
                self.workspace = Some(workspace);
                self.publish()
            }
            Err(errors) => {
                let reasons: Vec<String> = errors.iter().map(|e| e.message()).collect();
                self.log(format!(
                    "payerlex: no policy packs loaded from {}: {}",
                    root.display(),
                    reasons.join("; ")
                ))
            }
        }
    }

    fn notification(&mut self, notification: Notification) -> Result<(), Failure> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                if let Some(path) = path_of(&params.text_document.uri) {
                    if self.workspace.is_none() {
                        if let Some(root) = root_around(&path) {
                            self.open_workspace(&root)?;
                        }
                    }
                    self.pending.insert(path, params.text_document.text);
                }
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                let path = path_of(&params.text_document.uri);
                if let (Some(path), Some(change)) =
                    (path, params.content_changes.into_iter().last())
                {
                    self.pending.insert(path, change.text);
                }
            }
            DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                if let Some(path) = path_of(&params.text_document.uri) {
                    self.flush()?;
                    if let Some(workspace) = &mut self.workspace {
                        workspace.close(&path);
                    }
                    self.publish()?;
                }
            }
            DidChangeWatchedFiles::METHOD => {
                self.flush()?;
                if let Some(workspace) = &mut self.workspace {
                    if let Err(errors) = workspace.reload() {
                        let reasons: Vec<String> = errors.iter().map(|e| e.message()).collect();
                        self.log(format!(
                            "payerlex: reloading failed: {}",
                            reasons.join("; ")
                        ))?;
                    }
                }
                self.publish()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Analyses the documents received since the last analysis and publishes diagnostics.
    fn flush(&mut self) -> Result<(), Failure> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        if let Some(workspace) = &mut self.workspace {
            workspace.set_texts(pending);
        }
        self.publish()
    }

    fn publish(&mut self) -> Result<(), Failure> {
        let Some(workspace) = &self.workspace else {
            return Ok(());
        };
        let mut by_file: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for path in workspace
            .policy_files()
            .map(Path::to_path_buf)
            .chain(workspace.manifests())
        {
            by_file.entry(normalize(&path)).or_default();
        }
        for path in &self.published {
            by_file.entry(path.clone()).or_default();
        }
        for found in workspace.diagnostics() {
            let Some(path) = &found.path else {
                self.log(format!("payerlex: {} {}", found.code, found.message))?;
                continue;
            };
            let text = workspace
                .text(path)
                .map(str::to_owned)
                .or_else(|| std::fs::read_to_string(path).ok())
                .unwrap_or_default();
            let index = LineIndex::new(&text, self.encoding);
            by_file
                .entry(normalize(path))
                .or_default()
                .push(lsp_types::Diagnostic {
                    range: index.range(&found.range),
                    severity: Some(match found.severity {
                        Severity::Error => DiagnosticSeverity::ERROR,
                        Severity::Warning => DiagnosticSeverity::WARNING,
                    }),
                    code: Some(NumberOrString::String(found.code.clone())),
                    source: Some("payerlex".to_owned()),
                    message: found.message.clone(),
                    ..lsp_types::Diagnostic::default()
                });
        }
        let mut shown = BTreeSet::new();
        for (path, diagnostics) in by_file {
            let had = self.published.contains(&path);
            if diagnostics.is_empty() && !had {
                continue;
            }
            let Some(uri) = uri_of(&path) else { continue };
            if !diagnostics.is_empty() {
                shown.insert(path);
            }
            self.notify(
                PublishDiagnostics::METHOD,
                PublishDiagnosticsParams {
                    uri,
                    diagnostics,
                    version: None,
                },
            )?;
        }
        self.published = shown;
        Ok(())
    }

    fn request(&mut self, request: Request) -> Result<(), Failure> {
        let response = requests::answer(self.workspace.as_ref(), self.encoding, request, |m| {
            self.notify(lsp_types::notification::ShowMessage::METHOD, m)
        })?;
        self.connection.sender.send(Message::Response(response))?;
        Ok(())
    }
}

//! `payerlex lsp` through the protocol: a test client starts the server on a copy of the
//! shipped policies (as the VS Code extension does: `payerlex lsp --policies DIR`, stdio, no
//! `--stdio` flag), speaks JSON-RPC with Content-Length framing, and checks the answers to
//! initialize, didOpen/didChange (diagnostics with the CLI's codes, appearing and clearing),
//! hover (set, code, rule, table), definition across files (import), completion,
//! documentSymbol, codeLens, executeCommand and shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    notifications: Vec<Value>,
    next_id: i64,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(policies: &Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("payerlex"))
            .arg("lsp")
            .arg("--policies")
            .arg(policies)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            notifications: Vec::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        self.incoming
            .recv_timeout(TIMEOUT)
            .expect("the server did not answer in time")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.notifications.push(message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next diagnostics published for `uri` (waiting for them if need be).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.notifications.iter().position(is_for) {
            let message = self.notifications.remove(i);
            return message["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let message = self.receive();
            if is_for(&message) {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.notifications.push(message);
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

/// The LSP position (UTF-16; these files are ASCII) of the `nth` occurrence of `needle`,
/// plus `shift` characters.
fn position(text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` not found"))
        .0
        + shift;
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": column})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

fn shipped_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    common::copy_dir(&common::policies(), &policies);
    (dir, policies)
}

#[test]
fn an_editor_session() {
    let (_dir, policies) = shipped_copy();
    let rendering_path = policies.join("medicare/3d-rendering.policy");
    let rendering = std::fs::read_to_string(&rendering_path).unwrap();
    let rendering_uri = uri(&rendering_path);
    let mut client = Client::start(&policies);

    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    let capabilities = &init["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["definitionProvider"], true);
    assert_eq!(capabilities["documentSymbolProvider"], true);
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(
        capabilities["executeCommandProvider"]["commands"][0],
        "payerlex.runRuleTests"
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": rendering_uri, "languageId": "payerlex-policy",
               "version": 1, "text": rendering}}),
    );

    // An error as the author types: the CLI's code and message, at the misspelt name.
    let broken = rendering.replacen(
        "line.code in three_d and no line",
        "line.code in three_D and no line",
        1,
    );
    assert!(broken != rendering, "the text to break was not found");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": rendering_uri, "version": 2},
               "contentChanges": [{"text": broken}]}),
    );
    let diagnostics = client.diagnostics(&rendering_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let problem = &diagnostics[0];
    assert_eq!(problem["severity"], 1);
    assert_eq!(problem["source"], "payerlex");
    let message = problem["message"].as_str().unwrap();
    assert!(message.starts_with("unknown set `three_D`"), "{message}");
    assert!(message.contains("did you mean `three_d`?"), "{message}");
    assert_eq!(
        problem["range"]["start"],
        position(&broken, "three_D", 0, 0)
    );
    // The CLI reports the same code for the same text.
    std::fs::write(&rendering_path, &broken).unwrap();
    let cli = Command::new(assert_cmd::cargo::cargo_bin("payerlex"))
        .args(["test", "--policies"])
        .arg(&policies)
        .output()
        .unwrap();
    let stderr = String::from_utf8(cli.stderr).unwrap();
    let code = problem["code"].as_str().unwrap();
    assert!(code.starts_with("PLX-"), "{code}");
    assert!(
        stderr.contains(&format!("error[{code}]: unknown set `three_D`")),
        "{stderr}"
    );
    std::fs::write(&rendering_path, &rendering).unwrap();

    // Fixed: the diagnostics are cleared.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": rendering_uri, "version": 3},
               "contentChanges": [{"text": rendering}]}),
    );
    assert_eq!(client.diagnostics(&rendering_uri), Vec::<Value>::new());

    // Hover on a set: what it holds, where, which rules use it.
    let hover = client.request(
        "textDocument/hover",
        at(&rendering_uri, position(&rendering, "set three_d", 0, 5)),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**set** `three_d`: 2 procedure codes"),
        "{text}"
    );
    assert!(text.contains("76376, 76377"), "{text}");
    assert!(text.contains("The two 3D rendering codes."), "{text}");
    assert!(
        text.contains("medicare.3d-rendering/base-study-required"),
        "{text}"
    );
    // 11 rules of its own policy, 4 documentation rules, 5 NCCI rules and 3 component rules
    // import it.
    assert!(text.contains("used by 23 rule(s)"), "{text}");
    assert!(text.contains("medicare.3d-documentation/"), "{text}");

    // Hover on a code: sets, rules and its rows in the loaded tables.
    let hover = client.request(
        "textDocument/hover",
        at(&rendering_uri, position(&rendering, "76377", 1, 2)),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("**76377**"), "{text}");
    assert!(text.contains("`three_d` (medicare.3d-rendering)"), "{text}");
    assert!(text.contains("MUE 2 (MAI 3"), "{text}");
    assert!(text.contains("PC/TC 1"), "{text}");

    // Hover on a rule: outcome, message, citation, the packs that apply it.
    let hover = client.request(
        "textDocument/hover",
        at(
            &rendering_uri,
            position(&rendering, "rule base-study-required", 0, 7),
        ),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("deny carc B15 rarc N657"), "{text}");
    assert!(text.contains("Cites: CPT instructions"), "{text}");
    assert!(
        text.contains("`acme-health`") && text.contains("`summit-care`"),
        "{text}"
    );

    // Definition across files: a set imported from another policy, and the policy itself.
    let acme_path = policies.join("acme-health/3d-rendering.policy");
    let acme = std::fs::read_to_string(&acme_path).unwrap();
    let acme_uri = uri(&acme_path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": acme_uri, "languageId": "payerlex-policy",
               "version": 1, "text": acme}}),
    );
    let definition = client.request(
        "textDocument/definition",
        at(&acme_uri, position(&acme, "code in base_study", 0, 10)),
    );
    assert_eq!(definition["uri"], rendering_uri.as_str());
    assert_eq!(
        definition["range"]["start"],
        position(&rendering, "base_study =", 0, 0)
    );
    let definition = client.request(
        "textDocument/definition",
        at(
            &acme_uri,
            position(&acme, "from medicare.3d-rendering", 0, 6),
        ),
    );
    assert_eq!(definition["uri"], rendering_uri.as_str());
    assert_eq!(
        definition["range"]["start"],
        position(&rendering, "medicare.3d-rendering\n", 0, 0)
    );
    // Hover on the imported name shows the set it imports.
    let hover = client.request(
        "textDocument/hover",
        at(&acme_uri, position(&acme, "import base_study", 0, 8)),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**set** `base_study`"), "{text}");
    assert!(
        text.contains("acme-health.3d-rendering/integral-to-base-study"),
        "{text}"
    );

    // Completion: table columns, set names after `in`, clause keywords.
    let ncci_path = policies.join("medicare/ncci.policy");
    let ncci = std::fs::read_to_string(&ncci_path).unwrap();
    let ncci_uri = uri(&ncci_path);
    let labels = |items: &Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };
    let items = client.request(
        "textDocument/completion",
        at(&ncci_uri, position(&ncci, "mue[line.code].mai", 0, 15)),
    );
    assert_eq!(labels(&items), ["value", "mai"]);
    let items = client.request(
        "textDocument/completion",
        at(
            &rendering_uri,
            position(&rendering, "line.code in three_d", 0, 13),
        ),
    );
    let sets = labels(&items);
    for name in ["three_d", "base_study", "angiography_indicator_0"] {
        assert!(sets.contains(&name.to_owned()), "{sets:?}");
    }
    assert!(!sets.contains(&"ncci_bypass".to_owned()) || sets.len() > 5);
    let items = client.request(
        "textDocument/completion",
        at(
            &rendering_uri,
            position(&rendering, "modifier in ncci_bypass", 0, 12),
        ),
    );
    assert!(
        labels(&items).contains(&"ncci_bypass".to_owned()),
        "{items}"
    );
    assert!(!labels(&items).contains(&"three_d".to_owned()), "{items}");
    let items = client.request(
        "textDocument/completion",
        at(&rendering_uri, position(&rendering, "  cite \"CPT", 0, 2)),
    );
    assert!(labels(&items).contains(&"when".to_owned()), "{items}");

    // Outline: rules and sets.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": rendering_uri}}),
    );
    let outline: Vec<(String, i64)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["kind"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(outline.contains(&("three_d".to_owned(), 10)), "{outline:?}"); // Enum
    assert!(
        outline.contains(&("base-study-required".to_owned(), 12)),
        "{outline:?}"
    ); // Function
    assert_eq!(outline.iter().filter(|(_, k)| *k == 12).count(), 11);

    // Code lenses: one per rule, running its pack tests.
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": rendering_uri}}),
    );
    let lenses = lenses.as_array().unwrap();
    assert_eq!(lenses.len(), 11);
    let lens = &lenses[0]["command"];
    assert_eq!(lens["command"], "payerlex.runRuleTests");
    assert_eq!(
        lens["arguments"][0],
        "medicare.3d-rendering/base-study-required"
    );
    let result = client.request(
        "workspace/executeCommand",
        json!({"command": "payerlex.runRuleTests", "arguments": lens["arguments"]}),
    );
    assert_eq!(result["rule"], "medicare.3d-rendering/base-study-required");
    let tests = result["tests"].as_array().unwrap();
    assert!(!tests.is_empty(), "{result}");
    assert!(tests.iter().all(|t| t["passed"] == true), "{result}");
    assert!(
        tests.iter().any(|t| t["pack"] == "acme-health"),
        "inherited rules run the extending packs' tests too: {result}"
    );
    let shown = client
        .notifications
        .iter()
        .find(|m| m["method"] == "window/showMessage")
        .expect("the command shows its result");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{} passed, 0 failed", tests.len())),
        "{shown}"
    );

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn a_warning_and_a_syntax_error_carry_their_codes() {
    let (_dir, policies) = shipped_copy();
    let path = policies.join("summit-care/3d-rendering.policy");
    let text = std::fs::read_to_string(&path).unwrap();
    let file_uri = uri(&path);
    let mut client = Client::start(&policies);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null,
               "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    );
    client.notify("initialized", json!({}));
    let edited = format!("{text}\nset unused_codes = 99999\n");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": file_uri, "languageId": "payerlex-policy",
               "version": 1, "text": edited}}),
    );
    let diagnostics = client.diagnostics(&file_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["severity"], 2);
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap()
        .contains("unused_codes"));
    assert!(diagnostics[0]["code"].as_str().unwrap().starts_with("PLX-"));

    let broken = format!("{text}\nrule half\n  when line.units >\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file_uri, "version": 2},
               "contentChanges": [{"text": broken}]}),
    );
    let diagnostics = client.diagnostics(&file_uri);
    assert!(!diagnostics.is_empty());
    assert!(
        diagnostics.iter().all(|d| d["severity"] == 1),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics
            .iter()
            .any(|d| d["code"].as_str().unwrap().starts_with("PLX-S")),
        "{diagnostics:?}"
    );
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}

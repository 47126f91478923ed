//! The requests the server answers: hover, definition, completion, document symbols, code
//! lenses and the "run this rule's pack tests" command. Each converts the protocol's
//! coordinates, asks the library's `Workspace`, and converts the answer back.

use lsp_server::{ErrorCode, Request, Response};
use lsp_types::request::{
    CodeLensRequest, Completion, DocumentSymbolRequest, ExecuteCommand, GotoDefinition,
    HoverRequest, Request as _,
};
use lsp_types::{
    CodeLens, Command, CompletionItem, CompletionItemKind, DocumentSymbol, GotoDefinitionResponse,
    Hover, HoverContents, MarkupContent, MarkupKind, ShowMessageParams, SymbolKind,
    TextDocumentPositionParams,
};
use payerlex::authoring::{self, CompletionKind, Workspace};
use serde_json::{json, Value};

use super::convert::{path_of, uri_of, Encoding, LineIndex};
use super::{rule_tests, Failure, RUN_RULE_TESTS};

/// What the server offers, for `initialize`.
pub fn capabilities(encoding: Encoding) -> Value {
    json!({
        "positionEncoding": match encoding { Encoding::Utf8 => "utf-8", Encoding::Utf16 => "utf-16" },
        "textDocumentSync": {"openClose": true, "change": 1},
        "hoverProvider": true,
        "definitionProvider": true,
        "completionProvider": {"triggerCharacters": [".", " ", "["]},
        "documentSymbolProvider": true,
        "codeLensProvider": {"resolveProvider": false},
        "executeCommandProvider": {"commands": [RUN_RULE_TESTS]},
    })
}

/// The answer to `request`; `show` sends a `window/showMessage` (test results).
pub fn answer(
    workspace: Option<&Workspace>,
    encoding: Encoding,
    request: Request,
    show: impl Fn(ShowMessageParams) -> Result<(), Failure>,
) -> Result<Response, Failure> {
    let id = request.id.clone();
    let Some(workspace) = workspace else {
        return Ok(Response::new_ok(id, Value::Null));
    };
    let answer = Answer {
        workspace,
        encoding,
    };
    let result = match request.method.as_str() {
        HoverRequest::METHOD => answer.hover(serde_json::from_value(request.params)?),
        GotoDefinition::METHOD => answer.definition(serde_json::from_value(request.params)?),
        Completion::METHOD => answer.completion(serde_json::from_value(request.params)?),
        DocumentSymbolRequest::METHOD => answer.symbols(serde_json::from_value(request.params)?),
        CodeLensRequest::METHOD => answer.lenses(serde_json::from_value(request.params)?),
        ExecuteCommand::METHOD => {
            let params: lsp_types::ExecuteCommandParams = serde_json::from_value(request.params)?;
            let rule = params.arguments.first().and_then(Value::as_str);
            match (params.command.as_str(), rule) {
                (RUN_RULE_TESTS, Some(rule)) => {
                    let report = rule_tests::run(workspace, rule);
                    show(report.message())?;
                    serde_json::to_value(&report)?
                }
                _ => {
                    return Ok(Response::new_err(
                        id,
                        ErrorCode::InvalidParams as i32,
                        format!("unknown command `{}` or missing rule id", params.command),
                    ))
                }
            }
        }
        other => {
            return Ok(Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("payerlex lsp does not answer `{other}`"),
            ))
        }
    };
    Ok(Response::new_ok(id, result))
}

struct Answer<'w> {
    workspace: &'w Workspace,
    encoding: Encoding,
}

impl Answer<'_> {
    /// The file and byte offset of a position, with the file's line index.
    fn locate(&self, at: &TextDocumentPositionParams) -> Option<(std::path::PathBuf, usize)> {
        let path = path_of(&at.text_document.uri)?;
        let text = self.workspace.text(&path)?;
        let offset = LineIndex::new(text, self.encoding).offset(at.position);
        Some((path, offset))
    }

    fn index<'t>(&self, text: &'t str) -> LineIndex<'t> {
        LineIndex::new(text, self.encoding)
    }

    fn hover(&self, params: lsp_types::HoverParams) -> Value {
        let found = self
            .locate(&params.text_document_position_params)
            .and_then(|(path, offset)| Some((self.workspace.hover(&path, offset)?, path)));
        let Some((hover, path)) = found else {
            return Value::Null;
        };
        let text = self.workspace.text(&path).unwrap_or("");
        json!(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: hover.markdown,
            }),
            range: Some(self.index(text).range(&hover.range)),
        })
    }

    fn definition(&self, params: lsp_types::GotoDefinitionParams) -> Value {
        let found = self
            .locate(&params.text_document_position_params)
            .and_then(|(path, offset)| self.workspace.definition(&path, offset));
        let Some(location) = found else {
            return Value::Null;
        };
        let text = self.workspace.text(&location.path).unwrap_or("");
        let Some(uri) = uri_of(&location.path) else {
            return Value::Null;
        };
        json!(GotoDefinitionResponse::Scalar(lsp_types::Location {
            uri,
            range: self.index(text).range(&location.range),
        }))
    }

    fn completion(&self, params: lsp_types::CompletionParams) -> Value {
        let Some((path, offset)) = self.locate(&params.text_document_position) else {
            return Value::Null;
        };
        let items: Vec<CompletionItem> = self
            .workspace
            .completions(&path, offset)
            .into_iter()
            .map(|c| CompletionItem {
                label: c.label,
                kind: Some(match c.kind {
                    CompletionKind::Keyword => CompletionItemKind::KEYWORD,
                    CompletionKind::Set => CompletionItemKind::ENUM,
                    CompletionKind::Table => CompletionItemKind::STRUCT,
                    CompletionKind::Field => CompletionItemKind::FIELD,
                    _ => CompletionItemKind::VALUE,
                }),
                detail: Some(c.detail),
                ..CompletionItem::default()
            })
            .collect();
        json!(items)
    }

    fn symbols(&self, params: lsp_types::DocumentSymbolParams) -> Value {
        let Some(path) = path_of(&params.text_document.uri) else {
            return Value::Null;
        };
        let text = self.workspace.text(&path).unwrap_or("");
        let index = self.index(text);
        #[allow(deprecated)] // `deprecated` is a required field of the type
        let symbols: Vec<DocumentSymbol> = self
            .workspace
            .symbols(&path)
            .into_iter()
            .map(|s| DocumentSymbol {
                name: s.name,
                detail: Some(s.detail),
                kind: match s.kind {
                    authoring::SymbolKind::Rule => SymbolKind::FUNCTION,
                    authoring::SymbolKind::Set => SymbolKind::ENUM,
                    authoring::SymbolKind::Table => SymbolKind::STRUCT,
                    _ => SymbolKind::FIELD,
                },
                tags: None,
                deprecated: None,
                range: index.range(&s.range),
                selection_range: index.range(&s.selection),
                children: None,
            })
            .collect();
        json!(symbols)
    }

    fn lenses(&self, params: lsp_types::CodeLensParams) -> Value {
        let Some(path) = path_of(&params.text_document.uri) else {
            return Value::Null;
        };
        let text = self.workspace.text(&path).unwrap_or("");
        let index = self.index(text);
        let lenses: Vec<CodeLens> = self
            .workspace
            .rule_lenses(&path)
            .into_iter()
            .map(|lens| CodeLens {
                range: index.range(&lens.range),
                command: Some(Command {
                    title: "Run this rule's pack tests".to_owned(),
                    command: RUN_RULE_TESTS.to_owned(),
                    arguments: Some(vec![json!(lens.rule)]),
                }),
                data: None,
            })
            .collect();
        json!(lenses)
    }
}

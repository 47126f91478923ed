/**
 * The payerlex VS Code extension's client: starts `payerlex lsp` and speaks LSP with it over
 * its stdin and stdout, for policy files.
 *
 * Highlighting, comments, brackets and indentation come from the grammar and the language
 * configuration and work on their own; this client only adds the language server. When the
 * server cannot start (no `payerlex` executable, a wrong setting, a payerlex without the `lsp`
 * command) it says so once, with a button to the setting, and the editor keeps working.
 * Changing `payerlex.path` or `payerlex.policies` restarts the server.
 */

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { DEFAULT_EXECUTABLE, resolveServerCommand } from './serverCommand';

const LANGUAGE_ID = 'payerlex-policy';

/**
 * vscode-languageclient 9, when the server exits while starting, drops its own start promise
 * (start() then resolves, and that promise rejects with nobody to handle it) and calls stop()
 * on itself, which rejects because a starting client cannot be stopped. Both would surface as
 * unhandled rejections; this subclass keeps hold of them, so a failed start is seen by
 * startServer() and reported once.
 */
class PayerlexClient extends LanguageClient {
  override start(): Promise<void> {
    const first = super.start();
    // While starting, a second call returns the client's own start promise.
    const pending = super.start();
    return Promise.all([first, pending]).then(() => undefined);
  }

  override stop(timeout?: number): Promise<void> {
    return super.stop(timeout).catch((error: unknown) => {
      if (this.isRunning()) throw error;
      output?.appendLine(`(the server was not running: ${error instanceof Error ? error.message : String(error)})`);
    });
  }
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
// Pack manifests and policies that are not open still change what a policy means.
let watcher: vscode.FileSystemWatcher | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('payerlex');
  watcher = vscode.workspace.createFileSystemWatcher('**/{*.policy,pack.toml}');
  context.subscriptions.push(
    output,
    watcher,
    vscode.commands.registerCommand('payerlex.restartServer', () => restartServer()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('payerlex.path') || event.affectsConfiguration('payerlex.policies')) {
        void restartServer();
      }
    }),
  );
  await startServer();
}

export async function deactivate(): Promise<void> {
  await stopServer();
}

async function restartServer(): Promise<void> {
  await stopServer();
  await startServer();
}

async function startServer(): Promise<void> {
  const config = vscode.workspace.getConfiguration('payerlex');
  const workspaceRoot = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const resolution = resolveServerCommand(
    {
      path: config.get<string>('path', DEFAULT_EXECUTABLE),
      policies: config.get<string>('policies', ''),
    },
    { env: process.env, workspaceRoot, platform: process.platform },
  );
  if (!resolution.ok) {
    report(resolution.message);
    return;
  }

  const { command, args } = resolution.server;
  output?.appendLine(`starting ${command} ${args.join(' ')}`);
  // stdio without a `transport` field: with TransportKind.stdio the client would append
  // `--stdio` to the arguments, which `payerlex lsp` need not accept.
  const serverOptions: ServerOptions = {
    command,
    args,
    options: workspaceRoot === undefined ? undefined : { cwd: workspaceRoot },
  };
  // Until the server has started, a failure is reported once by the catch below (the client
  // would otherwise retry and pile up notifications); once running, a crash is handled by the
  // client's default handler, which restarts the server a few times.
  let running = false;
  let startupProblem: string | undefined;
  let defaultHandler: ErrorHandler | undefined;
  const errorHandler: ErrorHandler = {
    error: (error, message, count) => {
      if (running && defaultHandler) return defaultHandler.error(error, message, count);
      startupProblem ??= error.message;
      // Continue: the server's exit, reported to `closed` next, ends the attempt.
      return { action: ErrorAction.Continue, handled: true };
    },
    closed: () => {
      if (running && defaultHandler) return defaultHandler.closed();
      startupProblem ??= 'the server exited';
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    outputChannel: output,
    errorHandler,
    initializationFailedHandler: (error) => {
      output?.appendLine(`payerlex lsp failed to initialize: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
    synchronize: { fileEvents: watcher },
  };
  let candidate: LanguageClient | undefined;
  try {
    candidate = new PayerlexClient('payerlex', 'payerlex language server', serverOptions, clientOptions);
    defaultHandler = candidate.createDefaultErrorHandler();
    await candidate.start();
    // start() can resolve although the server exited while starting (the client then drops
    // its pending start): only a running client counts.
    if (!candidate.isRunning()) throw new Error(startupProblem ?? 'the server stopped while starting');
    running = true;
    client = candidate;
  } catch (error) {
    const reason = startupProblem ?? (error instanceof Error ? error.message : String(error));
    report(
      `payerlex: "${command} ${args.join(' ')}" did not start as a language server (${reason}). ` +
        'Check that this payerlex has the `lsp` command (`payerlex lsp --help`) and see the "payerlex" output for its messages.',
    );
    await candidate?.dispose().catch(() => undefined);
  }
}

async function stopServer(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    await running.stop().catch((error: unknown) => output?.appendLine(`stopping the server: ${String(error)}`));
  }
}

/** Tells the user why there is no language server, with a way to the settings. */
function report(message: string): void {
  output?.appendLine(message);
  void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'payerlex.');
    } else if (choice === 'Show Output') {
      output?.show();
    }
  });
}

// The client as VS Code runs it (out/extension.js with vscode-languageclient), against a
// stand-in `vscode` module (support/vscode-stub.cjs) and stand-in `payerlex` executables:
// a missing one, one without the `lsp` command, and a minimal LSP server. Activation never
// throws or hangs; failures reach the user as one clear message; a working server is started
// over stdio with the configured arguments and shut down cleanly on deactivation.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { state } = require('./support/vscode-stub.cjs');
const extension = require('../out/extension.js');

const scratch = mkdtempSync(join(tmpdir(), 'payerlex-activation-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => extension.deactivate());

const workspace = join(scratch, 'workspace');
mkdirSync(join(workspace, 'policies'), { recursive: true });

function script(name, body) {
  const file = join(scratch, name);
  writeFileSync(file, `#!${process.execPath}\n${body}`);
  chmodSync(file, 0o755);
  return file;
}

// A payerlex from before the language server: clap rejects the subcommand.
const withoutLsp = script(
  'payerlex-without-lsp',
  `process.stderr.write("error: unrecognized subcommand 'lsp'\\n"); process.exit(2);\n`,
);

// A minimal LSP server over stdio that logs its arguments and the methods it receives to
// fake-lsp.log in its working directory (the workspace folder).
const fakeServer = script(
  'payerlex-fake-lsp',
  String.raw`
const fs = require('node:fs');
const log = (entry) => fs.appendFileSync('fake-lsp.log', JSON.stringify(entry) + '\n');
log({ argv: process.argv.slice(2) });
let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
    buffer = buffer.subarray(headerEnd + 4 + length);
    log({ method: message.method });
    if (message.method === 'initialize') reply(message.id, { capabilities: {} });
    else if (message.method === 'shutdown') reply(message.id, null);
    else if (message.method === 'exit') process.exit(0);
  }
});
function reply(id, result) {
  const body = JSON.stringify({ jsonrpc: '2.0', id, result });
  process.stdout.write('Content-Length: ' + Buffer.byteLength(body) + '\r\n\r\n' + body);
}
`,
);

async function activate(settings) {
  state.reset({ settings, workspaceRoot: workspace });
  await extension.activate({ subscriptions: [] });
}

describe('activation', { timeout: 30_000 }, () => {
  test('a missing payerlex gives one message naming the setting', async () => {
    const missing = join(scratch, 'no', 'payerlex');
    await activate({ path: missing });
    assert.equal(state.errors.length, 1, state.errors.join('\n'));
    assert.match(state.errors[0], /is not an executable file/);
    assert.match(state.errors[0], /"payerlex\.path"/);
    assert.ok(state.output.join('').includes(missing));
  });

  test('a payerlex without the lsp command is reported with what to check', async () => {
    await activate({ path: withoutLsp });
    const ours = state.errors.filter((message) => message.startsWith('payerlex:'));
    assert.equal(ours.length, 1, state.errors.join('\n'));
    assert.match(ours[0], /did not start as a language server/);
    assert.match(ours[0], /payerlex lsp --help/);
  });

  test('a working server is started with lsp --policies and shut down on deactivate', async () => {
    const log = join(workspace, 'fake-lsp.log');
    rmSync(log, { force: true });
    await activate({ path: fakeServer, policies: 'policies' });
    assert.deepEqual(state.errors, []);
    await extension.deactivate();
    assert.ok(existsSync(log), 'the server did not start');
    const entries = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(entries[0], { argv: ['lsp', '--policies', join(workspace, 'policies')] });
    assert.deepEqual(
      entries.slice(1).map((entry) => entry.method),
      ['initialize', 'initialized', 'shutdown', 'exit'],
    );
  });
});

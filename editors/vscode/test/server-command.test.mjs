// How the client finds `payerlex` and what it passes to `payerlex lsp`
// (src/serverCommand.ts, compiled to out/ by `npm run compile`, which `npm test` runs first).

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const require = createRequire(import.meta.url);
const { resolveServerCommand } = require('../out/serverCommand.js');

const scratch = mkdtempSync(join(tmpdir(), 'payerlex-vscode-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function executable(dir, name, mode = 0o755) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, mode);
  return file;
}

const bin = join(scratch, 'bin');
const payerlex = executable(bin, 'payerlex');
const workspace = join(scratch, 'workspace');
mkdirSync(join(workspace, 'policies'), { recursive: true });
const linux = (env) => ({ env, workspaceRoot: workspace, platform: 'linux' });

describe('finding the payerlex executable', () => {
  test('the default command is looked up on PATH', () => {
    const result = resolveServerCommand({ path: '', policies: '' }, linux({ PATH: `/nonexistent:${bin}` }));
    assert.deepEqual(result, { ok: true, server: { command: payerlex, args: ['lsp'] } });
  });

  test('a missing executable gives a message naming the setting, not an exception', () => {
    const result = resolveServerCommand({ path: 'payerlex', policies: '' }, linux({ PATH: '/nonexistent' }));
    assert.equal(result.ok, false);
    assert.match(result.message, /"payerlex" was not found on PATH/);
    assert.match(result.message, /"payerlex\.path"/);
  });

  test('a file on PATH that is not executable does not count', () => {
    const dir = join(scratch, 'not-executable');
    executable(dir, 'payerlex', 0o644);
    const result = resolveServerCommand({ path: 'payerlex', policies: '' }, linux({ PATH: dir }));
    assert.equal(result.ok, false);
  });

  test('an absolute path is used as it is', () => {
    const other = executable(join(scratch, 'opt'), 'payerlex-nightly');
    const result = resolveServerCommand({ path: other, policies: '' }, linux({ PATH: '' }));
    assert.deepEqual(result, { ok: true, server: { command: other, args: ['lsp'] } });
  });

  test('an absolute path that does not exist is reported with the path', () => {
    const missing = join(scratch, 'nowhere', 'payerlex');
    const result = resolveServerCommand({ path: missing, policies: '' }, linux({ PATH: bin }));
    assert.equal(result.ok, false);
    assert.ok(result.message.includes(`"${missing}" (setting "payerlex.path") is not an executable file`), result.message);
  });

  test('a relative path is taken from the workspace folder', () => {
    const local = executable(join(workspace, 'target', 'debug'), 'payerlex');
    const result = resolveServerCommand({ path: 'target/debug/payerlex', policies: '' }, linux({ PATH: '' }));
    assert.deepEqual(result, { ok: true, server: { command: local, args: ['lsp'] } });
  });

  test('a relative path without a workspace folder is reported', () => {
    const result = resolveServerCommand({ path: './payerlex', policies: '' }, { env: { PATH: bin }, workspaceRoot: undefined, platform: 'linux' });
    assert.equal(result.ok, false);
    assert.match(result.message, /no folder is open/);
  });

  test('on Windows, PATHEXT extensions are tried', () => {
    const dir = join(scratch, 'windows');
    const exe = executable(dir, 'payerlex.exe');
    const result = resolveServerCommand(
      { path: 'payerlex', policies: '' },
      { env: { Path: dir, PATHEXT: '.EXE;.CMD' }, workspaceRoot: workspace, platform: 'win32' },
    );
    assert.deepEqual(result, { ok: true, server: { command: exe, args: ['lsp'] } });
  });
});

describe('the policies folder', () => {
  test('is passed as --policies with an absolute path', () => {
    const result = resolveServerCommand({ path: 'payerlex', policies: 'policies' }, linux({ PATH: bin }));
    assert.deepEqual(result, {
      ok: true,
      server: { command: payerlex, args: ['lsp', '--policies', join(workspace, 'policies')] },
    });
  });

  test('a folder that does not exist is reported instead of starting a server that cannot load it', () => {
    const result = resolveServerCommand({ path: 'payerlex', policies: 'no-such-folder' }, linux({ PATH: bin }));
    assert.equal(result.ok, false);
    assert.ok(result.message.includes(join(workspace, 'no-such-folder')), result.message);
    assert.match(result.message, /"payerlex\.policies"/);
  });
});

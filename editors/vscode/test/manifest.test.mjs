// The extension manifest wires up what exists: the language id and file extension, the
// grammar (with the scope name the grammar declares), the language configuration and the
// compiled client; and the language configuration indents as policy files are laid out
// (items at column 0, their bodies indented).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const readJson = (file) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const manifest = readJson('package.json');

describe('package.json', () => {
  const [language] = manifest.contributes.languages;
  const [grammar] = manifest.contributes.grammars;

  test('declares the payerlex-policy language for .policy files', () => {
    assert.equal(language.id, 'payerlex-policy');
    assert.deepEqual(language.extensions, ['.policy']);
    assert.equal(grammar.language, 'payerlex-policy');
  });

  test('points at a grammar that declares the same scope name', () => {
    assert.equal(readJson(grammar.path).scopeName, grammar.scopeName);
    assert.equal(grammar.scopeName, 'source.payerlex');
  });

  test('points at the compiled client', () => {
    assert.ok(existsSync(join(ROOT, manifest.main)), `${manifest.main} is missing: run npm run compile`);
  });

  test('has the settings the client reads', () => {
    const settings = manifest.contributes.configuration.properties;
    assert.equal(settings['payerlex.path'].default, 'payerlex');
    assert.equal(settings['payerlex.policies'].default, '');
  });
});

describe('language-configuration.json', () => {
  const config = readJson(manifest.contributes.languages[0].configuration);
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);

  test('comments are #, brackets are () and []', () => {
    assert.equal(config.comments.lineComment, '#');
    assert.deepEqual(config.brackets, [['(', ')'], ['[', ']']]);
    assert.ok(config.autoClosingPairs.some((pair) => pair.open === '"' && pair.close === '"'));
  });

  test('the line after a rule, or after an unfinished declaration, is indented', () => {
    for (const line of ['rule base-study-required', 'rule lone replaces syn.rules/lone', 'set base_study =', 'modifiers bypass = 59, XS,', 'table fees = fee_schedule "a.csv" from 2025-01-01,']) {
      assert.ok(increase.test(line), line);
    }
    for (const line of ['set three_d = 76376, 76377', 'import three_d from medicare.3d-rendering', 'policy medicare.ncci', '  when line.code in three_d']) {
      assert.ok(!increase.test(line), line);
    }
  });

  test('an item keyword typed on an indented line goes back to column 0', () => {
    for (const line of ['  rule', '  set x', '    table t']) assert.ok(decrease.test(line), line);
    for (const line of ['  settle', 'rule x', '  when line.code = 1']) assert.ok(!decrease.test(line), line);
  });
});

// Every shipped policy (policies/**/*.policy at the repository root) tokenizes with no
// `invalid` scope, no unscoped text and no early stop: the grammar covers every construct the
// packs use. The repository ships these files, so finding none is a failure, not a skip.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { problems, tokenize } from './support/textmate.mjs';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const POLICIES = join(REPO_ROOT, 'policies');

const policyFiles = readdirSync(POLICIES, { recursive: true })
  .filter((name) => name.endsWith('.policy'))
  .map((name) => join(POLICIES, name))
  .sort();

describe('shipped policies tokenize cleanly', () => {
  test('the repository ships policies to check', () => {
    assert.ok(policyFiles.length >= 5, `expected the shipped policies under ${POLICIES}, found ${policyFiles.length}`);
  });

  for (const file of policyFiles) {
    const name = relative(REPO_ROOT, file);
    test(name, async () => {
      const found = problems(await tokenize(readFileSync(file, 'utf8')));
      assert.deepEqual(found.map((p) => `${name}:${p}`), []);
    });
  }
});

describe('the check itself catches what it should', () => {
  test('an unexpected character is reported', async () => {
    const found = problems(await tokenize('policy a\nversion 1\nrule r\n  when line.code ; 76376\n  advice "m"\n'));
    assert.deepEqual(found, ['4:18: ";" is invalid.illegal.unexpected.payerlex']);
  });

  test('an unclosed string is reported', async () => {
    const found = problems(await tokenize('policy a\nversion 1\nrule r\n  when line.units > 1\n  advice "m\n'));
    assert.deepEqual(found, ['5:10: "\\"m" is invalid.illegal.unclosed-string.payerlex']);
  });

  test('an unknown word in the header is reported', async () => {
    const found = problems(await tokenize('policy a\nversoin 1\n'));
    assert.equal(found.length, 2);
    assert.match(found[0], /^2:1: "versoin" is invalid/);
  });
});

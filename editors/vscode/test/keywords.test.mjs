// The grammar's item keywords are the parser's: a set kind added to
// crates/payerlex/src/syntax/chunks.rs without the grammar (as `taxonomies` and `npis` once
// were) fails here, before the shipped policies that use it show `invalid` scopes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ITEM_KEYWORDS } from '../syntaxes/build-grammar.mjs';

const CHUNKS = fileURLToPath(
  new URL('../../../crates/payerlex/src/syntax/chunks.rs', import.meta.url),
);

test('item keywords match the parser (chunks.rs ITEM_KEYWORDS)', () => {
  const source = readFileSync(CHUNKS, 'utf8');
  const list = source.match(/pub const ITEM_KEYWORDS: &\[&str\] = &\[([^\]]*)\]/);
  assert.ok(list, 'ITEM_KEYWORDS not found in chunks.rs');
  const parser = [...list[1].matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...ITEM_KEYWORDS].sort(), parser.sort());
});

// The committed grammar JSON is exactly what syntaxes/build-grammar.mjs generates: nobody
// edited the JSON by hand, and nobody changed the source without regenerating.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GRAMMAR_PATH, grammarJson } from '../syntaxes/build-grammar.mjs';

test('syntaxes/payerlex.tmLanguage.json is generated from build-grammar.mjs', () => {
  assert.equal(
    readFileSync(GRAMMAR_PATH, 'utf8'),
    grammarJson(),
    'the grammar JSON is stale: run `npm run build:grammar` and commit the result',
  );
});

// Loads the extension's TextMate grammar the way VS Code does (vscode-textmate with the
// Oniguruma regex engine compiled to WebAssembly), so tests see the tokens an editor shows.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';

export const GRAMMAR_PATH = fileURLToPath(new URL('../../syntaxes/payerlex.tmLanguage.json', import.meta.url));
export const SCOPE_NAME = 'source.payerlex';

const require = createRequire(import.meta.url);

let grammarPromise;

/** The payerlex grammar, loaded once per process. */
export function loadGrammar() {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === SCOPE_NAME ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar(SCOPE_NAME);
    if (!grammar) throw new Error(`grammar ${SCOPE_NAME} did not load from ${GRAMMAR_PATH}`);
    return grammar;
  })();
  return grammarPromise;
}

/**
 * Tokenizes a whole text line by line, carrying the rule stack from line to line.
 * Returns one entry per line: its 1-based number, its tokens (text and scopes), and whether
 * the tokenizer gave up on the line.
 */
export async function tokenize(text) {
  const grammar = await loadGrammar();
  let ruleStack = vsctm.INITIAL;
  return text.split(/\r?\n/).map((line, index) => {
    const result = grammar.tokenizeLine(line, ruleStack);
    ruleStack = result.ruleStack;
    return {
      number: index + 1,
      stoppedEarly: result.stoppedEarly,
      tokens: result.tokens.map((token) => ({
        text: line.slice(token.startIndex, token.endIndex),
        column: token.startIndex + 1,
        scopes: token.scopes,
      })),
    };
  });
}

/**
 * What is wrong with a tokenized text: tokens scoped `invalid`, non-blank text that got no
 * scope of its own (only the file's and regions' `meta` scopes: the grammar does not know it),
 * and lines the tokenizer gave up on. Each problem is a `line:column: message` string.
 */
export function problems(lines) {
  const found = [];
  for (const line of lines) {
    if (line.stoppedEarly) found.push(`${line.number}: the tokenizer stopped early`);
    for (const token of line.tokens) {
      const where = `${line.number}:${token.column}`;
      const invalid = token.scopes.find((scope) => scope.startsWith('invalid') || scope.includes('.invalid'));
      if (invalid) {
        found.push(`${where}: ${JSON.stringify(token.text)} is ${invalid}`);
      } else if (
        token.text.trim() !== '' &&
        token.scopes.every((scope) => scope === SCOPE_NAME || scope.startsWith('meta.'))
      ) {
        found.push(`${where}: ${JSON.stringify(token.text)} has no scope of its own (${token.scopes.join(' ')})`);
      }
    }
  }
  return found;
}

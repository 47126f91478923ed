// Source of the TextMate grammar for payerlex policy files.
//
// `payerlex.tmLanguage.json` beside this file is generated from here (`npm run build:grammar`)
// and committed; `test/grammar-in-sync.test.mjs` fails when the two differ. The grammar lives
// in JavaScript rather than in hand-written JSON so that every keyword list is written once
// (an array below) and every regular expression is written without JSON's double escaping.
//
// It mirrors crates/payerlex/src/syntax/grammar.pest and chunks.rs:
//   - a file is a header (policy / version / effective ... until ...) followed by items;
//   - an item starts at column 0 with an item keyword and runs to the next such line (exactly
//     where the parser splits chunks), so each item is one region and its contents are scoped
//     by what kind of item it is (a set's elements, a table's files, a rule's conditions);
//   - strings never span lines, and parentheses and brackets are plain tokens, not regions:
//     an unbalanced `(` while typing cannot spill its scope over the rest of the file.
// Anything a region does not recognise is scoped `invalid.illegal.*`; the shipped policies must
// tokenize without any (test/policies.test.mjs).
//
// To extend the language: add the word to the matching list below (or a new list with its
// scope, included in `conditionPatterns`), run `npm run build:grammar`, and add a line to
// test/grammar/*.test.policy asserting its scope.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const r = String.raw;

// ---------- keyword lists (the planned syntax's reserved words are included already) ----------

/** Words that start a top-level item at column 0 (crates/payerlex/src/syntax/chunks.rs). */
export const ITEM_KEYWORDS = [
  'set', 'modifiers', 'places', 'diagnoses', 'phrases', 'taxonomies', 'npis', 'import', 'facts', 'table', 'rule',
];

/** Set kinds and the scope of their elements. */
const SET_KINDS = {
  set: 'constant.other.code.procedure.payerlex',
  modifiers: 'constant.other.code.modifier.payerlex',
  places: 'constant.other.code.place.payerlex',
  diagnoses: 'constant.other.code.diagnosis.payerlex',
  phrases: 'string.unquoted.phrase.payerlex',
  taxonomies: 'constant.other.code.taxonomy.payerlex',
  npis: 'constant.other.code.npi.payerlex',
};

/** Keyword lists of rule bodies, each with its scope. Order matters only between lists that
 * share a word (none do). */
export const KEYWORDS = {
  outcome: { scope: 'keyword.control.outcome.payerlex', words: ['deny', 'review', 'advice'] },
  outcomeDetail: {
    scope: 'keyword.other.outcome.payerlex',
    words: ['carc', 'rarc', 'suggest', 'group', 'adjust_prior'],
  },
  clause: { scope: 'keyword.control.clause.payerlex', words: ['cite', 'when'] },
  dateRange: { scope: 'keyword.other.date-range.payerlex', words: ['effective', 'until'] },
  logical: { scope: 'keyword.operator.logical.payerlex', words: ['and', 'or', 'not'] },
  quantifier: { scope: 'keyword.operator.quantifier.payerlex', words: ['any', 'no'] },
  condition: { scope: 'keyword.other.condition.payerlex', words: ['in', 'has', 'modifier', 'where', 'of'] },
  aggregate: { scope: 'keyword.other.aggregate.payerlex', words: ['count', 'distinct', 'codes', 'sum'] },
  lineSource: {
    scope: 'keyword.other.line-source.payerlex',
    words: ['line', 'lines', 'other', 'earlier', 'claim', 'history', 'report', 'patient', 'on', 'same', 'by', 'provider', 'rendering'],
  },
  timeWindow: {
    scope: 'keyword.other.time-window.payerlex',
    words: ['within', 'day', 'days', 'month', 'months', 'year', 'years', 'before', 'after', 'calendar'],
  },
  unknown: { scope: 'keyword.other.unknown.payerlex', words: ['known', 'unknown'] },
};

/** Subjects of a path (`line.code`, `patient.age`). */
export const SUBJECTS = ['line', 'claim', 'report', 'provider', 'patient'];

/** Fields the checker knows (crates/payerlex/src/check/exprs.rs), planned ones included.
 * Others (report facts, table columns) are scoped as plain properties. */
export const KNOWN_FIELDS = [
  'code', 'units', 'date', 'pos', 'modifiers', 'diagnoses', 'role', 'prior_authorization',
  'age', 'age_months', 'sex', 'rendering', 'taxonomy', 'npi', 'principal_diagnosis',
  'primary_diagnosis', 'authorized',
];

/** Bare fields of the quantified line inside `where`. */
export const BARE_FIELDS = ['code', 'units', 'date', 'modifiers'];

/** Claim adjustment group codes (`group CO`). */
export const GROUP_CODES = ['CO', 'PR', 'OA', 'PI'];

// ---------- lexical pieces (grammar.pest) ----------

const IDENT = r`[A-Za-z_]\w*`;
const WORD = r`[A-Za-z0-9](?:\w|\.[A-Za-z0-9])*`;
const NAME_SEG = r`[A-Za-z0-9][A-Za-z0-9_-]*`;
const POLICY_NAME = r`${NAME_SEG}(?:\.${NAME_SEG})*`;
const RULE_NAME = NAME_SEG;
const VERSION = r`[A-Za-z0-9.+-]+`;
const KEYWORD_END = r`(?=[ \t]|$)`;
const ITEM_START = r`^(?=(?:${ITEM_KEYWORDS.join('|')})${KEYWORD_END})`;

const words = (list) => r`\b(?:${[...list].sort((a, b) => b.length - a.length).join('|')})\b`;
const keywordList = ({ scope, words: list }) => ({ match: words(list), name: scope });

const item = (keyword, scope, name, extraCaptures, patterns) => ({
  begin: r`^(${keyword})${KEYWORD_END}${extraCaptures.regex}`,
  beginCaptures: { 1: { name: scope }, ...extraCaptures.captures },
  end: ITEM_START,
  name,
  patterns,
});

// ---------- the grammar ----------

export function buildGrammar() {
  const setItems = Object.fromEntries(
    Object.entries(SET_KINDS).map(([kind, elementScope]) => [
      `item-${kind}`,
      item(
        kind,
        `storage.type.${kind}.payerlex`,
        `meta.declaration.${kind}.payerlex`,
        { regex: r`(?:\s+(${IDENT}))?`, captures: { 2: { name: 'entity.name.type.set.payerlex' } } },
        [
          { include: '#comment' },
          { include: '#string' },
          {
            match: r`\b(${WORD})\s*(\.\.)\s*(${WORD})`,
            captures: {
              1: { name: elementScope },
              2: { name: 'keyword.operator.range.payerlex' },
              3: { name: elementScope },
            },
          },
          { match: r`\b${WORD}`, name: elementScope },
          { include: '#assignment' },
          { include: '#punctuation' },
          { include: '#invalid' },
        ],
      ),
    ]),
  );

  const conditionPatterns = [
    // Multi-word constructs first, where a word means something else alone.
    {
      match: r`\b(same)\s+(date)\b`,
      captures: { 1: { name: KEYWORDS.lineSource.scope }, 2: { name: KEYWORDS.lineSource.scope } },
    },
    {
      match: r`\b(sum)\s+(units)\s+(of)\b`,
      captures: {
        1: { name: KEYWORDS.aggregate.scope },
        2: { name: KEYWORDS.aggregate.scope },
        3: { name: KEYWORDS.condition.scope },
      },
    },
    {
      match: r`\b(has)\s+(?:(no)\s+)?(modifier)\s+(?!in\b)(${WORD})`,
      captures: {
        1: { name: KEYWORDS.condition.scope },
        2: { name: KEYWORDS.logical.scope },
        3: { name: KEYWORDS.condition.scope },
        4: { name: 'constant.other.code.modifier.payerlex' },
      },
    },
    {
      match: r`\b(has)\s+(no)\b`,
      captures: { 1: { name: KEYWORDS.condition.scope }, 2: { name: KEYWORDS.logical.scope } },
    },
    { match: r`\b(?:${SUBJECTS.join('|')})\b(?=\s*\.|\s+has\b)`, name: 'variable.language.subject.payerlex' },
    {
      match: r`(?<=[\w\]])(\.)(${KNOWN_FIELDS.join('|')})\b`,
      captures: { 1: { name: 'punctuation.accessor.payerlex' }, 2: { name: 'support.variable.property.payerlex' } },
    },
    {
      match: r`(?<=[\w\]])(\.)(${IDENT})`,
      captures: { 1: { name: 'punctuation.accessor.payerlex' }, 2: { name: 'variable.other.property.payerlex' } },
    },
    ...Object.keys(KEYWORDS).map((list) => ({ include: `#keywords-${list}` })),
    { match: r`\b${IDENT}(?=\s*\[)`, name: 'variable.other.table.payerlex' },
    { match: words(BARE_FIELDS), name: 'variable.other.field.payerlex' },
    { include: '#date' },
    { match: r`\b(?:\d{4}[0-9A-Z]|[A-Z]\d{4})\b`, name: 'constant.other.code.procedure.payerlex' },
    { match: r`\b\d+\b`, name: 'constant.numeric.integer.payerlex' },
    { match: r`\b[A-Z0-9]+(?:\.[A-Z0-9]+)*\b`, name: 'constant.other.code.payerlex' },
    { match: r`\b${IDENT}`, name: 'variable.other.payerlex' },
    { match: r`\b${WORD}`, name: 'constant.other.word.payerlex' },
    { match: r`\.\.`, name: 'keyword.operator.range.payerlex' },
    { match: r`!=|<=|>=|=|<|>`, name: 'keyword.operator.comparison.payerlex' },
    { match: r`[+*-]`, name: 'keyword.operator.arithmetic.payerlex' },
    { include: '#punctuation' },
  ];

  const repository = {
    comment: {
      match: r`(#).*$`,
      name: 'comment.line.number-sign.payerlex',
      captures: { 1: { name: 'punctuation.definition.comment.payerlex' } },
    },
    string: {
      patterns: [
        {
          // Only a string closed on the same line is a string (grammar.pest: no newline inside).
          begin: r`"(?=(?:[^"\\]|\\.)*")`,
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.payerlex' } },
          end: r`"`,
          endCaptures: { 0: { name: 'punctuation.definition.string.end.payerlex' } },
          name: 'string.quoted.double.payerlex',
          patterns: [{ match: r`\\.`, name: 'constant.character.escape.payerlex' }],
        },
        { match: r`".*$`, name: 'invalid.illegal.unclosed-string.payerlex' },
      ],
    },
    date: { match: r`\b\d{4}-\d{2}-\d{2}(?!\w)`, name: 'constant.numeric.date.payerlex' },
    assignment: { match: r`=`, name: 'keyword.operator.assignment.payerlex' },
    punctuation: {
      patterns: [
        { match: r`,`, name: 'punctuation.separator.comma.payerlex' },
        { match: r`\(`, name: 'punctuation.section.parens.begin.payerlex' },
        { match: r`\)`, name: 'punctuation.section.parens.end.payerlex' },
        { match: r`\[`, name: 'punctuation.section.brackets.begin.payerlex' },
        { match: r`\]`, name: 'punctuation.section.brackets.end.payerlex' },
      ],
    },
    invalid: { match: r`\w+|\S`, name: 'invalid.illegal.unexpected.payerlex' },
    ...Object.fromEntries(Object.entries(KEYWORDS).map(([name, list]) => [`keywords-${name}`, keywordList(list)])),

    // Header: everything before the first item (the parser's header chunk).
    header: {
      patterns: [
        {
          match: r`\b(policy)\b(?:\s+(${POLICY_NAME}))?`,
          captures: {
            1: { name: 'keyword.other.policy.payerlex' },
            2: { name: 'entity.name.namespace.policy.payerlex' },
          },
        },
        {
          match: r`\b(version)\b(?:\s+(${VERSION}))?`,
          captures: {
            1: { name: 'keyword.other.version.payerlex' },
            2: { name: 'constant.other.version.payerlex' },
          },
        },
        { include: '#keywords-dateRange' },
        { include: '#date' },
        { include: '#invalid' },
      ],
    },

    ...setItems,

    'item-table': item(
      'table',
      'storage.type.table.payerlex',
      'meta.declaration.table.payerlex',
      {
        regex: r`(?:\s+(${IDENT}))?(?:\s*(=)(?:\s*(${IDENT}))?)?`,
        captures: {
          2: { name: 'entity.name.type.table.payerlex' },
          3: { name: 'keyword.operator.assignment.payerlex' },
          4: { name: 'support.type.table-kind.payerlex' },
        },
      },
      [
        { include: '#comment' },
        { include: '#string' },
        { match: r`\bfrom\b`, name: 'keyword.other.from.payerlex' },
        { include: '#date' },
        { include: '#punctuation' },
        { include: '#invalid' },
      ],
    ),

    'item-import': item('import', 'keyword.other.import.payerlex', 'meta.import.payerlex', { regex: '', captures: {} }, [
      { include: '#comment' },
      {
        match: r`\b(from)\b(?:\s+(${POLICY_NAME}))?`,
        captures: {
          1: { name: 'keyword.other.from.payerlex' },
          2: { name: 'entity.name.namespace.policy.payerlex' },
        },
      },
      { match: r`\b${IDENT}`, name: 'variable.other.set.payerlex' },
      { include: '#punctuation' },
      { include: '#invalid' },
    ]),

    'item-facts': item('facts', 'storage.type.facts.payerlex', 'meta.declaration.facts.payerlex', { regex: '', captures: {} }, [
      { include: '#comment' },
      { match: r`\b${IDENT}`, name: 'entity.name.variable.fact.payerlex' },
      { include: '#punctuation' },
      { include: '#invalid' },
    ]),

    'item-rule': item(
      'rule',
      'storage.type.rule.payerlex',
      'meta.declaration.rule.payerlex',
      {
        regex: r`(?:\s+(${RULE_NAME}))?`,
        captures: { 2: { name: 'entity.name.function.rule.payerlex' } },
      },
      [{ include: '#rule-body' }],
    ),

    'rule-body': {
      patterns: [
        { include: '#comment' },
        { include: '#string' },
        {
          match: r`\b(replaces)\b(?:\s+(${POLICY_NAME})(/)(${RULE_NAME}))?`,
          captures: {
            1: { name: 'keyword.other.replaces.payerlex' },
            2: { name: 'entity.name.namespace.policy.payerlex' },
            3: { name: 'punctuation.separator.rule-reference.payerlex' },
            4: { name: 'variable.function.rule.payerlex' },
          },
        },
        {
          match: r`\b(carc)\s+(${WORD})`,
          captures: { 1: { name: KEYWORDS.outcomeDetail.scope }, 2: { name: 'constant.other.code.carc.payerlex' } },
        },
        {
          match: r`\b(rarc)\s+(${WORD}(?:\s*,\s*${WORD})*)`,
          captures: {
            1: { name: KEYWORDS.outcomeDetail.scope },
            2: {
              patterns: [
                { match: r`\b${WORD}`, name: 'constant.other.code.rarc.payerlex' },
                { include: '#punctuation' },
              ],
            },
          },
        },
        {
          match: r`\b(suggest)\s+(${WORD})`,
          captures: { 1: { name: KEYWORDS.outcomeDetail.scope }, 2: { name: 'constant.other.code.procedure.payerlex' } },
        },
        {
          match: r`\b(group)\s+(${GROUP_CODES.join('|')})\b`,
          captures: { 1: { name: KEYWORDS.outcomeDetail.scope }, 2: { name: 'constant.language.group-code.payerlex' } },
        },
        ...conditionPatterns,
        { include: '#invalid' },
      ],
    },
  };

  return {
    name: 'payerlex policy',
    scopeName: 'source.payerlex',
    fileTypes: ['policy'],
    comment: 'Generated by syntaxes/build-grammar.mjs: edit that file, then run `npm run build:grammar`.',
    patterns: [
      { include: '#comment' },
      ...ITEM_KEYWORDS.map((keyword) => ({ include: `#item-${keyword}` })),
      { include: '#header' },
    ],
    repository,
  };
}

/** The grammar as it is written to disk. */
export function grammarJson() {
  return `${JSON.stringify(buildGrammar(), null, 2)}\n`;
}

export const GRAMMAR_PATH = fileURLToPath(new URL('./payerlex.tmLanguage.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GRAMMAR_PATH, grammarJson());
  console.log(`wrote ${GRAMMAR_PATH}`);
}

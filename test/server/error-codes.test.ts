import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_OPERATIONS } from '../../server/shared/activity-operations.js';
import { renderErrorCodesDoc } from '../../server/shared/error-codes-doc.js';
import {
  codesOfKind,
  ERROR_CODES,
  ERROR_CODES_DOC,
  isKnownCode,
} from '../../server/shared/error-codes.js';
import { ErrorCode, PUBLIC_ERROR_CODES } from '../../server/shared/errors.js';
import { WORKFLOW_EVENT_TYPES } from '../../server/shared/workflow-event-types.js';

// Issue 19: every code, event type and activity operation the server writes is in its registry
// (server/shared/error-codes.ts, workflow-event-types.ts, activity-operations.ts), the GraphQL
// enums are exactly the registries, docs/error-codes.md is the registry rendered, and no registry
// entry is dead. The types catch most unregistered values at compile time; this scan catches the
// literals, names each missing one with its place and says which line to add.

const REGISTRIES = new Set([
  'server/shared/error-codes.ts',
  'server/shared/error-codes-doc.ts',
  'server/shared/workflow-event-types.ts',
  'server/shared/activity-operations.ts',
]);

interface Source {
  path: string;
  text: string;
}

const sources: Source[] = (readdirSync('server', { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join('server', f).replace(/\\/g, '/'))
  .filter((path) => !REGISTRIES.has(path))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;
const UPPER_LITERAL = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g;

interface Found {
  value: string;
  at: string;
}

/** The arguments of a call whose opening parenthesis is at `open`, split at top-level commas. */
function callArguments(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === '\\') {
        i++;
      } else if (ch === quote) {
        quote = null;
      }
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
    } else if ('([{'.includes(ch)) {
      depth++;
    } else if (')]}'.includes(ch)) {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i));
        return args;
      }
    } else if (ch === ',' && depth === 1) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return args;
}

/** The argument that is a code, of the helpers that take one (server/shared/*validation.ts). */
const CODE_ARGUMENT: Record<string, number> = {
  invalid: 3,
  fail: 0,
  checkGuid: 3,
  checkMpnId: 3,
  guid: 3,
  mpnId: 3,
};

/** Code literals: `code: 'X'` (also in ternaries and unions), `block('X', …)`, `invalid(…, 'X', …)`, `fail('X', …)`, `check.guid(…, 'X')`. */
export function codeLiterals(files: Source[]): Found[] {
  const found: Found[] = [];
  for (const { path, text } of files) {
    const add = (value: string, index: number) =>
      found.push({ value, at: `${path}:${lineOf(text, index)}` });
    for (const m of text.matchAll(/\bcode\??\s*:\s*([^,;\n)}]+)/g)) {
      for (const lit of (m[1] as string).matchAll(UPPER_LITERAL)) {
        add(lit[1] as string, m.index);
      }
    }
    // Default parameters and assignments: `code: UserErrorCode = 'INVALID'`, `code = 'X'`.
    for (const m of text.matchAll(/(?<![.\w])code(?:\s*:\s*\w+)?\s*=(?![=>])\s*([^,;\n)}]+)/g)) {
      for (const lit of (m[1] as string).matchAll(UPPER_LITERAL)) {
        add(lit[1] as string, m.index);
      }
    }
    for (const m of text.matchAll(/\bblock\(\s*'([A-Z][A-Z0-9_]*)'/g)) {
      add(m[1] as string, m.index);
    }
    for (const m of text.matchAll(/\b(invalid|fail|checkGuid|checkMpnId|guid|mpnId)\(/g)) {
      const position = CODE_ARGUMENT[m[1] as string] as number;
      const code = callArguments(text, m.index + (m[1] as string).length)[position]?.trim() ?? '';
      const lit = /^'([A-Z][A-Z0-9_]*)'$/.exec(code);
      if (lit) {
        add(lit[1] as string, m.index);
      }
    }
  }
  return found;
}

function unregistered(found: Found[], known: (value: string) => boolean): string[] {
  const missing = new Map<string, string[]>();
  for (const f of found) {
    if (!known(f.value)) {
      const at = missing.get(f.value) ?? [];
      missing.set(f.value, at.includes(f.at) ? at : [...at, f.at]);
    }
  }
  return [...missing].map(([value, at]) => `${value} (used at ${at.join(', ')})`);
}

const schema = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));
const enumValues = (name: string) =>
  (schema.getType(name) as GraphQLEnumType)
    .getValues()
    .map((v) => v.name)
    .sort();

describe('the code registry (server/shared/error-codes.ts)', () => {
  it('has every code literal of server/ (a missing one is named with where it is used)', () => {
    const literals = codeLiterals(sources);
    // The scan finds the codes it should (so that an empty result cannot pass by accident).
    expect(literals.length).toBeGreaterThan(150);
    expect(literals.map((l) => l.value)).toEqual(
      expect.arrayContaining(['NOT_FOUND', 'REGION_MISMATCH', 'INVALID_PHONE', 'BAD_REQUEST']),
    );
    const missing = unregistered(literals, isKnownCode);
    expect(
      missing,
      `Unregistered codes: add one line per code to server/shared/error-codes.ts, e.g.\n  MY_CODE: userError('What went wrong and what to do.', 'R-XXX-n'),\nthen run \`npm run schema:emit\`.\n${missing.join('\n')}`,
    ).toEqual([]);
  });

  it('catches an unregistered literal, a block() call and an invalid() argument', () => {
    const probe: Source = {
      path: 'server/probe.ts',
      text: [
        "return err({ code: 'INVITATION_EXPIRED', message: 'x' });",
        "block('GDAP_SOMETHING_NEW', 'y');",
        "invalid(schema, value, ['input', 'x'], 'TRANSFER_NEW_CODE', 'z');",
        "const e = { code: expired ? 'NOT_FOUND' : 'ANOTHER_NEW_CODE' };",
        "function check(value: string, code: UserErrorCode = 'DEFAULT_NEW_CODE') {}",
        "return fail(\n  'FAILED_NEW_CODE',\n  `message`,\n  field,\n);",
        "check.guid(input.id, ['input', 'id'], 'The id', 'GUID_NEW_CODE');",
      ].join('\n'),
    };
    expect(unregistered(codeLiterals([probe]), isKnownCode)).toEqual([
      'INVITATION_EXPIRED (used at server/probe.ts:1)',
      'ANOTHER_NEW_CODE (used at server/probe.ts:4)',
      'DEFAULT_NEW_CODE (used at server/probe.ts:5)',
      'GDAP_SOMETHING_NEW (used at server/probe.ts:2)',
      'TRANSFER_NEW_CODE (used at server/probe.ts:3)',
      'FAILED_NEW_CODE (used at server/probe.ts:6)',
      'GUID_NEW_CODE (used at server/probe.ts:11)',
    ]);
  });

  it('has no dead entry: every registered code occurs in server/', () => {
    const all = sources.map((s) => s.text).join('\n');
    const dead = Object.keys(ERROR_CODES).filter((code) => !all.includes(`'${code}'`));
    expect(dead).toEqual([]);
  });

  it('registers every request-level code (ErrorCode, the public Apollo codes)', () => {
    const request = new Set<string>(codesOfKind('requestError'));
    const missing = [...Object.values(ErrorCode), ...PUBLIC_ERROR_CODES].filter(
      (c) => !request.has(c),
    );
    expect(missing).toEqual([]);
  });

  it('is exactly the UserErrorCode and BlockerCode enums of the committed schema', () => {
    expect(enumValues('UserErrorCode')).toEqual([...codesOfKind('userError')].sort());
    expect(enumValues('BlockerCode')).toEqual([...codesOfKind('blocker')].sort());
  });

  it(`is what ${ERROR_CODES_DOC} lists (run \`npm run schema:emit\` after a change)`, () => {
    expect(readFileSync(ERROR_CODES_DOC, 'utf8')).toBe(renderErrorCodesDoc());
    const doc = readFileSync(ERROR_CODES_DOC, 'utf8');
    for (const code of Object.keys(ERROR_CODES)) {
      expect(doc).toContain(`| \`${code}\` |`);
    }
  });

  it('points the code fields of the schema to the doc', () => {
    for (const [type, field] of [
      ['UserError', 'code'],
      ['BasicUserError', 'code'],
      ['Blocker', 'code'],
    ] as const) {
      const description = (
        schema.getType(type) as { getFields(): Record<string, { description?: string | null }> }
      ).getFields()[field]?.description;
      expect(description, `${type}.${field}`).toContain(ERROR_CODES_DOC);
    }
  });
});

describe('the workflow event types (server/shared/workflow-event-types.ts)', () => {
  const literals = () => {
    const found: Found[] = [];
    for (const { path, text } of sources) {
      for (const m of text.matchAll(/\btype\s*:\s*'([A-Z][A-Z0-9_]*)'/g)) {
        found.push({ value: m[1] as string, at: `${path}:${lineOf(text, m.index)}` });
      }
    }
    return found;
  };
  // `type: 'next' | 'wait' | …` are step outcomes (lower case); GraphQL-side `type:` literals are
  // event types only.
  it('has every event type literal of server/', () => {
    const found = literals();
    expect(found.length).toBeGreaterThan(40);
    const missing = unregistered(found, (t) => Object.hasOwn(WORKFLOW_EVENT_TYPES, t));
    expect(
      missing,
      `Unregistered workflow event types: add one line each to server/shared/workflow-event-types.ts.\n${missing.join('\n')}`,
    ).toEqual([]);
  });

  it('has no dead entry: every type is written somewhere', () => {
    const all = sources.map((s) => s.text).join('\n');
    // WORKFLOW_<status> are written as `WORKFLOW_${status}` by the status recomputation
    // (statusFromCounts: RUNNING, WAITING, COMPLETED, FAILED).
    const templated = [
      'WORKFLOW_RUNNING',
      'WORKFLOW_WAITING',
      'WORKFLOW_COMPLETED',
      'WORKFLOW_FAILED',
    ];
    expect(all).toContain('type: `WORKFLOW_${status}`');
    const dead = Object.keys(WORKFLOW_EVENT_TYPES).filter(
      (t) => !templated.includes(t) && !all.includes(`'${t}'`),
    );
    expect(dead).toEqual([]);
  });

  it('is exactly the WorkflowEventType enum of the committed schema', () => {
    expect(enumValues('WorkflowEventType')).toEqual(Object.keys(WORKFLOW_EVENT_TYPES).sort());
  });
});

describe('the activity operations (server/shared/activity-operations.ts)', () => {
  // AzureStatusChange.operation of the reconciliation report, not the activity log.
  const NOT_ACTIVITY = new Set([
    'server/procedures/azure-plan/azure-reconciliation.service.ts:purchased',
  ]);
  const literals = () => {
    const found: Found[] = [];
    for (const { path, text } of sources) {
      for (const m of text.matchAll(/\boperation\s*:\s*'([a-z][a-z_]*)'/g)) {
        if (!NOT_ACTIVITY.has(`${path}:${m[1]}`)) {
          found.push({ value: m[1] as string, at: `${path}:${lineOf(text, m.index)}` });
        }
      }
      for (const m of text.matchAll(/\brecordActivity\(/g)) {
        const op = callArguments(text, m.index + 'recordActivity'.length)[2]?.trim() ?? '';
        const lit = /^'([a-z_]+)'$/.exec(op);
        if (lit) {
          found.push({ value: lit[1] as string, at: `${path}:${lineOf(text, m.index)}` });
        }
      }
    }
    return found;
  };

  it('has every operation our code writes', () => {
    const found = literals();
    expect(found.map((f) => f.value)).toEqual(
      expect.arrayContaining(['start_workflow', 'invite_customer', 'create_order']),
    );
    const missing = unregistered(found, (op) => Object.hasOwn(ACTIVITY_OPERATIONS, op));
    expect(
      missing,
      `Unregistered activity operations: add one line each to server/shared/activity-operations.ts.\n${missing.join('\n')}`,
    ).toEqual([]);
  });

  it('has no dead product operation, and the enum is the registry plus UNKNOWN', () => {
    const written = new Set(literals().map((f) => f.value));
    const dead = Object.entries(ACTIVITY_OPERATIONS)
      .filter(([op, [origin]]) => origin !== 'partnerCenter' && !written.has(op))
      .map(([op]) => op);
    expect(dead).toEqual([]);
    expect(enumValues('ActivityOperation')).toEqual(
      [...Object.keys(ACTIVITY_OPERATIONS).map((k) => k.toUpperCase()), 'UNKNOWN'].sort(),
    );
  });
});

import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { isKnownCode } from '../../server/shared/error-codes.js';
import { isWorkflowEventType } from '../../server/shared/workflow-event-types.js';

// Issue 19: descriptions that match the data. A value a description quotes as an example ("e.g.
// X", or a backticked value of a field that has an enum) must be a value the field can have: a
// member of its enum, or of the enum of its typed sibling (`type` → `typeEnum`). Enums are the
// registries the server writes through (test/server/error-codes.test.ts), so an example that is
// never emitted (the old "e.g. STEP_STARTED") fails here. An input described as "Required" must be
// non-null.

type AnyField = GraphQLField<unknown, unknown> | GraphQLInputField | GraphQLArgument;

/** The text of each "e.g." clause: up to its closing parenthesis or semicolon. */
export function exampleClauses(description: string): string[] {
  return [...description.matchAll(/e\.g\.,?\s*([^);]*)/g)].map((m) => m[1] as string);
}

/** Value-like tokens: CONSTANT_CASE words (3+ chars, not part of a hyphenated id like R-AZP-6). */
const constantTokens = (text: string) =>
  [...text.matchAll(/(?<![-\w])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?![-\w])/g)]
    .map((m) => m[1] as string)
    .filter((t) => t.length >= 3);

/** snake_case or single lower-case words quoted in backticks (`direct`, `indirect_provider`). */
const backtickedLowerTokens = (text: string) =>
  [...text.matchAll(/`([a-z][a-z0-9]*(?:_[a-z0-9]+)*)`/g)].map((m) => m[1] as string);

/** snake_case words in example clauses (create_order). */
const snakeTokens = (text: string) =>
  [...text.matchAll(/(?<![-\w./])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![-\w])/g)].map(
    (m) => m[1] as string,
  );

interface Mismatch {
  where: string;
  example: string;
  expected: string;
}

export function descriptionMismatches(schema: GraphQLSchema): Mismatch[] {
  const allEnumValues = new Set<string>();
  // Backticked field names (`code`, `typeEnum`) are references, not example values.
  const fieldNames = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (isEnumType(type) && !type.name.startsWith('__')) {
      type.getValues().forEach((v) => allEnumValues.add(v.name));
    }
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      Object.keys(type.getFields()).forEach((name) => fieldNames.add(name));
    }
  }
  const mismatches: Mismatch[] = [];
  const check = (where: string, field: AnyField, siblings: Record<string, AnyField>) => {
    const description = field.description ?? '';
    const own = getNamedType(field.type);
    const sibling = siblings[`${field.name}Enum`];
    const enumType = isEnumType(own)
      ? own
      : sibling && isEnumType(getNamedType(sibling.type))
        ? getNamedType(sibling.type)
        : null;
    const clauses = exampleClauses(description);
    if (enumType && isEnumType(enumType)) {
      const values = new Set(enumType.getValues().map((v) => v.name));
      const examples = [
        ...clauses.flatMap((c) => [...constantTokens(c), ...snakeTokens(c)]),
        ...constantTokens(description).filter((t) => t.includes('_')),
        ...backtickedLowerTokens(description).filter((t) => !fieldNames.has(t)),
      ];
      for (const example of new Set(examples)) {
        if (!values.has(example.toUpperCase())) {
          mismatches.push({ where, example, expected: `a value of ${enumType.name}` });
        }
      }
      return;
    }
    // A field without an enum: a CONSTANT_CASE example must still be something the API emits.
    for (const example of new Set(clauses.flatMap(constantTokens))) {
      if (
        example.includes('_') &&
        !allEnumValues.has(example) &&
        !isKnownCode(example) &&
        !isWorkflowEventType(example)
      ) {
        mismatches.push({ where, example, expected: 'an enum value, a code or an event type' });
      }
    }
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) {
      continue;
    }
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      const fields = type.getFields() as Record<string, AnyField>;
      for (const field of Object.values(fields)) {
        check(`${type.name}.${field.name}`, field, fields);
        for (const arg of 'args' in field ? field.args : []) {
          check(`${type.name}.${field.name}(${arg.name})`, arg, {});
        }
      }
    }
  }
  return mismatches;
}

/** Inputs and arguments whose description says "Required" but whose type is nullable. */
export function requiredButNullable(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  const says = (d: string | null | undefined) => /^\s*required\b/i.test(d ?? '');
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (says(field.description) && !isNonNullType(field.type)) {
          found.push(`${type.name}.${field.name}`);
        }
      }
    }
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) {
          if (says(arg.description) && !isNonNullType(arg.type)) {
            found.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
    }
  }
  return found;
}

const committed = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));

describe('schema descriptions match the data', () => {
  it('quote as examples only values the field can have', () => {
    expect(descriptionMismatches(committed)).toEqual([]);
  });

  it('check the examples of the enum-typed siblings and of the code fields', () => {
    // The fields issue 19 named are covered: each has examples the check reads.
    const fields = committed.getType('WorkflowEvent') as { getFields(): Record<string, AnyField> };
    expect(exampleClauses(fields.getFields().type?.description ?? '')[0]).toContain(
      'WORKFLOW_STARTED',
    );
  });

  it('catch an example that is never emitted (the old "e.g. STEP_STARTED")', () => {
    const lying = buildSchema(`
      enum WorkflowEventType { PLANNED WORKFLOW_STARTED }
      enum PartnerTenantKind { DIRECT INDIRECT_PROVIDER }
      type WorkflowEvent {
        """Event type (e.g. PLANNED, STEP_STARTED)."""
        type: String!
        typeEnum: WorkflowEventType!
      }
      type PartnerTenant {
        """CSP model: \`direct\` or \`indirect_reseller\`."""
        kind: String!
        kindEnum: PartnerTenantKind!
      }
      type Blocker {
        """Code (e.g. NO_SUCH_BLOCKER_CODE)."""
        code: String!
      }
      input PlanInput {
        """Required. The country."""
        country: String
      }
      type Query { events: [WorkflowEvent!]! tenant: PartnerTenant blocker: Blocker plan(input: PlanInput): Boolean }
    `);
    expect(descriptionMismatches(lying)).toEqual([
      {
        where: 'WorkflowEvent.type',
        example: 'STEP_STARTED',
        expected: 'a value of WorkflowEventType',
      },
      {
        where: 'PartnerTenant.kind',
        example: 'indirect_reseller',
        expected: 'a value of PartnerTenantKind',
      },
      {
        where: 'Blocker.code',
        example: 'NO_SUCH_BLOCKER_CODE',
        expected: 'an enum value, a code or an event type',
      },
    ]);
    expect(requiredButNullable(lying)).toEqual(['PlanInput.country']);
  });

  it('say "Required" only of non-null inputs (customerCountry is nullable: not "Required")', () => {
    expect(requiredButNullable(committed)).toEqual([]);
  });
});

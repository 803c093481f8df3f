import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** A calendar date alone (`2026-02-01`), read as 00:00 UTC that day, as the CSV imports do. */
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateOnly(value: unknown): Date | null {
  const match = typeof value === 'string' ? DATE_ONLY.exec(value) : null;
  if (!match) {
    return null;
  }
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  // 2026-02-30 is not a date: Date.UTC would roll it over to March.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new TypeError(`DateTime cannot represent an invalid date ${String(value)}.`);
  }
  return date;
}

/**
 * `DateTime`: RFC 3339 date-time strings on the wire, `Date` in resolvers. As input, a date alone
 * (`2026-02-01`) is accepted too and means 00:00 UTC that day, so GraphQL takes what the CSV takes.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, unknown>({
  name: DateTimeResolver.name,
  description: `${DateTimeResolver.description ?? ''} As input, a date alone (\`2026-02-01\`) is also accepted and means 00:00 UTC that day.`,
  specifiedByURL: DateTimeResolver.specifiedByURL,
  serialize: (value) => DateTimeResolver.serialize(value),
  parseValue: (value) => dateOnly(value) ?? (DateTimeResolver.parseValue(value) as Date),
  parseLiteral: (ast: ValueNode, variables) =>
    (ast.kind === Kind.STRING ? dateOnly(ast.value) : null) ??
    (DateTimeResolver.parseLiteral(ast, variables) as Date),
  extensions: DateTimeResolver.extensions,
});

import { z, type ZodRawShape, type ZodTypeAny } from 'zod';
import { errors } from './responses.js';

/**
 * Partner Center reads JSON case-insensitively: request examples send PascalCase (`"Status"`,
 * `"Attributes":{"ObjectType":...}`) while responses are camelCase (partner-center-api.md §1).
 * `ciObject` re-keys an incoming object onto the schema's keys ignoring case, then validates.
 */
export function ciObject<T extends ZodRawShape>(shape: T) {
  const keys = Object.keys(shape);
  const lookup = new Map(keys.map((k) => [k.toLowerCase(), k]));
  return z.preprocess((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[lookup.get(k.toLowerCase()) ?? k] = v;
    }
    return out;
  }, z.object(shape).passthrough());
}

/** Enum values are lower snake case; reading accepts any case and PascalCase (`AttentionNeeded`). */
export function ciEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((v) => (typeof v === 'string' ? toSnake(v) : v), z.enum(values));
}

export function toSnake(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

/** Money and quantities sometimes arrive as strings; accept both. */
export const numeric = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

/** Parses JSON text and validates it; failures become Partner Center 400s. */
export function parseBody<S extends ZodTypeAny>(text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw errors.invalidInput('The request body is not valid JSON.');
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const data = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw errors.invalidInput(`The request body is invalid: ${data.join('; ')}`, data);
  }
  return result.data as z.output<S>;
}

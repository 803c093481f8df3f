import { z } from 'zod';
import { currencyOf } from './countries.js';
import { type UserErrorCode } from './error-codes.js';
import { type DomainError } from './result.js';

/**
 * Input validators shared by every mutation and argument (issue 8). Services run them before any
 * Partner Center call or database write; a failure is a `userError` with a code and a field path,
 * and nothing changes.
 */

/** Length limits (characters) of free text. */
export const TEXT_LIMITS = {
  name: 200,
  /** RFC 5321: 64 local + @ + 255 domain. */
  email: 320,
  phone: 40,
  reference: 500,
  search: 200,
  idempotencyKey: 200,
  offerId: 100,
  friendlyName: 128,
} as const;

/** A CSV upload (GraphQL uploads are off; CSV comes as text): bytes and data rows. */
export const CSV_LIMITS = { bytes: 512 * 1024, rows: 1_000 } as const;

/** Control characters other than tab and newlines (they have no place in names or references). */
export const hasControlCharacters = (value: string): boolean =>
  [...value].some((ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c < 0xa0);
  });

/** An Entra ID tenant id, subscription id or other Partner Center GUID. */
export const guidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

/** One of our opaque global ids: base64url, bounded (decoding is the id's owner's job). */
export const opaqueIdSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/);

/** A mailbox address: one @, no spaces or control characters, a dotted domain. */
export const emailSchema = z
  .string()
  .max(TEXT_LIMITS.email)
  .regex(/^[^\s@<>()[\]\\,;:"\p{Cc}]+@[^\s@<>()[\]\\,;:"\p{Cc}]+\.[^\s@<>()[\]\\,;:"\p{Cc}]+$/u);

/** Partner ID (MPN id): 4 to 10 digits. */
export const mpnIdSchema = z.string().regex(/^\d{4,10}$/);

/** ISO 4217 alphabetic code (three capital letters). */
export const currencyCodeSchema = z.string().regex(/^[A-Z]{3}$/);

/** A non-negative decimal string with at most two decimals, no sign or exponent. */
export const amountSchema = z.string().regex(/^(0|[1-9]\d{0,14})(\.\d{1,2})?$/);

/** Idempotency keys: printable ASCII, 1–200 characters. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(TEXT_LIMITS.idempotencyKey)
  .regex(/^[\x21-\x7e]+$/);

/** Free text that must be present (trimmed), up to `max` characters, without control characters. */
export const requiredTextSchema = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !hasControlCharacters(v));

/** Optional free text up to `max` characters, without control characters other than newlines. */
export const optionalTextSchema = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !hasControlCharacters(v));

/** Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what a reader sees. */
export const hasBidiControls = (value: string): boolean =>
  /[\u202a-\u202e\u2066-\u2069]/.test(value);

/** Text a person reads (names, references): no control characters, no bidi overrides. */
export const isPlainText = (value: string): boolean =>
  !hasControlCharacters(value) && !hasBidiControls(value);

/** A phone number: digits, spaces and + ( ) - . only. */
export const phoneSchema = z
  .string()
  .max(TEXT_LIMITS.phone)
  .regex(/^\+?[0-9 ().-]{3,}$/);

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** ISO 3166-1 alpha-2: two letters that name a region (Intl knows every assigned code). */
export function isIsoCountry(code: string): boolean {
  // User-assigned (AA, QM–QZ, XA–XZ, ZZ) and reserved (EU, EZ, UN) codes name no country.
  if (!/^[A-Z]{2}$/.test(code) || /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/.test(code)) {
    return false;
  }
  try {
    const name = regionNames.of(code);
    return !!name && name !== code;
  } catch {
    return false;
  }
}

export const countryCodeSchema = z.string().refine(isIsoCountry);

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });

/** ISO 4217: three capital letters that Intl knows as a currency. */
export function isIsoCurrency(code: string): boolean {
  if (!currencyCodeSchema.safeParse(code).success) {
    return false;
  }
  try {
    const name = currencyNames.of(code);
    return !!name && name !== code;
  } catch {
    return false;
  }
}

/** R-AZP-5: an amount for a customer is in the customer's local currency. */
export function currencyMatchesCountry(currency: string, country: string | null): boolean {
  const local = currencyOf(country);
  return local !== null && local === currency;
}

/** A date-time within a sane window (year 2000 to 2100), for dates given by callers. */
export function isSaneDate(value: Date): boolean {
  const t = value.getTime();
  return Number.isFinite(t) && t >= Date.UTC(2000, 0, 1) && t < Date.UTC(2100, 0, 1);
}

/**
 * Runs a zod schema on one input value; on failure returns the `userError` for `field` with
 * `code` and `message`, otherwise null. The typical call site:
 * `const bad = invalid(emailSchema, input.email, ['input', 'email'], 'INVALID_EMAIL', '…'); if (bad) return err(bad);`
 */
export function invalid(
  schema: z.ZodTypeAny,
  value: unknown,
  field: string[],
  code: UserErrorCode,
  message: string,
): DomainError | null {
  return schema.safeParse(value).success ? null : { code, message, field };
}

/** The first failure of several checks, or null. */
export function firstInvalid(...checks: Array<DomainError | null>): DomainError | null {
  return checks.find((c) => c !== null) ?? null;
}

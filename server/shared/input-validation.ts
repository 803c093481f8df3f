import { type UserErrorCode } from './error-codes.js';
import { decodeId } from './ids.js';
import { type DomainError } from './result.js';
import {
  emailSchema,
  guidSchema,
  hasBidiControls,
  idempotencyKeySchema,
  mpnIdSchema,
  phoneSchema,
  TEXT_LIMITS,
} from './validation.js';

/**
 * The input checks every mutation runs before it reads or writes Partner Center (issue 17): one
 * rule per kind of input, one code per failure, the field as the input path, and never the raw
 * value in the message (a hostile value would travel on into logs, consoles and activity entries).
 *
 * Typical use, in a service before anything else:
 *
 *     const check = new InputCheck();
 *     const name = check.text(input.signerName, ['input', 'signerName'], { label: "The signer's name", max: TEXT_LIMITS.name, required: true });
 *     const [tenantId] = check.globalId(input.partnerTenantId, ['input', 'partnerTenantId'], PARTNER_TENANT_ID) ?? [];
 *     if (check.error) return err(check.error);
 */

export type FieldPath = string[];

export interface TextRule {
  /** What the value is, starting with a capital ("The signer's name"): the message names it. */
  label: string;
  /** Characters (UTF-16 units, as Partner Center counts) after trimming. */
  max: number;
  /** Missing or blank is refused with REQUIRED. */
  required?: boolean;
  /**
   * Given but blank, for an optional value: `absent` (default) reads it as not given; `refused`
   * refuses it with INVALID_TEXT (a blank nickname is not "no nickname", it is a mistake).
   */
  blank?: 'absent' | 'refused';
  /** Tabs and line breaks allowed (notes); names and references are one line. */
  multiline?: boolean;
}

/** C0 and C1 controls and DEL; tab, LF and CR too unless the text may span lines. */
function hasControls(value: string, multiline: boolean): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
      if (!(multiline && (c === 0x09 || c === 0x0a || c === 0x0d))) {
        return true;
      }
    } else if (!multiline && (c === 0x2028 || c === 0x2029)) {
      // Unicode line and paragraph separators break a one-line name just as LF does.
      return true;
    }
  }
  return false;
}

/** A lone UTF-16 surrogate: not a character; databases and PDF fonts refuse it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text a person reads on a form or in a list: no controls, no bidi overrides, well formed. */
export function isCleanText(value: string, multiline = false): boolean {
  return !hasControls(value, multiline) && !hasBidiControls(value) && !LONE_SURROGATE.test(value);
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: DomainError };

const fail = (code: UserErrorCode, message: string, field: FieldPath): Checked<never> => ({
  ok: false,
  error: { code, message, field },
});

/**
 * A name, reference, note or address. Order matters: a value with control characters is
 * INVALID_TEXT even when it is also too long (the length is not what is wrong with it).
 */
export function checkText(
  value: string | null | undefined,
  field: FieldPath,
  rule: TextRule,
): Checked<string | null> {
  const given = typeof value === 'string' ? value : null;
  if (given !== null && !isCleanText(given, rule.multiline)) {
    return fail(
      'INVALID_TEXT',
      `${rule.label} must be text without control characters or bidirectional overrides.`,
      field,
    );
  }
  const trimmed = given?.trim() ?? '';
  if (trimmed === '') {
    if (rule.required) {
      return fail('REQUIRED', `${rule.label} is required.`, field);
    }
    if (given !== null && rule.blank === 'refused') {
      return fail('INVALID_TEXT', `${rule.label} cannot be empty or blank.`, field);
    }
    return { ok: true, value: null };
  }
  if (trimmed.length > rule.max) {
    return fail('TOO_LONG', `${rule.label} is at most ${rule.max} characters.`, field);
  }
  return { ok: true, value: trimmed };
}

/** An Entra ID tenant id or another Partner Center GUID given as text (exactly); lower case. */
export function checkGuid(
  value: string | null | undefined,
  field: FieldPath,
  label: string,
  code: UserErrorCode = 'INVALID',
): Checked<string> {
  return typeof value === 'string' && guidSchema.safeParse(value).success
    ? { ok: true, value: value.toLowerCase() }
    : fail(code, `${label} must be a GUID (8-4-4-4-12 hexadecimal digits).`, field);
}

/** What a global id must decode to. */
export interface GlobalIdSpec {
  /** The GraphQL type(s) the id may name. */
  types: readonly string[];
  arity: number;
  /** Noun for the NOT_FOUND message ("subscription", "partner tenant"). */
  noun: string;
  /** Key parts that must be GUIDs (default: all); the others must match ROW_KEY. */
  guidParts?: readonly number[];
}

/**
 * Keys of our own rows (workflow ids: UUIDs when created by the API, short slugs when seeded);
 * they never reach a Partner Center path, but are still held to a plain charset and length.
 */
export const ROW_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export const PARTNER_TENANT_ID: GlobalIdSpec = {
  types: ['PartnerTenant'],
  arity: 1,
  noun: 'partner tenant',
};
export const CUSTOMER_ID: GlobalIdSpec = { types: ['Customer'], arity: 2, noun: 'customer' };
export const SUBSCRIPTION_ID: GlobalIdSpec = {
  types: ['CustomerSubscription'],
  arity: 3,
  noun: 'subscription',
};
export const TRANSFER_ID: GlobalIdSpec = {
  types: ['SubscriptionTransfer'],
  arity: 1,
  noun: 'transfer',
  guidParts: [],
};
/** A workflow of any of `types` (the registered workflow object types). */
export const workflowIdSpec = (types: readonly string[]): GlobalIdSpec => ({
  types,
  arity: 1,
  noun: 'workflow',
  guidParts: [],
});

/**
 * A global id decoded to its key parts, each re-checked (a decoded id is still caller input: it
 * is base64 of anything, and its parts go into Partner Center paths). Anything else is NOT_FOUND,
 * without the id in the message.
 */
export function checkGlobalId(
  value: string | null | undefined,
  field: FieldPath,
  spec: GlobalIdSpec,
): Checked<{ type: string; parts: string[] }> {
  const decoded = typeof value === 'string' && value.length <= 512 ? decodeId(value) : null;
  const guidParts = spec.guidParts ?? [...Array(spec.arity).keys()];
  if (
    !decoded ||
    !spec.types.includes(decoded.type) ||
    decoded.parts.length !== spec.arity ||
    !decoded.parts.every((part, i) =>
      guidParts.includes(i) ? guidSchema.safeParse(part).success : ROW_KEY.test(part),
    )
  ) {
    return fail('NOT_FOUND', `No ${spec.noun} of your organization has this id.`, field);
  }
  // Parts are returned as encoded: they are keys of our own records, compared as stored.
  return { ok: true, value: { type: decoded.type, parts: decoded.parts } };
}

/** Partner ID (MPN id): 4 to 10 digits, nothing else (no spaces, signs or other digits). */
export function checkMpnId(
  value: string | null | undefined,
  field: FieldPath,
  label: string,
  code: UserErrorCode = 'INVALID_MPN_ID',
): Checked<string> {
  return typeof value === 'string' && mpnIdSchema.safeParse(value).success
    ? { ok: true, value }
    : fail(code, `${label} is 4 to 10 digits (0–9).`, field);
}

/** A mailbox address; trimmed. The message never repeats what was given. */
export function checkEmail(
  value: string | null | undefined,
  field: FieldPath,
  label: string,
): Checked<string> {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed && isCleanText(trimmed) && emailSchema.safeParse(trimmed).success
    ? { ok: true, value: trimmed }
    : fail(
        'INVALID_EMAIL',
        `${label} must be one valid email address (name@domain), at most ${TEXT_LIMITS.email} characters.`,
        field,
      );
}

/** An optional phone number: digits, spaces and + ( ) - . only; blank reads as none. */
export function checkPhone(
  value: string | null | undefined,
  field: FieldPath,
  label: string,
): Checked<string | null> {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!trimmed && (typeof value !== 'string' || isCleanText(value))) {
    return { ok: true, value: null };
  }
  return phoneSchema.safeParse(trimmed).success && isCleanText(value as string)
    ? { ok: true, value: trimmed }
    : fail(
        'INVALID_PHONE',
        `${label} has digits, spaces and + ( ) - . only, at most ${TEXT_LIMITS.phone} characters.`,
        field,
      );
}

/**
 * A Partner Center offer id: legacy ids (MS-AZR-0145P, GUIDs, office365-e3) and NCE ids
 * (CFQ7TTC0LF8Q:0001:CFQ7TTC0K39X) use letters, digits and `- _ . :` only.
 */
export const OFFER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export function checkOfferId(
  value: string | null | undefined,
  field: FieldPath,
  label: string,
): Checked<string> {
  const text = checkText(value, field, { label, max: TEXT_LIMITS.offerId, required: true });
  if (!text.ok) {
    return text;
  }
  return OFFER_ID_PATTERN.test(text.value as string)
    ? { ok: true, value: text.value as string }
    : fail(
        'INVALID_OFFER_ID',
        `${label} is a Partner Center offer id: letters, digits and - _ . : only.`,
        field,
      );
}

/** Idempotency keys: 1–200 printable ASCII characters. */
export function checkIdempotencyKey(
  value: string | null | undefined,
  field: FieldPath = ['input', 'idempotencyKey'],
): Checked<string | null> {
  if (value === null || value === undefined) {
    return { ok: true, value: null };
  }
  return idempotencyKeySchema.safeParse(value).success
    ? { ok: true, value }
    : fail('INVALID', 'The idempotency key is 1–200 printable ASCII characters.', field);
}

/**
 * Runs several checks and keeps the first failure (and all of them, for payloads that list every
 * problem). Each method returns the normalised value, or a placeholder once a check failed; call
 * sites test `error` before using any value.
 */
export class InputCheck {
  readonly failures: DomainError[] = [];

  get error(): DomainError | null {
    const [first] = this.failures;
    return first ? { ...first, ...(this.failures.length > 1 ? { all: this.failures } : {}) } : null;
  }

  private take<T>(checked: Checked<T>, placeholder: T): T {
    if (checked.ok) {
      return checked.value;
    }
    this.failures.push(checked.error);
    return placeholder;
  }

  /** Records a failure found by other means (a business rule on already checked values). */
  add(error: DomainError | null | undefined): void {
    if (error) {
      this.failures.push(error);
    }
  }

  text(value: string | null | undefined, field: FieldPath, rule: TextRule): string | null {
    return this.take(checkText(value, field, rule), null);
  }

  /** A required text: '' after a failure. */
  requiredText(
    value: string | null | undefined,
    field: FieldPath,
    rule: Omit<TextRule, 'required'>,
  ): string {
    return this.take(checkText(value, field, { ...rule, required: true }), '') ?? '';
  }

  guid(
    value: string | null | undefined,
    field: FieldPath,
    label: string,
    code?: UserErrorCode,
  ): string {
    return this.take(checkGuid(value, field, label, code), '');
  }

  globalId(
    value: string | null | undefined,
    field: FieldPath,
    spec: GlobalIdSpec,
  ): string[] | null {
    return this.take(checkGlobalId(value, field, spec), null)?.parts ?? null;
  }

  mpnId(
    value: string | null | undefined,
    field: FieldPath,
    label: string,
    code?: UserErrorCode,
  ): string {
    return this.take(checkMpnId(value, field, label, code), '');
  }

  email(value: string | null | undefined, field: FieldPath, label: string): string {
    return this.take(checkEmail(value, field, label), '');
  }

  phone(value: string | null | undefined, field: FieldPath, label: string): string | null {
    return this.take(checkPhone(value, field, label), null);
  }

  offerId(value: string | null | undefined, field: FieldPath, label: string): string {
    return this.take(checkOfferId(value, field, label), '');
  }

  idempotencyKey(value: string | null | undefined, field?: FieldPath): string | null {
    return this.take(checkIdempotencyKey(value, field), null);
  }
}

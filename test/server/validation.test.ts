import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  amountSchema,
  currencyMatchesCountry,
  emailSchema,
  guidSchema,
  hasControlCharacters,
  idempotencyKeySchema,
  invalid,
  isIsoCountry,
  isIsoCurrency,
  isSaneDate,
  mpnIdSchema,
  opaqueIdSchema,
  optionalTextSchema,
  phoneSchema,
  requiredTextSchema,
} from '../../server/shared/validation.js';

// The shared input validators (issue 8) every service applies before it reads or writes anything.

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) =>
  schema.safeParse(v).success;

describe('shared input validators', () => {
  it('GUIDs: Entra ID tenant ids and Partner Center ids', () => {
    expect(ok(guidSchema, '3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe(true);
    expect(ok(guidSchema, '3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe(true);
    for (const bad of [
      '',
      'not-a-guid',
      '3f2504e04f8911d39a0c0305e82c3301',
      '{3f2504e0-4f89-11d3-9a0c-0305e82c3301}',
      '3f2504e0-4f89-11d3-9a0c-0305e82c330g',
    ]) {
      expect(ok(guidSchema, bad)).toBe(false);
    }
  });

  it('opaque ids: base64url only, bounded', () => {
    expect(ok(opaqueIdSchema, 'djF8Q3VzdG9tZXJ8YQ')).toBe(true);
    expect(ok(opaqueIdSchema, 'a/b')).toBe(false);
    expect(ok(opaqueIdSchema, '')).toBe(false);
    expect(ok(opaqueIdSchema, 'a'.repeat(513))).toBe(false);
  });

  it('emails: one @, a dotted domain, no spaces, at most 320 characters', () => {
    expect(ok(emailSchema, 'aoife.byrne@contoso.example')).toBe(true);
    for (const bad of [
      '',
      'a@b',
      'a b@c.d',
      'a@@c.d',
      '<a>@c.d',
      'a@c.d\n',
      `${'a'.repeat(320)}@c.de`,
    ]) {
      expect(ok(emailSchema, bad)).toBe(false);
    }
  });

  it('ISO 3166-1 countries and ISO 4217 currencies, and the currency of a customer’s country (R-AZP-5)', () => {
    expect(isIsoCountry('DE')).toBe(true);
    expect(isIsoCountry('de')).toBe(false);
    expect(isIsoCountry('ZZ')).toBe(false);
    expect(isIsoCountry('XX')).toBe(false);
    expect(isIsoCurrency('EUR')).toBe(true);
    expect(isIsoCurrency('eur')).toBe(false);
    expect(isIsoCurrency('ABC')).toBe(false);
    expect(currencyMatchesCountry('EUR', 'FR')).toBe(true);
    expect(currencyMatchesCountry('USD', 'FR')).toBe(false);
    expect(currencyMatchesCountry('EUR', null)).toBe(false);
  });

  it('amounts, Partner IDs, idempotency keys, phones', () => {
    expect(ok(amountSchema, '5000.50')).toBe(true);
    for (const bad of ['-1', '1e3', '1.234', '01', '', ' 5']) {
      expect(ok(amountSchema, bad)).toBe(false);
    }
    expect(ok(mpnIdSchema, '4412345')).toBe(true);
    expect(ok(mpnIdSchema, '12a4')).toBe(false);
    expect(ok(idempotencyKeySchema, 'oak-stone-1')).toBe(true);
    expect(ok(idempotencyKeySchema, '')).toBe(false);
    expect(ok(idempotencyKeySchema, 'has space')).toBe(false);
    expect(ok(idempotencyKeySchema, 'k'.repeat(201))).toBe(false);
    expect(ok(phoneSchema, '+353 1 555 0100')).toBe(true);
    expect(ok(phoneSchema, 'call me')).toBe(false);
  });

  it('text: required (trimmed, bounded) and optional, never with control characters', () => {
    expect(ok(requiredTextSchema(5), ' abc ')).toBe(true);
    expect(ok(requiredTextSchema(5), '   ')).toBe(false);
    expect(ok(requiredTextSchema(5), 'abcdef')).toBe(false);
    expect(ok(requiredTextSchema(5), 'a\u0000b')).toBe(false);
    expect(ok(optionalTextSchema(10), 'line\nnext')).toBe(true);
    expect(ok(optionalTextSchema(10), 'bell\u0007')).toBe(false);
    expect(hasControlCharacters('tab\tok')).toBe(false);
  });

  it('dates given by callers stay within 2000–2100', () => {
    expect(isSaneDate(new Date('2026-01-02T10:00:00Z'))).toBe(true);
    expect(isSaneDate(new Date('1970-01-01T00:00:00Z'))).toBe(false);
    expect(isSaneDate(new Date('9999-01-01T00:00:00Z'))).toBe(false);
    expect(isSaneDate(new Date('nope'))).toBe(false);
  });

  it('invalid() gives the userError with code and field path, or null', () => {
    expect(invalid(guidSchema, 'x', ['input', 'tenantId'], 'INVALID', 'bad')).toEqual({
      code: 'INVALID',
      message: 'bad',
      field: ['input', 'tenantId'],
    });
    expect(
      invalid(guidSchema, '3f2504e0-4f89-11d3-9a0c-0305e82c3301', ['input'], 'INVALID', 'bad'),
    ).toBeNull();
  });
});

describe('query arguments are validated before anything is read', () => {
  let t: TestApp;
  let token: string;
  let calls = 0;
  beforeAll(async () => {
    t = await startTestApp({
      env: { WORKFLOW_RUNNER: 'off' },
      fetch: async () => {
        calls += 1;
        return new Response('{}', { status: 500 });
      },
    });
    token = await t.token('org-a');
  });
  afterAll(() => t.close());

  it('customers(search) over 200 characters is BAD_USER_INPUT, with no Partner Center call', async () => {
    const tenants = await t.gql<{
      viewer: { organization: { partnerTenants: Array<{ id: string }> } };
    }>('{ viewer { organization { partnerTenants { id } } } }', { token });
    const res = await t.gql(
      'query($t: ID!, $s: String) { customers(partnerTenantId: $t, search: $s) { totalCount } }',
      {
        token,
        variables: {
          t: tenants.body.data!.viewer.organization.partnerTenants[0]!.id,
          s: 'x'.repeat(201),
        },
      },
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'search',
    });
    expect(calls).toBe(0);
  });

  it('activityLog: a long customer search or a reversed date range is refused; the export says so as a userError', async () => {
    const long = await t.gql(
      'query($f: ActivityLogFilter) { activityLog(filter: $f) { totalCount } }',
      {
        token,
        variables: { f: { customerSearch: 'x'.repeat(201) } },
      },
    );
    expect(long.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reversed = await t.gql(
      'query($f: ActivityLogFilter) { activityLog(filter: $f) { totalCount } }',
      {
        token,
        variables: { f: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
      },
    );
    expect(reversed.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.to',
    });
    const exported = await t.gql<{
      exportActivityLog: { userErrors: Array<{ code: string; field: string[] }>; export: unknown };
    }>(
      'mutation($f: ActivityLogFilter) { exportActivityLog(input: { format: CSV, filter: $f }) { userErrors { code field } export { url } } }',
      { token, variables: { f: { customerSearch: 'x'.repeat(201) } } },
    );
    expect(exported.body.data?.exportActivityLog).toEqual({
      userErrors: [{ code: 'TOO_LONG', field: ['input', 'filter', 'customerSearch'] }],
      export: null,
    });
  });
});

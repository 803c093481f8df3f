import { describe, expect, it } from 'vitest';
import { encodeId } from '../../server/shared/ids.js';
import {
  checkEmail,
  checkGlobalId,
  checkGuid,
  checkMpnId,
  checkOfferId,
  checkPhone,
  checkText,
  CUSTOMER_ID,
  InputCheck,
  isCleanText,
  workflowIdSpec,
} from '../../server/shared/input-validation.js';
import { BIDI, CONTROLS } from '../support/hostile-inputs.js';

// Issue 17: the shared input checks, one rule per kind; the e2e table test sends the same values
// through every mutation (test/e2e/hostile-inputs.test.ts).

const FIELD = ['input', 'x'];
const GUID_A = '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
const GUID_B = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

describe('checkText', () => {
  const rule = { label: 'The name', max: 10 };
  it('refuses every C0/C1 control and bidi override with INVALID_TEXT, before the length', () => {
    for (const c of [...CONTROLS, ...BIDI]) {
      const long = `${c}${'x'.repeat(50)}`;
      expect(checkText(`a${c}b`, FIELD, rule), JSON.stringify(c)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_TEXT', field: FIELD },
      });
      expect(checkText(long, FIELD, rule)).toMatchObject({ error: { code: 'INVALID_TEXT' } });
    }
    expect(checkText('lone \ud800', FIELD, rule)).toMatchObject({
      error: { code: 'INVALID_TEXT' },
    });
  });

  it('allows tabs and line breaks only in multi-line text', () => {
    expect(checkText('a\nb\tc', FIELD, { ...rule, multiline: true })).toEqual({
      ok: true,
      value: 'a\nb\tc',
    });
    expect(checkText('a\u0000b', FIELD, { ...rule, multiline: true }).ok).toBe(false);
  });

  it('trims, bounds, and treats blank per rule', () => {
    expect(checkText('  Ann  ', FIELD, rule)).toEqual({ ok: true, value: 'Ann' });
    expect(checkText('x'.repeat(11), FIELD, rule)).toMatchObject({ error: { code: 'TOO_LONG' } });
    expect(checkText('   ', FIELD, { ...rule, required: true })).toMatchObject({
      error: { code: 'REQUIRED' },
    });
    expect(checkText(null, FIELD, { ...rule, required: true })).toMatchObject({
      error: { code: 'REQUIRED' },
    });
    expect(checkText('   ', FIELD, rule)).toEqual({ ok: true, value: null });
    expect(checkText('', FIELD, { ...rule, blank: 'refused' })).toMatchObject({
      error: { code: 'INVALID_TEXT' },
    });
    expect(checkText(undefined, FIELD, { ...rule, blank: 'refused' })).toEqual({
      ok: true,
      value: null,
    });
    // Non-Latin names are names.
    expect(checkText('Zoë Ångström-李', FIELD, { ...rule, max: 50 }).ok).toBe(true);
  });

  it('never repeats the value in its message', () => {
    for (const value of ['secret\u0000', 'y'.repeat(20)]) {
      const checked = checkText(value, FIELD, rule);
      expect(checked.ok).toBe(false);
      expect(JSON.stringify(checked)).not.toContain(value.slice(0, 6));
    }
  });
});

describe('ids', () => {
  it('decodes a global id only when every key part is a GUID', () => {
    expect(checkGlobalId(encodeId('Customer', GUID_A, GUID_B), FIELD, CUSTOMER_ID)).toEqual({
      ok: true,
      value: { type: 'Customer', parts: [GUID_A, GUID_B] },
    });
    for (const bad of [
      encodeId('Customer', GUID_A, `${GUID_B}\f`),
      encodeId('Customer', GUID_A, '../../orders'),
      encodeId('Customer', GUID_A),
      encodeId('PartnerTenant', GUID_A),
      'not-an-id',
      '',
      'A'.repeat(10_000),
    ]) {
      expect(checkGlobalId(bad, FIELD, CUSTOMER_ID)).toMatchObject({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          field: FIELD,
          message: 'No customer of your organization has this id.',
        },
      });
    }
  });

  it('holds workflow ids to plain row keys', () => {
    const spec = workflowIdSpec(['TenantConsolidation']);
    expect(checkGlobalId(encodeId('TenantConsolidation', 'wf-1'), FIELD, spec).ok).toBe(true);
    expect(checkGlobalId(encodeId('TenantConsolidation', GUID_A), FIELD, spec).ok).toBe(true);
    expect(checkGlobalId(encodeId('TenantConsolidation', 'wf\u0000'), FIELD, spec).ok).toBe(false);
    expect(checkGlobalId(encodeId('TenantConsolidation', 'a/b'), FIELD, spec).ok).toBe(false);
  });

  it('takes a GUID exactly (no control character, no trailing path)', () => {
    expect(checkGuid(GUID_A.toUpperCase(), FIELD, 'The id')).toEqual({ ok: true, value: GUID_A });
    for (const bad of [`${GUID_A}\f`, `${GUID_A}/orders`, ` ${GUID_A}`, '', 'x']) {
      expect(checkGuid(bad, FIELD, 'The id').ok).toBe(false);
    }
  });

  it('MPN ids are 4 to 10 ASCII digits', () => {
    expect(checkMpnId('1234', FIELD, 'The MPN id').ok).toBe(true);
    expect(checkMpnId('1234567890', FIELD, 'The MPN id').ok).toBe(true);
    for (const bad of ['123', '12345678901', ' 1234', '12\u000734', '١٢٣٤٥', '', '1'.repeat(1e5)]) {
      expect(checkMpnId(bad, FIELD, 'The MPN id')).toMatchObject({
        error: { code: 'INVALID_MPN_ID' },
      });
    }
  });
});

describe('emails and offer ids', () => {
  it('refuses control and bidi characters in an email, and does not echo it', () => {
    expect(checkEmail(' ann@example.com ', FIELD, 'The email')).toEqual({
      ok: true,
      value: 'ann@example.com',
    });
    for (const bad of ['ann\u202e@example.com', 'ann@example.com\r\nBcc: x@y.z', '<a@b.c>', '']) {
      const checked = checkEmail(bad, FIELD, 'The email');
      expect(checked).toMatchObject({ ok: false, error: { code: 'INVALID_EMAIL' } });
      expect(JSON.stringify(checked)).not.toContain('ann');
    }
  });

  it('offer ids use letters, digits and - _ . : only', () => {
    for (const good of ['CFQ7TTC0LF8Q:0001:CFQ7TTC0K39X', 'MS-AZR-0145P', 'office365-e3']) {
      expect(checkOfferId(good, FIELD, 'offerId').ok).toBe(true);
    }
    expect(checkOfferId('\u0000', FIELD, 'offerId')).toMatchObject({
      error: { code: 'INVALID_TEXT' },
    });
    expect(checkOfferId('../x', FIELD, 'offerId')).toMatchObject({
      error: { code: 'INVALID_OFFER_ID' },
    });
    expect(checkOfferId(' ', FIELD, 'offerId')).toMatchObject({ error: { code: 'REQUIRED' } });
  });
});

describe('InputCheck', () => {
  it('keeps the first failure and lists all', () => {
    const check = new InputCheck();
    expect(check.requiredText('Ann', ['input', 'a'], { label: 'A', max: 10 })).toBe('Ann');
    check.requiredText('\u0000', ['input', 'b'], { label: 'B', max: 10 });
    check.mpnId('x', ['input', 'c'], 'C');
    expect(check.error).toMatchObject({
      code: 'INVALID_TEXT',
      field: ['input', 'b'],
      all: [{ field: ['input', 'b'] }, { field: ['input', 'c'] }],
    });
    expect(isCleanText('plain')).toBe(true);
  });
});

describe('checkPhone', () => {
  it('takes digits, spaces and + ( ) - . only; blank is none', () => {
    expect(checkPhone(' +49 (30) 1234-5678 ', FIELD, 'The phone')).toEqual({
      ok: true,
      value: '+49 (30) 1234-5678',
    });
    expect(checkPhone('  ', FIELD, 'The phone')).toEqual({ ok: true, value: null });
    expect(checkPhone(null, FIELD, 'The phone')).toEqual({ ok: true, value: null });
    for (const bad of [
      '\u0000',
      '\u000c',
      '+49 30\u0007 1',
      '+49\u202e30 1',
      'call me',
      '1'.repeat(41),
    ]) {
      expect(checkPhone(bad, FIELD, 'The phone')).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PHONE', field: FIELD },
      });
    }
  });
});

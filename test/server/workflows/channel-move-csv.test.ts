import { describe, expect, it } from 'vitest';
import {
  parseLicensesCsv,
  parseUtcDate,
} from '../../../server/procedures/channel-move/channel-move.csv.js';
import { cutoverFor } from '../../../server/procedures/channel-move/channel-move.model.js';

describe('licenses CSV', () => {
  it('reads quoted fields, CRLF, a BOM and numbers lines as a spreadsheet does', () => {
    const text =
      '\uFEFFofferId,seats,expiresOn,action,note\r\n' +
      'A,1,2026-03-31,,"multi\r\nline, note"\r\n' +
      '\r\n' +
      '"B ""quoted""",2,,CANCEL,x\r\n';
    const parsed = parseLicensesCsv(text);
    expect(parsed).toEqual({
      ok: true,
      lines: [
        {
          lineNumber: 2,
          offerId: 'A',
          seats: 1,
          expiresOn: '2026-03-31T00:00:00.000Z',
          action: 'LET_EXPIRE',
        },
        { lineNumber: 5, offerId: 'B "quoted"', seats: 2, expiresOn: null, action: 'CANCEL' },
      ],
    });
  });

  it('reports each bad row with its line number, and returns no line at all', () => {
    const parsed = parseLicensesCsv('offerId,seats,action\nA,1,\nB,-3,\nC,2,REFUND\nD,1.5,\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems.map((p) => p.line)).toEqual([3, 4, 5]);
      expect(parsed.problems[1]?.message).toMatch(/neither LET_EXPIRE nor CANCEL/);
    }
  });

  it('refuses a header without the required columns, an empty file and an unclosed quote', () => {
    expect(parseLicensesCsv('offer,quantity\nA,1\n')).toMatchObject({
      ok: false,
      problems: [{ line: 1, message: expect.stringMatching(/offerId, seats/) }],
    });
    expect(parseLicensesCsv('  \n')).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    expect(parseLicensesCsv('offerId,seats\nA,1\n"B,2\n')).toMatchObject({
      ok: false,
      problems: [{ line: 3, message: expect.stringMatching(/not closed/) }],
    });
    const tooMany = `offerId,seats\n${'A,1\n'.repeat(501)}`;
    expect(parseLicensesCsv(tooMany)).toMatchObject({ ok: false, problems: [{ line: 502 }] });
  });

  it('reads dates as UTC and rejects impossible ones', () => {
    expect(parseUtcDate('2026-03-31')).toBe('2026-03-31T00:00:00.000Z');
    expect(parseUtcDate('2026-03-31T10:00:00+02:00')).toBe('2026-03-31T08:00:00.000Z');
    expect(parseUtcDate('2026-03-31 10:00')).toBe('2026-03-31T10:00:00.000Z');
    expect(parseUtcDate('2026-02-30')).toBeNull();
    expect(parseUtcDate('31/03/2026')).toBeNull();
  });
});

describe('cut-over date (R-CHN-3)', () => {
  it('is 00:00 UTC, the lead days before the UTC day of expiry; none for CANCEL', () => {
    expect(cutoverFor('LET_EXPIRE', '2026-03-01T23:30:00.000Z', 1)).toBe(
      '2026-02-28T00:00:00.000Z',
    );
    expect(cutoverFor('LET_EXPIRE', '2026-03-01T00:00:00.000Z', 0)).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(cutoverFor('CANCEL', '2026-03-01T00:00:00.000Z', 1)).toBeNull();
    expect(cutoverFor('LET_EXPIRE', null, 1)).toBeNull();
  });
});

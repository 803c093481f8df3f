import { describe, expect, it } from 'vitest';
import {
  addBusinessHours,
  businessCalendar,
  businessMsBetween,
  timeZoneOf,
} from '../../../server/procedures/transfer/business-hours.js';

// R-TRF-7: support answers within 8 business hours (weekdays 09:00–17:00 local time).
const at = (iso: string) => new Date(iso);
const plus = (iso: string, hours: number, country: string, holidays?: Record<string, string[]>) =>
  addBusinessHours(
    at(iso),
    hours,
    businessCalendar(country, holidays ? { holidays } : {}),
  ).toISOString();

describe('addBusinessHours', () => {
  it('counts a whole working day inside the window (Monday 09:00 + 8 h = Monday 17:00)', () => {
    // 2026-01-05 is a Monday; London is on UTC in January.
    expect(plus('2026-01-05T09:00:00Z', 8, 'GB')).toBe('2026-01-05T17:00:00.000Z');
  });

  it('carries what does not fit into the next morning', () => {
    expect(plus('2026-01-05T10:00:00Z', 8, 'GB')).toBe('2026-01-06T10:00:00.000Z');
  });

  it('skips the evening and the night', () => {
    expect(plus('2026-01-05T16:00:00Z', 2, 'GB')).toBe('2026-01-06T10:00:00.000Z');
    // Started after closing: counts from the next opening.
    expect(plus('2026-01-05T19:30:00Z', 8, 'GB')).toBe('2026-01-06T17:00:00.000Z');
    // Started before opening: counts from opening.
    expect(plus('2026-01-06T05:00:00Z', 1, 'GB')).toBe('2026-01-06T10:00:00.000Z');
  });

  it('skips the weekend', () => {
    // Friday 16:00 + 8 h: 1 h on Friday, 7 h on Monday.
    expect(plus('2026-01-09T16:00:00Z', 8, 'GB')).toBe('2026-01-12T16:00:00.000Z');
    // Saturday and Sunday starts count from Monday 09:00.
    expect(plus('2026-01-10T12:00:00Z', 8, 'GB')).toBe('2026-01-12T17:00:00.000Z');
    expect(plus('2026-01-11T23:59:00Z', 0.5, 'GB')).toBe('2026-01-12T09:30:00.000Z');
  });

  it('skips configured holidays, per country or for all', () => {
    // Monday 2026-01-12 is a holiday in GB only.
    const holidays = { GB: ['2026-01-12'] };
    expect(plus('2026-01-09T16:00:00Z', 2, 'GB', holidays)).toBe('2026-01-13T10:00:00.000Z');
    expect(plus('2026-01-09T15:00:00Z', 2, 'FR', holidays)).toBe('2026-01-12T09:00:00.000Z');
    // A list for every country.
    const everywhere = addBusinessHours(
      at('2026-01-09T16:00:00Z'),
      2,
      businessCalendar('GB', { holidays: ['2026-01-12', '2026-01-13'] }),
    );
    expect(everywhere.toISOString()).toBe('2026-01-14T10:00:00.000Z');
    // '*' applies to all countries.
    expect(plus('2026-01-09T16:00:00Z', 2, 'GB', { '*': ['2026-01-12'] })).toBe(
      '2026-01-13T10:00:00.000Z',
    );
  });

  it("uses each country's local time: one instant, three deadlines", () => {
    // 08:30 UTC is 09:30 in Paris, 08:30 in London (before opening), 17:30 in Tokyo (closed).
    const from = '2026-01-05T08:30:00Z';
    expect(plus(from, 8, 'FR')).toBe('2026-01-06T08:30:00.000Z'); // Tue 09:30 Paris
    expect(plus(from, 8, 'GB')).toBe('2026-01-05T17:00:00.000Z'); // Mon 17:00 London
    expect(plus(from, 8, 'JP')).toBe('2026-01-06T08:00:00.000Z'); // Tue 17:00 Tokyo
    expect(timeZoneOf('jp')).toBe('Asia/Tokyo');
    expect(timeZoneOf('XX')).toBe('UTC');
  });

  it('follows daylight saving time changes', () => {
    // US DST starts Sunday 2026-03-08: Friday 16:00 EST (21:00 UTC) + 2 h = Monday 10:00 EDT.
    expect(plus('2026-03-06T21:00:00Z', 2, 'US')).toBe('2026-03-09T14:00:00.000Z');
    // Europe switches on 2026-03-29: Friday 16:00 CET + 2 h = Monday 10:00 CEST (08:00 UTC).
    expect(plus('2026-03-27T15:00:00Z', 2, 'FR')).toBe('2026-03-30T08:00:00.000Z');
  });

  it('is exact to the minute for fractions and zero', () => {
    expect(plus('2026-01-05T12:00:00Z', 0, 'GB')).toBe('2026-01-05T12:00:00.000Z');
    expect(plus('2026-01-05T12:00:00Z', 0.25, 'GB')).toBe('2026-01-05T12:15:00.000Z');
  });

  it("skips the partner country's public holidays (date-holidays), overridable", () => {
    // Tuesday 2026-03-17 is St Patrick's Day in Ireland: Monday 16:00 + 2 h lands on Wednesday.
    expect(plus('2026-03-16T16:00:00Z', 2, 'IE')).toBe('2026-03-18T10:00:00.000Z');
    expect(plus('2026-03-16T16:00:00Z', 2, 'GB')).toBe('2026-03-17T10:00:00.000Z');
    // Easter Monday 2026-04-06 in Poland (Europe/Warsaw, UTC+2 in April).
    expect(plus('2026-04-03T14:00:00Z', 2, 'PL')).toBe('2026-04-07T08:00:00.000Z');
    const calendar = (options: Parameters<typeof businessCalendar>[1]) =>
      addBusinessHours(
        at('2026-03-16T16:00:00Z'),
        2,
        businessCalendar('IE', options),
      ).toISOString();
    expect(calendar({ workingDays: { IE: ['2026-03-17'] } })).toBe('2026-03-17T10:00:00.000Z');
    expect(calendar({ publicHolidays: false })).toBe('2026-03-17T10:00:00.000Z');
    expect(calendar({ holidays: { IE: ['2026-03-18'] } })).toBe('2026-03-19T10:00:00.000Z');
  });

  it('adds up to what businessMsBetween measures', () => {
    const calendar = businessCalendar('DE', { holidays: { DE: ['2026-01-07'] } });
    for (const from of ['2026-01-05T07:13:00Z', '2026-01-06T15:59:00Z', '2026-01-09T20:00:00Z']) {
      const due = addBusinessHours(at(from), 8, calendar);
      expect(businessMsBetween(at(from), due, calendar)).toBe(8 * 3_600_000);
    }
    expect(
      businessMsBetween(at('2026-01-06T00:00:00Z'), at('2026-01-05T00:00:00Z'), calendar),
    ).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  addBusinessHours,
  businessCalendar,
  isBusinessTime,
  publicHolidays,
} from 'csp-migrations/emulator';

describe('addBusinessHours', () => {
  it('counts only weekday 09:00–17:00 local time', () => {
    // Monday 08:00 UTC = 09:00 Paris: 8 business hours end at 17:00 Paris (16:00 UTC).
    expect(addBusinessHours(new Date('2026-01-05T08:00:00Z'), 8, 'FR').toISOString()).toBe(
      '2026-01-05T16:00:00.000Z',
    );
    // Friday 15:00 Paris + 8 h → Monday 15:00 Paris.
    expect(addBusinessHours(new Date('2026-01-09T14:00:00Z'), 8, 'FR').toISOString()).toBe(
      '2026-01-12T14:00:00.000Z',
    );
    // Saturday night in Tokyo starts counting on Monday 09:00 JST. (The weekend of 10–11 January
    // used before is followed by Coming of Age Day, a public holiday: see the next test.)
    expect(addBusinessHours(new Date('2026-01-17T15:00:00Z'), 1, 'JP').toISOString()).toBe(
      '2026-01-19T01:00:00.000Z',
    );
  });

  it("skips the country's public holidays from date-holidays", () => {
    // Monday 2026-01-12 is Coming of Age Day in Japan: Saturday night counts from Tuesday 09:00.
    expect(addBusinessHours(new Date('2026-01-10T15:00:00Z'), 1, 'JP').toISOString()).toBe(
      '2026-01-13T01:00:00.000Z',
    );
    // St Patrick's Day (Tuesday 2026-03-17) closes support in Ireland, not in Great Britain.
    expect(publicHolidays('IE', 2026).has('2026-03-17')).toBe(true);
    const monday4pm = new Date('2026-03-16T16:00:00Z');
    expect(addBusinessHours(monday4pm, 2, 'IE').toISOString()).toBe('2026-03-18T10:00:00.000Z');
    expect(addBusinessHours(monday4pm, 2, 'GB').toISOString()).toBe('2026-03-17T10:00:00.000Z');
    expect(isBusinessTime(new Date('2026-03-17T12:00:00Z'), 'IE')).toBe(false);
    expect(isBusinessTime(new Date('2026-03-17T12:00:00Z'), 'GB')).toBe(true);
    // Bank holidays close support too (Good Friday in Ireland); observances do not (Mother's Day).
    expect(publicHolidays('IE', 2026).has('2026-04-03')).toBe(true);
    expect(publicHolidays('IE', 2026).has('2026-03-15')).toBe(false);
    // A country date-holidays does not know has no holidays (and UTC hours).
    expect(publicHolidays('XX', 2026).size).toBe(0);
  });

  it('lets holidays be overridden: working days, extra closed days, or none at all', () => {
    const monday4pm = new Date('2026-03-16T16:00:00Z');
    const working = businessCalendar('IE', { workingDays: { IE: ['2026-03-17'] } });
    expect(addBusinessHours(monday4pm, 2, working).toISOString()).toBe('2026-03-17T10:00:00.000Z');
    const off = businessCalendar('IE', { publicHolidays: false });
    expect(addBusinessHours(monday4pm, 2, off).toISOString()).toBe('2026-03-17T10:00:00.000Z');
    const extra = businessCalendar('GB', { holidays: { '*': ['2026-03-17'] } });
    expect(addBusinessHours(monday4pm, 2, extra).toISOString()).toBe('2026-03-18T10:00:00.000Z');
    // A working-day override never reopens a day that was added as a holiday.
    const both = businessCalendar('IE', {
      holidays: ['2026-03-17'],
      workingDays: { IE: ['2026-03-17'] },
    });
    expect(addBusinessHours(monday4pm, 2, both).toISOString()).toBe('2026-03-18T10:00:00.000Z');
  });
});

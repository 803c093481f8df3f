import { describe, expect, it } from 'vitest';
import {
  addBusinessHours,
  businessCalendar,
  createEmulator,
  isBusinessTime,
  publicHolidays,
  type Emulator,
} from 'partner-center-emulator';

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

describe('Microsoft support in the emulator works its business hours, holidays included', () => {
  async function ticket(emulator: Emulator, title: string) {
    const tenant = emulator.control.partners()[0]?.tenantId ?? '';
    const auth = { Authorization: `Bearer ${emulator.tokenFor(tenant)}` };
    const res = await emulator.fetch('/v1/servicerequests/en-US', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        Title: title,
        Description: 'Please call back.',
        Severity: 'Minimal',
        SupportTopicId: '32444671',
        CountryCode: 'IE',
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    return async () => {
      const sr = (await (
        await emulator.fetch(`/v1/servicerequests/${id}`, { headers: auth })
      ).json()) as { notes: Array<{ createdByName: string; createdDate: string }> };
      return sr.notes.filter((n) => n.createdByName === 'Microsoft Support');
    };
  }

  it("answers an Irish ticket after St Patrick's Day, or on it when configured to work", async () => {
    // Monday 16 March 2026 16:00 in Dublin (UTC): 1 business hour left that day.
    const emulator = createEmulator({
      scenario: 'demo',
      seed: 7,
      clock: { now: '2026-03-16T16:00:00Z' },
    });
    const answers = await ticket(emulator, 'Question before the holiday');
    await emulator.clock.advance('P1DT2H'); // Tuesday 18:00: the holiday passed, no answer
    expect(await answers()).toEqual([]);
    await emulator.clock.advance('PT22H'); // Wednesday 16:00: 1 h Monday + 7 h Wednesday
    expect((await answers()).map((n) => n.createdDate)).toEqual(['2026-03-18T16:00:00.000Z']);

    const working = createEmulator({
      scenario: 'demo',
      seed: 7,
      clock: { now: '2026-03-16T16:00:00Z' },
    });
    const patch = await working.fetch('/_emulator/autopilot', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ support: { workingDays: { IE: ['2026-03-17'] } } }),
    });
    expect(patch.status).toBe(200);
    const onHoliday = await ticket(working, 'Question on a working holiday');
    await working.clock.advance('P1DT2H');
    expect((await onHoliday()).map((n) => n.createdDate)).toEqual(['2026-03-17T16:00:00.000Z']);

    const bad = await working.fetch('/_emulator/autopilot', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ support: { holidays: { IE: ['17/03/2026'] } } }),
    });
    expect(bad.status).toBe(400);
  });
});

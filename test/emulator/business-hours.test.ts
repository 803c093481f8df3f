import { describe, expect, it } from 'vitest';
import { addBusinessHours } from '../../emulator/core/business-hours.js';

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
    // Saturday night in Tokyo starts counting on Monday 09:00 JST.
    expect(addBusinessHours(new Date('2026-01-10T15:00:00Z'), 1, 'JP').toISOString()).toBe(
      '2026-01-12T01:00:00.000Z',
    );
  });
});

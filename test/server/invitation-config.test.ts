import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/env.js';

// Customer invitations (issue 16): reminders and validity on the business clock, configurable.

describe('invitation configuration', () => {
  it('defaults: a reminder a week, three at most, valid 90 days', () => {
    expect(loadConfig({}).invitations).toEqual({
      reminderIntervalMs: 7 * 86_400_000,
      maxReminders: 3,
      validityMs: 90 * 86_400_000,
    });
  });

  it('reads INVITATION_REMINDER_INTERVAL, INVITATION_REMINDERS and INVITATION_VALIDITY', () => {
    const config = loadConfig({
      INVITATION_REMINDER_INTERVAL: 'PT36H',
      INVITATION_REMINDERS: '0',
      INVITATION_VALIDITY: 'P2W',
    });
    expect(config.invitations).toEqual({
      reminderIntervalMs: 36 * 3_600_000,
      maxReminders: 0,
      validityMs: 14 * 86_400_000,
    });
  });

  it('refuses a zero duration and a negative count', () => {
    expect(() => loadConfig({ INVITATION_VALIDITY: 'PT0S' })).toThrow(ConfigError);
    expect(() => loadConfig({ INVITATION_REMINDERS: '-1' })).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { addDuration, createEmulator, durationMs, parseDuration } from 'partner-center-emulator';
import { ConfigError, loadConfig } from '../../server/config/env.js';

const DAY = 86_400_000;

describe('ISO 8601 durations (one parser for the emulator and the server)', () => {
  it('parses every designator, weeks and fractions included', () => {
    expect(parseDuration('P1Y2M3DT4H5M6.5S')).toEqual({
      years: 1,
      months: 2,
      weeks: 0,
      days: 3,
      hours: 4,
      minutes: 5,
      seconds: 6.5,
    });
    expect(durationMs('P2W')).toBe(14 * DAY);
    expect(durationMs('PT1.5H')).toBe(5_400_000);
    expect(durationMs('pt30s')).toBe(30_000);
    for (const bad of ['P', 'PT', 'P1DT', '-P1D', '2 weeks', 'P1H', '']) {
      expect(parseDuration(bad), bad).toBeUndefined();
      expect(() => durationMs(bad), bad).toThrow(RangeError);
    }
    // Months have no fixed length: refused where a length is needed, calendar months when added.
    expect(() => durationMs('P1M')).toThrow(/no fixed length/);
    expect(addDuration(new Date('2026-01-31T00:00:00Z'), 'P1M').toISOString()).toBe(
      '2026-03-03T00:00:00.000Z',
    );
  });

  it('agrees between the server configuration and the emulator clock on P2W', async () => {
    const config = loadConfig({ TRANSFER_SIGNING_LINK_TTL: 'P2W', WORKFLOW_LEASE: 'PT90S' });
    expect(config.transfer.signingLinkTtlMs).toBe(14 * DAY);
    expect(config.workflow.leaseMs).toBe(90_000);
    expect(() => loadConfig({ TRANSFER_SIGNING_LINK_TTL: 'P1M' })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKFLOW_LEASE: 'P1DT' })).toThrow(ConfigError);

    const emulator = createEmulator({ scenario: 'empty' });
    const before = emulator.clock.now().getTime();
    const res = await emulator.fetch('/_emulator/clock/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ duration: 'P2W' }),
    });
    expect(res.status).toBe(200);
    expect(emulator.clock.now().getTime() - before).toBe(config.transfer.signingLinkTtlMs);
    const bad = await emulator.fetch('/_emulator/clock/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ duration: 'P1DT' }),
    });
    expect(bad.status).toBe(400);
    expect(emulator.clock.now().getTime() - before).toBe(14 * DAY);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/env.js';

// The consolidation's transfer-integrity sweep (issue 15): its watch, interval and overdue time are
// business-clock durations, configurable (the overdue time is a guess).

describe('transfer-integrity sweep configuration', () => {
  it('defaults: watched a day after completion, checked daily, overdue a day after acceptance', () => {
    expect(loadConfig({}).transferWatch).toEqual({
      watchMs: 86_400_000,
      intervalMs: 86_400_000,
      overdueMs: 86_400_000,
    });
  });

  it('reads CONSOLIDATION_TRANSFER_WATCH, _WATCH_INTERVAL and _OVERDUE', () => {
    const config = loadConfig({
      CONSOLIDATION_TRANSFER_WATCH: 'P3D',
      CONSOLIDATION_TRANSFER_WATCH_INTERVAL: 'PT6H',
      CONSOLIDATION_TRANSFER_OVERDUE: 'PT4H',
    });
    expect(config.transferWatch).toEqual({
      watchMs: 3 * 86_400_000,
      intervalMs: 6 * 3_600_000,
      overdueMs: 4 * 3_600_000,
    });
  });

  it('refuses a zero interval or overdue time', () => {
    expect(() => loadConfig({ CONSOLIDATION_TRANSFER_WATCH_INTERVAL: 'PT0S' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ CONSOLIDATION_TRANSFER_OVERDUE: 'PT0S' })).toThrow(ConfigError);
  });
});

import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak/soak.js';

// The short soak CI runs (issue 8): one round of all four workflow kinds at once on the demo, with
// seeded 429s, 5xx, resets, hangs and process kills; every invariant must hold afterwards.
// The long form: `npm run soak -- --seed N --minutes M`.

describe('fault/crash soak (short)', () => {
  it(
    'keeps every invariant with seeded faults and kills (seed 3)',
    { timeout: 120_000 },
    async () => {
      const lines: string[] = [];
      const report = await runSoak({ seed: 3, durationMs: 0, log: (l) => lines.push(l) });
      expect(report.violations, lines.join('\n')).toEqual([]);
      const round = report.rounds[0]!;
      expect(round.workflows.map((w) => w.kind).sort()).toEqual([
        'AZURE_PLAN_TRANSITION',
        'CHANNEL_MOVE',
        'SUBSCRIPTION_TRANSFER',
        'TENANT_CONSOLIDATION',
      ]);
      expect(round.faultsFired).toBeGreaterThan(0);
      expect(round.kills).toBeGreaterThan(0);
      expect(round.checks).toBeGreaterThan(30);
    },
  );
});

import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak/soak.js';

// Issue 15: the short soak on demo-today, where the consolidation moves new-commerce licenses and
// Azure plans by partner-to-partner transfer: kills and faults during transfers, and afterwards no
// subscription lost or duplicated (seats at the target equal the inventory, no source left active).

describe('fault/crash soak on demo-today (transfer path)', () => {
  it(
    'keeps every invariant with seeded faults and kills (seed 3)',
    { timeout: 240_000 },
    async () => {
      const lines: string[] = [];
      const report = await runSoak({
        seed: 3,
        durationMs: 0,
        scenario: 'demo-today',
        log: (l) => lines.push(l),
      });
      expect(report.violations, lines.join('\n')).toEqual([]);
      const round = report.rounds[0]!;
      expect(round.workflows.find((w) => w.kind === 'TENANT_CONSOLIDATION')?.status).toBe(
        'COMPLETED',
      );
      expect(round.faultsFired).toBeGreaterThan(0);
      expect(round.checks).toBeGreaterThan(30);
    },
  );
});

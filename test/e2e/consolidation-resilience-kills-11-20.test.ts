import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KILL_POINTS,
  cleanRun,
  resilienceDir,
  run,
  type Outcome,
} from '../support/consolidation-resilience.js';

// "Nothing lost, nothing doubled": process kills at seeded journal points (#11–#20 of the 20 in
// test/support/consolidation-resilience.ts), then a restart, end exactly like the clean run. The
// kills are split over files so they run in parallel; the fault storms are in
// consolidation-resilience.test.ts.

describe('consolidation resilience: kills #11–#20', () => {
  let dir: ReturnType<typeof resilienceDir>;
  let clean: Outcome;
  let points = 0;

  beforeAll(async () => {
    dir = resilienceDir();
    ({ clean, points } = await cleanRun(dir.path));
    // The reference the kills are compared with, and the journal points they are spread over.
    expect(clean.status).toBe('COMPLETED');
    expect(points).toBeGreaterThan(20);
  }, 120_000);
  afterAll(() => dir.remove());

  it.each(KILL_POINTS.slice(10, 20))(
    'kill #%i (at fraction %f of the journal points) then restart ends like the clean run',
    { timeout: 120_000 },
    async (i, fraction) => {
      const killAt = Math.max(1, Math.floor(fraction * points));
      const outcome = await run(dir.path, `kill-${i}`, { killAt });
      expect(outcome).toEqual(clean);
    },
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultRule } from 'partner-center-emulator';
import { cleanRun, resilienceDir, run, type Outcome } from '../support/consolidation-resilience.js';

// "Nothing lost, nothing doubled": the same consolidation under 429 storms, 5xx and connection
// resets ends exactly like the clean run. The seeded process kills are in
// consolidation-resilience-kills-*.test.ts (split so the files run in parallel).

describe('consolidation resilience', () => {
  let dir: ReturnType<typeof resilienceDir>;
  let clean: Outcome;
  let points = 0;

  beforeAll(async () => {
    dir = resilienceDir();
    ({ clean, points } = await cleanRun(dir.path));
  }, 120_000);
  afterAll(() => dir.remove());

  it('the clean run completes with no overlap', () => {
    expect(clean.status).toBe('COMPLETED');
    expect(clean.maxOverlapDays).toBe(0);
    expect(points).toBeGreaterThan(20);
  });

  const storms: Array<[string, FaultRule[]]> = [
    [
      '429 storms',
      [{ path: '/v1/*', status: 429, retryAfterSeconds: 1, probability: 0.3, seed: 1 }],
    ],
    [
      '5xx on every step kind',
      [
        { path: '/v1/*', status: 503, probability: 0.25, seed: 2 },
        { method: 'POST', path: '/v1/*', status: 500, probability: 0.3, seed: 3 },
      ],
    ],
    ['connection resets', [{ path: '/v1/*', kind: 'reset', probability: 0.2, seed: 4 }]],
  ];
  it.each(storms)(
    '%s end in the same state as the clean run',
    { timeout: 180_000 },
    async (name, faults) => {
      const outcome = await run(dir.path, name.replace(/\W+/g, '-'), { faults });
      expect(outcome).toEqual(clean);
    },
  );
});

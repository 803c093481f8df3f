import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../../../server/db/client.js';
import { createTenantRateLimiter } from '../../../server/partner-center/rate-limiter.js';
import { createSharedRateLimiter } from '../../../server/partner-center/shared-rate-limiter.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../support/dialects.js';

// Two limiters on one database stand for two replicas: together they may take at most the
// bucket's burst at once and then the sustained rate, like one process would.

const RATE = { concurrency: 50, ratePerMinute: 1_200, burst: 4 }; // 20 per second, burst 4

async function grantTimes(
  limiters: Array<{ acquire(t: string): Promise<{ release(): void }> }>,
  perLimiter: number,
): Promise<number[]> {
  const start = performance.now();
  const times: number[] = [];
  await Promise.all(
    limiters.flatMap((limiter) =>
      Array.from({ length: perLimiter }, async () => {
        const permit = await limiter.acquire('tenant-1');
        times.push(performance.now() - start);
        permit.release();
      }),
    ),
  );
  return times.sort((a, b) => a - b);
}

describe.each(dialects)('shared Partner Center rate budget on %s', (dialect) => {
  let database: TestDatabase;
  const handles: DbHandle[] = [];

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
    await database.drop();
  });

  it('holds two replicas together to one burst and one rate', async () => {
    database = await createTestDatabase(dialect, { file: true });
    // Two handles on the same database, as two replicas have.
    const a = await openDatabase(database.url);
    const b = await openDatabase(database.url);
    handles.push(a, b);
    const times = await grantTimes(
      [
        createSharedRateLimiter({ db: a.db, scope: 'pc', ...RATE }),
        createSharedRateLimiter({ db: b.db, scope: 'pc', ...RATE }),
      ],
      5,
    );
    expect(times).toHaveLength(10);
    // 10 calls with a burst of 4 at 20/s: the 10th waits for 6 refills, about 300 ms.
    expect(times[9]).toBeGreaterThanOrEqual(250);
    // At no moment more than burst + rate x elapsed (+1 for the boundary).
    times.forEach((t, i) => expect(i + 1).toBeLessThanOrEqual(RATE.burst + (t / 1000) * 20 + 1));
    // A second scope (ARM) has its own bucket: its first call does not wait.
    const arm = createSharedRateLimiter({ db: a.db, scope: 'arm', ...RATE });
    const started = performance.now();
    (await arm.acquire('tenant-1')).release();
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('is what per-process limiters are not: two in-memory buckets grant twice the burst at once', async () => {
    database = await createTestDatabase(dialect);
    const times = await grantTimes(
      [createTenantRateLimiter(RATE), createTenantRateLimiter(RATE)],
      4,
    );
    expect(times.filter((t) => t < 100)).toHaveLength(8);
  });
});

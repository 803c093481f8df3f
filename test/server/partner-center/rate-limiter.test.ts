import { describe, expect, it } from 'vitest';
import { createTenantRateLimiter } from '../../../server/partner-center/rate-limiter.js';

describe('tenant rate limiter', () => {
  it('never lets more than `concurrency` calls of one tenant run at once', async () => {
    const limiter = createTenantRateLimiter({ concurrency: 2, ratePerMinute: 10_000 });
    let inFlight = 0;
    let peak = 0;
    const otherTenant = await limiter.acquire('tenant-b'); // other tenants have their own slots
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const permit = await limiter.acquire('tenant-a');
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        permit.release();
      }),
    );
    otherTenant.release();
    expect(peak).toBe(2);
    expect(limiter.inspect('tenant-a').inFlight).toBe(0);
  });

  it('spaces calls at the sustained rate once the burst is spent (token bucket)', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = createTenantRateLimiter({
      concurrency: 10,
      ratePerMinute: 60, // one per second
      burst: 2,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    for (let i = 0; i < 4; i++) {
      (await limiter.acquire('t')).release();
    }
    expect(waits).toEqual([1_000, 1_000]);
  });

  it('gives up waiting when the caller aborts', async () => {
    const limiter = createTenantRateLimiter({ concurrency: 1, ratePerMinute: 10_000 });
    const held = await limiter.acquire('t');
    const controller = new AbortController();
    const waiting = limiter.acquire('t', controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    held.release();
    expect(limiter.inspect('t')).toMatchObject({ inFlight: 0, queued: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { PartnerCenterReadCache } from '../../../server/partner-center/read-cache.js';

// The per-tenant read cache in isolation: TTL, single flight, failures, organization isolation and
// what each kind of invalidation drops. The GraphQL-level behaviour is in test/e2e/read-cache.test.ts.

function fakeTime() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const orgA = { organizationId: 'org-a', partnerTenantId: 'tenant-a1' };
const orgAOther = { organizationId: 'org-a', partnerTenantId: 'tenant-a2' };
const orgB = { organizationId: 'org-b', partnerTenantId: 'tenant-a1' };

describe('PartnerCenterReadCache', () => {
  it('serves a read again within the TTL and reloads after it', async () => {
    const time = fakeTime();
    const cache = new PartnerCenterReadCache({ ttlMs: 30_000, now: time.now });
    let calls = 0;
    const load = async () => ++calls;
    const key = { kind: 'subscriptions', customerTenantId: 'c1' } as const;

    expect(await cache.read(orgA, key, load)).toBe(1);
    time.advance(29_999);
    expect(await cache.read(orgA, key, load)).toBe(1);
    time.advance(1);
    expect(await cache.read(orgA, key, load)).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, hitRatio: 1 / 3 });
  });

  it('drops expired entries instead of holding them until maxEntries', async () => {
    const time = fakeTime();
    const cache = new PartnerCenterReadCache({ ttlMs: 30_000, now: time.now });
    for (let c = 0; c < 10; c += 1) {
      await cache.read(orgA, { kind: 'subscriptions', customerTenantId: `c${c}` }, async () => c);
    }
    expect(cache.stats().entries).toBe(10);
    time.advance(30_000);
    await cache.read(orgA, { kind: 'customer', customerTenantId: 'c0' }, async () => 'x');
    expect(cache.stats().entries).toBe(1);
  });

  it('shares one load between concurrent misses and does not keep a failed one', async () => {
    const cache = new PartnerCenterReadCache({ ttlMs: 30_000 });
    let calls = 0;
    let fail = true;
    const load = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) {
        throw new Error('429');
      }
      return 'fresh';
    };
    const key = { kind: 'customers' } as const;
    const results = await Promise.allSettled([
      cache.read(orgA, key, load),
      cache.read(orgA, key, load),
      cache.read(orgA, key, load),
    ]);
    expect(calls).toBe(1);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);

    fail = false;
    expect(await cache.read(orgA, key, load)).toBe('fresh');
    expect(calls).toBe(2);
  });

  it('never serves a tenant entry to another organization, nor lets it overwrite the entry', async () => {
    const cache = new PartnerCenterReadCache({ ttlMs: 30_000 });
    const key = { kind: 'customer', customerTenantId: 'c1' } as const;
    expect(await cache.read(orgA, key, async () => 'A view')).toBe('A view');
    expect(await cache.read(orgB, key, async () => 'B view')).toBe('B view');
    expect(await cache.read(orgB, key, async () => 'B again')).toBe('B again');
    expect(await cache.read(orgA, key, async () => 'reloaded')).toBe('A view');
  });

  it('a write under /customers/{id} drops that customer under every tenant, and the list only for the customer itself', async () => {
    const cache = new PartnerCenterReadCache({ ttlMs: 30_000 });
    const keep = async () => 'cached';
    await cache.read(orgA, { kind: 'customers' }, keep);
    await cache.read(orgA, { kind: 'subscriptions', customerTenantId: 'C1' }, keep);
    await cache.read(orgA, { kind: 'subscriptions', customerTenantId: 'c2' }, keep);
    await cache.read(orgAOther, { kind: 'customers' }, keep);
    await cache.read(orgAOther, { kind: 'customer', customerTenantId: 'c1' }, keep);

    cache.invalidateForWrite('tenant-a1', 'PATCH', '/v1/customers/c1/subscriptions/s1');

    const fresh = async () => 'fresh';
    expect(await cache.read(orgA, { kind: 'customers' }, fresh)).toBe('cached');
    cache.invalidateForWrite('tenant-a1', 'PATCH', '/v1/customers/c3');
    expect(await cache.read(orgA, { kind: 'customers' }, fresh)).toBe('fresh');
    expect(await cache.read(orgA, { kind: 'subscriptions', customerTenantId: 'c1' }, fresh)).toBe(
      'fresh',
    );
    expect(await cache.read(orgAOther, { kind: 'customer', customerTenantId: 'C1' }, fresh)).toBe(
      'fresh',
    );
    expect(await cache.read(orgA, { kind: 'subscriptions', customerTenantId: 'c2' }, fresh)).toBe(
      'cached',
    );
    expect(await cache.read(orgAOther, { kind: 'customers' }, fresh)).toBe('cached');
  });

  it('support tickets invalidate nothing; other writes and customer-less audit records drop the tenant', async () => {
    const cache = new PartnerCenterReadCache({ ttlMs: 30_000 });
    const fill = async () => {
      await cache.read(orgA, { kind: 'customers' }, async () => 'cached');
      await cache.read(orgA, { kind: 'customer', customerTenantId: 'c9' }, async () => 'cached');
    };
    const both = async () => [
      await cache.read(orgA, { kind: 'customers' }, async () => 'fresh'),
      await cache.read(orgA, { kind: 'customer', customerTenantId: 'c9' }, async () => 'fresh'),
    ];
    await fill();
    cache.invalidateForWrite('tenant-a1', 'POST', '/v1/servicerequests/en-US');
    cache.invalidateForWrite('tenant-a1', 'GET', '/v1/customers/c9');
    expect(await both()).toEqual(['cached', 'cached']);

    cache.invalidateForWrite('tenant-a1', 'POST', '/v1/productupgrades');
    expect(await both()).toEqual(['fresh', 'fresh']);

    cache.invalidateTenant('tenant-a1');
    await fill();
    cache.invalidateForAuditRecords('tenant-a1', [{ customerId: null }]);
    expect(await both()).toEqual(['fresh', 'fresh']);
  });

  it('audit records drop the customers they name', async () => {
    const cache = new PartnerCenterReadCache({ ttlMs: 30_000 });
    await cache.read(orgA, { kind: 'subscriptions', customerTenantId: 'c1' }, async () => 'old');
    await cache.read(orgA, { kind: 'subscriptions', customerTenantId: 'c2' }, async () => 'old');
    cache.invalidateForAuditRecords('tenant-a1', [{ customerId: 'c1' }]);
    expect(
      await cache.read(orgA, { kind: 'subscriptions', customerTenantId: 'c1' }, async () => 'new'),
    ).toBe('new');
    expect(
      await cache.read(orgA, { kind: 'subscriptions', customerTenantId: 'c2' }, async () => 'new'),
    ).toBe('old');
    expect(cache.stats().invalidations).toBe(1);
  });

  it('with a TTL of 0 every read loads', async () => {
    const cache = new PartnerCenterReadCache({ ttlMs: 0 });
    let calls = 0;
    await cache.read(orgA, { kind: 'customers' }, async () => ++calls);
    await cache.read(orgA, { kind: 'customers' }, async () => ++calls);
    expect(calls).toBe(2);
    expect(cache.stats().hits).toBe(0);
  });
});

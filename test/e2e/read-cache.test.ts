import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { setSubscriptionStatus } from '../../server/partner-center/operations.js';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { PC_BASE_URL, startTestApp, type TestApp } from '../support/app.js';

// The read cache seen from the API: a second read costs no Partner Center call, our own writes
// and the audit records we read make the next read fresh, and another organization gets nothing.

let emulator: Emulator;
let t: TestApp;
let tokenA: string;
let tokenB: string;
let tenantId: string;

const PAGE = `query($id: ID!) {
  customers(partnerTenantId: $id, first: 50) {
    edges { node { tenantId subscriptions(first: 20) { edges { node { subscriptionId offerId status } } } } }
  }
}`;

interface Page {
  customers: {
    edges: Array<{
      node: {
        tenantId: string;
        subscriptions: {
          edges: Array<{ node: { subscriptionId: string; offerId: string; status: string } }>;
        };
      };
    }>;
  };
}

beforeAll(async () => {
  emulator = createEmulator({ scenario: 'demo', seed: 1 });
  t = await startTestApp({
    emulator,
    clock: clockFrom(emulator.clock), // audit windows are dated on the emulator's clock
    env: { PARTNER_CENTER_READ_CACHE_TTL: 'PT5M' },
  });
  const partners = emulator.control.partners();
  const regional = partners.find((p) => p.labels.includes('regional'));
  tenantId = regional!.tenantId;
  tokenA = await t.token(regional!.organizationId, [PartnerRole.ADMIN_AGENT]);
  const other = partners.find((p) => p.organizationId !== regional!.organizationId);
  tokenB = await t.token(other!.organizationId, [PartnerRole.ADMIN_AGENT]);
});
afterAll(async () => {
  await t.close();
});

async function page(token = tokenA) {
  const res = await t.gql<Page>(PAGE, {
    token,
    variables: { id: encodeId('PartnerTenant', tenantId) },
  });
  return res;
}

function statusOf(data: Page, subscriptionId: string): string | undefined {
  for (const c of data.customers.edges) {
    for (const s of c.node.subscriptions.edges) {
      if (s.node.subscriptionId === subscriptionId) {
        return s.node.status;
      }
    }
  }
  return undefined;
}

/** Two active license subscriptions of two different customers. */
function twoActiveLicenses(data: Page) {
  const picks: Array<{ customerTenantId: string; subscriptionId: string }> = [];
  for (const c of data.customers.edges) {
    const sub = c.node.subscriptions.edges.find(
      (s) => s.node.status === 'ACTIVE' && !/azr|dzh/i.test(s.node.offerId),
    );
    if (sub) {
      picks.push({ customerTenantId: c.node.tenantId, subscriptionId: sub.node.subscriptionId });
    }
  }
  expect(picks.length).toBeGreaterThanOrEqual(2);
  return [picks[0]!, picks[1]!] as const;
}

describe('per-tenant read cache behind customers and subscriptions', () => {
  it('serves a warm page without Partner Center calls; our write and audit records refresh it', async () => {
    const first = await page();
    expect(first.body.errors).toBeUndefined();
    const [ours, theirs] = twoActiveLicenses(first.body.data!);

    emulator.control.clearRequests();
    const warm = await page();
    expect(warm.body.data).toEqual(first.body.data);
    expect(emulator.control.requests({ tenantId })).toHaveLength(0);

    // Our own write (through the same client machinery the workflows use) invalidates the customer.
    await setSubscriptionStatus(
      t.app.pc.forTenant(tenantId),
      ours.customerTenantId,
      ours.subscriptionId,
      'suspended',
      'read-cache-test-1',
    );
    emulator.control.clearRequests();
    const afterOurWrite = await page();
    expect(statusOf(afterOurWrite.body.data!, ours.subscriptionId)).toBe('SUSPENDED');
    const reads = emulator.control.requests({ tenantId, method: 'GET' });
    expect(reads.map((e) => e.customerTenantId)).toEqual([ours.customerTenantId]);

    // Someone else's change (straight to Partner Center) is not seen while cached...
    const path = `${PC_BASE_URL}/v1/customers/${theirs.customerTenantId}/subscriptions/${theirs.subscriptionId}`;
    const auth = { authorization: `Bearer ${emulator.tokenFor(tenantId)}` };
    const current = (await (await emulator.fetch(path, { headers: auth })).json()) as {
      attributes?: { etag?: string };
    };
    const patched = await emulator.fetch(path, {
      method: 'PATCH',
      headers: {
        ...auth,
        'content-type': 'application/json',
        'if-match': current.attributes?.etag ?? '',
      },
      body: JSON.stringify({ ...current, status: 'suspended' }),
    });
    expect(patched.status).toBe(200);
    expect(statusOf((await page()).body.data!, theirs.subscriptionId)).toBe('ACTIVE');

    // ...until the audit records that name it are read (the activity log reads them).
    const log = await t.gql('{ activityLog(first: 1) { totalCount } }', { token: tokenA });
    expect(log.body.errors).toBeUndefined();
    expect(statusOf((await page()).body.data!, theirs.subscriptionId)).toBe('SUSPENDED');
    expect(t.app.pc.readCache?.stats().hits).toBeGreaterThan(0);
  });

  it('gives another organization nothing of the cached tenant', async () => {
    await page(); // warm for the owning organization
    const res = await page(tokenB);
    expect(res.body.data?.customers ?? null).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

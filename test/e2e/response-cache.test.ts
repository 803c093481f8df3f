import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { setSubscriptionStatus } from '../../server/partner-center/operations.js';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { encodeId } from '../../server/shared/ids.js';
import { PC_BASE_URL, startTestApp, type TestApp } from '../support/app.js';
import { PLAN_CONSOLIDATION, demoTenants } from '../support/consolidation.js';
import { startWorkflow } from '../support/operations.js';

// Issue 20: cached query responses. Never another organization's or another role's, never after
// our writes, the audit records we read, a business-clock jump or a workflow change; the cost is
// charged on every hit; errors are never stored. Each freshness case first shows the response was
// served from the cache, so it fails when its invalidation is removed (see the report of issue 20).

let emulator: Emulator;
let t: TestApp;
let organizationId: string;
let tenantId: string;
let admin: string;
let billing: string;
let other: string;

const PAGE = `query Page($id: ID!) {
  customers(partnerTenantId: $id, first: 50) {
    edges { node { tenantId subscriptions(first: 20) { edges { node { subscriptionId offerId status } } } } }
  }
}`;

const WORKFLOW = `query Workflow($id: ID!) {
  node(id: $id) {
    ... on TenantConsolidation {
      id status
      progress { completed total }
      customers(first: 100) { edges { node { state items { kind status } } } }
    }
  }
}`;

interface Page {
  customers: {
    edges: Array<{
      node: {
        tenantId: string;
        subscriptions: { edges: Array<{ node: { subscriptionId: string; status: string } }> };
      };
    }>;
  };
}

interface Cost {
  requested: number;
  actual: number;
  remaining: number;
}

beforeAll(async () => {
  emulator = createEmulator({ scenario: 'demo', seed: 1 });
  t = await startTestApp({
    emulator,
    clock: clockFrom(emulator.clock),
    env: {
      PARTNER_CENTER_READ_CACHE_TTL: 'PT5M',
      GRAPHQL_RESPONSE_CACHE_TTL: 'PT5M',
      WORKFLOW_RUNNER: 'off',
      GRAPHQL_COST_BUDGET: '6000', // the page requests ~2,150 points and costs ~30
      GRAPHQL_COST_RESTORE_RATE: '0.001',
    },
    // Coalesced workflowUpdated events would arrive only after the test: what the runner does
    // must reach the cache at once.
    runner: { retryBaseMs: 1, retryMaxMs: 5, changeCoalesceMs: 600_000 },
  });
  const partners = emulator.control.partners();
  const regional = partners.find((p) => p.labels.includes('regional'))!;
  organizationId = regional.organizationId;
  tenantId = regional.tenantId;
  admin = await t.token(organizationId, [PartnerRole.ADMIN_AGENT]);
  billing = await t.token(organizationId, [PartnerRole.BILLING_ADMIN]);
  // The same role as `admin`: only the organization tells their keys apart.
  const otherOrganization = partners.find((p) => p.organizationId !== organizationId)!;
  other = await t.token(otherOrganization.organizationId, [PartnerRole.ADMIN_AGENT]);
});
afterAll(async () => {
  await t.close();
});

const hits = () => t.app.responseCache.stats().hits;

async function page(token = admin) {
  return t.gql<Page>(PAGE, { token, variables: { id: encodeId('PartnerTenant', tenantId) } });
}

/** Runs `read` and says whether the response came from the cache. */
async function served<T>(read: () => Promise<T>): Promise<{ result: T; hit: boolean }> {
  const before = hits();
  const result = await read();
  return { result, hit: hits() > before };
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

function activeLicenses(data: Page) {
  return data.customers.edges.flatMap((c) =>
    c.node.subscriptions.edges
      .filter((s) => s.node.status === 'ACTIVE')
      .slice(0, 1)
      .map((s) => ({ customerTenantId: c.node.tenantId, subscriptionId: s.node.subscriptionId })),
  );
}

describe('response cache: isolation', () => {
  it('serves a response to the organization and role it was built for, and to no one else', async () => {
    const first = await page();
    expect(first.body.errors).toBeUndefined();
    const warm = await served(() => page());
    expect(warm.hit).toBe(true);
    expect(warm.result.body.data).toEqual(first.body.data);
    emulator.control.clearRequests();

    // Same query and variables, another organization: its own answer (the tenant is not its).
    const theirs = await served(() => page(other));
    expect(theirs.hit).toBe(false);
    expect(theirs.result.body.data?.customers ?? null).toBeNull();
    expect(theirs.result.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // Same organization, a role that may not read customers: refused, never the admin's page.
    const refused = await served(() => page(billing));
    expect(refused.hit).toBe(false);
    expect(refused.result.body.data?.customers ?? null).toBeNull();
    expect(refused.result.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // And their refusals were not stored for the admin either.
    const again = await served(() => page());
    expect(again.hit).toBe(true);
    expect(again.result.body.data).toEqual(first.body.data);
  });
});

describe('response cache: freshness', () => {
  it('our own Partner Center write invalidates', async () => {
    const first = (await page()).body.data!;
    expect((await served(() => page())).hit).toBe(true);
    const [ours] = activeLicenses(first);
    await setSubscriptionStatus(
      t.app.pc.forTenant(tenantId),
      ours!.customerTenantId,
      ours!.subscriptionId,
      'suspended',
      'response-cache-test-1',
    );
    const after = await served(() => page());
    expect(after.hit).toBe(false);
    expect(statusOf(after.result.body.data!, ours!.subscriptionId)).toBe('SUSPENDED');
  });

  it("a Partner Center audit record we read invalidates (someone else's change)", async () => {
    const first = (await page()).body.data!;
    const [, theirs] = activeLicenses(first);
    const path = `${PC_BASE_URL}/v1/customers/${theirs!.customerTenantId}/subscriptions/${theirs!.subscriptionId}`;
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
    const cached = await served(() => page());
    expect(cached.hit).toBe(true);
    expect(statusOf(cached.result.body.data!, theirs!.subscriptionId)).toBe('ACTIVE');

    const log = await t.gql('{ activityLog(first: 1) { totalCount } }', { token: admin });
    expect(log.body.errors).toBeUndefined();
    const after = await served(() => page());
    expect(after.hit).toBe(false);
    expect(statusOf(after.result.body.data!, theirs!.subscriptionId)).toBe('SUSPENDED');
  });

  it('a business-clock jump invalidates, also what the read cache does not hold', async () => {
    const list = () => t.gql('{ workflows(first: 5) { totalCount } }', { token: admin });
    await page();
    await list();
    expect((await served(() => page())).hit).toBe(true);
    expect((await served(list)).hit).toBe(true);
    await emulator.clock.advance('PT1M');
    expect((await served(() => page())).hit).toBe(false);
    expect((await served(list)).hit).toBe(false);
  });

  it('a mutation and the workflow engine invalidate what shows workflows', async () => {
    const central = emulator.control.partners().find((p) => p.labels.includes('central'))!;
    const token = await t.token(central.organizationId);
    const { target, sources } = await demoTenants(t, emulator, token);
    const list = () =>
      t.gql<{ workflows: { totalCount: number } }>('{ workflows(first: 5) { totalCount } }', {
        token,
      });
    const before = (await list()).body.data!.workflows.totalCount;
    expect((await served(list)).hit).toBe(true);

    // A mutation (a plan publishes no workflowUpdated event).
    const planned = await t.gql<{ planTenantConsolidation: { workflow: { id: string } } }>(
      PLAN_CONSOLIDATION,
      {
        token,
        variables: {
          input: {
            sourcePartnerTenantIds: sources.map((s) => s.id),
            targetPartnerTenantId: target.id,
          },
        },
      },
    );
    const id = planned.body.data!.planTenantConsolidation.workflow.id;
    const listed = await served(list);
    expect(listed.hit).toBe(false);
    expect(listed.result.body.data!.workflows.totalCount).toBe(before + 1);

    const start = await startWorkflow(t, token, id);
    expect(start.userErrors).toEqual([]);
    const show = () => t.gql<{ node: { status: string } }>(WORKFLOW, { token, variables: { id } });
    const shown = (await show()).body;
    expect(shown.errors).toBeUndefined();
    expect((await served(show)).hit).toBe(true);

    // One pass of the engine (its coalesced events are not due yet).
    await t.app.runner.drain();
    const after = await served(show);
    expect(after.hit).toBe(false);
    expect(after.result.body.data).not.toEqual(shown.data);
  });
});

describe('response cache: cost and errors', () => {
  it('charges the operation on every hit as if it had run', async () => {
    await page();
    const costOf = (body: unknown) => (body as { extensions: { cost: Cost } }).extensions.cost;
    const miss = costOf((await page()).body);
    const hit = await served(() => page());
    expect(hit.hit).toBe(true);
    const charged = costOf(hit.result.body);
    expect(charged.requested).toBe(miss.requested);
    expect(charged.actual).toBe(miss.actual);
    expect(charged.remaining).toBeLessThanOrEqual(miss.remaining - miss.actual);
  });

  it('still throttles when the budget is spent', async () => {
    await page();
    let last: Awaited<ReturnType<typeof page>> | undefined;
    for (let i = 0; i < 400; i++) {
      last = await page();
      if (last.status === 429) {
        break;
      }
    }
    expect(last?.status).toBe(429);
    expect(last?.body.errors?.[0]?.extensions?.code).toBe('THROTTLED');
  });

  it('never stores a response with errors, a mutation or `viewer`', async () => {
    const stored = () => t.app.responseCache.stats().stored;
    const missing = `query($id: ID!) { customers(partnerTenantId: $id, first: 1) { totalCount } }`;
    const variables = { id: encodeId('PartnerTenant', 'not-a-tenant-of-ours') };
    const before = stored();
    for (let i = 0; i < 2; i++) {
      const res = await served(() => t.gql(missing, { token: other, variables }));
      expect(res.hit).toBe(false);
      expect(res.result.body.errors?.length).toBeGreaterThan(0);
    }
    // Partial data with an error (HTTP 200): not stored either.
    const partial = `query($id: ID!) {
      node(id: $id) { ... on PartnerTenant { customers(first: 1, after: "garbage") { totalCount } } }
    }`;
    for (let i = 0; i < 2; i++) {
      const res = await served(() =>
        t.gql(partial, { token: admin, variables: { id: encodeId('PartnerTenant', tenantId) } }),
      );
      expect(res.hit).toBe(false);
      expect(res.result.status).toBe(200);
      expect(res.result.body.data).toEqual({ node: null });
      expect(res.result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    await t.gql('{ viewer { organization { id } } }', { token: other });
    expect(
      (await served(() => t.gql('{ viewer { organization { id } } }', { token: other }))).hit,
    ).toBe(false);
    expect(stored()).toBe(before);
    expect(t.app.responseCache.stats().skipped).toMatchObject({ errors: expect.any(Number) });
  });
});

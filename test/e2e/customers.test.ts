import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { encodeId } from '../../server/shared/ids.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { startTestApp, type TestApp } from '../support/app.js';

// Customers and subscriptions read live from the emulator (in process, through emulator.fetch).

let emulator: Emulator;
let t: TestApp;
let orgA: string;
let orgB: string;
let tokenA: string;
let tenants: Array<{ tenantId: string; organizationId: string; name: string }>;

beforeAll(async () => {
  emulator = createEmulator({ scenario: 'demo', seed: 1 });
  t = await startTestApp({ emulator });
  const partners = emulator.control.partners();
  orgA = partners[0]!.organizationId;
  orgB = partners.find((p) => p.organizationId !== orgA)!.organizationId;
  tenants = partners;
  tokenA = await t.token(orgA, [PartnerRole.SALES_AGENT]);
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  emulator.control.clearRequests();
  emulator.control.clearFaults();
});

const tenantGid = (tenantId: string) => encodeId('PartnerTenant', tenantId);
/** The journal's paths carry the query string. */
const pathOf = (e: { path: string }) => e.path.split('?')[0]!;

const NESTED = `{
  viewer { organization { partnerTenants {
    tenantId
    customers(first: 5) { totalCount edges { node { id tenantId companyName
      subscriptions { totalCount edges { node { offerName quantity status } } } } } }
    again: customers(first: 5) { edges { node { tenantId subscriptions(first: 3) { edges { node { id } } } } } }
  } } }
}`;

interface NestedData {
  viewer: {
    organization: {
      partnerTenants: Array<{
        tenantId: string;
        customers: { totalCount: number; edges: Array<{ node: { tenantId: string } }> };
      }>;
    };
  };
}

describe('Partner Center calls per request', () => {
  it('makes one customer-list call per tenant and at most one subscriptions call per customer, never repeated', async () => {
    const res = await t.gql<NestedData>(NESTED, { token: tokenA });
    expect(res.body.errors).toBeUndefined();
    const journal = emulator.control.requests();
    const listCalls = journal.filter(
      (e) => e.method === 'GET' && /^\/v1\/customers\/?$/.test(pathOf(e)),
    );
    const subscriptionCalls = journal.filter(
      (e) => e.method === 'GET' && /^\/v1\/customers\/[^/]+\/subscriptions\/?$/.test(pathOf(e)),
    );
    const tenantsSeen = res.body.data!.viewer.organization.partnerTenants;
    const customersSeen = tenantsSeen.flatMap((p) =>
      p.customers.edges.map((e) => `${p.tenantId}|${e.node.tenantId}`),
    );

    // One list call per partner tenant (all its customers fit one large page).
    expect(listCalls.map((e) => e.tenantId).sort()).toEqual(
      tenantsSeen.map((p) => p.tenantId).sort(),
    );
    // One subscriptions call per customer shown, none repeated (the aliased second page reuses them).
    const subscriptionKeys = subscriptionCalls.map((e) => `${e.tenantId}|${e.customerTenantId}`);
    expect(new Set(subscriptionKeys).size).toBe(subscriptionKeys.length);
    expect(subscriptionKeys.sort()).toEqual([...new Set(customersSeen)].sort());
    // Nothing else was called.
    expect(journal.length).toBe(listCalls.length + subscriptionCalls.length);
  });

  it('reads agreements and entitlements only when asked', async () => {
    const tenant = tenants.find((p) => p.organizationId === orgA)!;
    const res = await t.gql<{
      customers: {
        edges: Array<{
          node: {
            customerAgreementSigned: boolean;
            subscriptions: {
              edges: Array<{
                node: {
                  productFamily: string;
                  azureEntitlement: {
                    azureSubscriptionId: string;
                    commerceSubscriptionId: string;
                    status: string;
                  } | null;
                };
              }>;
            };
          };
        }>;
      };
    }>(
      `query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node {
        customerAgreementSigned country partnerTenant { tenantId }
        subscriptions { edges { node { productFamily billingType azureEntitlement { azureSubscriptionId commerceSubscriptionId status azurePlanSubscriptionId } } } } } } } }`,
      { token: tokenA, variables: { id: tenantGid(tenant.tenantId) } },
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.customers.edges.map((e) => e.node);
    const journal = emulator.control.requests();
    const agreementCalls = journal.filter((e) => pathOf(e).endsWith('/agreements'));
    expect(agreementCalls).toHaveLength(nodes.length);
    const subs = nodes.flatMap((n) => n.subscriptions.edges.map((e) => e.node));
    const azure = subs.filter(
      (s) => s.productFamily === 'AZURE_LEGACY' || s.productFamily === 'AZURE_PLAN',
    );
    const entitlementCalls = journal.filter((e) => pathOf(e).endsWith('/azureEntitlements'));
    expect(entitlementCalls).toHaveLength(azure.length);
    for (const s of subs) {
      if (azure.includes(s)) {
        expect(s.azureEntitlement?.azureSubscriptionId).toBeTruthy();
      } else {
        expect(s.azureEntitlement).toBeNull();
      }
    }
  });
});

describe('customers connection', () => {
  const PAGE = `query($id: ID!, $first: Int, $after: String, $search: String) {
    customers(partnerTenantId: $id, first: $first, after: $after, search: $search) {
      totalCount edges { cursor node { tenantId companyName domain } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    } }`;
  type Page = {
    customers: {
      totalCount: number;
      edges: Array<{
        cursor: string;
        node: { tenantId: string; companyName: string; domain: string };
      }>;
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
    };
  };
  const tenantWithMostCustomers = () => {
    const counts = new Map<string, number>();
    for (const c of emulator.control.customers()) {
      for (const r of c.relationships) {
        counts.set(r.partnerTenantId, (counts.get(r.partnerTenantId) ?? 0) + 1);
      }
    }
    const own = tenants.filter((p) => p.organizationId === orgA).map((p) => p.tenantId);
    return own.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0]!;
  };

  it('walks every customer with first/after, sorted by company name, without gaps or repeats', async () => {
    const id = tenantGid(tenantWithMostCustomers());
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let i = 0; i < 20; i++) {
      const res: { body: { data?: Page | null; errors?: unknown } } = await t.gql<Page>(PAGE, {
        token: tokenA,
        variables: { id, first: 2, after },
      });
      expect(res.body.errors).toBeUndefined();
      const page: Page['customers'] = res.body.data!.customers;
      total = page.totalCount;
      seen.push(...page.edges.map((e) => e.node.companyName));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) {
        break;
      }
      after = page.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThanOrEqual(3);
    expect(seen).toHaveLength(total);
    expect([...seen].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))).toEqual(seen);
  });

  it('searches company name and domain case-insensitively', async () => {
    const id = tenantGid(tenantWithMostCustomers());
    const all = (await t.gql<Page>(PAGE, { token: tokenA, variables: { id, first: 100 } })).body
      .data!.customers.edges;
    const target = all[all.length - 1]!.node;
    const byName = await t.gql<Page>(PAGE, {
      token: tokenA,
      variables: { id, search: target.companyName.slice(1, 6).toUpperCase() },
    });
    expect(byName.body.data!.customers.edges.map((e) => e.node.tenantId)).toContain(
      target.tenantId,
    );
    const byDomain = await t.gql<Page>(PAGE, {
      token: tokenA,
      variables: { id, search: target.domain.split('.')[0] },
    });
    expect(byDomain.body.data!.customers.edges.map((e) => e.node.tenantId)).toContain(
      target.tenantId,
    );
    const none = await t.gql<Page>(PAGE, {
      token: tokenA,
      variables: { id, search: 'zzz-no-such-company' },
    });
    expect(none.body.data!.customers).toMatchObject({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('rejects first out of range and invalid cursors with BAD_USER_INPUT', async () => {
    const id = tenantGid(tenantWithMostCustomers());
    for (const variables of [
      { id, first: 0 },
      { id, first: 101 },
      { id, after: 'bm90LWEtY3Vyc29y' },
      { id, after: '%%%' },
    ]) {
      const res = await t.gql(PAGE, { token: tokenA, variables });
      expect(res.body.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe(
        'BAD_USER_INPUT',
      );
    }
    // A cursor of another tenant's connection is not valid here either.
    const other = tenants.find(
      (p) => p.organizationId === orgA && p.tenantId !== tenantWithMostCustomers(),
    )!;
    const otherPage = await t.gql<Page>(PAGE, {
      token: tokenA,
      variables: { id: tenantGid(other.tenantId), first: 1 },
    });
    const foreignCursor = otherPage.body.data!.customers.pageInfo.endCursor;
    if (foreignCursor) {
      const res = await t.gql(PAGE, { token: tokenA, variables: { id, after: foreignCursor } });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('node() over Partner Center data', () => {
  it('fetches own customers and subscriptions by id and returns null for another organization’s', async () => {
    const ownTenant = tenants.find((p) => p.organizationId === orgA)!;
    const page = await t.gql<{
      customers: {
        edges: Array<{
          node: {
            id: string;
            tenantId: string;
            subscriptions: { edges: Array<{ node: { id: string; subscriptionId: string } }> };
          };
        }>;
      };
    }>(
      `query($id: ID!) { customers(partnerTenantId: $id, first: 1) { edges { node { id tenantId subscriptions(first: 1) { edges { node { id subscriptionId } } } } } } }`,
      { token: tokenA, variables: { id: tenantGid(ownTenant.tenantId) } },
    );
    const customer = page.body.data!.customers.edges[0]!.node;
    const subscription = customer.subscriptions.edges[0]!.node;
    const query = `query($c: ID!, $s: ID!) {
      c: node(id: $c) { id ... on Customer { tenantId companyName } }
      s: node(id: $s) { id ... on CustomerSubscription { subscriptionId } } }`;
    const own = await t.gql<{
      c: { id: string; tenantId: string } | null;
      s: { subscriptionId: string } | null;
    }>(query, {
      token: tokenA,
      variables: { c: customer.id, s: subscription.id },
    });
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.c).toMatchObject({ id: customer.id, tenantId: customer.tenantId });
    expect(own.body.data!.s).toMatchObject({ subscriptionId: subscription.subscriptionId });

    const otherOrgToken = await t.token(orgB);
    const other = await t.gql(query, {
      token: otherOrgToken,
      variables: { c: customer.id, s: subscription.id },
    });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data).toEqual({ c: null, s: null });
  });
});

import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { PLAN_AZURE, azureState, demoCustomer, startWorkflow } from '../support/azure-plan.js';
import { playUntil } from '../support/consolidation.js';

const RECONCILIATION = /* GraphQL */ `
  query R($id: ID!) {
    azureReconciliation(customerId: $id) {
      customer {
        tenantId
        companyName
      }
      subscriptions {
        commerceSubscriptionId
        azureSubscriptionId
        idsDiffer
        resellerMpnId
        status
        entitlementStatus
        azurePlanSubscriptionId
        purchasedAt
        history {
          at
          status
          operation
          source
          details
        }
      }
    }
  }
`;

const ENTITLEMENTS = /* GraphQL */ `
  query E($id: ID!) {
    node(id: $id) {
      ... on Customer {
        subscriptions(first: 50) {
          edges {
            node {
              subscriptionId
              productFamily
              status
              azureEntitlement {
                azureSubscriptionId
                commerceSubscriptionId
                status
                commerceStatus
                idsDiffer
                azurePlanSubscriptionId
              }
            }
          }
        }
      }
    }
  }
`;

interface Entry {
  commerceSubscriptionId: string;
  azureSubscriptionId: string;
  idsDiffer: boolean;
  resellerMpnId: string | null;
  status: string;
  entitlementStatus: string | null;
  azurePlanSubscriptionId: string | null;
  purchasedAt: string | null;
  history: Array<{
    at: string;
    status: string | null;
    operation: string;
    source: string;
    details: string | null;
  }>;
}

interface SubNode {
  subscriptionId: string;
  productFamily: string;
  status: string;
  azureEntitlement: {
    azureSubscriptionId: string;
    commerceSubscriptionId: string;
    status: string;
    commerceStatus: string | null;
    idsDiffer: boolean | null;
    azurePlanSubscriptionId: string | null;
  } | null;
}

describe('the 0145P model and the reconciliation view (R-AZP-8)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
    const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
      ?.organizationId as string;
    token = await t.token(organizationId);
  });

  afterAll(async () => {
    await t.close();
  });

  /** Export links carry PUBLIC_URL; the test server listens on an ephemeral port. */
  const served = (url: string | undefined) =>
    new URL(new URL(url as string).pathname, t.http.graphqlUrl).toString();

  async function reconcile(id: string): Promise<Entry[]> {
    const res = await t.gql<{ azureReconciliation: { subscriptions: Entry[] } | null }>(
      RECONCILIATION,
      { token, variables: { id } },
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.azureReconciliation?.subscriptions ?? [];
  }

  async function legacyNodes(id: string): Promise<SubNode[]> {
    const res = await t.gql<{ node: { subscriptions: { edges: Array<{ node: SubNode }> } } }>(
      ENTITLEMENTS,
      { token, variables: { id } },
    );
    expect(res.body.errors).toBeUndefined();
    return (res.body.data?.node.subscriptions.edges ?? [])
      .map((e) => e.node)
      .filter((n) => n.productFamily === 'AZURE_LEGACY');
  }

  it('shows commerce id and entitlement id equal at purchase and different after a billing-ownership change', async () => {
    const esterel = demoCustomer(emulator, { label: 'billing-ownership-changed' });
    const rows = await reconcile(esterel.gid);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.idsDiffer).toBe(true);
    expect(rows[0]?.azureSubscriptionId).not.toBe(rows[0]?.commerceSubscriptionId);
    const [node] = await legacyNodes(esterel.gid);
    expect(node?.azureEntitlement?.idsDiffer).toBe(true);
    expect(node?.azureEntitlement?.commerceSubscriptionId).toBe(node?.subscriptionId);
    expect(node?.azureEntitlement?.azureSubscriptionId).toBe(rows[0]?.azureSubscriptionId);

    const napoli = demoCustomer(emulator, { name: 'Napoli' });
    const same = await reconcile(napoli.gid);
    expect(same[0]?.idsDiffer).toBe(false);
    expect(same[0]?.azureSubscriptionId).toBe(same[0]?.commerceSubscriptionId);
    expect(same[0]?.history[0]).toMatchObject({ operation: 'purchased', status: 'ACTIVE' });
    expect(same[0]?.azurePlanSubscriptionId).toBeNull();
  });

  it('after the transition: suspended commerce part, entitlement on the plan, history with dates, CSV/XLSX export', async () => {
    const iberia = demoCustomer(emulator, { name: 'Iberia' });
    const planned = await t.gql<{
      planAzurePlanTransition: { workflow: { id: string } };
    }>(PLAN_AZURE, { token, variables: { input: { customerId: iberia.gid } } });
    const id = planned.body.data?.planAzurePlanTransition.workflow.id as string;
    expect((await startWorkflow(t, token, id))?.userErrors).toEqual([]);
    await playUntil(
      t,
      emulator,
      async () => (await azureState(t, token, id)).status === 'COMPLETED',
      { step: 'PT10M', maxSteps: 60 },
    );
    const state = await azureState(t, token, id);
    expect(state.status).toBe('COMPLETED');
    const planId = state.plans[0]?.planSubscriptionId;
    expect(planId).toBeTruthy();

    const rows = await reconcile(iberia.gid);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.status).toBe('SUSPENDED');
      expect(row.entitlementStatus).toBe('ACTIVE');
      expect(row.azurePlanSubscriptionId).toBe(planId);
      const statuses = row.history.filter((h) => h.status).map((h) => h.status);
      expect(statuses[0]).toBe('ACTIVE');
      expect(statuses.at(-1)).toBe('SUSPENDED');
      const suspended = row.history.find((h) => h.status === 'SUSPENDED');
      expect(suspended?.source).toBe('PARTNER_CENTER');
      expect(Date.parse(suspended?.at ?? '')).toBeGreaterThan(Date.parse(row.purchasedAt ?? ''));
      expect(row.history.map((h) => h.operation)).toContain('map_azure_subscription');
    }
    const nodes = await legacyNodes(iberia.gid);
    expect(nodes).toHaveLength(2);
    for (const n of nodes) {
      expect(n.azureEntitlement).toMatchObject({
        status: 'ACTIVE',
        commerceStatus: 'SUSPENDED',
        azurePlanSubscriptionId: planId,
        idsDiffer: false,
      });
    }

    const exported = await t.gql<{
      exportAzureReconciliation: {
        userErrors: unknown[];
        export: { url: string; rowCount: number; contentType: string };
      };
    }>(
      'mutation($id: ID!, $f: ExportFormat!) { exportAzureReconciliation(input: { customerId: $id, format: $f }) { userErrors { code } export { url rowCount contentType } } }',
      { token, variables: { id: iberia.gid, f: 'CSV' } },
    );
    const file = exported.body.data?.exportAzureReconciliation.export;
    expect(file?.rowCount).toBe(rows.reduce((n, r) => n + r.history.length, 0));
    const csv = await (
      await fetch(served(file?.url), { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(csv).toContain('Commerce subscription id');
    expect(csv).toContain(rows[0]?.commerceSubscriptionId);
    expect(csv).toContain('upgrade_subscription');

    const xlsx = await t.gql<{
      exportAzureReconciliation: { export: { url: string; rowCount: number } };
    }>(
      'mutation($id: ID!, $f: ExportFormat!) { exportAzureReconciliation(input: { customerId: $id, format: $f }) { export { url rowCount } } }',
      { token, variables: { id: iberia.gid, f: 'XLSX' } },
    );
    const buffer = await (
      await fetch(served(xlsx.body.data?.exportAzureReconciliation.export.url), {
        headers: { authorization: `Bearer ${token}` },
      })
    ).arrayBuffer();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(
      (xlsx.body.data?.exportAzureReconciliation.export.rowCount ?? 0) + 1,
    );
  });

  it('returns null for a customer of another organization', async () => {
    const other = emulator.control
      .partners()
      .find((p) => p.organizationName.startsWith('Fabrikam'));
    const otherToken = await t.token(other?.organizationId as string);
    const res = await t.gql<{ azureReconciliation: unknown }>(RECONCILIATION, {
      token: otherToken,
      variables: { id: demoCustomer(emulator, { name: 'Napoli' }).gid },
    });
    expect(res.body.data?.azureReconciliation).toBeNull();
  });
});

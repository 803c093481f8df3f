import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { PC_BASE_URL, startTestApp, type GraphqlResponse, type TestApp } from '../support/app.js';
import { encodeId } from '../../server/shared/ids.js';
import { startWorkflow } from '../support/azure-plan.js';
import { dialects } from '../support/dialects.js';
import {
  PLAN_CONSOLIDATION,
  consolidationState,
  demoTenants,
  playUntil,
  workflowStatus,
} from '../support/consolidation.js';

// R-CON-9: the activity log holds Partner Center's audit records of the organization's tenants
// (read incrementally, never twice, kept past Partner Center's 90 days), filterable by date range
// and customer, and exportable; R-CON-1: the consolidation inventory exports as CSV and XLSX.

interface Entry {
  at: string;
  operation: string;
  source: string;
  actor: string;
  customer: { companyName: string } | null;
  subscriptionId: string | null;
}
const ACTIVITY = `query($filter: ActivityLogFilter, $after: String) {
  activityLog(filter: $filter, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { at operation source actor subscriptionId customer { companyName } } }
  }
}`;

describe.each(dialects)('activity log and exports (%s)', (dialect) => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let organizationId: string;
  let customer: {
    tenantId: string;
    companyName: string;
    partnerTenantId: string;
    subscriptionId: string;
  };

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 3 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      dialect,
    });
    const central = emulator.control.partners().find((p) => p.labels.includes('central'));
    organizationId = central?.organizationId as string;
    token = await t.token(organizationId);
    // A change made outside this API (in the portal, say): a seat change on a French customer.
    const french = emulator.control
      .partners()
      .find((p) => p.country === 'FR' && p.organizationId === organizationId);
    const c = emulator.control
      .customers()
      .find(
        (x) =>
          x.relationships.some((r) => r.partnerTenantId === french?.tenantId) && x.country === 'FR',
      );
    const auth = {
      authorization: `Bearer ${emulator.tokenFor(french?.tenantId as string)}`,
      'content-type': 'application/json',
    };
    const subs = (await (
      await emulator.fetch(`${PC_BASE_URL}/v1/customers/${c?.tenantId}/subscriptions`, {
        headers: auth,
      })
    ).json()) as {
      items: Array<{
        id: string;
        quantity: number;
        billingType: string;
        status: string;
        attributes: { etag: string };
      }>;
    };
    const license = subs.items.find((s) => s.billingType === 'license' && s.status === 'active');
    const patched = await emulator.fetch(
      `${PC_BASE_URL}/v1/customers/${c?.tenantId}/subscriptions/${license?.id}`,
      {
        method: 'PATCH',
        headers: { ...auth, 'if-match': license?.attributes.etag ?? '' },
        body: JSON.stringify({ ...license, quantity: (license?.quantity ?? 1) + 1 }),
      },
    );
    expect(patched.status).toBe(200);
    customer = {
      tenantId: c?.tenantId as string,
      companyName: c?.companyName as string,
      partnerTenantId: french?.tenantId as string,
      subscriptionId: license?.id as string,
    };
  });

  afterAll(async () => {
    await t.close();
  });

  async function log(
    filter: Record<string, unknown> = {},
  ): Promise<{ totalCount: number; entries: Entry[] }> {
    const entries: Entry[] = [];
    let after: string | null = null;
    let totalCount = 0;
    interface Page {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
      edges: Array<{ node: Entry }>;
    }
    do {
      const res: GraphqlResponse<{ activityLog: Page }> = await t.gql<{ activityLog: Page }>(
        ACTIVITY,
        {
          token,
          variables: { filter, after },
        },
      );
      expect(res.body.errors).toBeUndefined();
      const page: Page | undefined = res.body.data?.activityLog;
      totalCount = page?.totalCount ?? 0;
      entries.push(...(page?.edges.map((e) => e.node) ?? []));
      after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return { totalCount, entries };
  }

  it('reads Partner Center audit records of the tenants into the log, each once', async () => {
    const { entries, totalCount } = await log();
    expect(entries).toHaveLength(totalCount);
    const seatChange = entries.find(
      (e) =>
        e.source === 'PARTNER_CENTER_AUDIT' &&
        e.operation === 'update_subscription' &&
        e.customer?.companyName === customer.companyName,
    );
    expect(seatChange).toBeDefined();
    // Reading the same window again adds nothing.
    const tenants = emulator.control
      .partners()
      .filter((p) => p.organizationId === organizationId)
      .map((p) => p.tenantId);
    await t.app.services.activity.syncAuditRecords(organizationId, tenants, true);
    await t.app.services.activity.syncAuditRecords(organizationId, tenants, true);
    expect((await log()).totalCount).toBe(totalCount);
  });

  it('filters by customer and by date range', async () => {
    const byCustomer = await log({
      customerSearch: customer.companyName.slice(2, 9).toUpperCase(),
    });
    expect(byCustomer.entries.length).toBeGreaterThan(0);
    expect(byCustomer.entries.every((e) => e.customer?.companyName === customer.companyName)).toBe(
      true,
    );
    const all = await log();
    const latest = all.entries
      .map((e) => e.at)
      .sort()
      .at(-1) as string;
    const future = await log({ from: new Date(Date.parse(latest) + 1000).toISOString() });
    expect(future.totalCount).toBe(0);
    const upToLatest = await log({ to: latest });
    expect(upToLatest.totalCount).toBe(all.totalCount);
  });

  it('customerSearch ignores accents and case; our own order is our entry, findable by name', async () => {
    const esterel = emulator.control.customers().find((c) => c.companyName === 'Estérel Conseil');
    const partnerTenantId = esterel?.relationships[0]?.partnerTenantId as string;
    const order = await t.gql<{
      orderLegacyAzureSubscription: {
        userErrors: unknown[];
        subscription: { subscriptionId: string } | null;
      };
    }>(
      'mutation($input: OrderLegacyAzureSubscriptionInput!) { orderLegacyAzureSubscription(input: $input) { userErrors { code message } subscription { subscriptionId } } }',
      {
        token,
        variables: {
          input: { customerId: encodeId('Customer', partnerTenantId, esterel?.tenantId as string) },
        },
      },
    );
    expect(order.body.data?.orderLegacyAzureSubscription.userErrors).toEqual([]);
    const subscriptionId = order.body.data?.orderLegacyAzureSubscription.subscription
      ?.subscriptionId as string;
    for (const search of ['esterel', 'ESTEREL', 'Estérel', 'ESTÉREL CONSEIL']) {
      const found = await log({ customerSearch: search });
      expect(found.totalCount).toBeGreaterThan(0);
      expect(found.entries.every((e) => e.customer?.companyName === 'Estérel Conseil')).toBe(true);
      const ours = found.entries.find(
        (e) => e.source === 'PRODUCT' && e.operation === 'create_order',
      );
      expect(ours?.subscriptionId).toBe(subscriptionId);
      expect(ours?.actor).not.toBe('Partner Center');
    }
    expect((await log({ customerSearch: 'esterels' })).totalCount).toBe(0);
  });

  it('credits the customer, not the partner user, with accepting the reseller relationship', async () => {
    const { target, sources } = await demoTenants(t, emulator, token);
    const all = await t.gql<{ planTenantConsolidation: { workflow: { id: string } } }>(
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
    const draft = await consolidationState(
      t,
      token,
      all.body.data?.planTenantConsolidation.workflow.id as string,
    );
    const neverAccepts = new Set(
      emulator.control
        .customers()
        .filter((c) => c.labels.includes('never-accepts'))
        .map((c) => c.tenantId),
    );
    const pick = draft.customers.edges.find(
      (e) => e.node.state !== 'BLOCKED' && !neverAccepts.has(e.node.customer.tenantId),
    )?.node.customer as {
      tenantId: string;
      companyName: string;
      partnerTenant: { tenantId: string };
    };
    const one = await t.gql<{ planTenantConsolidation: { workflow: { id: string } } }>(
      PLAN_CONSOLIDATION,
      {
        token,
        variables: {
          input: {
            sourcePartnerTenantIds: sources
              .filter((s) => s.tenantId === pick.partnerTenant.tenantId)
              .map((s) => s.id),
            targetPartnerTenantId: target.id,
            customerIds: [encodeId('Customer', pick.partnerTenant.tenantId, pick.tenantId)],
          },
        },
      },
    );
    const id = one.body.data?.planTenantConsolidation.workflow.id as string;
    expect((await startWorkflow(t, token, id))?.userErrors).toEqual([]);
    await playUntil(t, emulator, async () => (await workflowStatus(t, token, id)) === 'COMPLETED', {
      maxSteps: 400,
    });
    const entries = (await log({ customerSearch: pick.companyName })).entries.filter(
      (e) => e.source === 'PRODUCT',
    );
    const accepted = entries.find((e) => e.operation === 'customer_accepted_relationship');
    expect(accepted?.actor).toBe(`${pick.companyName} (customer)`);
    const invited = entries.find((e) => e.operation === 'invite_customer');
    expect(invited?.actor).toBeDefined();
    expect(invited?.actor).not.toBe(accepted?.actor);
    // Our re-provisioning orders are our entries too, next to Partner Center's audit records.
    expect(entries.some((e) => e.operation === 'create_order')).toBe(true);
  });

  it('keeps entries after Partner Center forgot them (90-day retention)', async () => {
    const before = await log({ customerSearch: customer.companyName });
    await emulator.clock.advance('P100D');
    const tenants = emulator.control
      .partners()
      .filter((p) => p.organizationId === organizationId)
      .map((p) => p.tenantId);
    await t.app.services.activity.syncAuditRecords(organizationId, tenants, true);
    const after = await log({ customerSearch: customer.companyName });
    expect(after.totalCount).toBe(before.totalCount);
  });

  it('exports the activity log and a consolidation inventory as CSV and XLSX with the right row counts', async () => {
    const res = await t.gql<{ exportActivityLog: { export: { url: string; rowCount: number } } }>(
      'mutation { exportActivityLog(input: { format: CSV }) { userErrors { code } export { url rowCount } } }',
      { token },
    );
    const csvExport = res.body.data?.exportActivityLog.export;
    expect(csvExport?.rowCount).toBe((await log()).totalCount);
    const csv = await (
      await fetch(csvExport?.url as string, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(csv.trim().split('\r\n')).toHaveLength((csvExport?.rowCount ?? 0) + 1);
    // Another organization cannot download it (a 404, as if it did not exist).
    const other = emulator.control.partners().find((p) => p.organizationId !== organizationId)
      ?.organizationId as string;
    const denied = await fetch(csvExport?.url as string, {
      headers: { authorization: `Bearer ${await t.token(other)}` },
    });
    expect(denied.status).toBe(404);
    expect((await fetch(csvExport?.url as string)).status).toBe(401);

    const { target, sources } = await demoTenants(t, emulator, token);
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
    const workflowId = planned.body.data?.planTenantConsolidation.workflow.id as string;
    let subscriptions = 0;
    for (const source of sources) {
      for (const c of emulator.control
        .customers()
        .filter((x) =>
          x.relationships.some(
            (r) => r.partnerTenantId === source.tenantId && r.relationship === 'reseller',
          ),
        )) {
        const body = (await (
          await emulator.fetch(`${PC_BASE_URL}/v1/customers/${c.tenantId}/subscriptions`, {
            headers: { authorization: `Bearer ${emulator.tokenFor(source.tenantId)}` },
          })
        ).json()) as { items?: unknown[] };
        subscriptions += body.items?.length ?? 0;
      }
    }
    for (const format of ['CSV', 'XLSX'] as const) {
      const exported = await t.gql<{
        exportConsolidationInventory: {
          export: { url: string; rowCount: number; fileName: string };
        };
      }>(
        'mutation($id: ID!, $f: ExportFormat!) { exportConsolidationInventory(input: { workflowId: $id, format: $f }) { userErrors { code } export { url rowCount fileName } } }',
        { token, variables: { id: workflowId, f: format } },
      );
      const file = exported.body.data?.exportConsolidationInventory.export;
      // R-CON-1: every subscription of every source customer is in the inventory.
      expect(file?.rowCount).toBe(subscriptions);
      const body = Buffer.from(
        await (
          await fetch(file?.url as string, { headers: { authorization: `Bearer ${token}` } })
        ).arrayBuffer(),
      );
      if (format === 'XLSX') {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(body as never);
        expect(workbook.worksheets[0]?.rowCount).toBe(subscriptions + 1);
      } else {
        expect(body.toString('utf8').trim().split('\r\n')).toHaveLength(subscriptions + 1);
      }
    }
  });
});

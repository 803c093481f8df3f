import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { PC_BASE_URL, startTestApp, type TestApp } from '../support/app.js';
import {
  PLAN_CONSOLIDATION,
  consolidationState,
  demoTenants,
  playUntil,
  workflowStatus,
  type TenantRow,
} from '../support/consolidation.js';
import { dialects } from '../support/dialects.js';

interface PcSub {
  id: string;
  offerId: string;
  quantity: number;
  status: string;
  entitlementId?: string | null;
}

/** Reads Partner Center (the emulator's REST API) as a partner tenant, like any client would. */
async function pcGet<T>(
  emulator: Emulator,
  tenantId: string,
  path: string,
): Promise<{ status: number; body: T }> {
  const res = await emulator.fetch(`${PC_BASE_URL}/v1${path}`, {
    headers: { authorization: `Bearer ${emulator.tokenFor(tenantId)}`, accept: 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function subscriptionsOf(
  emulator: Emulator,
  tenantId: string,
  customerTenantId: string,
): Promise<PcSub[]> {
  const res = await pcGet<{ items: PcSub[] }>(
    emulator,
    tenantId,
    `/customers/${customerTenantId}/subscriptions`,
  );
  return res.status === 200 ? res.body.items : [];
}

describe.each(dialects)('tenant consolidation on the demo scenario (%s)', (dialect) => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let organizationId: string;
  let target: TenantRow;
  let sources: TenantRow[];

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
      dialect,
    });
    organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
      ?.organizationId as string;
    token = await t.token(organizationId);
    ({ target, sources } = await demoTenants(t, emulator, token));
  });

  afterEach(async () => {
    await t.close();
  });

  const neverAccepts = () =>
    new Set(
      emulator.control
        .customers()
        .filter((c) => c.labels.includes('never-accepts'))
        .map((c) => c.tenantId),
    );

  async function planAll(excludeNeverAccepting: boolean) {
    const skip = excludeNeverAccepting ? neverAccepts() : new Set<string>();
    let customerIds: string[] | undefined;
    if (excludeNeverAccepting) {
      customerIds = [];
      for (const source of sources) {
        const res = await t.gql<{
          customers: { edges: Array<{ node: { id: string; tenantId: string } }> };
        }>(
          'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
          { token, variables: { id: source.id } },
        );
        customerIds.push(
          ...(res.body.data?.customers.edges ?? [])
            .filter((e) => !skip.has(e.node.tenantId))
            .map((e) => e.node.id),
        );
      }
    }
    const res = await t.gql<{
      planTenantConsolidation: { userErrors: unknown[]; workflow: { id: string; status: string } };
    }>(PLAN_CONSOLIDATION, {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: sources.map((s) => s.id),
          targetPartnerTenantId: target.id,
          ...(customerIds ? { customerIds } : {}),
        },
      },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.planTenantConsolidation.userErrors).toEqual([]);
    return res.body.data?.planTenantConsolidation.workflow as { id: string; status: string };
  }

  async function start(id: string, roles?: PartnerRole[]) {
    const startToken = roles ? await t.token(organizationId, roles) : token;
    return t.gql<{
      startWorkflow: { userErrors: Array<{ code: string }>; workflow: { status: string } | null };
    }>(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } workflow { status } } }',
      { token: startToken, variables: { id } },
    );
  }

  it(
    'plans (a dry run), runs to COMPLETED, and leaves Partner Center exactly as R-CON-1..6 require',
    { timeout: 120_000 },
    async () => {
      const planned = await planAll(true);
      expect(planned.status).toBe('DRAFT');
      const before = JSON.stringify(emulator.control.state());
      const draft = await consolidationState(t, token, planned.id);
      // The dry run changed nothing in Partner Center.
      expect(JSON.stringify(emulator.control.state())).toBe(before);
      const blockedCustomers = draft.customers.edges
        .filter((e) => e.node.state === 'BLOCKED')
        .map((e) => e.node.customer.tenantId);
      expect(draft.blockers.some((b) => b.code === 'REGION_MISMATCH')).toBe(true);
      expect(blockedCustomers.length).toBeGreaterThan(0);
      const blockedBefore = new Map<string, PcSub[]>();
      for (const edge of draft.customers.edges.filter((e) => e.node.state === 'BLOCKED')) {
        const key = `${edge.node.customer.partnerTenant.tenantId}/${edge.node.customer.tenantId}`;
        blockedBefore.set(
          key,
          await subscriptionsOf(
            emulator,
            edge.node.customer.partnerTenant.tenantId,
            edge.node.customer.tenantId,
          ),
        );
      }

      // Planning any role may do; starting needs GLOBAL_ADMIN or ADMIN_AGENT (R-CON-10).
      const refused = await start(planned.id, [PartnerRole.SALES_AGENT]);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const started = await start(planned.id, [PartnerRole.ADMIN_AGENT]);
      expect(started.body.data?.startWorkflow.userErrors).toEqual([]);

      await playUntil(t, emulator, async () =>
        ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, planned.id)),
      );
      const state = await consolidationState(t, token, planned.id);
      expect(
        state.status,
        JSON.stringify(
          state.customers.edges.map((e) => [
            e.node.customer.companyName,
            e.node.state,
            e.node.waitingReason,
          ]),
        ),
      ).toBe('COMPLETED');
      expect(state.billingOverlap.maxOverlapDays).toBe(0);
      expect(state.progress.completed).toBe(state.progress.total);

      // Cancel is refused once re-provisioning happened (R-CON-8).
      const cancel = await t.gql<{ cancelWorkflow: { userErrors: Array<{ code: string }> } }>(
        'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code message } } }',
        { token, variables: { id: planned.id } },
      );
      expect(cancel.body.data?.cancelWorkflow.userErrors[0]?.code).toMatch(
        /IRREVERSIBLE|NOT_CANCELABLE/,
      );

      let licenseItems = 0;
      let azureItems = 0;
      for (const { node: customer } of state.customers.edges) {
        const cid = customer.customer.tenantId;
        if (customer.state === 'BLOCKED') {
          continue;
        }
        expect(customer.state).toBe('DONE');
        expect(customer.invitationUrl).toContain(target.tenantId);
        const targetSubs = await subscriptionsOf(emulator, target.tenantId, cid);
        // Directly against the emulator, as the source tenant sees them.
        const sourceSubs = await subscriptionsOf(
          emulator,
          customer.customer.partnerTenant.tenantId,
          cid,
        );
        for (const item of customer.items) {
          expect(item.status).toBe('DONE');
          expect(item.target).not.toBeNull();
          expect(sourceSubs.find((s) => s.id === item.source.subscriptionId)?.status).toBe(
            'suspended',
          );
          if (item.kind === 'LICENSE_REPROVISION') {
            licenseItems += 1;
            // R-CON-3: same offer (or, R-CHN-6, the proposed catalog successor of a discontinued
            // one), same seats as the inventory, active under the target.
            const replacement = targetSubs.find((s) => s.id === item.target?.subscriptionId);
            expect(replacement?.offerId.toUpperCase()).toBe(
              (item.proposedOfferId ?? item.source.offerId).toUpperCase(),
            );
            expect(replacement?.quantity).toBe(item.seats);
            expect(replacement?.status).toBe('active');
            // R-CON-4: the source is suspended, on the same UTC day as the replacement's activation.
            expect(item.source.status).toBe('SUSPENDED');
            expect(item.sourceSuspendedAt?.slice(0, 10)).toBe(item.targetActiveAt?.slice(0, 10));
            expect(item.overlapDays).toBe(0);
          } else {
            azureItems += 1;
            // R-CON-6: suspended at the source, active at the target, same Azure subscription.
            expect(item.source.status).toBe('SUSPENDED');
            expect(item.target?.status).toBe('ACTIVE');
          }
        }
      }
      expect(licenseItems).toBeGreaterThan(0);
      expect(azureItems).toBeGreaterThan(0);

      // No order was placed twice: each target subscription id appears once.
      const targetIds = state.customers.edges
        .flatMap((e) => e.node.items.map((i) => i.target?.subscriptionId))
        .filter(Boolean);
      expect(new Set(targetIds).size).toBe(targetIds.length);

      // Blocked customers are untouched.
      for (const [key, subs] of blockedBefore) {
        const [tenantId, cid] = key.split('/') as [string, string];
        expect(await subscriptionsOf(emulator, tenantId, cid)).toEqual(subs);
      }

      // Activity entries for each change (R-CON-9).
      // Every page: more than 100 entries once discontinued offers move to their successors.
      const operations: string[] = [];
      for (let after: string | null = null; ;) {
        const activity: {
          body: {
            data?: {
              activityLog: {
                edges: Array<{ node: { operation: string; source: string } }>;
                pageInfo: { hasNextPage: boolean; endCursor: string | null };
              };
            } | null;
          };
        } = await t.gql(
          'query($id: ID!, $after: String) { activityLog(filter: { workflowId: $id }, first: 100, after: $after) { edges { node { operation source } } pageInfo { hasNextPage endCursor } } }',
          { token, variables: { id: planned.id, after } },
        );
        const log = activity.body.data?.activityLog;
        operations.push(...(log?.edges.map((e) => e.node.operation) ?? []));
        if (!log?.pageInfo.hasNextPage) {
          break;
        }
        after = log.pageInfo.endCursor;
      }
      expect(operations.filter((o) => o === 'create_order')).toHaveLength(licenseItems);
      expect(operations.filter((o) => o === 'suspend_subscription')).toHaveLength(licenseItems);
      expect(operations.filter((o) => o === 'azure_subscription_migrated')).toHaveLength(
        azureItems,
      );
      expect(operations).toContain('create_service_request');
      expect(operations).toContain('start_workflow');

      // Exports open with the right row counts.
      const exportRes = await t.gql<{
        exportSubscriptions: { export: { url: string; rowCount: number } };
      }>(
        'mutation($id: ID!, $f: ExportFormat!) { exportSubscriptions(input: { partnerTenantId: $id, format: $f }) { userErrors { code } export { url rowCount fileName } } }',
        { token, variables: { id: target.id, f: 'XLSX' } },
      );
      const xlsx = exportRes.body.data?.exportSubscriptions.export;
      const download = await fetch(xlsx?.url as string, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(download.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await download.arrayBuffer()) as never);
      expect(workbook.worksheets[0]?.rowCount).toBe((xlsx?.rowCount ?? 0) + 1);
      expect(xlsx?.rowCount).toBeGreaterThanOrEqual(licenseItems + azureItems);

      const csvRes = await t.gql<{
        exportActivityLog: { export: { url: string; rowCount: number } };
      }>(
        'mutation($id: ID!) { exportActivityLog(input: { filter: { workflowId: $id }, format: CSV }) { export { url rowCount } } }',
        { token, variables: { id: planned.id } },
      );
      const csv = await (
        await fetch(csvRes.body.data?.exportActivityLog.export.url as string, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).text();
      expect(csv.trim().split('\r\n')).toHaveLength(
        (csvRes.body.data?.exportActivityLog.export.rowCount ?? 0) + 1,
      );
      expect(csvRes.body.data?.exportActivityLog.export.rowCount).toBe(operations.length);
    },
  );

  it('waits on a customer that never accepts, with that customer as the reason, without failing the others', async () => {
    const planned = await planAll(false);
    expect((await start(planned.id)).body.data?.startWorkflow.userErrors).toEqual([]);
    const never = neverAccepts();
    expect(never.size).toBeGreaterThan(0);
    // A week of business time: every other customer has long accepted and moved.
    await playUntil(t, emulator, async () => false, { step: 'PT6H', maxSteps: 28 });
    const state = await consolidationState(t, token, planned.id);
    expect(state.status).toBe('WAITING');
    for (const { node } of state.customers.edges) {
      if (never.has(node.customer.tenantId)) {
        expect(node.state).toBe('INVITED');
        expect(node.waitingReason).toMatch(/accept/i);
        expect(node.waitingReason).toContain(node.customer.companyName);
      } else {
        expect(['DONE', 'BLOCKED']).toContain(node.state);
      }
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { PLAN_AZURE, startWorkflow } from '../support/azure-plan.js';
import { planChannelMove, channelMoveState } from '../support/channel-move.js';
import {
  PLAN_CONSOLIDATION,
  consolidationState,
  demoTenants,
  playUntil,
  workflowStatus,
  type TenantRow,
} from '../support/consolidation.js';
import { ADMINS, pcGet, planTransfer, subscriptionGid, type PcSub } from '../support/transfer.js';

const ORDER_0145P = /* GraphQL */ `
  mutation Order($input: OrderLegacyAzureSubscriptionInput!) {
    orderLegacyAzureSubscription(input: $input) {
      userErrors {
        code
        message
        field
      }
      subscription {
        subscriptionId
      }
    }
  }
`;

interface Picked {
  gid: string;
  tenantId: string;
  companyName: string;
  country: string;
  source: TenantRow;
  azure: PcSub;
}

/**
 * R-CON-7/8 on every write path: once a customer is consolidated away from a source tenant, nothing
 * new is ordered, moved or transferred for it from that tenant, and the refusal says why.
 */
describe('a consolidated source tenant is refused on every write path (R-CON-7/8)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let target: TenantRow;
  let sources: TenantRow[];
  let picked: Picked;
  let consolidationId: string;

  const gql = <T>(query: string, input: Record<string, unknown>) =>
    t.gql<T>(query, { token, variables: { input } });

  const postsFromSource = () =>
    emulator.control
      .requests({ method: 'POST', tenantId: picked.source.tenantId })
      .filter((r) => r.customerTenantId === picked.tenantId || r.path.includes(picked.tenantId));

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
    const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
      ?.organizationId as string;
    token = await t.token(organizationId);
    ({ target, sources } = await demoTenants(t, emulator, token));

    // A customer of a source tenant that the consolidation can take, with an active legacy Azure.
    const all = await gql<{ planTenantConsolidation: { workflow: { id: string } } }>(
      PLAN_CONSOLIDATION,
      { sourcePartnerTenantIds: sources.map((s) => s.id), targetPartnerTenantId: target.id },
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
    for (const edge of draft.customers.edges) {
      const c = edge.node.customer;
      if (edge.node.state === 'BLOCKED' || neverAccepts.has(c.tenantId)) {
        continue;
      }
      const source = sources.find((s) => s.tenantId === c.partnerTenant.tenantId) as TenantRow;
      const subs = await pcGet<{ items: PcSub[] }>(
        emulator,
        source.tenantId,
        `/customers/${c.tenantId}/subscriptions`,
      );
      const azure = subs.body.items.find(
        (s) => s.offerId === 'MS-AZR-0145P' && s.status === 'active',
      );
      const record = emulator.control.customers().find((x) => x.tenantId === c.tenantId);
      if (azure && record) {
        picked = {
          gid: encodeId('Customer', source.tenantId, c.tenantId),
          tenantId: c.tenantId,
          companyName: c.companyName,
          country: record.country,
          source,
          azure,
        };
        break;
      }
    }
    expect(picked).toBeDefined();
    const one = await gql<{
      planTenantConsolidation: { userErrors: unknown[]; workflow: { id: string } };
    }>(PLAN_CONSOLIDATION, {
      sourcePartnerTenantIds: [picked.source.id],
      targetPartnerTenantId: target.id,
      customerIds: [picked.gid],
    });
    expect(one.body.data?.planTenantConsolidation.userErrors).toEqual([]);
    consolidationId = one.body.data?.planTenantConsolidation.workflow.id as string;
    expect((await startWorkflow(t, token, consolidationId))?.userErrors).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('while the consolidation runs: Azure plan, channel move, transfer and a second consolidation are blocked with the reason', async () => {
    const before = postsFromSource().length;
    const e3 = emulator.control.offers().find((o) => o.alias === 'office365-e3') as { id: string };

    const azure = await gql<{
      planAzurePlanTransition: { workflow: { blockers: Array<{ code: string; message: string }> } };
    }>(PLAN_AZURE, { customerId: picked.gid });
    const azureBlocker = azure.body.data?.planAzurePlanTransition.workflow.blockers.find(
      (b) => b.code === 'SOURCE_OF_CONSOLIDATION',
    );
    expect(azureBlocker?.message).toMatch(/R-CON-7/);
    expect(azureBlocker?.message).toContain(consolidationId);

    const move = await planChannelMove(t, token, {
      partnerTenantId: picked.source.id,
      customerTenantId: picked.tenantId,
      customerCountry: picked.country,
      sourceChannel: 'WEB_DIRECT',
      licenses: [{ offerId: e3.id, seats: 1, expiresOn: '2026-03-31T00:00:00Z' }],
    });
    expect(move.userErrors).toEqual([]);
    const moveState = await channelMoveState(t, token, move.workflow?.id as string);
    const moveBlocker = moveState.blockers.find((b) => b.code === 'SOURCE_OF_CONSOLIDATION');
    expect(moveBlocker?.message).toContain(picked.source.name);

    const fabrikam = emulator.control
      .partners()
      .find((p) => /fabrikam/i.test(p.organizationName)) as { tenantId: string; mpnId: string };
    const transfer = await planTransfer(t, token, {
      subscriptionId: subscriptionGid(picked.source.tenantId, picked.tenantId, picked.azure.id),
      newPartnerTenantId: fabrikam.tenantId,
      newPartnerMpnId: fabrikam.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      customerRequestReference: 'letter 2026-001',
      partnerAdmins: ADMINS,
    });
    const transferBlocker = transfer.workflow?.blockers.find(
      (b) => b.code === 'SOURCE_OF_CONSOLIDATION',
    );
    expect(transferBlocker?.message).toMatch(/R-CON-8/);

    // Consolidating the same customer away from the same source again.
    const again = await gql<{
      planTenantConsolidation: { workflow: { blockers: Array<{ code: string }> } };
    }>(PLAN_CONSOLIDATION, {
      sourcePartnerTenantIds: [picked.source.id],
      targetPartnerTenantId: target.id,
      customerIds: [picked.gid],
    });
    expect(again.body.data?.planTenantConsolidation.workflow.blockers.map((b) => b.code)).toContain(
      'ALREADY_IN_CONSOLIDATION',
    );

    expect(postsFromSource().length).toBe(before);
  });

  it(
    'after the consolidation completed: a legacy Azure order from the source is refused and never reaches Partner Center',
    { timeout: 120_000 },
    async () => {
      await playUntil(
        t,
        emulator,
        async () => (await workflowStatus(t, token, consolidationId)) === 'COMPLETED',
        { maxSteps: 400 },
      );
      expect(await workflowStatus(t, token, consolidationId)).toBe('COMPLETED');
      const subsBefore = await pcGet<{ items: PcSub[] }>(
        emulator,
        picked.source.tenantId,
        `/customers/${picked.tenantId}/subscriptions`,
      );
      emulator.control.clearRequests();

      const order = await gql<{
        orderLegacyAzureSubscription: {
          userErrors: Array<{ code: string; message: string; field: string[] }>;
          subscription: unknown;
        };
      }>(ORDER_0145P, { customerId: picked.gid, friendlyName: 'after consolidation' });
      expect(order.body.errors).toBeUndefined();
      const payload = order.body.data?.orderLegacyAzureSubscription;
      expect(payload?.subscription).toBeNull();
      expect(payload?.userErrors).toHaveLength(1);
      expect(payload?.userErrors[0]).toMatchObject({
        code: 'SOURCE_OF_CONSOLIDATION',
        field: ['input', 'customerId'],
      });
      expect(payload?.userErrors[0]?.message).toContain(picked.source.name);
      expect(payload?.userErrors[0]?.message).toMatch(/R-CON-7.*R-CON-8/);
      expect(emulator.control.requests({ method: 'POST' })).toEqual([]);
      const subsAfter = await pcGet<{ items: PcSub[] }>(
        emulator,
        picked.source.tenantId,
        `/customers/${picked.tenantId}/subscriptions`,
      );
      expect(subsAfter.body.items).toHaveLength(subsBefore.body.items.length);

      // The target is where new subscriptions belong: consolidating from it is blocked too.
      const back = await gql<{
        planTenantConsolidation: {
          workflow: { blockers: Array<{ code: string; message: string }> };
        };
      }>(PLAN_CONSOLIDATION, {
        sourcePartnerTenantIds: [target.id],
        targetPartnerTenantId: picked.source.id,
        customerIds: [encodeId('Customer', target.tenantId, picked.tenantId)],
      });
      const blockers = back.body.data?.planTenantConsolidation.workflow?.blockers ?? [];
      expect(blockers.map((b) => b.code)).toContain('SOURCE_OF_CONSOLIDATION');
    },
  );
});

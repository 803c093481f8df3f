import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { playUntil, startTestApp, type TestApp } from '../support/app.js';
import {
  ADMINS,
  pcGet,
  planTransfer,
  subscriptionGid,
  transferState,
  type PcSub,
} from '../support/transfer.js';

// Issue 15 item 3: an Azure plan changes partner through a partner-to-partner transfer (the new
// partner creates it, we accept it), with the R-TRF-8 clean-up after; legacy Azure first.

interface Sub extends PcSub {
  transferId?: string;
  productType?: { id: string };
}

describe('Azure plan subscription transfer (issue 15 item 3)', () => {
  let emulator: Emulator;
  let t: TestApp;

  beforeEach(async () => {
    emulator = createEmulator({
      seed: 5,
      scenario: {
        extends: 'demo-today',
        customers: [
          {
            key: 'planned',
            companyName: 'Planned Cloud Ltd',
            country: 'GB',
            labels: ['planned'],
            azurePlan: true,
            relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
            subscriptions: [{ partner: 'fabrikam-uk', offer: 'azure-plan' }],
          },
          {
            key: 'mixed',
            companyName: 'Still Legacy Ltd',
            country: 'GB',
            labels: ['mixed'],
            azurePlan: true,
            relationships: [{ partner: 'fabrikam-uk' }, { partner: 'contoso-eu' }],
            subscriptions: [
              { partner: 'fabrikam-uk', offer: 'azure-plan' },
              { partner: 'fabrikam-uk', offer: 'azure-legacy' },
            ],
          },
        ],
      },
    });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const world = async (label: string) => {
    const partners = emulator.control.partners();
    const fabrikam = partners.find((p) => p.name === 'Fabrikam Partners UK')!;
    const contoso = partners.find((p) => p.name === 'Contoso Cloud Europe')!;
    const customer = emulator.control.customers().find((c) => c.labels.includes(label))!;
    const subs = (
      await pcGet<{ items: Sub[] }>(
        emulator,
        fabrikam.tenantId,
        `/customers/${customer.tenantId}/subscriptions`,
      )
    ).body.items;
    const plan = subs.find((s) => s.productType?.id === 'Azure' && s.offerId !== 'MS-AZR-0145P')!;
    const token = await t.token(fabrikam.organizationId);
    const input = {
      subscriptionId: subscriptionGid(fabrikam.tenantId, customer.tenantId, plan.id),
      newPartnerTenantId: contoso.tenantId,
      newPartnerMpnId: contoso.mpnId,
      customerRequestReceivedAt: new Date(
        clockFrom(emulator.clock).now().getTime() - 86_400_000,
      ).toISOString(),
      partnerAdmins: ADMINS,
    };
    return { fabrikam, contoso, customer, plan, token, input };
  };

  it(
    'moves by a transfer the new partner creates and we accept, then removes the old access',
    { timeout: 120_000 },
    async () => {
      const { fabrikam, contoso, customer, plan, token, input } = await world('planned');
      const planned = await planTransfer(t, token, input);
      expect(planned.userErrors).toEqual([]);
      expect(planned.workflow?.blockers).toEqual([]);
      const id = planned.workflow!.id;
      const before = emulator.control.requests().at(-1)?.seq ?? 0;
      const started = await t.gql<{ startWorkflow: { userErrors: unknown[] } }>(
        'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
        { token, variables: { id } },
      );
      expect(started.body.data?.startWorkflow.userErrors).toEqual([]);
      await playUntil(t, emulator, async () =>
        ['COMPLETED', 'FAILED'].includes((await transferState(t, token, id)).status),
      );
      const state = await transferState(t, token, id);
      const path = await t.gql<{ node: { path: string } }>(
        'query($id: ID!) { node(id: $id) { ... on SubscriptionTransfer { path } } }',
        { token, variables: { id } },
      );
      expect(path.body.data?.node.path).toBe('PARTNER_TRANSFER');
      expect(
        state.status,
        JSON.stringify([
          state.waitingReason,
          state.state,
          state.blockers,
          state.events.edges.map((e) => e.node.message),
        ]),
      ).toBe('COMPLETED');
      // No support ticket, no form: the transfers API only.
      const calls = emulator.control.requests().filter((e) => e.seq > before);
      expect(calls.some((e) => /servicerequests/i.test(e.path))).toBe(false);
      const creates = calls.filter((e) => e.method === 'POST' && /\/transfers$/.test(e.path));
      expect(creates.map((e) => e.tenantId)).toEqual([contoso.tenantId]);
      const accepts = calls.filter((e) => e.method === 'PATCH' && /\/transfers\//.test(e.path));
      expect(accepts.map((e) => e.tenantId)).toEqual([fabrikam.tenantId]);
      // The Azure plan bills through the new partner now; the old one's copy ended.
      const atNew = (
        await pcGet<{ items: Sub[] }>(
          emulator,
          contoso.tenantId,
          `/customers/${customer.tenantId}/subscriptions`,
        )
      ).body.items.filter((s) => s.transferId);
      expect(atNew).toHaveLength(1);
      expect(atNew[0]?.status).toBe('active');
      const old = (
        await pcGet<Sub>(
          emulator,
          fabrikam.tenantId,
          `/customers/${customer.tenantId}/subscriptions/${plan.id}`,
        )
      ).body;
      expect(old.status).toBe('expired');
      // R-TRF-8: the new partner's Admin Agents added as Owner, the old partner's removed.
      const azureId = state.azureSubscriptionId;
      const roles = await emulator.fetch(
        `https://management.azure.com/subscriptions/${azureId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
        { headers: { authorization: `Bearer ${emulator.tokenFor(contoso.tenantId)}` } },
      );
      const principals = (
        (await roles.json()) as { value: Array<{ properties: { principalId: string } }> }
      ).value.map((r) => r.properties.principalId);
      expect(principals).toContain(contoso.adminAgentsGroupId);
      expect(principals).not.toContain(fabrikam.adminAgentsGroupId);
    },
  );

  it('a customer that still has legacy Azure gets the "legacy Azure first" blocker', async () => {
    const { token, input } = await world('mixed');
    const planned = await planTransfer(t, token, input);
    expect(planned.workflow?.blockers.map((b) => b.code)).toContain('LEGACY_AZURE_FIRST');
    const start = await t.gql<{ startWorkflow: { userErrors: Array<{ code: string }> } }>(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
      { token, variables: { id: planned.workflow?.id } },
    );
    expect(start.body.data?.startWorkflow.userErrors.length).toBeGreaterThan(0);
  });
});

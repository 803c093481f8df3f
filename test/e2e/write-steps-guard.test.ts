import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { azureState, PLAN_AZURE } from '../support/azure-plan.js';
import { demoTenants, type TenantRow } from '../support/consolidation.js';
import { demoTenantsWith, planConsolidationOf } from '../support/consolidation-scenarios.js';
import { startWorkflow } from '../support/operations.js';
import {
  ADMINS,
  pcGet,
  planTransfer,
  subscriptionGid,
  transferState,
  type PcSub,
} from '../support/transfer.js';

// Issue 16 §1, at run time: an Azure plan transition and a transfer planned while the tenant was
// an ordinary source are started after a consolidation of the customer away from that tenant
// began. Their Partner Center writes (the product upgrade, the transfer ticket) go through the one
// R-CON-7/8 guard when they run: blocked with the reason, nothing posted for the customer.

describe('write steps planned before a consolidation are refused when they run (R-CON-7/8)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let fr: TenantRow;
  let customer: string;
  let azurePlanId: string;
  let transferId: string;
  let consolidationId: string;

  const postsForCustomer = () =>
    emulator.control
      .requests({ method: 'POST', tenantId: fr.tenantId })
      .filter((r) => r.path.includes(customer) || r.customerTenantId === customer);

  beforeAll(async () => {
    emulator = createEmulator({
      scenario: demoTenantsWith([
        {
          key: 'montagne',
          companyName: 'Montagne Alimentaire SAS',
          country: 'FR',
          // Fabrikam already has a reseller relationship: the transfer can be planned (R-TRF-6).
          relationships: [{ partner: 'contoso-fr' }, { partner: 'fabrikam-uk' }],
          subscriptions: [
            { partner: 'contoso-fr', offer: 'office365-e3', quantity: 6 },
            { partner: 'contoso-fr', offer: 'azure-legacy' },
          ],
          autopilot: { acceptInvitation: 'never' },
        },
      ]),
      seed: 7,
    });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 2 },
    });
    const partners = emulator.control.partners();
    token = await t.token(partners.find((p) => p.labels.includes('central'))?.organizationId ?? '');
    const { target, sources } = await demoTenants(t, emulator, token);
    fr = sources.find((s) => s.name === 'Contoso Cloud France') as TenantRow;
    customer = emulator.control
      .customers()
      .find((c) => c.companyName === 'Montagne Alimentaire SAS')?.tenantId as string;
    const gid = Buffer.from(`v1|Customer|${fr.tenantId}|${customer}`).toString('base64url');

    const azure = await t.gql<{
      planAzurePlanTransition: {
        userErrors: unknown[];
        workflow: { id: string; blockers: unknown[] };
      };
    }>(PLAN_AZURE, { token, variables: { input: { customerId: gid } } });
    expect(azure.body.data?.planAzurePlanTransition.userErrors).toEqual([]);
    expect(azure.body.data?.planAzurePlanTransition.workflow.blockers).toEqual([]);
    azurePlanId = azure.body.data?.planAzurePlanTransition.workflow.id as string;

    const subs = await pcGet<{ items: PcSub[] }>(
      emulator,
      fr.tenantId,
      `/customers/${customer}/subscriptions`,
    );
    const legacyAzure = subs.body.items.find((s) => s.offerId === 'MS-AZR-0145P') as PcSub;
    const fabrikam = partners.find((p) => /fabrikam/i.test(p.organizationName)) as {
      tenantId: string;
      mpnId: string;
    };
    const transfer = await planTransfer(t, token, {
      subscriptionId: subscriptionGid(fr.tenantId, customer, legacyAzure.id),
      newPartnerTenantId: fabrikam.tenantId,
      newPartnerMpnId: fabrikam.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      customerRequestReference: 'letter 2026-002',
      partnerAdmins: ADMINS,
    });
    expect(transfer.userErrors).toEqual([]);
    expect(transfer.workflow?.blockers.filter((b) => b.code === 'SOURCE_OF_CONSOLIDATION')).toEqual(
      [],
    );
    transferId = transfer.workflow?.id as string;

    // Then the customer is consolidated away from the French tenant.
    const plan = await planConsolidationOf(t, token, [fr], target, [
      { sourceTenantId: fr.tenantId, customerTenantId: customer },
    ]);
    expect(plan.blockers).toEqual([]);
    consolidationId = plan.id;
    expect((await startWorkflow(t, token, consolidationId)).userErrors).toEqual([]);
    await t.app.runner.drain();
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('the Azure plan transition blocks before its product upgrade, with the reason', async () => {
    const before = postsForCustomer().length;
    expect((await startWorkflow(t, token, azurePlanId)).userErrors).toEqual([]);
    await t.app.runner.drain();
    const s = await azureState(t, token, azurePlanId);
    const blocker = s.blockers.find((b) => b.code === 'SOURCE_OF_CONSOLIDATION');
    expect(blocker?.message).toMatch(/R-CON-7/);
    expect(blocker?.message).toContain(consolidationId);
    expect(postsForCustomer().length).toBe(before);
    // Eligibility is a read (a POST in Partner Center's API); the upgrade itself never went out.
    const upgrades = emulator.control
      .requests({ method: 'POST' })
      .filter((r) => /\/productUpgrades\/?$/i.test(r.path.split('?')[0] ?? ''));
    expect(upgrades).toEqual([]);
  });

  it('the transfer blocks before it opens its ticket, with the reason', async () => {
    const before = emulator.control.requests({ method: 'POST', tenantId: fr.tenantId }).length;
    expect((await startWorkflow(t, token, transferId)).userErrors).toEqual([]);
    await t.app.runner.drain();
    const s = await transferState(t, token, transferId);
    const blocker = s.blockers.find((b) => b.code === 'SOURCE_OF_CONSOLIDATION');
    expect(blocker?.message).toMatch(/R-CON-8/);
    expect(blocker?.message).toContain(consolidationId);
    const posts = emulator.control
      .requests({ method: 'POST', tenantId: fr.tenantId })
      .slice(before)
      .filter((r) => r.path.includes('servicerequests'));
    expect(posts).toEqual([]);
  });
});

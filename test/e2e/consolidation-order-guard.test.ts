import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  consolidationState,
  demoTenants,
  playUntil,
  workflowStatus,
  type TenantRow,
} from '../support/consolidation.js';
import { demoTenantsWith, planConsolidationOf } from '../support/consolidation-scenarios.js';
import { startWorkflow } from '../support/operations.js';

// Issue 16 §1: the consolidation's own re-provisioning re-checks the one R-CON-7/8 guard when it
// runs. A consolidation planned while its target was an ordinary tenant must not order into it
// once the customer has been consolidated away from that tenant (by a second consolidation that
// completed meanwhile): no new subscription from a consolidated source, whatever the path.

describe('the consolidation order step refuses a target that became a consolidated source (R-CON-7/8)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let target: TenantRow;
  let fr: TenantRow;
  let es: TenantRow;
  let customer: string;
  let first: string;
  let second: string;

  beforeAll(async () => {
    emulator = createEmulator({
      scenario: demoTenantsWith([
        {
          key: 'twice',
          companyName: 'Deux Fois Consolidée SA',
          country: 'FR',
          // Served by the French tenant and by the central one.
          relationships: [{ partner: 'contoso-fr' }, { partner: 'contoso-eu' }],
          subscriptions: [
            { partner: 'contoso-fr', offer: 'office365-e3', quantity: 4 },
            { partner: 'contoso-eu', offer: 'office365-e1', quantity: 2 },
          ],
          autopilot: { acceptInvitation: 1 },
        },
      ]),
      seed: 5,
    });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 2 },
    });
    const partners = emulator.control.partners();
    token = await t.token(partners.find((p) => p.labels.includes('central'))?.organizationId ?? '');
    const tenants = await demoTenants(t, emulator, token);
    target = tenants.target;
    fr = tenants.sources.find((s) => s.name === 'Contoso Cloud France') as TenantRow;
    es = tenants.sources.find((s) => s.name === 'Contoso Cloud España') as TenantRow;
    customer = emulator.control.customers().find((c) => c.companyName.startsWith('Deux Fois'))
      ?.tenantId as string;

    // 1. France → central, planned while the central tenant is an ordinary tenant (left in DRAFT).
    const plan1 = await planConsolidationOf(t, token, [fr], target, [
      { sourceTenantId: fr.tenantId, customerTenantId: customer },
    ]);
    expect(plan1.blockers).toEqual([]);
    first = plan1.id;
    // 2. Central → Spain for the same customer, run to its end: the central tenant is now the
    // customer's consolidated source (R-CON-7/8).
    const plan2 = await planConsolidationOf(t, token, [target], es, [
      { sourceTenantId: target.tenantId, customerTenantId: customer },
    ]);
    expect(plan2.blockers).toEqual([]);
    second = plan2.id;
    expect((await startWorkflow(t, token, second)).userErrors).toEqual([]);
    await playUntil(t, emulator, async () =>
      ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, second)),
    );
    expect(await workflowStatus(t, token, second)).toBe('COMPLETED');
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('the earlier plan runs but orders nothing into the consolidated source, and says why', async () => {
    const before = emulator.control
      .requests({ method: 'POST', tenantId: target.tenantId })
      .filter((r) => r.path.includes(customer)).length;
    expect((await startWorkflow(t, token, first)).userErrors).toEqual([]);
    await playUntil(t, emulator, async () => {
      const s = await consolidationState(t, token, first);
      return s.customers.edges.every((e) =>
        e.node.items.every(
          (i) => i.status !== 'PENDING' && i.status !== 'RUNNING' && i.status !== 'WAITING',
        ),
      );
    });
    const s = await consolidationState(t, token, first);
    const item = s.customers.edges[0]?.node.items.find((i) => i.kind === 'LICENSE_REPROVISION');
    expect(item?.status).toBe('BLOCKED');
    expect(item?.target).toBeNull();
    const blocker = s.blockers.find((b) => b.code === 'SOURCE_OF_CONSOLIDATION');
    expect(blocker?.message).toMatch(/R-CON-7/);
    expect(blocker?.message).toContain(second);
    // No order (nor anything else) was posted for the customer from the consolidated source.
    const after = emulator.control
      .requests({ method: 'POST', tenantId: target.tenantId })
      .filter((r) => r.path.includes(customer)).length;
    expect(after).toBe(before);
    // The French original is left as it was: nothing replaced it, so it is not suspended.
    const res = await emulator.fetch(
      `https://api.partnercenter.microsoft.com/v1/customers/${customer}/subscriptions`,
      { headers: { authorization: `Bearer ${emulator.tokenFor(fr.tenantId)}` } },
    );
    const subs = ((await res.json()) as { items: Array<{ status: string }> }).items;
    expect(subs.every((x) => x.status === 'active')).toBe(true);
  });
});

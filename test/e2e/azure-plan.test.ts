import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  PLAN_AZURE,
  azureState,
  demoCustomer,
  pc,
  startWorkflow,
  subscriptionsOf,
  type AzureState,
} from '../support/azure-plan.js';
import { playUntil } from '../support/consolidation.js';

const AZURE_PLAN_PRODUCT = 'DZH318Z0BPS6';
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
        offerId
        productFamily
      }
    }
  }
`;

describe('Azure plan transition on the demo scenario', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;

  beforeEach(async () => {
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
  });

  afterEach(async () => {
    await t.close();
  });

  async function plan(input: Record<string, unknown>) {
    const res = await t.gql<{
      planAzurePlanTransition: {
        userErrors: Array<{ code: string; message: string; field: string[] }>;
        workflow: { id: string; status: string; blockers: Array<{ code: string }> } | null;
      };
    }>(PLAN_AZURE, { token, variables: { input } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.planAzurePlanTransition as NonNullable<
      NonNullable<typeof res.body.data>['planAzurePlanTransition']
    >;
  }

  async function runToEnd(id: string): Promise<AzureState> {
    let state = await azureState(t, token, id);
    await playUntil(
      t,
      emulator,
      async () => {
        state = await azureState(t, token, id);
        return ['COMPLETED', 'FAILED', 'CANCELED'].includes(state.status);
      },
      { step: 'PT10M', maxSteps: 60 },
    );
    return state;
  }

  const procedureEvents = (s: AzureState) =>
    s.events.edges.map((e) => e.node).filter((e) => !e.type.startsWith('WORKFLOW_'));

  it('moves a direct customer to one Azure plan, sets the budget and then refuses legacy Azure orders', async () => {
    const alpine = demoCustomer(emulator, { name: 'Alpine Foods' });
    const before = JSON.stringify(emulator.control.state().subscriptions);
    const planned = await plan({
      customerId: alpine.gid,
      budget: { amount: '5000', currency: 'EUR' },
    });
    expect(planned.userErrors).toEqual([]);
    expect(planned.workflow?.status).toBe('DRAFT');
    expect(planned.workflow?.blockers).toEqual([]);
    // The dry run changed nothing in Partner Center.
    expect(JSON.stringify(emulator.control.state().subscriptions)).toBe(before);
    const draft = await azureState(t, token, planned.workflow?.id as string);
    const legacy = (
      await subscriptionsOf(emulator, alpine.partnerTenantId, alpine.tenantId)
    ).filter((s) => s.offerId === 'MS-AZR-0145P');
    expect(legacy).toHaveLength(1);
    expect(draft.plans).toHaveLength(1);
    expect(draft.plans[0]?.resellerMpnId).toBeNull();
    expect(draft.plans[0]?.mapped.map((m) => m.commerceSubscriptionId)).toEqual([legacy[0]?.id]);
    expect(draft.budget).toEqual({ amount: '5000.00', currency: 'EUR' });

    const started = await startWorkflow(t, token, draft.id);
    expect(started?.userErrors).toEqual([]);
    const done = await runToEnd(draft.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.progress.completed).toBe(done.progress.total);

    // GraphQL: one plan, active, with the entitlement attached; the line is mapped.
    expect(done.plans).toHaveLength(1);
    const planSub = done.plans[0]?.planSubscription;
    expect(planSub?.productFamily).toBe('AZURE_PLAN');
    expect(planSub?.status).toBe('ACTIVE');
    expect(done.plans[0]?.mapped).toEqual([
      {
        azureSubscriptionId: legacy[0]?.entitlementId ?? legacy[0]?.id,
        commerceSubscriptionId: legacy[0]?.id,
        status: 'ACTIVE',
        azurePlanSubscriptionId: planSub?.subscriptionId,
      },
    ]);
    expect(done.lines.map((l) => l.state)).toEqual(['MAPPED']);
    expect(done.billingImpact).toHaveLength(1);
    expect(done.billingImpact[0]?.oldInvoiceUntil).toBeTruthy();
    const events = procedureEvents(done);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'PLANNED',
        'UPGRADE_STARTED',
        'PLAN_PURCHASED',
        'ENTITLEMENT_MAPPED',
        'BUDGET_SET',
        'BILLING_IMPACT',
      ]),
    );
    // R-AZP-5: the last event of the procedure reminds that Azure-portal budgets are separate.
    expect(events.at(-1)?.type).toBe('AZURE_PORTAL_BUDGETS_REMINDER');
    expect(events.at(-1)?.message).toMatch(/Azure portal/);

    // Partner Center (the emulator's REST API): plan exists, entitlement re-parented, commerce
    // subscription suspended, budget set.
    const after = await subscriptionsOf(emulator, alpine.partnerTenantId, alpine.tenantId);
    const plans = after.filter((s) => s.offerId.startsWith(AZURE_PLAN_PRODUCT));
    expect(plans.map((p) => p.id)).toEqual([planSub?.subscriptionId]);
    expect(after.find((s) => s.id === legacy[0]?.id)?.status).toBe('suspended');
    const entitlements = await pc<{ items: Array<{ id: string; status: string }> }>(
      emulator,
      alpine.partnerTenantId,
      'GET',
      `/customers/${alpine.tenantId}/subscriptions/${plans[0]?.id}/azureEntitlements`,
    );
    expect(entitlements.body.items).toContainEqual(
      expect.objectContaining({ id: legacy[0]?.entitlementId ?? legacy[0]?.id, status: 'active' }),
    );
    const budget = await pc<{ amount: string | number; currencyCode: string }>(
      emulator,
      alpine.partnerTenantId,
      'GET',
      `/customers/${alpine.tenantId}/usagebudget`,
    );
    expect(Number(budget.body.amount)).toBe(5000);
    expect(emulator.control.state().productUpgrades).toHaveLength(1);

    // R-AZP-6: a later 0145P order is refused, by the API and by Partner Center.
    const order = await t.gql<{
      orderLegacyAzureSubscription: { userErrors: Array<{ code: string }>; subscription: unknown };
    }>(ORDER_0145P, { token, variables: { input: { customerId: alpine.gid } } });
    expect(order.body.data?.orderLegacyAzureSubscription.subscription).toBeNull();
    expect(order.body.data?.orderLegacyAzureSubscription.userErrors.map((e) => e.code)).toEqual([
      'AZURE_PLAN_TRANSITIONED',
    ]);
    const direct = await pc<{ code: number }>(
      emulator,
      alpine.partnerTenantId,
      'POST',
      `/customers/${alpine.tenantId}/orders`,
      { lineItems: [{ lineItemNumber: 0, offerId: 'MS-AZR-0145P', quantity: 1 }] },
    );
    expect(direct.status).toBe(403);

    // Activity entries for every step.
    const activity = await t.gql<{
      activityLog: { edges: Array<{ node: { operation: string } }> };
    }>(
      'query($w: ID!) { activityLog(filter: { workflowId: $w }, first: 100) { edges { node { operation } } } }',
      { token, variables: { w: draft.id } },
    );
    expect(activity.body.data?.activityLog.edges.map((e) => e.node.operation)).toEqual(
      expect.arrayContaining([
        'start_workflow',
        'check_azure_plan_eligibility',
        'create_product_upgrade',
        'purchase_azure_plan',
        'map_azure_subscription',
        'update_customer_spending_budget',
        'azure_plan_transition_completed',
      ]),
    );
  });

  it('buys one Azure plan per reseller of record for an indirect customer with two resellers', async () => {
    const bergmann = demoCustomer(emulator, { label: 'two-resellers' });
    const legacy = (
      await subscriptionsOf(emulator, bergmann.partnerTenantId, bergmann.tenantId)
    ).filter((s) => s.offerId === 'MS-AZR-0145P');
    const resellers = [...new Set(legacy.map((s) => s.partnerId))].sort();
    expect(resellers).toHaveLength(2);

    const planned = await plan({ customerId: bergmann.gid });
    expect(planned.userErrors).toEqual([]);
    expect(planned.workflow?.blockers).toEqual([]);
    const id = planned.workflow?.id as string;
    const draft = await azureState(t, token, id);
    expect(draft.plans.map((p) => p.resellerMpnId).sort()).toEqual(resellers);
    expect(draft.budget).toBeNull();

    expect((await startWorkflow(t, token, id))?.userErrors).toEqual([]);
    const done = await runToEnd(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.plans).toHaveLength(2);
    const after = await subscriptionsOf(emulator, bergmann.partnerTenantId, bergmann.tenantId);
    for (const p of done.plans) {
      // Each plan belongs to its reseller and holds exactly that reseller's Azure subscriptions.
      const mine = legacy.filter((s) => s.partnerId === p.resellerMpnId);
      expect(p.planSubscription?.resellerMpnId).toBe(p.resellerMpnId);
      expect(p.mapped.map((m) => m.commerceSubscriptionId).sort()).toEqual(
        mine.map((s) => s.id).sort(),
      );
      expect(p.mapped.every((m) => m.azurePlanSubscriptionId === p.planSubscriptionId)).toBe(true);
      const ents = await pc<{ items: Array<{ id: string; status: string }> }>(
        emulator,
        bergmann.partnerTenantId,
        'GET',
        `/customers/${bergmann.tenantId}/subscriptions/${p.planSubscriptionId}/azureEntitlements`,
      );
      expect(
        ents.body.items
          .filter((e) => e.status === 'active')
          .map((e) => e.id)
          .sort(),
      ).toEqual(mine.map((s) => s.entitlementId ?? s.id).sort());
      for (const s of mine) {
        expect(after.find((x) => x.id === s.id)?.status).toBe('suspended');
      }
    }
    expect(new Set(done.plans.map((p) => p.planSubscriptionId)).size).toBe(2);
  });
});

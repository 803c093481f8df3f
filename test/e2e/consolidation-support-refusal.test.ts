import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  PLAN_CONSOLIDATION,
  consolidationState,
  demoTenants,
  playUntil,
  type ConsolidationState,
} from '../support/consolidation.js';
import { startWorkflow } from '../support/operations.js';

// Issue 16 item 11 (consolidation part): when Microsoft support refuses the Azure migration of a
// customer or asks for something (R-CON-6), the consolidation shows support's answer as a blocker on
// that customer, in support's words, instead of waiting in silence. The emulator's support refuses
// through `autopilot.support.consolidationRefusals`.

const ASKS =
  'Azure subscription has an active reservation; please confirm the customer agrees to move it.';
const REFUSES = 'This subscription has a Marketplace purchase that cannot be migrated.';

describe('a consolidation whose Azure migration support refuses', () => {
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setUp(companies: string[]) {
    const emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
    const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
      ?.organizationId as string;
    const token = await t.token(organizationId);
    const { target, sources } = await demoTenants(t, emulator, token);
    const customers = emulator.control.customers().filter((c) => companies.includes(c.companyName));
    expect(customers).toHaveLength(companies.length);
    const ids: string[] = [];
    for (const source of sources) {
      const res = await t.gql<{
        customers: { edges: Array<{ node: { id: string; tenantId: string } }> };
      }>(
        'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
        { token, variables: { id: source.id } },
      );
      ids.push(
        ...(res.body.data?.customers.edges ?? [])
          .filter((e) => customers.some((c) => c.tenantId === e.node.tenantId))
          .map((e) => e.node.id),
      );
    }
    const planned = await t.gql<{
      planTenantConsolidation: { userErrors: unknown[]; workflow: { id: string } };
    }>(PLAN_CONSOLIDATION, {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: sources.map((s) => s.id),
          targetPartnerTenantId: target.id,
          customerIds: ids,
        },
      },
    });
    expect(planned.body.data?.planTenantConsolidation.userErrors).toEqual([]);
    const id = planned.body.data!.planTenantConsolidation.workflow.id;
    return { emulator, token, id, customers };
  }

  const azureItem = (state: ConsolidationState, company: string) =>
    state.customers.edges
      .find((e) => e.node.customer.companyName === company)
      ?.node.items.find((i) => i.source.offerId.toUpperCase() === 'MS-AZR-0145P');

  const azureSource = (emulator: Emulator, customerTenantId: string) =>
    (
      emulator.control.state() as unknown as {
        subscriptions: Array<{ customerTenantId: string; offerId: string; status: string }>;
      }
    ).subscriptions.filter(
      (s) => s.customerTenantId === customerTenantId && s.offerId === 'MS-AZR-0145P',
    );

  it("shows support's question on the refused customer's item and migrates the others", async () => {
    const { emulator, token, id, customers } = await setUp([
      'Costa Brava Hoteles SL',
      'Dolomiti Costruzioni Srl',
    ]);
    const costa = customers.find((c) => c.companyName === 'Costa Brava Hoteles SL')!;
    emulator.control.setAutopilot({
      support: { consolidationRefusals: { [costa.tenantId]: ASKS } },
    });
    expect((await startWorkflow(t!, token, id)).userErrors).toEqual([]);
    await playUntil(t!, emulator, async () => {
      const s = await consolidationState(t!, token, id);
      return (
        s.blockers.some((b) => b.code === 'SUPPORT_NEEDS_ATTENTION') ||
        ['COMPLETED', 'FAILED'].includes(s.status)
      );
    });
    const state = await consolidationState(t!, token, id);
    const blockers = state.blockers.filter((b) => b.code === 'SUPPORT_NEEDS_ATTENTION');
    expect(blockers, JSON.stringify(state.blockers)).toHaveLength(1);
    expect(blockers[0]!.customer?.companyName).toBe('Costa Brava Hoteles SL');
    expect(blockers[0]!.message).toMatch(/^Microsoft support on service request \S+: /);
    expect(blockers[0]!.message).toContain(`Costa Brava Hoteles SL: ${ASKS}`);
    expect(state.status).not.toBe('COMPLETED');
    // The other customer's Azure subscription was migrated; the refused one stays at the source.
    await playUntil(t!, emulator, async () => {
      const s = await consolidationState(t!, token, id);
      return azureItem(s, 'Dolomiti Costruzioni Srl')?.status === 'DONE';
    });
    const later = await consolidationState(t!, token, id);
    expect(azureItem(later, 'Dolomiti Costruzioni Srl')?.status).toBe('DONE');
    expect(azureItem(later, 'Costa Brava Hoteles SL')?.status).toBe('WAITING');
    expect(azureSource(emulator, costa.tenantId).map((s) => s.status)).toContain('active');
    // Once per answer: more polling adds no second blocker for the same note.
    expect(later.blockers.filter((b) => b.code === 'SUPPORT_NEEDS_ATTENTION')).toHaveLength(1);

    // What support asked is settled and it migrates after all: the blocker is history.
    emulator.control.setAutopilot({ support: { consolidationRefusals: {} } });
    const srId = /service request (\S+):/.exec(blockers[0]!.message)![1]!;
    expect(emulator.control.resolveServiceRequest(srId).status).toBe('closed');
    await playUntil(t!, emulator, async () =>
      ['COMPLETED', 'FAILED'].includes((await consolidationState(t!, token, id)).status),
    );
    const done = await consolidationState(t!, token, id);
    expect(done.status).toBe('COMPLETED');
    expect(azureItem(done, 'Costa Brava Hoteles SL')?.status).toBe('DONE');
    expect(done.blockers.filter((b) => b.code === 'SUPPORT_NEEDS_ATTENTION')).toEqual([]);
  });

  it("fails the item with support's text when support closes the ticket refusing", async () => {
    const { emulator, token, id } = await setUp(['Napoli Porto Servizi Srl']);
    emulator.control.setAutopilot({
      support: { consolidationRefusals: { '*': { text: REFUSES, close: true } } },
    });
    expect((await startWorkflow(t!, token, id)).userErrors).toEqual([]);
    await playUntil(t!, emulator, async () =>
      ['COMPLETED', 'FAILED'].includes((await consolidationState(t!, token, id)).status),
    );
    const state = await consolidationState(t!, token, id);
    expect(state.status).toBe('FAILED');
    const blocker = state.blockers.find((b) => b.code === 'SUPPORT_NEEDS_ATTENTION');
    expect(blocker?.message, JSON.stringify(state.blockers)).toMatch(
      /^Microsoft support on service request \S+ \(closed\): /,
    );
    expect(blocker?.message).toContain(REFUSES);
    expect(blocker?.customer?.companyName).toBe('Napoli Porto Servizi Srl');
    const item = azureItem(state, 'Napoli Porto Servizi Srl');
    expect(item?.status).toBe('FAILED');
    expect(item?.detail ?? '').toContain(REFUSES);
  });
});

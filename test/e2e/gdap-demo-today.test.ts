import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { gqlData, playUntil, startTestApp, type TestApp } from '../support/app.js';
import { demoTenants, workflowStatus } from '../support/consolidation.js';
import { GDAP_STEP_FIELDS, type GdapStepView, relationshipsWith } from '../support/gdap.js';

// Today's Partner Center on the demo (emulator `demo-today`, `requireGdap`, API GDAP=required):
// the sources act through the GDAP relationships Microsoft's DAP transition left them, the target
// gets one per moved customer through the GDAP step.

const STATE = /* GraphQL */ `
  query($id: ID!) { node(id: $id) { ... on TenantConsolidation { status
    blockers { code message customer { tenantId } }
    customers(first: 100) { edges { node { state waitingReason customer { tenantId companyName } ${GDAP_STEP_FIELDS} } } } } } }
`;
interface Node {
  state: string;
  waitingReason: string | null;
  customer: { tenantId: string; companyName: string };
  gdap: GdapStepView | null;
}

describe("GDAP on today's Partner Center (demo-today)", () => {
  let emulator: Emulator;
  let t: TestApp;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo-today', seed: 7 });
    emulator.control.gdap.setSettings({ requireGdap: true });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off', GDAP: 'required', PARTNER_CENTER_RATE_PER_MINUTE: '100000' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it(
    'consolidates the three regional tenants with GDAP active for every moved customer',
    { timeout: 240_000 },
    async () => {
      const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
        ?.organizationId as string;
      const token = await t.token(organizationId);
      const { target, sources } = await demoTenants(t, emulator, token);
      const skip = new Set(
        emulator.control
          .customers()
          .filter((c) => c.labels.includes('never-accepts'))
          .map((c) => c.tenantId),
      );
      const customerIds: string[] = [];
      for (const source of sources) {
        const data = await gqlData<{
          customers: { edges: { node: { id: string; tenantId: string } }[] };
        }>(
          t,
          'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
          { token, variables: { id: source.id } },
        );
        customerIds.push(
          ...(data?.customers.edges ?? [])
            .filter((e) => !skip.has(e.node.tenantId))
            .map((e) => e.node.id),
        );
      }
      const planned = await gqlData<{
        planTenantConsolidation: { userErrors: unknown[]; workflow: { id: string } };
      }>(
        t,
        'mutation($input: PlanTenantConsolidationInput!) { planTenantConsolidation(input: $input) { userErrors { code message } workflow { id } } }',
        {
          token,
          variables: {
            input: {
              sourcePartnerTenantIds: sources.map((s) => s.id),
              targetPartnerTenantId: target.id,
              customerIds,
            },
          },
        },
      );
      expect(planned?.planTenantConsolidation.userErrors).toEqual([]);
      const id = planned?.planTenantConsolidation.workflow.id as string;
      await t.gql(
        'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
        { token, variables: { id } },
      );
      await playUntil(
        t,
        emulator,
        async () => ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, id)),
        { maxSteps: 400 },
      );
      const state = (
        await gqlData<{ node: { status: string; customers: { edges: { node: Node }[] } } }>(
          t,
          STATE,
          { token, variables: { id } },
        )
      )?.node;
      const summary = state?.customers.edges.map((e) => [
        e.node.customer.companyName,
        e.node.state,
        e.node.gdap?.phase,
        e.node.waitingReason,
      ]);
      expect(state?.status, JSON.stringify(summary)).toBe('COMPLETED');
      const moved = state?.customers.edges.filter((e) => e.node.state === 'DONE') ?? [];
      // (Which customers move is the consolidation's business: new-commerce subscriptions wait for the
      // transfer path of issue 15 item 1; every customer that moves has its GDAP active.)
      expect(moved.length, JSON.stringify(summary)).toBeGreaterThan(0);
      expect(state?.customers.edges.every((e) => e.node.state !== 'DONE' || e.node.gdap)).toBe(
        true,
      );
      for (const { node } of moved) {
        expect(node.gdap?.phase, node.customer.companyName).toBe('ACTIVE');
        const rels = await relationshipsWith(emulator, target.tenantId, node.customer.tenantId);
        expect(rels.filter((r) => r.status === 'active').map((r) => r.id)).toContain(
          node.gdap?.relationshipId,
        );
      }
    },
  );
});

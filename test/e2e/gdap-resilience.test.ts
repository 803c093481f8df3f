import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import {
  SimulatedCrash,
  type JournalPoint,
} from '../../server/workflows/engine/simulated-crash.js';
import { gqlData, playUntil, startTestApp, type TestApp } from '../support/app.js';
import { demoTenants, workflowStatus } from '../support/consolidation.js';
import { grantGdap, relationshipsWith, ROLE_IDS } from '../support/gdap.js';

// A process killed right after a Graph write of the GDAP step (create, lockForApproval, access
// assignment) and resumed from the database never creates a second relationship or assignment:
// Graph has no idempotency key, the step finds its own by name (or group) before writing again.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdap-crash-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(killAtCall: number) {
  const emulator = createEmulator({ scenario: 'demo', seed: 7 });
  emulator.control.gdap.setSettings({ requireGdap: true });
  const clock = clockFrom(emulator.clock);
  const env = {
    WORKFLOW_RUNNER: 'off',
    GDAP: 'required',
    DATABASE_URL: join(dir, `kill-${killAtCall}.db`),
  };
  let calls = 0;
  const crashHook = (point: JournalPoint) => {
    if (point === 'after-call' && ++calls === killAtCall) {
      throw new SimulatedCrash(`after call #${calls}`);
    }
  };
  const runner = { retryBaseMs: 1, retryMaxMs: 4, leaseMs: 200, maxAttempts: 30 };
  let t: TestApp = await startTestApp({ emulator, clock, env, runner: { ...runner, crashHook } });
  const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
    ?.organizationId as string;
  const token = await t.token(organizationId);
  const { target, sources } = await demoTenants(t, emulator, token);
  const fr = sources.find((s) => s.country === 'FR') ?? sources[0]!;
  const list = await gqlData<{
    customers: { edges: { node: { id: string; tenantId: string } }[] };
  }>(
    t,
    'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
    { token, variables: { id: fr.id } },
  );
  const skip = new Set(
    emulator.control
      .customers()
      .filter((c) => c.labels.some((l) => ['never-accepts', 'no-mca'].includes(l)))
      .map((c) => c.tenantId),
  );
  const candidates = (list?.customers.edges ?? [])
    .map((e) => e.node)
    .filter((c) => !skip.has(c.tenantId));
  // The source had GDAP before (it suspends the source subscriptions, R-CON-4).
  for (const c of candidates) {
    await grantGdap(emulator, fr.tenantId, c.tenantId, {
      roles: [ROLE_IDS.licenseAdministrator, ROLE_IDS.serviceSupportAdministrator],
      displayName: `Source ${c.tenantId.slice(0, 8)}`,
    });
  }
  // A first draft says which customers pass the plan's checks (region, agreement).
  const draft = await gqlData<{
    planTenantConsolidation: {
      workflow: {
        customers: { edges: { node: { state: string; customer: { tenantId: string } } }[] };
      };
    };
  }>(
    t,
    `mutation($input: PlanTenantConsolidationInput!) { planTenantConsolidation(input: $input) { workflow { ... on TenantConsolidation { customers(first: 100) { edges { node { state customer { tenantId } } } } } } } }`,
    {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: [fr.id],
          targetPartnerTenantId: target.id,
          customerIds: candidates.map((c) => c.id),
        },
      },
    },
  );
  const movable = new Set(
    draft?.planTenantConsolidation.workflow.customers.edges
      .filter((e) => e.node.state !== 'BLOCKED')
      .map((e) => e.node.customer.tenantId),
  );
  const chosen = candidates.filter((c) => movable.has(c.tenantId)).slice(0, 2);
  expect(chosen).toHaveLength(2);
  const planned = await gqlData<{ planTenantConsolidation: { workflow: { id: string } } }>(
    t,
    `mutation($input: PlanTenantConsolidationInput!) { planTenantConsolidation(input: $input) { workflow { id } } }`,
    {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: [fr.id],
          targetPartnerTenantId: target.id,
          customerIds: chosen.map((c) => c.id),
        },
      },
    },
  );
  const id = planned?.planTenantConsolidation.workflow.id as string;
  await t.gql('mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }', {
    token,
    variables: { id },
  });
  const finished = async () => ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, id));
  let crashed = false;
  try {
    await playUntil(t, emulator, finished);
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) {
      throw error;
    }
    crashed = true;
    await t.close();
    await new Promise((r) => setTimeout(r, 250)); // its leases expire
    t = await startTestApp({ emulator, clock, env, runner });
    await playUntil(t, emulator, finished);
  }
  const status = await workflowStatus(t, token, id);
  const perCustomer = [];
  for (const c of chosen) {
    const rels = await relationshipsWith(emulator, target.tenantId, c.tenantId);
    const assignments = emulator.control.state() as unknown as {
      gdap?: { accessAssignments: { relationshipId: string; status: string }[] };
    };
    perCustomer.push({
      relationships: rels.map((r) => r.status),
      assignments: (assignments.gdap?.accessAssignments ?? [])
        .filter((a) => rels.some((r) => r.id === a.relationshipId))
        .map((a) => a.status),
    });
  }
  await t.close();
  return { crashed, status, perCustomer };
}

describe('GDAP step: process kills after each Graph write', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'killed after Graph write #%i: resumes without a duplicate',
    { timeout: 120_000 },
    async (n) => {
      const outcome = await run(n);
      expect(outcome.crashed).toBe(true);
      expect(outcome.status).toBe('COMPLETED');
      for (const c of outcome.perCustomer) {
        expect(c).toEqual({ relationships: ['active'], assignments: ['active'] });
      }
    },
  );
});

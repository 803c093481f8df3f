import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import * as engineRepo from '../../server/workflows/engine/workflow.repository.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { PLAN_AZURE, demoCustomer, startWorkflow } from '../support/azure-plan.js';

interface Planned {
  userErrors: Array<{ code: string; message: string; field: string[] }>;
  workflow: {
    id: string;
    status: string;
    blockers: Array<{ code: string; message: string }>;
  } | null;
}

describe('planAzurePlanTransition: blockers and bad input (demo scenario)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
    const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
      ?.organizationId as string;
    token = await t.token(organizationId);
  });

  afterAll(async () => {
    await t.close();
  });

  async function plan(input: Record<string, unknown>): Promise<Planned> {
    const res = await t.gql<{ planAzurePlanTransition: Planned }>(PLAN_AZURE, {
      token,
      variables: { input },
    });
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.planAzurePlanTransition as Planned;
  }

  const codes = (p: Planned) => (p.workflow?.blockers ?? []).map((b) => b.code);

  async function expectBlockedStart(p: Planned) {
    const started = await startWorkflow(t, token, p.workflow?.id as string);
    expect(started?.workflow).toBeNull();
    expect(started?.userErrors.map((e) => e.code)).toEqual(['BLOCKED']);
  }

  it('NO_MCA: the customer has not signed the Microsoft Customer Agreement (R-AZP-1)', async () => {
    const p = await plan({ customerId: demoCustomer(emulator, { label: 'no-mca' }).gid });
    expect(p.userErrors).toEqual([]);
    expect(p.workflow?.status).toBe('DRAFT');
    expect(codes(p)).toContain('NO_MCA');
    await expectBlockedStart(p);
  });

  it('SUSPENDED_AZURE_SUBSCRIPTION: a suspended 0145P blocks the transition (900105)', async () => {
    const p = await plan({ customerId: demoCustomer(emulator, { label: 'suspended-azure' }).gid });
    expect(codes(p)).toEqual(['SUSPENDED_AZURE_SUBSCRIPTION']);
    expect(p.workflow?.blockers[0]?.message).toMatch(/900105/);
    await expectBlockedStart(p);
  });

  it('NO_LEGACY_AZURE: only non-Azure offers (ignored, R-AZP-1) or already on the Azure plan', async () => {
    const licensesOnly = await plan({
      customerId: demoCustomer(emulator, { name: 'Bastide' }).gid,
    });
    expect(codes(licensesOnly)).toEqual(['NO_LEGACY_AZURE']);
    const onPlan = await plan({ customerId: demoCustomer(emulator, { label: 'azure-plan' }).gid });
    expect(codes(onPlan)).toContain('NO_LEGACY_AZURE');
    await expectBlockedStart(licensesOnly);
  });

  it('SOURCE_OF_CONSOLIDATION: nothing is bought from a tenant the customer is consolidated away from (R-CON-7)', async () => {
    const customer = demoCustomer(emulator, { name: 'Alpine' });
    const organizationId = emulator.control
      .partners()
      .find((p) => p.tenantId === customer.partnerTenantId)?.organizationId as string;
    // A running consolidation whose source is this customer's tenant.
    const at = emulator.clock.now().toISOString();
    await engineRepo.createWorkflow(t.app.db.db, {
      workflow: {
        id: 'consolidation-away',
        organizationId,
        kind: 'TENANT_CONSOLIDATION',
        status: 'RUNNING',
        inputJson: '{}',
        inputHash: 'consolidation-away',
        idempotencyKey: null,
        dataJson: '{}',
        createdBy: 'test',
        createdAt: at,
        updatedAt: at,
      },
      items: [
        {
          id: 'consolidation-away-customer',
          kind: 'CUSTOMER',
          state: 'INVITED',
          step: 'await_acceptance',
          nextRunAt: null,
          status: 'WAITING',
          customerTenantId: customer.tenantId,
          partnerTenantId: customer.partnerTenantId,
          data: { companyName: customer.companyName },
        },
      ],
      blockers: [],
      events: [],
    });
    try {
      const p = await plan({ customerId: customer.gid });
      expect(codes(p)).toContain('SOURCE_OF_CONSOLIDATION');
      await expectBlockedStart(p);
    } finally {
      await engineRepo.cancelWorkflowRow(t.app.db.db, 'consolidation-away', at, 'test cleanup');
    }
  });

  it('NO_RELATIONSHIP: the partner tenant is not the customer’s reseller (R-AZP-2)', async () => {
    const prospect = emulator.control
      .customers()
      .find((c) => c.labels.includes('prospect-in-region'));
    const contosoDe = emulator.control
      .partners()
      .find((p) => p.organizationName.startsWith('Contoso') && p.country === 'DE');
    const p = await plan({
      customerId: encodeId('Customer', contosoDe?.tenantId as string, prospect?.tenantId as string),
    });
    expect(p.userErrors).toEqual([]);
    expect(codes(p)).toEqual(['NO_RELATIONSHIP']);
    await expectBlockedStart(p);
  });

  it('TRANSITION_IN_PROGRESS: a second transition while one runs (900109)', async () => {
    const customer = demoCustomer(emulator, { name: 'Costa Brava' });
    const first = await plan({ customerId: customer.gid });
    expect(codes(first)).toEqual([]);
    const second = await plan({ customerId: customer.gid });
    expect(codes(second)).toEqual([]);
    expect((await startWorkflow(t, token, first.workflow?.id as string))?.userErrors).toEqual([]);
    // Started but not yet run: our own record says a transition is in progress.
    const third = await plan({ customerId: customer.gid });
    expect(codes(third)).toEqual(['TRANSITION_IN_PROGRESS']);
    // A draft planned before the first started is refused at start.
    const started = await startWorkflow(t, token, second.workflow?.id as string);
    expect(started?.userErrors.map((e) => e.code)).toEqual(['TRANSITION_IN_PROGRESS']);
    // Once Partner Center runs the upgrade, its eligibility says so too (900109).
    await t.app.runner.drain();
    const fourth = await plan({ customerId: customer.gid });
    expect(codes(fourth)).toEqual(['TRANSITION_IN_PROGRESS']);
  });

  it('refuses a budget in another currency than the customer’s (R-AZP-5) and a malformed amount, storing nothing', async () => {
    const customer = demoCustomer(emulator, { name: 'Dolomiti' });
    const count = async () =>
      (
        await t.gql<{ workflows: { totalCount: number } }>(
          '{ workflows(kind: AZURE_PLAN_TRANSITION) { totalCount } }',
          { token },
        )
      ).body.data?.workflows.totalCount;
    const before = await count();
    const usd = await plan({
      customerId: customer.gid,
      budget: { amount: '100', currency: 'USD' },
    });
    expect(usd.workflow).toBeNull();
    expect(usd.userErrors).toEqual([
      expect.objectContaining({
        code: 'CURRENCY_MISMATCH',
        field: ['input', 'budget', 'currency'],
      }),
    ]);
    const bad = await plan({
      customerId: customer.gid,
      budget: { amount: '1e3', currency: 'EUR' },
    });
    expect(bad.userErrors.map((e) => e.code)).toEqual(['INVALID_AMOUNT']);
    const negative = await plan({
      customerId: customer.gid,
      budget: { amount: '-5', currency: 'EUR' },
    });
    expect(negative.userErrors.map((e) => e.code)).toEqual(['INVALID_AMOUNT']);
    expect(await count()).toBe(before);
    const fine = await plan({
      customerId: customer.gid,
      budget: { amount: '1234.5', currency: 'eur' },
    });
    expect(fine.userErrors).toEqual([]);
    expect(codes(fine)).toEqual([]);
  });

  it('refuses an unknown customer id as bad input', async () => {
    const p = await plan({ customerId: encodeId('Customer', 'not-ours', 'x') });
    expect(p.workflow).toBeNull();
    expect(p.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });
});

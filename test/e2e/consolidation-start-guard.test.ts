import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  PLAN_CONSOLIDATION,
  consolidationState,
  demoTenants,
  workflowStatus,
  type TenantRow,
} from '../support/consolidation.js';
import { startWorkflow } from '../support/operations.js';

interface Planned {
  planTenantConsolidation: {
    userErrors: Array<{ code: string }>;
    workflow: { id: string; blockers: Array<{ code: string }> };
  };
}

/**
 * Two drafts may name the same customer (drafts hold no customer); the second one started is
 * refused while the first runs, as two would order every subscription twice. The guard reads only
 * the draft's customer items (issue 20: reading all of a 5,000-customer draft's items was the
 * API's largest allocation at start); this test pins its behaviour.
 */
describe('starting a consolidation whose customer another running one moves', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let target: TenantRow;
  let sources: TenantRow[];

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
    ({ target, sources } = await demoTenants(t, emulator, token));
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses the second start with ALREADY_IN_CONSOLIDATION and leaves that draft as it was', async () => {
    const plan = async (customerIds?: string[]) => {
      const res = await t.gql<Planned>(PLAN_CONSOLIDATION, {
        token,
        variables: {
          input: {
            sourcePartnerTenantIds: sources.map((s) => s.id),
            targetPartnerTenantId: target.id,
            ...(customerIds ? { customerIds } : {}),
          },
        },
      });
      const payload = res.body.data?.planTenantConsolidation as Planned['planTenantConsolidation'];
      expect(payload.userErrors).toEqual([]);
      return payload.workflow.id;
    };
    const all = await consolidationState(t, token, await plan());
    const movable = all.customers.edges.find((e) => e.node.state !== 'BLOCKED')?.node.customer;
    expect(movable).toBeDefined();
    const gid = encodeId(
      'Customer',
      movable?.partnerTenant.tenantId as string,
      movable?.tenantId as string,
    );
    const first = await plan([gid]);
    const second = await plan([gid]);

    expect((await startWorkflow(t, token, first)).userErrors).toEqual([]);
    const refused = await startWorkflow(t, token, second);
    expect(refused.userErrors).toEqual([
      expect.objectContaining({ code: 'ALREADY_IN_CONSOLIDATION', field: ['input', 'workflowId'] }),
    ]);
    expect(refused.userErrors[0]?.message).toContain(movable?.companyName);
    expect(await workflowStatus(t, token, second)).toBe('DRAFT');
  });
});

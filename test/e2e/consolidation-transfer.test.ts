import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  PLAN_CONSOLIDATION,
  demoTenants,
  playUntil,
  workflowStatus,
  type TenantRow,
} from '../support/consolidation.js';
import { journalCounts, pathsState } from '../support/consolidation-paths.js';

describe('consolidation by transfer on demo-today (issue 15)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let target: TenantRow;
  let sources: TenantRow[];

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo-today', seed: 7 });
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
  });
  afterEach(async () => {
    await t.close();
  });

  it('moves every new-commerce subscription by transfer', { timeout: 120_000 }, async () => {
    const planned = await t.gql<{
      planTenantConsolidation: { workflow: { id: string; blockers: unknown[] } };
    }>(PLAN_CONSOLIDATION, {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: sources.map((s) => s.id),
          targetPartnerTenantId: target.id,
        },
      },
    });
    const id = planned.body.data?.planTenantConsolidation.workflow.id as string;
    const plan = await pathsState(t, token, id);
    console.log(JSON.stringify(plan.blockers, null, 1));
    for (const e of plan.customers.edges) {
      console.log(
        e.node.customer.companyName,
        e.node.state,
        e.node.items.map((i) => `${i.kind}/${i.path} ${i.source.offerId}`).join(', '),
      );
    }
    const before = journalCounts(emulator);
    const started = await t.gql(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
      {
        token,
        variables: { id },
      },
    );
    console.log(JSON.stringify(started.body));
    await playUntil(t, emulator, async () =>
      ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, id)),
    );
    const end = await pathsState(t, token, id);
    console.log(
      end.status,
      JSON.stringify(end.blockers, null, 1),
      JSON.stringify(end.billingOverlap),
    );
    for (const e of end.customers.edges) {
      console.log(
        e.node.customer.companyName,
        e.node.state,
        e.node.waitingReason,
        e.node.items
          .map(
            (i) =>
              `${i.kind}/${i.path} ${i.status} ${i.source.status}->${i.target?.status} ${i.detail ?? ''}`,
          )
          .join(', '),
      );
    }
    console.log(JSON.stringify(journalCounts(emulator, before.lastSeq)));
    expect(end.status).toBe('COMPLETED');
  });
});

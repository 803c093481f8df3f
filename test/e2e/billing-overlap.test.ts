import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { clockFrom } from '../../server/shared/clock.js';
import { gqlData, startTestApp, type TestApp } from '../support/app.js';
import { demoTenants, type TenantRow } from '../support/consolidation.js';
import { demoTenantsWith, planConsolidationOf } from '../support/consolidation-scenarios.js';
import { retryWorkflow, startWorkflow } from '../support/operations.js';

// Issue 16 §3: the billing overlap is measured from Partner Center's dates. With provisioning
// taking hours and a coarse clock, the target starts billing at 20:00 (its effectiveStartDate)
// while the engine sees it active at 02:00 the next UTC day: one overlap day, not zero. A suspend
// that keeps failing while both copies are billed is an open overlap that grows each day.

const OVERLAP = /* GraphQL */ `
  query Overlap($id: ID!) {
    node(id: $id) {
      ... on TenantConsolidation {
        status
        blockers {
          code
          subject
          message
        }
        billingOverlap {
          itemsWithOverlap
          maxOverlapDays
          openOverlaps
          asOf
          items {
            companyName
            sourceSubscriptionId
            targetSubscriptionId
            targetActiveAt
            sourceSuspendedAt
            overlapDays
            open
          }
        }
        customers(first: 10) {
          edges {
            node {
              customer {
                tenantId
                companyName
              }
              items {
                status
                targetActiveAt
                targetSeenActiveAt
                sourceSuspendedAt
                overlapDays
                overlapOpen
                source {
                  subscriptionId
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface OverlapItem {
  companyName: string;
  sourceSubscriptionId: string;
  targetSubscriptionId: string | null;
  targetActiveAt: string;
  sourceSuspendedAt: string | null;
  overlapDays: number;
  open: boolean;
}

interface OverlapState {
  status: string;
  blockers: Array<{ code: string; subject: string | null; message: string }>;
  billingOverlap: {
    itemsWithOverlap: number;
    maxOverlapDays: number;
    openOverlaps: number;
    asOf: string;
    items: OverlapItem[];
  };
  customers: {
    edges: Array<{
      node: {
        customer: { tenantId: string; companyName: string };
        items: Array<{
          status: string;
          targetActiveAt: string | null;
          targetSeenActiveAt: string | null;
          sourceSuspendedAt: string | null;
          overlapDays: number | null;
          overlapOpen: boolean;
          source: { subscriptionId: string };
        }>;
      };
    }>;
  };
}

describe('billingOverlap from Partner Center dates (R-CON-4/5, issue 16 §3)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let id: string;
  let alpha: string;
  let beta: string;

  const state = async () =>
    (await gqlData<{ node: OverlapState }>(t, OVERLAP, { token, variables: { id } }))
      ?.node as OverlapState;
  const itemOf = (s: OverlapState, customerTenantId: string) =>
    s.customers.edges.find((e) => e.node.customer.tenantId === customerTenantId)?.node.items[0];

  beforeAll(async () => {
    emulator = createEmulator({
      scenario: demoTenantsWith([
        {
          key: 'overlap-alpha',
          companyName: 'Overlap Alpha SARL',
          country: 'FR',
          relationships: [{ partner: 'contoso-fr' }],
          subscriptions: [{ partner: 'contoso-fr', offer: 'office365-e3', quantity: 5 }],
          autopilot: { acceptInvitation: 'never' },
        },
        {
          key: 'overlap-beta',
          companyName: 'Overlap Bêta SAS',
          country: 'FR',
          relationships: [{ partner: 'contoso-fr' }],
          subscriptions: [{ partner: 'contoso-fr', offer: 'office365-e1', quantity: 3 }],
          autopilot: { acceptInvitation: 'never' },
        },
      ]),
      seed: 3,
    });
    // Partner Center takes six hours to provision an order.
    emulator.control.setAutopilot({ orderProvisioning: 'PT6H' });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 2, maxAttempts: 3 },
      partnerCenter: { retry: { maxAttempts: 1 } },
    });
    const partners = emulator.control.partners();
    token = await t.token(partners.find((p) => p.labels.includes('central'))?.organizationId ?? '');
    const { target, sources } = await demoTenants(t, emulator, token);
    const fr = sources.find((s) => s.name === 'Contoso Cloud France') as TenantRow;
    const customers = emulator.control.customers();
    alpha = customers.find((c) => c.companyName === 'Overlap Alpha SARL')?.tenantId as string;
    beta = customers.find((c) => c.companyName === 'Overlap Bêta SAS')?.tenantId as string;
    const plan = await planConsolidationOf(t, token, [fr], target, [
      { sourceTenantId: fr.tenantId, customerTenantId: alpha },
      { sourceTenantId: fr.tenantId, customerTenantId: beta },
    ]);
    expect(plan.userErrors).toEqual([]);
    expect(plan.blockers).toEqual([]);
    id = plan.id;
    expect((await startWorkflow(t, token, id)).userErrors).toEqual([]);
    await t.app.runner.drain();

    // Both customers accept at 20:00 UTC; the orders are placed then and provision until 02:00.
    await emulator.clock.set('2026-01-05T20:00:00.000Z');
    emulator.control.acceptRelationship(alpha, target.tenantId);
    emulator.control.acceptRelationship(beta, target.tenantId);
    // Beta's suspension keeps failing at Partner Center.
    emulator.control.addFault({
      id: 'beta-suspend',
      method: 'PATCH',
      path: `/v1/customers/${beta}/subscriptions/*`,
      status: 503,
    });
    await t.app.runner.drain();
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('counts no overlap while the replacements only provision', async () => {
    const s = await state();
    expect(itemOf(s, alpha)?.targetActiveAt).toBeNull();
    expect(s.billingOverlap).toMatchObject({
      itemsWithOverlap: 0,
      maxOverlapDays: 0,
      openOverlaps: 0,
    });
  });

  it('a target billing from 20:00 and seen active at 02:00 the next day is one overlap day', async () => {
    // A coarse clock step: the engine next looks at 02:00, when provisioning just finished.
    await emulator.clock.advance('PT6H');
    await t.app.runner.drain();
    const s = await state();
    const a = itemOf(s, alpha);
    expect(a?.status).toBe('DONE');
    // Partner Center's effectiveStartDate, not the 02:00 observation.
    expect(a?.targetActiveAt).toBe('2026-01-05T20:00:00.000Z');
    expect(a?.targetSeenActiveAt).toBe('2026-01-06T02:00:00.000Z');
    // Partner Center's audit record of the suspension.
    expect(a?.sourceSuspendedAt).toBe('2026-01-06T02:00:00.000Z');
    expect(a?.overlapDays).toBe(1);
    expect(a?.overlapOpen).toBe(false);
    // R-CON-4: the source was left active past the end of its replacement's first UTC day.
    const flagged = s.blockers.filter((b) => b.code === 'OVERLAP_EXCEEDS_SAME_DAY');
    expect(flagged.map((b) => b.subject)).toContain(a?.source.subscriptionId);

    // Beta's suspension failed: both copies are billed, an open overlap of one day so far.
    const b = itemOf(s, beta);
    expect(b?.status).toBe('FAILED');
    expect(b?.targetActiveAt).toBe('2026-01-05T20:00:00.000Z');
    expect(b?.sourceSuspendedAt).toBeNull();
    expect(b?.overlapOpen).toBe(true);
    expect(b?.overlapDays).toBe(1);
    expect(s.billingOverlap).toMatchObject({
      itemsWithOverlap: 2,
      maxOverlapDays: 1,
      openOverlaps: 1,
      asOf: '2026-01-06T02:00:00.000Z',
    });
    const open = s.billingOverlap.items.find((o) => o.open);
    expect(open).toMatchObject({
      companyName: 'Overlap Bêta SAS',
      sourceSubscriptionId: b?.source.subscriptionId,
      sourceSuspendedAt: null,
      overlapDays: 1,
    });
    expect(flagged.map((x) => x.subject)).toContain(b?.source.subscriptionId);
  });

  it('an open overlap grows while the suspension keeps failing, and closes on Partner Center’s time', async () => {
    await emulator.clock.advance('P1D');
    await t.app.runner.drain();
    let s = await state();
    expect(itemOf(s, beta)?.overlapDays).toBe(2);
    expect(s.billingOverlap).toMatchObject({ maxOverlapDays: 2, openOverlaps: 1 });

    emulator.control.clearFaults('beta-suspend');
    expect((await retryWorkflow(t, token, id)).userErrors).toEqual([]);
    await t.app.runner.drain();
    s = await state();
    const b = itemOf(s, beta);
    expect(b?.status).toBe('DONE');
    expect(b?.sourceSuspendedAt).toBe('2026-01-07T02:00:00.000Z');
    expect(b?.overlapDays).toBe(2);
    expect(b?.overlapOpen).toBe(false);
    expect(s.billingOverlap).toMatchObject({
      itemsWithOverlap: 2,
      maxOverlapDays: 2,
      openOverlaps: 0,
    });
  });
});

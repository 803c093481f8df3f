import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  channelMoveDemo,
  channelMoveState,
  pcSubscriptions,
  planChannelMove,
  startWorkflow,
  type ChannelMoveState,
} from '../support/channel-move.js';
import { playUntil } from '../support/consolidation.js';

// Done-when of issue 6: on the demo scenario, a prospect with a same-offer line, a discontinued
// offer with a successor, a line with no equivalent and a CANCEL line moves into CSP; the workflow
// waits on the emulator's clock for each cut-over date and ends COMPLETED for the movable lines.

describe('channel move on the demo scenario', () => {
  let emulator: Emulator;
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof channelMoveDemo>>;

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 5 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
    demo = await channelMoveDemo(t, emulator);
  });

  afterEach(async () => {
    await t.close();
  });

  const advanceTo = async (iso: string) => {
    await emulator.clock.advance(Date.parse(iso) - emulator.clock.now().getTime());
    await t.app.runner.drain();
  };

  it('requests the relationship, orders each line on its cut-over date, and completes', async () => {
    const { e3, ems, discontinued, successor } = demo.offers;
    const customerId = demo.inRegion.tenantId;
    const planned = await planChannelMove(t, demo.token, {
      partnerTenantId: demo.partner.id,
      customerTenantId: customerId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OTHER_PARTNER',
      licenses: [
        { offerId: e3.id, seats: 30, expiresOn: '2026-01-20T00:00:00Z' },
        { offerId: discontinued.id, seats: 25, expiresOn: '2026-02-10T00:00:00Z' },
        { offerId: 'EA-PROPLUS-ONLY', seats: 5, expiresOn: '2026-02-10T00:00:00Z' },
        { offerId: ems.id, seats: 10, action: 'CANCEL' },
      ],
    });
    const id = planned.workflow?.id as string;
    expect((await startWorkflow(t, demo.token, id))?.userErrors).toEqual([]);
    await t.app.runner.drain();

    let state = await channelMoveState(t, demo.token, id);
    expect(state.status).toBe('WAITING');
    expect(state.invitationUrl).toContain(demo.partner.tenantId);
    expect(state.relationshipAccepted).toBe(false);
    expect(await pcSubscriptions(emulator, demo.partner.tenantId, customerId)).toEqual([]);

    // The customer accepts (emulator autopilot, within hours); the CANCEL line moves at once.
    await playUntil(t, emulator, async () => {
      state = await channelMoveState(t, demo.token, id);
      return state.lines[3]?.state === 'DONE';
    });
    expect(state.relationshipAccepted).toBe(true);
    expect(state.customer).toMatchObject({
      companyName: demo.inRegion.companyName,
      relationship: 'RESELLER',
    });
    expect(state.lines.map((l) => l.state)).toEqual(['SCHEDULED', 'SCHEDULED', 'BLOCKED', 'DONE']);
    expect(state.lines[0]?.detail).toMatch(/Cut-over on 2026-01-19/);
    let subs = await pcSubscriptions(emulator, demo.partner.tenantId, customerId);
    expect(subs.map((s) => [s.offerId.toUpperCase(), s.quantity, s.status])).toEqual([
      [ems.id.toUpperCase(), 10, 'active'],
    ]);

    // The workflow waits on the clock: nothing is ordered before the cut-over date.
    await advanceTo('2026-01-18T23:59:00Z');
    state = await channelMoveState(t, demo.token, id);
    expect(state.lines[0]?.state).toBe('SCHEDULED');
    expect(await pcSubscriptions(emulator, demo.partner.tenantId, customerId)).toHaveLength(1);
    await advanceTo('2026-01-19T00:00:00Z');
    state = await channelMoveState(t, demo.token, id);
    expect(state.lines[0]?.state).toBe('DONE');
    expect(state.lines[1]?.state).toBe('SCHEDULED');

    await playUntil(
      t,
      emulator,
      async () => {
        state = await channelMoveState(t, demo.token, id);
        return state.status === 'COMPLETED' || state.status === 'FAILED';
      },
      { step: 'P1D', maxSteps: 60 },
    );
    expect(state.status, JSON.stringify(state.lines)).toBe('COMPLETED');
    // The line with no equivalent offer is blocked, not done (issue 16): 4 of 5.
    expect(state.progress).toEqual({ completed: 4, total: 5 });

    // R-CHN-2/5/6: verified in Partner Center, the same seats, one subscription per line.
    subs = await pcSubscriptions(emulator, demo.partner.tenantId, customerId);
    const summary = subs.map((s) => `${s.offerId.toUpperCase()} ${s.quantity} ${s.status}`).sort();
    expect(summary).toEqual(
      [
        `${e3.id.toUpperCase()} 30 active`,
        `${successor.id.toUpperCase()} 25 active`,
        `${ems.id.toUpperCase()} 10 active`,
      ].sort(),
    );
    for (const line of state.lines.filter((l) => l.state === 'DONE')) {
      expect(line.target?.status).toBe('ACTIVE');
      expect(line.target?.quantity).toBe(line.seats);
      expect(line.target?.offerId.toUpperCase()).toBe(line.targetOfferId?.toUpperCase());
    }
    expect(state.lines[2]?.target).toBeNull();

    // Each line was ordered on its cut-over date, not before.
    const events = state.events.edges.map((e) => e.node);
    const ordered = events.filter((e) => e.type === 'ORDERED');
    expect(ordered).toHaveLength(3);
    const orderedAt = (subscriptionId: string | undefined) =>
      ordered.find((e) => e.subscriptionId === subscriptionId)?.at;
    expect(orderedAt(state.lines[0]?.target?.subscriptionId)?.slice(0, 10)).toBe('2026-01-19');
    expect(orderedAt(state.lines[1]?.target?.subscriptionId)?.slice(0, 10)).toBe('2026-02-09');
    // R-CHN-6: a reminder for the line that changed offer, and only for it.
    const reminders = events.filter((e) => e.type === 'LICENSE_REASSIGNMENT_REQUIRED');
    expect(reminders.map((e) => e.subscriptionId)).toEqual([
      state.lines[1]?.target?.subscriptionId,
    ]);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'RELATIONSHIP_REQUESTED',
        'RELATIONSHIP_ACCEPTED',
        'CUTOVER',
        'MOVE_DONE',
      ]),
    );

    await expectActivityAndExports(state);
  });

  /** Export links carry PUBLIC_URL; the test server listens on an ephemeral port. */
  const served = (url: string | undefined) =>
    new URL(new URL(url as string).pathname, t.http.graphqlUrl).toString();

  async function expectActivityAndExports(state: ChannelMoveState) {
    const activity = await t.gql<{
      activityLog: { edges: Array<{ node: { operation: string; subscriptionId: string | null } }> };
    }>(
      'query($id: ID!) { activityLog(filter: { workflowId: $id }, first: 100) { edges { node { operation subscriptionId } } } }',
      { token: demo.token, variables: { id: state.id } },
    );
    const operations = activity.body.data?.activityLog.edges.map((e) => e.node.operation) ?? [];
    const count = (op: string) => operations.filter((o) => o === op).length;
    expect(count('start_workflow')).toBe(1);
    expect(count('request_reseller_relationship')).toBe(1);
    expect(count('customer_accepted_relationship')).toBe(1);
    expect(count('channel_move_cutover')).toBe(3);
    expect(count('create_order')).toBe(3);
    expect(count('subscription_verified_active')).toBe(3);
    expect(count('license_reassignment_reminder')).toBe(1);

    const csvRes = await t.gql<{
      exportChannelMovePlan: {
        userErrors: unknown[];
        export: { url: string; rowCount: number; fileName: string };
      };
    }>(
      'mutation($id: ID!) { exportChannelMovePlan(input: { workflowId: $id, format: CSV }) { userErrors { code } export { url rowCount fileName } } }',
      { token: demo.token, variables: { id: state.id } },
    );
    const csvExport = csvRes.body.data?.exportChannelMovePlan.export;
    expect(csvExport?.rowCount).toBe(4);
    const csv = await (
      await fetch(served(csvExport?.url), { headers: { authorization: `Bearer ${demo.token}` } })
    ).text();
    const rows = csv.trim().split('\r\n');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toContain('Cut-over (UTC)');
    expect(rows[4]).toContain('at acceptance');
    expect(rows[3]).toContain('NO_EQUIVALENT_OFFER');

    const xlsxRes = await t.gql<{ exportChannelMovePlan: { export: { url: string } } }>(
      'mutation($id: ID!) { exportChannelMovePlan(input: { workflowId: $id, format: XLSX }) { export { url } } }',
      { token: demo.token, variables: { id: state.id } },
    );
    const download = await fetch(served(xlsxRes.body.data?.exportChannelMovePlan.export.url), {
      headers: { authorization: `Bearer ${demo.token}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await download.arrayBuffer()) as never);
    expect(workbook.worksheets[0]?.rowCount).toBe(5);

    // Another organization cannot export it.
    const stranger = await t.token('another-org');
    const refused = await t.gql<{ exportChannelMovePlan: { userErrors: Array<{ code: string }> } }>(
      'mutation($id: ID!) { exportChannelMovePlan(input: { workflowId: $id, format: CSV }) { userErrors { code } } }',
      { token: stranger, variables: { id: state.id } },
    );
    expect(refused.body.data?.exportChannelMovePlan.userErrors[0]?.code).toBe('NOT_FOUND');
  }
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { gqlData, playUntil, startTestApp, type TestApp } from '../support/app.js';
import {
  channelMoveDemo,
  channelMoveState,
  planChannelMove,
  startWorkflow,
} from '../support/channel-move.js';
import { type UserError } from '../support/operations.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Payload {
  userErrors: UserError[];
  workflow: {
    status: string;
    progress: { completed: number; total: number; excluded: number; blocked: number };
  } | null;
}
const PAYLOAD =
  'userErrors { code message field } workflow { status progress { completed total excluded blocked } }';

// The channel move's invitation step (R-CHN-1) has the same follow-up as the consolidation's.
describe('channel move whose customer never accepts', () => {
  let emulator: Emulator;
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof channelMoveDemo>>;

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 5 });
    // Nobody answers: the simulated customers do nothing.
    emulator.control.setAutopilot({ enabled: false });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: {
        WORKFLOW_RUNNER: 'off',
        INVITATION_REMINDER_INTERVAL: 'PT12H',
        INVITATION_REMINDERS: '1',
        INVITATION_VALIDITY: 'P2D',
      },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
    demo = await channelMoveDemo(t, emulator);
  });

  afterEach(async () => {
    await t.close();
  });

  const mutate = async (name: string, type: string, input: Record<string, unknown>) => {
    const data = await gqlData<Record<string, Payload>>(
      t,
      `mutation($input: ${type}!) { ${name}(input: $input) { ${PAYLOAD} } }`,
      { token: demo.token, variables: { input } },
    );
    return data?.[name] as Payload;
  };

  const invitationOf = async (id: string) =>
    (
      await gqlData<{
        node: { invitation: { round: number; remindersSent: number; expiredAt: string | null } };
      }>(
        t,
        'query($id: ID!) { node(id: $id) { ... on ChannelMove { invitation { round remindersSent expiredAt } } } }',
        { token: demo.token, variables: { id } },
      )
    )?.node.invitation;

  it('reminds, expires into a blocker, is re-invited, and ends COMPLETED once the customer is excluded', async () => {
    const customerTenantId = demo.inRegion.tenantId;
    const planned = await planChannelMove(t, demo.token, {
      partnerTenantId: demo.partner.id,
      customerTenantId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: demo.offers.e3.id, seats: 3, action: 'CANCEL' }],
    });
    const id = planned.workflow?.id as string;
    expect((await startWorkflow(t, demo.token, id)).userErrors).toEqual([]);
    await t.app.runner.drain();
    let state = await channelMoveState(t, demo.token, id);
    expect(state.progress).toEqual({ completed: 0, total: 2 });
    const requestedAt = Date.parse(
      state.events.edges.find((e) => e.node.type === 'RELATIONSHIP_REQUESTED')!.node.at,
    );

    await playUntil(
      t,
      emulator,
      async () =>
        (await channelMoveState(t, demo.token, id)).blockers.some(
          (b) => b.code === 'INVITATION_EXPIRED',
        ),
      { step: 'PT1H', maxSteps: 60 },
    );
    state = await channelMoveState(t, demo.token, id);
    const reminders = state.events.edges.filter((e) => e.node.type === 'INVITATION_REMINDER');
    expect(reminders).toHaveLength(1);
    expect(Date.parse(reminders[0]!.node.at) - requestedAt).toBeGreaterThanOrEqual(12 * HOUR);
    expect(Date.parse(reminders[0]!.node.at) - requestedAt).toBeLessThanOrEqual(13 * HOUR);
    const expired = state.events.edges.find((e) => e.node.type === 'INVITATION_EXPIRED')!;
    expect(Date.parse(expired.node.at) - requestedAt).toBeGreaterThanOrEqual(2 * DAY);
    expect(state.status).toBe('WAITING');
    expect(await invitationOf(id)).toMatchObject({ round: 1, remindersSent: 1 });
    expect((await invitationOf(id))?.expiredAt).not.toBeNull();

    // Only GLOBAL_ADMIN and ADMIN_AGENT change a workflow (R-CON-10).
    const sales = await t.token(demo.organizationId, [PartnerRole.SALES_AGENT]);
    const forbidden = await t.gql(
      'mutation($input: ReinviteCustomerInput!) { reinviteCustomer(input: $input) { userErrors { code } } }',
      { token: sales, variables: { input: { id, customerTenantId } } },
    );
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const reinvited = await mutate('reinviteCustomer', 'ReinviteCustomerInput', {
      id,
      customerTenantId,
    });
    expect(reinvited.userErrors).toEqual([]);
    await t.app.runner.drain();
    state = await channelMoveState(t, demo.token, id);
    expect(state.blockers.filter((b) => b.code === 'INVITATION_EXPIRED')).toEqual([]);
    expect(state.events.edges.some((e) => e.node.type === 'CUSTOMER_REINVITED')).toBe(true);
    expect(await invitationOf(id)).toMatchObject({ round: 2, remindersSent: 0, expiredAt: null });

    const excluded = await mutate('excludeFromWorkflow', 'ExcludeFromWorkflowInput', {
      id,
      customerTenantId,
      reason: 'The customer stays with its current partner.',
    });
    expect(excluded.userErrors).toEqual([]);
    expect(excluded.workflow).toEqual({
      status: 'COMPLETED',
      progress: { completed: 0, total: 2, excluded: 2, blocked: 0 },
    });
    state = await channelMoveState(t, demo.token, id);
    expect(state.lines.map((l) => l.state)).toEqual(['EXCLUDED']);
  });

  it('a customer accepting after the expiry clears its blocker and moves', async () => {
    const customerTenantId = demo.inRegion.tenantId;
    const planned = await planChannelMove(t, demo.token, {
      partnerTenantId: demo.partner.id,
      customerTenantId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: demo.offers.e3.id, seats: 3, action: 'CANCEL' }],
    });
    const id = planned.workflow?.id as string;
    expect((await startWorkflow(t, demo.token, id)).userErrors).toEqual([]);
    await playUntil(
      t,
      emulator,
      async () =>
        (await channelMoveState(t, demo.token, id)).blockers.some(
          (b) => b.code === 'INVITATION_EXPIRED',
        ),
      { step: 'PT6H', maxSteps: 20 },
    );
    // The link does not really expire in Partner Center: the customer may still accept.
    expect(
      emulator.control.acceptRelationship(customerTenantId, demo.partner.tenantId).accepted,
    ).toBe(true);
    await playUntil(
      t,
      emulator,
      async () => (await channelMoveState(t, demo.token, id)).status === 'COMPLETED',
      { step: 'PT1H', maxSteps: 10 },
    );
    const state = await channelMoveState(t, demo.token, id);
    expect(state.status).toBe('COMPLETED');
    expect(state.blockers).toEqual([]);
    expect(state.events.edges.some((e) => e.node.type === 'INVITATION_ACCEPTED_LATE')).toBe(true);
    expect(state.progress).toEqual({ completed: 2, total: 2 });
  });
});

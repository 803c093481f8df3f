import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { gqlData, playUntil, startTestApp, type TestApp } from '../support/app.js';
import {
  channelMoveDemo,
  pcSubscriptions,
  planChannelMove,
  startWorkflow,
} from '../support/channel-move.js';
import { GDAP_STEP_FIELDS, type GdapStepView, relationshipsWith } from '../support/gdap.js';

const STATE = /* GraphQL */ `
  query State($id: ID!) {
    node(id: $id) {
      ... on ChannelMove {
        status
        invitationUrl
        ${GDAP_STEP_FIELDS}
        blockers { code message }
        lines { state }
      }
    }
  }
`;
interface State {
  status: string;
  invitationUrl: string | null;
  gdap: GdapStepView | null;
  blockers: { code: string; message: string }[];
  lines: { state: string }[];
}

// Rhein Medien (the demo's in-region prospect) rejects every GDAP request 6 hours after it gets
// it (emulator preset, label `gdap-rejects`).
describe('GDAP as a step of the channel move (R-CHN-1)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof channelMoveDemo>>;

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 5 });
    emulator.control.gdap.setSettings({ requireGdap: true });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off', GDAP: 'required' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
    demo = await channelMoveDemo(t, emulator);
  });

  afterEach(async () => {
    await t.close();
  });

  const plan = async () => {
    const planned = await planChannelMove(t, demo.token, {
      partnerTenantId: demo.partner.id,
      customerTenantId: demo.inRegion.tenantId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: demo.offers.ems.id, seats: 10, action: 'CANCEL' }],
    });
    return planned.workflow?.id as string;
  };
  const read = async (id: string) =>
    (await gqlData<{ node: State }>(t, STATE, { token: demo.token, variables: { id } }))
      ?.node as State;
  const finished = (id: string) => async () =>
    ['COMPLETED', 'FAILED'].includes((await read(id)).status);

  it('a customer that rejects GDAP is a visible blocker and nothing is bought', async () => {
    expect(demo.inRegion.labels).toContain('gdap-rejects');
    const id = await plan();
    expect((await read(id)).gdap).toMatchObject({ action: 'CREATE', phase: 'PLANNED' });
    await startWorkflow(t, demo.token, id);
    await t.app.runner.drain();
    const asked = await read(id);
    expect(asked.invitationUrl).toContain(demo.partner.tenantId);
    expect(asked.gdap?.approvalUrl).toContain('granularAdminRelationships/');
    await playUntil(t, emulator, finished(id));
    const done = await read(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.gdap).toMatchObject({ phase: 'REJECTED', status: 'terminated' });
    expect(done.blockers.map((b) => b.code)).toContain('GDAP_REJECTED');
    expect(await pcSubscriptions(emulator, demo.partner.tenantId, demo.inRegion.tenantId)).toEqual(
      [],
    );
  });

  it('with the customer approving, access is active before any line is bought', async () => {
    emulator.control.gdap.setDecision(demo.inRegion.tenantId, { afterHours: 2 });
    const id = await plan();
    await startWorkflow(t, demo.token, id);
    await playUntil(t, emulator, finished(id));
    const done = await read(id);
    expect(done.status, JSON.stringify(done)).toBe('COMPLETED');
    expect(done.lines.map((l) => l.state)).toEqual(['DONE']);
    expect(done.gdap?.phase).toBe('ACTIVE');
    const group = emulator.control
      .partners()
      .find((p) => p.tenantId === demo.partner.tenantId) as unknown as {
      adminAgentsGroupId?: string;
    };
    expect(done.gdap?.assignments).toHaveLength(1);
    if (group.adminAgentsGroupId) {
      expect(done.gdap?.assignments[0]?.securityGroupId).toBe(group.adminAgentsGroupId);
    }
    const rels = await relationshipsWith(emulator, demo.partner.tenantId, demo.inRegion.tenantId);
    expect(rels.filter((r) => r.status === 'active').map((r) => r.id)).toEqual([
      done.gdap?.relationshipId,
    ]);
    const subs = await pcSubscriptions(emulator, demo.partner.tenantId, demo.inRegion.tenantId);
    expect(subs.map((s) => s.status)).toEqual(['active']);
  });

  it('GDAP=optional: a rejection is a warning and the move goes on with the access the partner has', async () => {
    // DAP still accepted (requireGdap off), the API does not insist on GDAP.
    emulator.control.gdap.setSettings({ requireGdap: false });
    await t.close();
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off', GDAP: 'optional' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
    demo = await channelMoveDemo(t, emulator);
    const id = await plan();
    await startWorkflow(t, demo.token, id);
    await playUntil(t, emulator, finished(id));
    const done = await read(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.gdap).toMatchObject({ phase: 'REJECTED' });
    expect(done.blockers).toEqual([]);
    expect(done.lines.map((l) => l.state)).toEqual(['DONE']);
    const events = await gqlData<{ node: { events: { edges: { node: { type: string } }[] } } }>(
      t,
      'query($id: ID!) { node(id: $id) { ... on ChannelMove { events(first: 100) { edges { node { type } } } } } }',
      { token: demo.token, variables: { id } },
    );
    expect(events?.node.events.edges.map((e) => e.node.type)).toContain('GDAP_WARNING');
  });

  it('a plan that cannot read Graph stores nothing and says why', async () => {
    emulator.control.addFault({
      path: '*delegatedAdminRelationships*',
      status: 403,
      code: 'Authorization_RequestDenied',
      description: 'Insufficient privileges to complete the operation.',
    });
    const planned = await planChannelMove(t, demo.token, {
      partnerTenantId: demo.partner.id,
      customerTenantId: demo.inRegion.tenantId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: demo.offers.ems.id, seats: 10, action: 'CANCEL' }],
    });
    emulator.control.clearFaults();
    expect(planned.workflow).toBeNull();
    expect(planned.userErrors[0]?.code).toBe('GRAPH_ERROR');
    expect(planned.userErrors[0]?.message).toContain('Microsoft Graph (graph.microsoft.com)');
    const count = await gqlData<{ workflows: { totalCount: number } }>(
      t,
      '{ workflows(first: 1) { totalCount } }',
      { token: demo.token },
    );
    expect(count?.workflows.totalCount).toBe(0);
  });
});

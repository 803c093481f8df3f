import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { gqlData, playUntil, startTestApp, type TestApp } from '../support/app.js';
import { PLAN_CONSOLIDATION, demoTenants, type TenantRow } from '../support/consolidation.js';
import { dialects } from '../support/dialects.js';
import { cancelWorkflow, startWorkflow, type UserError } from '../support/operations.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Progress {
  completed: number;
  total: number;
  excluded: number;
  blocked: number;
}
interface Customer {
  state: string;
  invitationUrl: string | null;
  waitingReason: string | null;
  invitation: {
    round: number;
    invitedAt: string;
    expiresAt: string;
    remindersSent: number;
    lastReminderAt: string | null;
    expiredAt: string | null;
  } | null;
  customer: { tenantId: string; companyName: string };
}
interface Snapshot {
  status: string;
  progress: Progress;
  blockers: Array<{ code: string; message: string; customer: { tenantId: string } | null }>;
  customers: { totalCount: number; edges: Array<{ node: Customer }> };
  events: { edges: Array<{ node: { at: string; type: string; message: string } }> };
}

const SNAPSHOT = /* GraphQL */ `
  query ($id: ID!, $state: [ConsolidationCustomerState!]) {
    node(id: $id) {
      ... on TenantConsolidation {
        status
        progress {
          completed
          total
          excluded
          blocked
        }
        blockers {
          code
          message
          customer {
            tenantId
          }
        }
        customers(first: 100, state: $state) {
          totalCount
          edges {
            node {
              state
              invitationUrl
              waitingReason
              invitation {
                round
                invitedAt
                expiresAt
                remindersSent
                lastReminderAt
                expiredAt
              }
              customer {
                tenantId
                companyName
              }
            }
          }
        }
        events(first: 100) {
          edges {
            node {
              at
              type
              message
            }
          }
        }
      }
    }
  }
`;

const PAYLOAD =
  'userErrors { code message field } workflow { id status progress { completed total excluded blocked } }';
const REINVITE = `mutation($input: ReinviteCustomerInput!) { reinviteCustomer(input: $input) { ${PAYLOAD} } }`;
const EXCLUDE = `mutation($input: ExcludeFromWorkflowInput!) { excludeFromWorkflow(input: $input) { ${PAYLOAD} } }`;
const ACTIVITY = /* GraphQL */ `
  query ($filter: ActivityLogFilter) {
    activityLog(filter: $filter, first: 100) {
      edges {
        node {
          at
          operation
          actor
          details
          customer {
            companyName
          }
        }
      }
    }
  }
`;

interface Payload {
  userErrors: UserError[];
  workflow: { id: string; status: string; progress: Progress } | null;
}

// Business-clock policy of this suite: a reminder a day, two of them, valid four days.
const ENV = {
  WORKFLOW_RUNNER: 'off',
  INVITATION_REMINDER_INTERVAL: 'P1D',
  INVITATION_REMINDERS: '2',
  INVITATION_VALIDITY: 'P4D',
};

describe.each(dialects)('a customer who never accepts (%s)', (dialect) => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let target: TenantRow;
  let sources: TenantRow[];

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: ENV,
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
      dialect,
    });
    const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
      ?.organizationId as string;
    token = await t.token(organizationId);
    ({ target, sources } = await demoTenants(t, emulator, token));
  });

  afterEach(async () => {
    await t.close();
  });

  const snapshot = async (id: string, state?: string[]) =>
    (await gqlData<{ node: Snapshot }>(t, SNAPSHOT, {
      token,
      variables: { id, ...(state ? { state } : {}) },
    }))!.node;

  const mutate = async (query: string, input: Record<string, unknown>): Promise<Payload> => {
    const data = await gqlData<Record<string, Payload>>(t, query, { token, variables: { input } });
    return Object.values(data ?? {})[0] as Payload;
  };

  async function plan(customerIds?: string[]): Promise<string> {
    const data = await gqlData<{
      planTenantConsolidation: { userErrors: UserError[]; workflow: { id: string } };
    }>(t, PLAN_CONSOLIDATION, {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: sources.map((s) => s.id),
          targetPartnerTenantId: target.id,
          ...(customerIds ? { customerIds } : {}),
        },
      },
    });
    expect(data?.planTenantConsolidation.userErrors).toEqual([]);
    return data!.planTenantConsolidation.workflow.id;
  }

  async function customerIdsNamed(
    ...names: string[]
  ): Promise<Map<string, { id: string; tenantId: string }>> {
    const found = new Map<string, { id: string; tenantId: string }>();
    for (const source of sources) {
      const data = await gqlData<{
        customers: {
          edges: Array<{ node: { id: string; tenantId: string; companyName: string } }>;
        };
      }>(
        t,
        'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId companyName } } } }',
        { token, variables: { id: source.id } },
      );
      for (const e of data?.customers.edges ?? []) {
        if (names.includes(e.node.companyName)) {
          found.set(e.node.companyName, { id: e.node.id, tenantId: e.node.tenantId });
        }
      }
    }
    expect([...found.keys()].sort()).toEqual([...names].sort());
    return found;
  }

  it('a fresh DRAFT shows no progress; blocked items are counted apart, not as done', async () => {
    const id = await plan();
    const s = await snapshot(id);
    expect(s.status).toBe('DRAFT');
    expect(s.progress.completed).toBe(0);
    expect(s.progress.excluded).toBe(0);
    // The demo has customers blocked at planning (out of region, no MCA, …): not progress.
    expect(s.progress.blocked).toBeGreaterThan(0);
    expect(s.progress.total).toBeGreaterThan(s.progress.blocked);
  });

  it('is reminded, expires into a blocker, is re-invited, then excluded: the workflow COMPLETES with the exclusion counted apart', async () => {
    const named = await customerIdsNamed('Flandres Textile', 'Bastide Architectes');
    const flandres = named.get('Flandres Textile')!;
    const bastide = named.get('Bastide Architectes')!;
    const id = await plan([flandres.id, bastide.id]);

    const draft = await snapshot(id);
    // Two customers: Flandres (1 license) and Bastide (2 licenses): 5 work items, none done.
    expect(draft.progress).toEqual({ completed: 0, total: 5, excluded: 0, blocked: 0 });
    // Reinviting before the start is refused (nothing was sent).
    const early = await mutate(REINVITE, { id, customerTenantId: flandres.tenantId });
    expect(early.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['WORKFLOW_NOT_STARTED', ['input', 'id']],
    ]);
    const earlyExclusion = await mutate(EXCLUDE, {
      id,
      customerTenantId: flandres.tenantId,
      reason: 'Not yet',
    });
    expect(earlyExclusion.userErrors.map((e) => e.code)).toEqual(['WORKFLOW_NOT_STARTED']);

    expect((await startWorkflow(t, token, id)).userErrors).toEqual([]);
    const stateOf = async (name: string) =>
      (await snapshot(id)).customers.edges.find((e) => e.node.customer.companyName === name)?.node;
    await playUntil(
      t,
      emulator,
      async () => (await stateOf('Bastide Architectes'))?.state === 'DONE',
      {
        step: 'PT1H',
        maxSteps: 40,
      },
    );
    let s = await snapshot(id);
    expect(s.status).toBe('WAITING');
    // Bastide's three items are done; Flandres's two are not (the old count said 5/5 at the end).
    expect(s.progress).toEqual({ completed: 3, total: 5, excluded: 0, blocked: 0 });
    const invited = s.events.edges.find(
      (e) => e.node.type === 'CUSTOMER_INVITED' && e.node.message.includes('Flandres'),
    );
    expect(invited).toBeDefined();
    const invitedAt = Date.parse(invited!.node.at);

    // Refusals: an unknown customer, and one that moved.
    const unknown = await mutate(EXCLUDE, {
      id,
      customerTenantId: '00000000-0000-4000-8000-000000000000',
      reason: 'x',
    });
    expect(unknown.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['CUSTOMER_NOT_IN_WORKFLOW', ['input', 'customerTenantId']],
    ]);
    for (const query of [EXCLUDE, REINVITE]) {
      const moved = await mutate(query, {
        id,
        customerTenantId: bastide.tenantId,
        ...(query === EXCLUDE ? { reason: 'Changed our mind' } : {}),
      });
      expect(moved.userErrors.map((e) => [e.code, e.field])).toEqual([
        ['CUSTOMER_ALREADY_MOVED', ['input', 'customerTenantId']],
      ]);
      expect(moved.workflow).toBeNull();
    }
    const noReason = await mutate(EXCLUDE, {
      id,
      customerTenantId: flandres.tenantId,
      reason: ' ',
    });
    expect(noReason.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['REQUIRED', ['input', 'reason']],
    ]);

    // Reminders on the business clock: one a day after the invitation, two at most.
    await playUntil(
      t,
      emulator,
      async () => (await snapshot(id)).blockers.some((b) => b.code === 'INVITATION_EXPIRED'),
      { step: 'PT1H', maxSteps: 5 * 24 },
    );
    s = await snapshot(id);
    const reminders = s.events.edges.filter((e) => e.node.type === 'INVITATION_REMINDER');
    expect(reminders.map((r) => r.node.message.slice(0, 14))).toEqual([
      'Reminder 1 of ',
      'Reminder 2 of ',
    ]);
    reminders.forEach((r, i) => {
      const at = Date.parse(r.node.at);
      // Due (i + 1) days after the invitation; the test's clock moves an hour at a time.
      expect(at).toBeGreaterThanOrEqual(invitedAt + (i + 1) * DAY);
      expect(at).toBeLessThanOrEqual(invitedAt + (i + 1) * DAY + HOUR);
      expect(r.node.message).toContain('Flandres Textile');
      expect(r.node.message).toContain('admin.microsoft.com');
    });
    // Expired after four days: a blocker naming the customer, and the customer's state.
    const expired = s.events.edges.find((e) => e.node.type === 'INVITATION_EXPIRED');
    expect(Date.parse(expired!.node.at)).toBeGreaterThanOrEqual(invitedAt + 4 * DAY);
    expect(Date.parse(expired!.node.at)).toBeLessThanOrEqual(invitedAt + 4 * DAY + HOUR);
    expect(s.blockers.filter((b) => b.code === 'INVITATION_EXPIRED')).toEqual([
      expect.objectContaining({ customer: { tenantId: flandres.tenantId } }),
    ]);
    expect(s.status).toBe('WAITING');
    const waiting = await snapshot(id, ['INVITATION_EXPIRED']);
    expect(waiting.customers.totalCount).toBe(1);
    expect(waiting.customers.edges[0]?.node.customer.companyName).toBe('Flandres Textile');
    expect(waiting.customers.edges[0]?.node.waitingReason).toMatch(/expired/);
    const first = waiting.customers.edges[0]?.node.invitation;
    expect(first).toMatchObject({ round: 1, remindersSent: 2 });
    expect(Date.parse(first!.expiresAt) - Date.parse(first!.invitedAt)).toBe(4 * DAY);
    expect(first?.expiredAt).not.toBeNull();
    expect((await snapshot(id, ['DONE'])).customers.totalCount).toBe(1);

    // Irreversible (Bastide was re-provisioned): cancel stays refused.
    const cancel = await cancelWorkflow(t, token, id);
    expect(cancel.userErrors.map((e) => e.code)).toEqual(['IRREVERSIBLE']);

    // Reinvite: a new invitation, the blocker gone, the reminders counted again from now.
    const reinvitedAt = emulator.clock.now().getTime();
    const reinvite = await mutate(REINVITE, { id, customerTenantId: flandres.tenantId });
    expect(reinvite.userErrors).toEqual([]);
    await t.app.runner.drain();
    s = await snapshot(id);
    expect(s.blockers.filter((b) => b.code === 'INVITATION_EXPIRED')).toEqual([]);
    const renewed = await stateOf('Flandres Textile');
    expect(renewed?.state).toBe('INVITED');
    // Counters reset: a new round, no reminder yet, valid four days from the reinvite.
    expect(renewed?.invitation).toMatchObject({
      round: 2,
      remindersSent: 0,
      lastReminderAt: null,
      expiredAt: null,
    });
    expect(Date.parse(renewed!.invitation!.invitedAt)).toBe(reinvitedAt);
    expect(renewed?.invitationUrl).toContain('admin.microsoft.com');
    expect(s.events.edges.some((e) => e.node.type === 'CUSTOMER_REINVITED')).toBe(true);
    await playUntil(
      t,
      emulator,
      async () =>
        (await snapshot(id)).events.edges.filter((e) => e.node.type === 'INVITATION_REMINDER')
          .length === 3,
      { step: 'PT1H', maxSteps: 30 },
    );
    s = await snapshot(id);
    const third = s.events.edges.filter((e) => e.node.type === 'INVITATION_REMINDER')[2]!;
    expect(third.node.message.startsWith('Reminder 1 of 2')).toBe(true);
    expect(Date.parse(third.node.at)).toBeGreaterThanOrEqual(reinvitedAt + DAY);
    expect(Date.parse(third.node.at)).toBeLessThanOrEqual(reinvitedAt + DAY + HOUR);

    // Exclude: the workflow completes, the exclusion counted apart.
    const excluded = await mutate(EXCLUDE, {
      id,
      customerTenantId: flandres.tenantId,
      reason: 'Customer never answered; handled by hand',
    });
    expect(excluded.userErrors).toEqual([]);
    expect(excluded.workflow?.status).toBe('COMPLETED');
    expect(excluded.workflow?.progress).toEqual({
      completed: 3,
      total: 5,
      excluded: 2,
      blocked: 0,
    });
    await t.app.runner.drain();
    s = await snapshot(id);
    expect(s.status).toBe('COMPLETED');
    expect((await stateOf('Flandres Textile'))?.state).toBe('EXCLUDED');
    expect((await snapshot(id, ['EXCLUDED'])).customers.totalCount).toBe(1);
    expect(s.events.edges.find((e) => e.node.type === 'CUSTOMER_EXCLUDED')?.node.message).toContain(
      'Customer never answered',
    );
    // Nothing can change any more.
    const after = await mutate(REINVITE, { id, customerTenantId: flandres.tenantId });
    expect(after.userErrors.map((e) => e.code)).toEqual(['WORKFLOW_ENDED']);

    // The activity log has the reminders, the expiry, the reinvite and the exclusion.
    const log = await gqlData<{
      activityLog: {
        edges: Array<{
          node: { operation: string; actor: string; customer: { companyName: string } | null };
        }>;
      };
    }>(t, ACTIVITY, { token, variables: { filter: { workflowId: id } } });
    const ops = (log?.activityLog.edges ?? [])
      .filter((e) => e.node.customer?.companyName === 'Flandres Textile')
      .map((e) => e.node.operation);
    for (const op of [
      'invitation_reminder',
      'invitation_expired',
      'reinvite_customer',
      'exclude_from_workflow',
    ]) {
      expect(ops).toContain(op);
    }
    expect(ops.filter((o) => o === 'invitation_reminder')).toHaveLength(3);
  });

  it('shows suspended and deleted subscriptions as skipped items, as the inventory export does', async () => {
    const id = await plan();
    const data = await gqlData<{
      node: {
        customers: {
          edges: Array<{
            node: {
              items: Array<{ kind: string; status: string; source: { subscriptionId: string } }>;
            };
          }>;
        };
      };
    }>(
      t,
      'query($id: ID!) { node(id: $id) { ... on TenantConsolidation { customers(first: 100) { edges { node { items { kind status source { subscriptionId } } } } } } } }',
      { token, variables: { id } },
    );
    const items = data!.node.customers.edges.flatMap((e) => e.node.items);
    const skipped = items.filter((i) => i.kind === 'NO_ACTION');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((i) => i.status === 'SKIPPED')).toBe(true);
    // The CSV lists the same subscriptions with plan NO_ACTION.
    const exported = await gqlData<{
      exportConsolidationInventory: { userErrors: UserError[]; export: { url: string } | null };
    }>(
      t,
      'mutation($input: ExportConsolidationInventoryInput!) { exportConsolidationInventory(input: $input) { userErrors { code message field } export { url } } }',
      { token, variables: { input: { workflowId: id, format: 'CSV' } } },
    );
    expect(exported?.exportConsolidationInventory.userErrors).toEqual([]);
    const csv = await (
      await fetch(exported!.exportConsolidationInventory.export!.url, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).text();
    const csvSkipped = csv
      .split(/\r?\n/)
      .filter((line) => line.includes(',NO_ACTION,'))
      .map((line) => skipped.find((i) => line.includes(i.source.subscriptionId)));
    expect(csvSkipped.length).toBe(skipped.length);
    expect(csvSkipped.every(Boolean)).toBe(true);
  });
});

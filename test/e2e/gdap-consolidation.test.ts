import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { gqlData, startTestApp, type TestApp } from '../support/app.js';
import {
  demoTenants,
  playUntil,
  workflowStatus,
  type TenantRow,
} from '../support/consolidation.js';
import { dialects } from '../support/dialects.js';
import {
  DEFAULT_TEMPLATE_ROLE_IDS,
  GDAP_STEP_FIELDS,
  type GdapStepView,
  grantGdap,
  graphCall,
  REL_PATH,
  relationshipsWith,
  ROLE_IDS,
} from '../support/gdap.js';

const PLAN = /* GraphQL */ `
  mutation Plan($input: PlanTenantConsolidationInput!) {
    planTenantConsolidation(input: $input) {
      userErrors {
        code
        message
        field
      }
      workflow {
        id
        status
        events(first: 50) {
          edges {
            node {
              type
              message
            }
          }
        }
      }
    }
  }
`;

const STATE = /* GraphQL */ `
  query State($id: ID!) {
    node(id: $id) {
      ... on TenantConsolidation {
        status
        blockers { code message customer { tenantId } }
        customers(first: 100) {
          edges {
            node {
              state
              invitationUrl
              waitingReason
              customer { tenantId companyName }
              ${GDAP_STEP_FIELDS}
              items { kind status }
            }
          }
        }
      }
    }
  }
`;

interface CustomerNode {
  state: string;
  invitationUrl: string | null;
  waitingReason: string | null;
  customer: { tenantId: string; companyName: string };
  gdap: GdapStepView | null;
  items: { kind: string; status: string }[];
}
interface State {
  status: string;
  blockers: { code: string; message: string; customer: { tenantId: string } | null }[];
  customers: { edges: { node: CustomerNode }[] };
}

type Chosen = { id: string; tenantId: string; partnerTenantId: string };

const SOURCE_ROLES = [
  ROLE_IDS.licenseAdministrator,
  ROLE_IDS.serviceSupportAdministrator,
  ROLE_IDS.helpdeskAdministrator,
];

describe.each(dialects)('GDAP as a step of the consolidation (R-CON-2, %s)', (dialect) => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let target: TenantRow;
  let sources: TenantRow[];

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    // Today's Partner Center: acting for a customer needs GDAP, DAP is not accepted.
    emulator.control.gdap.setSettings({ requireGdap: true });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off', GDAP: 'required' },
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

  /** Customers of the sources that accept invitations and pass the plan's checks (first `n`). */
  async function movableCustomers(n: number) {
    const skip = new Set(
      emulator.control
        .customers()
        .filter((c) => c.labels.some((l) => ['never-accepts', 'no-mca'].includes(l)))
        .map((c) => c.tenantId),
    );
    const found: { id: string; tenantId: string; partnerTenantId: string }[] = [];
    for (const source of sources) {
      const data = await gqlData<{
        customers: { edges: { node: { id: string; tenantId: string; country: string | null } }[] };
      }>(
        t,
        'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
        { token, variables: { id: source.id } },
      );
      for (const e of data?.customers.edges ?? []) {
        if (!skip.has(e.node.tenantId)) {
          found.push({ ...e.node, partnerTenantId: source.tenantId });
        }
      }
    }
    // The sources had GDAP before (they suspend the source subscriptions, R-CON-4; without it
    // the plan blocks the customer: SOURCE_GDAP_MISSING).
    for (const c of found) {
      await grantGdap(emulator, c.partnerTenantId, c.tenantId, {
        roles: SOURCE_ROLES,
        displayName: `Source ${c.tenantId.slice(0, 8)}`,
      });
    }
    // Plan once to learn which pass the region/agreement checks, keep the first n of those.
    const draft = await plan(found.map((c) => c.id));
    const state = await read(draft.id);
    const ok = new Set(
      state.customers.edges
        .filter((e) => e.node.state !== 'BLOCKED')
        .map((e) => e.node.customer.tenantId),
    );
    return found.filter((c) => ok.has(c.tenantId)).slice(0, n);
  }

  async function plan(customerIds: string[]) {
    const data = await gqlData<{
      planTenantConsolidation: {
        userErrors: unknown[];
        workflow: {
          id: string;
          status: string;
          events: { edges: { node: { type: string; message: string } }[] };
        };
      };
    }>(t, PLAN, {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: sources.map((s) => s.id),
          targetPartnerTenantId: target.id,
          customerIds,
        },
      },
    });
    expect(data?.planTenantConsolidation.userErrors).toEqual([]);
    return data?.planTenantConsolidation.workflow as {
      id: string;
      events: { edges: { node: { type: string; message: string } }[] };
    };
  }

  const read = async (id: string) =>
    (await gqlData<{ node: State }>(t, STATE, { token, variables: { id } }))?.node as State;

  const start = (id: string) =>
    gqlData<{ startWorkflow: { userErrors: unknown[] } }>(
      t,
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
      { token, variables: { id } },
    );

  it(
    'creates and activates GDAP for every moved customer, reuses a covering one, and blocks only the customer that rejects',
    { timeout: 180_000 },
    async () => {
      const chosen = await movableCustomers(4);
      expect(chosen.length).toBe(4);
      const [reused, rejecting, ...others] = chosen as [Chosen, Chosen, ...Chosen[]];
      // The target already holds every role of the template with one customer: reused as is.
      const existing = await grantGdap(emulator, target.tenantId, reused.tenantId, {
        roles: [...DEFAULT_TEMPLATE_ROLE_IDS, ROLE_IDS.serviceSupportAdministrator],
        displayName: 'Contoso EU - existing',
        autoExtend: true,
      });
      emulator.control.gdap.setDecision(rejecting.tenantId, { rejectAfterHours: 3 });

      const before = JSON.stringify(emulator.control.gdap.relationships());
      const planned = await plan(chosen.map((c) => c.id));
      // The dry run read Graph and changed nothing there.
      expect(JSON.stringify(emulator.control.gdap.relationships())).toBe(before);
      expect(planned.events.edges.map((e) => e.node.type)).toContain('GDAP_PLANNED');
      const draft = await read(planned.id);
      const byTenant = (s: State, id: string) =>
        s.customers.edges.find((e) => e.node.customer.tenantId === id)?.node as CustomerNode;
      expect(byTenant(draft, reused.tenantId).gdap).toMatchObject({
        action: 'REUSE',
        phase: 'PLANNED',
        relationshipId: existing,
        partnerTenantId: target.tenantId,
      });
      for (const c of [rejecting, ...others]) {
        expect(byTenant(draft, c.tenantId).gdap).toMatchObject({
          action: 'CREATE',
          phase: 'PLANNED',
        });
      }

      expect((await start(planned.id))?.startWorkflow.userErrors).toEqual([]);
      await t.app.runner.drain();
      // The approval link is shown beside the reseller invitation while the customer decides.
      const asked = byTenant(await read(planned.id), others[0]!.tenantId);
      expect(asked.invitationUrl).toContain(target.tenantId);
      expect(asked.gdap?.phase).toBe('REQUESTED');
      expect(asked.gdap?.approvalUrl).toMatch(
        /^https:\/\/admin\.microsoft\.com\/AdminPortal\/Home#\/partners\/invitation\/granularAdminRelationships\/.+/,
      );
      expect(asked.waitingReason).toContain(asked.gdap?.approvalUrl);

      await playUntil(t, emulator, async () =>
        ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, planned.id)),
      );
      const done = await read(planned.id);
      expect(
        done.status,
        JSON.stringify(
          done.customers.edges.map((e) => [
            e.node.customer.companyName,
            e.node.state,
            e.node.waitingReason,
          ]),
        ),
      ).toBe('COMPLETED');

      // Rejection: a visible blocker on that customer only; its subscriptions never moved.
      const rejected = byTenant(done, rejecting.tenantId);
      expect(rejected.state).toBe('BLOCKED');
      expect(rejected.gdap).toMatchObject({ phase: 'REJECTED', status: 'terminated' });
      expect(rejected.items.every((i) => i.status === 'SKIPPED' || i.kind === 'NO_ACTION')).toBe(
        true,
      );
      expect(done.blockers).toContainEqual(
        expect.objectContaining({
          code: 'GDAP_REJECTED',
          customer: { tenantId: rejecting.tenantId },
        }),
      );

      // Everyone else: DONE, with an active relationship holding the template and active access.
      for (const c of [reused, ...others]) {
        const node = byTenant(done, c.tenantId);
        expect(node.state, node.waitingReason ?? '').toBe('DONE');
        expect(node.gdap?.phase).toBe('ACTIVE');
        expect(node.gdap?.assignments.length).toBe(1);
        expect(node.gdap?.assignments[0]?.status).toBe('active');
        const rels = await relationshipsWith(emulator, target.tenantId, c.tenantId);
        const live = rels.filter((r) => r.status === 'active');
        expect(live.map((r) => r.id)).toEqual([node.gdap?.relationshipId]);
        const roles = live[0]!.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId);
        expect(roles).toEqual(expect.arrayContaining(DEFAULT_TEMPLATE_ROLE_IDS));
        const assignments = await graphCall<{ value: { status: string }[] }>(
          emulator,
          target.tenantId,
          `${REL_PATH}/${live[0]!.id}/accessAssignments`,
        );
        expect(assignments.body.value.map((a) => a.status)).toEqual(['active']);
      }
      // Reuse: no new relationship was created for that customer.
      expect(
        (await relationshipsWith(emulator, target.tenantId, reused.tenantId)).map((r) => r.id),
      ).toEqual([existing]);
      for (const c of others) {
        const rel = (await relationshipsWith(emulator, target.tenantId, c.tenantId))[0];
        expect(rel?.autoExtendDuration).toBe('P180D');
        expect(rel?.displayName).toMatch(/ - GDAP /);
      }

      // The plan export says the GDAP plan and where it stands per customer.
      const exported = await gqlData<{ exportConsolidationInventory: { export: { url: string } } }>(
        t,
        'mutation($id: ID!) { exportConsolidationInventory(input: { workflowId: $id, format: CSV }) { userErrors { code } export { url } } }',
        { token, variables: { id: planned.id } },
      );
      const csv = await (
        await fetch(exported?.exportConsolidationInventory.export.url as string, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).text();
      const [header, ...lines] = csv.trim().split('\r\n');
      expect(header).toContain('GDAP plan,GDAP status');
      const rowOf = (tenantId: string) => lines.find((l) => l.includes(tenantId)) ?? '';
      expect(rowOf(reused.tenantId)).toContain('REUSE,ACTIVE');
      expect(rowOf(rejecting.tenantId)).toContain('CREATE,REJECTED');

      // The activity log tells the GDAP story per customer.
      const activity = await gqlData<{
        activityLog: { edges: { node: { operation: string; actor: string } }[] };
      }>(
        t,
        `query($wf: ID!) { activityLog(first: 100, filter: { workflowId: $wf }) { edges { node { operation actor } } } }`,
        { token, variables: { wf: planned.id } },
      );
      const ops = activity?.activityLog.edges.map((e) => e.node) ?? [];
      expect(ops.filter((o) => o.operation === 'gdap_relationship_requested').length).toBe(3);
      expect(ops.filter((o) => o.operation === 'gdap_access_active').length).toBe(3);
      expect(ops.find((o) => o.operation === 'gdap_relationship_rejected')?.actor).toMatch(
        /\(customer\)$/,
      );
    },
  );

  it(
    'an approval request nobody answers expires after 90 days: a blocker for that customer only',
    { timeout: 180_000 },
    async () => {
      const chosen = await movableCustomers(2);
      const [silent, other] = chosen as [Chosen, Chosen, ...Chosen[]];
      emulator.control.gdap.setDecision(silent.tenantId, 'never');
      const planned = await plan(chosen.map((c) => c.id));
      await start(planned.id);
      await playUntil(
        t,
        emulator,
        async () => ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, planned.id)),
        { step: 'PT12H', maxSteps: 400 },
      );
      const done = await read(planned.id);
      expect(done.status).toBe('COMPLETED');
      const node = (id: string) =>
        done.customers.edges.find((e) => e.node.customer.tenantId === id)?.node;
      expect(node(silent.tenantId)).toMatchObject({
        state: 'BLOCKED',
        gdap: { phase: 'EXPIRED', status: 'expired' },
      });
      expect(done.blockers).toContainEqual(
        expect.objectContaining({
          code: 'GDAP_REQUEST_EXPIRED',
          customer: { tenantId: silent.tenantId },
        }),
      );
      expect(node(other.tenantId)).toMatchObject({ state: 'DONE', gdap: { phase: 'ACTIVE' } });
    },
  );
});

import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp } from '../support/app.js';
import { demoTenants, PLAN_CONSOLIDATION } from '../support/consolidation.js';
import {
  pathsState,
  plan,
  startAndFinish,
  type PathsState,
  type World,
} from '../support/consolidation-paths.js';
import { graphCall, REL_PATH, relationshipsWith } from '../support/gdap.js';

// SOURCE_GDAP_MISSING (docs/consolidation-paths.md "The source side's GDAP"): with GDAP required,
// a re-provisioned subscription is ordered at the target and then suspended at the SOURCE; without
// the source's GDAP the suspension is refused (20002) after the irreversible order. The plan
// blocks that customer, and the order step checks again before it writes.

let world: World | undefined;
afterEach(async () => {
  await world?.t.close();
  world = undefined;
});

async function bootToday(): Promise<World> {
  const emulator = createEmulator({ scenario: 'demo-today', seed: 7 });
  emulator.control.gdap.setSettings({ requireGdap: true });
  const t = await startTestApp({
    emulator,
    clock: clockFrom(emulator.clock),
    env: { WORKFLOW_RUNNER: 'off', GDAP: 'required', PARTNER_CENTER_RATE_PER_MINUTE: '100000' },
    runner: { retryBaseMs: 1, retryMaxMs: 5 },
  });
  const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
    ?.organizationId as string;
  const token = await t.token(organizationId);
  world = { emulator, t, token, ...(await demoTenants(t, emulator, token)) };
  return world;
}

/** Customers of the sources (global id and tenant id), without those that never accept. */
async function customersOf(w: World): Promise<Array<{ id: string; tenantId: string }>> {
  const skip = new Set(
    w.emulator.control
      .customers()
      .filter((c) => c.labels.includes('never-accepts'))
      .map((c) => c.tenantId),
  );
  const out: Array<{ id: string; tenantId: string }> = [];
  for (const source of w.sources) {
    const res = await w.t.gql<{
      customers: { edges: Array<{ node: { id: string; tenantId: string } }> };
    }>(
      'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
      { token: w.token, variables: { id: source.id } },
    );
    out.push(
      ...(res.body.data?.customers.edges ?? [])
        .map((e) => e.node)
        .filter((c) => !skip.has(c.tenantId)),
    );
  }
  return out;
}

/** Movable customers whose items all take the re-provision path (they order, then suspend). */
const reprovisionOnly = (s: PathsState) =>
  s.customers.edges
    .map((e) => e.node)
    .filter(
      (n) =>
        n.state !== 'BLOCKED' &&
        n.items.some((i) => i.path === 'REPROVISION') &&
        n.items.every((i) => i.path === 'REPROVISION' || i.kind === 'NO_ACTION'),
    );

/** Ends every live relationship of the customer's source tenants with it (Graph `terminate`). */
async function terminateSourceGdap(w: World, customerTenantId: string): Promise<number> {
  let ended = 0;
  for (const source of w.sources) {
    for (const rel of await relationshipsWith(w.emulator, source.tenantId, customerTenantId)) {
      if (rel.status !== 'active' && rel.status !== 'expiring') {
        continue;
      }
      const res = await graphCall(w.emulator, source.tenantId, `${REL_PATH}/${rel.id}/requests`, {
        method: 'POST',
        body: { action: 'terminate' },
      });
      expect(res.status).toBe(201);
      ended += 1;
    }
  }
  // terminationRequested → terminated after the emulator's terminationDelay (PT10M).
  await w.emulator.clock.advance('PT15M');
  return ended;
}

/** Orders (POST …/orders) the emulator journalled for a customer, after `sinceSeq`. */
const ordersFor = (w: World, customerTenantId: string, sinceSeq = 0) =>
  w.emulator.control
    .requests()
    .filter(
      (e) =>
        e.seq > sinceSeq &&
        e.method === 'POST' &&
        /\/orders$/i.test(e.path.split('?')[0] ?? '') &&
        e.path.includes(customerTenantId),
    ).length;

const graphReads = (w: World, sinceSeq: number) =>
  w.emulator.control
    .requests()
    .filter(
      (e) =>
        e.seq > sinceSeq &&
        e.method === 'GET' &&
        /delegatedAdminRelationships$/i.test(e.path.split('?')[0] ?? ''),
    );

const lastSeq = (w: World) => Math.max(0, ...w.emulator.control.requests().map((e) => e.seq));

describe("the source tenant's GDAP before re-provisioning (SOURCE_GDAP_MISSING)", () => {
  it(
    'a customer whose source relationship is terminated is blocked at plan and gets no order; the others complete',
    { timeout: 300_000 },
    async () => {
      const w = await bootToday();
      const all = await customersOf(w);
      const preview = await pathsState(
        w.t,
        w.token,
        await plan(
          w,
          all.map((c) => c.id),
        ),
      );
      const [victim, other] = reprovisionOnly(preview);
      expect(victim && other, 'two customers on the re-provision path').toBeTruthy();
      const victimId = victim!.customer.tenantId;
      expect(await terminateSourceGdap(w, victimId)).toBeGreaterThan(0);
      const chosen = all.filter((c) => [victimId, other!.customer.tenantId].includes(c.tenantId));

      const before = lastSeq(w);
      const id = await plan(
        w,
        chosen.map((c) => c.id),
      );
      const planned = await pathsState(w.t, w.token, id);
      // Bounded: at most one Graph read of the sources' relationships per checked customer
      // (≤ 10 customers of a source: one `$filter` read each; more: one listing per source).
      const reads = graphReads(w, before).filter((e) =>
        w.sources.some((s) => s.tenantId === e.tenantId),
      );
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.length).toBeLessThanOrEqual(chosen.length);
      console.log(
        `source GDAP pre-flight: ${reads.length} Graph read(s) by the source tenants at plan for ${chosen.length} customer(s)`,
      );
      const blocker = planned.blockers.find((b) => b.code === 'SOURCE_GDAP_MISSING');
      expect(blocker?.customer?.tenantId).toBe(victimId);
      const source = w.sources.find((s) =>
        w.emulator.control
          .customers()
          .find((c) => c.tenantId === victimId)
          ?.relationships.some((r) => r.partnerTenantId === s.tenantId),
      );
      expect(blocker?.message).toContain(source?.name as string);
      expect(blocker?.message).toContain(victim!.customer.companyName);
      expect(blocker?.message).toMatch(/no active GDAP relationship/);
      expect(blocker?.message).toMatch(/plan again/);
      expect(planned.blockers.filter((b) => b.code === 'SOURCE_GDAP_MISSING')).toHaveLength(1);
      const node = (s: PathsState, tid: string) =>
        s.customers.edges.find((e) => e.node.customer.tenantId === tid)?.node;
      expect(node(planned, victimId)?.state).toBe('BLOCKED');
      expect(node(planned, other!.customer.tenantId)?.state).not.toBe('BLOCKED');

      const runFrom = lastSeq(w);
      const end = await startAndFinish(w, id, 300);
      expect(end.status).toBe('COMPLETED');
      // Nothing ordered for the blocked customer; its source subscriptions untouched.
      expect(ordersFor(w, victimId, runFrom)).toBe(0);
      expect(node(end, victimId)?.state).toBe('BLOCKED');
      expect(
        node(end, victimId)
          ?.items.filter((i) => i.kind !== 'NO_ACTION')
          .every((i) => i.source.status.toLowerCase() === 'active'),
      ).toBe(true);
      // The other customer moved: ordered, active at the target, suspended the same day.
      const moved = node(end, other!.customer.tenantId);
      expect(moved?.state).toBe('DONE');
      expect(ordersFor(w, other!.customer.tenantId, runFrom)).toBeGreaterThan(0);
      for (const i of moved?.items.filter((x) => x.path === 'REPROVISION') ?? []) {
        expect(i.status).toBe('DONE');
        expect(i.overlapDays).toBe(0);
      }
      expect(end.blockers.map((b) => b.code)).not.toContain('OVERLAP_EXCEEDS_SAME_DAY');
    },
  );

  it(
    'a relationship terminated between plan and start is caught before the first order',
    { timeout: 300_000 },
    async () => {
      const w = await bootToday();
      const all = await customersOf(w);
      const preview = await pathsState(
        w.t,
        w.token,
        await plan(
          w,
          all.map((c) => c.id),
        ),
      );
      const [victim, other] = reprovisionOnly(preview);
      expect(victim && other).toBeTruthy();
      const victimId = victim!.customer.tenantId;
      const chosen = all.filter((c) => [victimId, other!.customer.tenantId].includes(c.tenantId));
      const id = await plan(
        w,
        chosen.map((c) => c.id),
      );
      const planned = await pathsState(w.t, w.token, id);
      expect(planned.blockers).toEqual([]);
      // After the plan, before the start: the source's relationship ends.
      expect(await terminateSourceGdap(w, victimId)).toBeGreaterThan(0);

      const runFrom = lastSeq(w);
      const end = await startAndFinish(w, id, 300);
      expect(end.status).toBe('COMPLETED');
      expect(ordersFor(w, victimId, runFrom)).toBe(0);
      const sourceReads = graphReads(w, runFrom).filter((e) =>
        w.sources.some((s) => e.tenantId === s.tenantId),
      );
      console.log(
        `source GDAP re-check: ${sourceReads.length} Graph read(s) by the source tenants in the run, ${
          end.customers.edges.flatMap((e) => e.node.items).filter((i) => i.path === 'REPROVISION')
            .length
        } re-provisioned item(s)`,
      );
      const blockers = end.blockers.filter((b) => b.code === 'SOURCE_GDAP_MISSING');
      expect(blockers.length).toBeGreaterThan(0);
      expect(blockers.every((b) => b.customer?.tenantId === victimId)).toBe(true);
      expect(blockers[0]?.message).toMatch(/Found when about to write/);
      expect(end.blockers.map((b) => b.code)).not.toContain('OVERLAP_EXCEEDS_SAME_DAY');
      const node = (tid: string) =>
        end.customers.edges.find((e) => e.node.customer.tenantId === tid)?.node;
      for (const i of node(victimId)?.items.filter((x) => x.path === 'REPROVISION') ?? []) {
        expect(i.status).toBe('BLOCKED');
        expect(i.target).toBeNull();
        expect(i.source.status.toLowerCase()).toBe('active');
      }
      expect(node(other!.customer.tenantId)?.state).toBe('DONE');
      expect(ordersFor(w, other!.customer.tenantId, runFrom)).toBeGreaterThan(0);
    },
  );

  it('options.wave on a plan that needs no waves is a userError; nothing is planned', async () => {
    const w = await bootToday();
    const all = await customersOf(w);
    const res = await w.t.gql<{
      planTenantConsolidation: {
        workflow: { id: string } | null;
        userErrors: Array<{ code: string; field: string[]; message: string }>;
      };
    }>(PLAN_CONSOLIDATION, {
      token: w.token,
      variables: {
        input: {
          sourcePartnerTenantIds: w.sources.map((s) => s.id),
          targetPartnerTenantId: w.target.id,
          customerIds: all.map((c) => c.id),
          options: { wave: 2 },
        },
      },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.planTenantConsolidation.workflow).toBeNull();
    expect(res.body.data?.planTenantConsolidation.userErrors).toEqual([
      expect.objectContaining({ code: 'WAVE_NOT_NEEDED', field: ['input', 'options', 'wave'] }),
    ]);
    expect(res.body.data?.planTenantConsolidation.userErrors[0]?.message).toMatch(
      /without options\.wave/,
    );
    const workflows = await w.t.gql<{ workflows: { edges: unknown[] } }>(
      '{ workflows(first: 10) { edges { node { id } } } }',
      { token: w.token },
    );
    expect(workflows.body.data?.workflows.edges).toEqual([]);
  });
});

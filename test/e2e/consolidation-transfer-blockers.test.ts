import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_DEV_TOKEN_KEY } from '../../server/partner-center/token-provider.js';
import {
  boot,
  closeWorld,
  customerIdsOf,
  journalCounts,
  pathsState,
  plan,
  startAndFinish,
  type PathsState,
} from '../support/consolidation-paths.js';

// Issue 15 item 1, pre-flights and run-time blockers of the transfer path: each holds up its own
// customer only.

afterEach(closeWorld);

const customerOf = (s: PathsState, companyName: string) =>
  s.customers.edges.find((e) => e.node.customer.companyName === companyName)?.node;

/** Customers of the plan whose every item takes the transfer path. */
const transferOnly = (s: PathsState) =>
  s.customers.edges
    .filter(
      (e) =>
        e.node.state !== 'BLOCKED' &&
        e.node.items.length > 0 &&
        e.node.items.every((i) => i.path === 'TRANSFER'),
    )
    .map((e) => e.node);

describe('transfer path blockers (issue 15)', () => {
  it(
    'a transfer whose acceptance keeps failing expires, is re-created once, then is a blocker of that customer only',
    { timeout: 180_000 },
    async () => {
      const w = await boot('demo-today');
      w.emulator.control.setAutopilot({ commerce: { transferExpiry: 'P2D' } });
      const all = await customerIdsOf(w);
      const first = await pathsState(w.t, w.token, await plan(w, all));
      const [stuck, fine] = transferOnly(first);
      expect(stuck && fine).toBeTruthy();
      const ids = all.filter((gid) =>
        [stuck, fine].some((c) =>
          Buffer.from(gid, 'base64').toString().includes(c!.customer.tenantId),
        ),
      );
      // The source's acceptance is refused every time (e.g. a role removed in Partner Center).
      w.emulator.control.addFault({
        method: 'PATCH',
        path: `/v1/customers/${stuck!.customer.tenantId}/transfers/*`,
        status: 403,
        code: 400,
        description: 'Access denied: updating a transfer needs the Admin agent role.',
      });
      const before = journalCounts(w.emulator);
      const id = await plan(w, ids);
      const end = await startAndFinish(w, id, 300);
      expect(end.status).toBe('COMPLETED');
      const expired = end.blockers.filter((b) => b.code === 'TRANSFER_EXPIRED');
      expect(expired).toHaveLength(1);
      expect(expired[0]?.customer?.tenantId).toBe(stuck!.customer.tenantId);
      expect(expired[0]?.message).toMatch(/re-created once/);
      const stuckEnd = customerOf(end, stuck!.customer.companyName)!;
      expect(stuckEnd.state).toBe('BLOCKED');
      expect(stuckEnd.items.every((i) => i.status === 'BLOCKED' && i.target === null)).toBe(true);
      // Nothing moved for it: its subscriptions are still active at the source.
      for (const i of stuckEnd.items) {
        expect(i.source.status).toBe('ACTIVE');
      }
      // The other customer moved.
      const fineEnd = customerOf(end, fine!.customer.companyName)!;
      expect(fineEnd.state).toBe('DONE');
      expect(fineEnd.items.every((i) => i.status === 'DONE' && i.target?.status === 'ACTIVE')).toBe(
        true,
      );
      // Two requests for the stuck customer (the first expired), one for the other.
      const creates = w.emulator.control
        .requests()
        .filter(
          (e) => e.seq > before.lastSeq && e.method === 'POST' && /\/transfers$/.test(e.path),
        );
      expect(creates.filter((e) => e.path.includes(stuck!.customer.tenantId))).toHaveLength(2);
      expect(creates.filter((e) => e.path.includes(fine!.customer.tenantId))).toHaveLength(1);
    },
  );

  it(
    'an acceptance sent without a read and answered "already processed" reads the transfer at once, then accepts it',
    { timeout: 180_000 },
    async () => {
      const w = await boot('demo-today');
      const all = await customerIdsOf(w);
      const [one] = transferOnly(await pathsState(w.t, w.token, await plan(w, all)));
      expect(one).toBeTruthy();
      const tid = one!.customer.tenantId;
      const ids = all.filter((gid) => Buffer.from(gid, 'base64').toString().includes(tid));
      // The first PATCH (sent on the create's answer, no read before it) is refused as if the
      // request had been processed meanwhile; the transfer is in fact still Pending.
      w.emulator.control.addFault({
        method: 'PATCH',
        path: `/v1/customers/${tid}/transfers/*`,
        times: 1,
        status: 409,
        code: 900104,
        description: 'The transfer was already processed.',
      });
      const before = journalCounts(w.emulator);
      const end = await startAndFinish(w, await plan(w, ids), 200);
      expect(end.status).toBe('COMPLETED');
      expect(customerOf(end, one!.customer.companyName)?.state).toBe('DONE');
      const calls = w.emulator.control
        .requests()
        .filter((e) => e.seq > before.lastSeq && /\/transfers/.test(e.path) && e.path.includes(tid))
        .map((e) => [e.method, e.path.split('/').length, e.status, e.time]);
      // From the create on (the plan's pre-flight lists the customer's transfers before it).
      const [create, refused, read, accepted] = calls.slice(
        calls.findIndex((c) => c[0] === 'POST'),
      );
      expect([create?.[0], create?.[2]]).toEqual(['POST', 201]);
      expect([refused?.[0], refused?.[2]]).toEqual(['PATCH', 409]);
      // The read follows at once (same business time), not after the 6-hour refusal retry.
      expect([read?.[0], read?.[2], read?.[3]]).toEqual(['GET', 200, refused?.[3]]);
      expect([accepted?.[0], accepted?.[2]]).toEqual(['PATCH', 200]);
    },
  );

  it("a caller without the Admin agent role at a source tenant is a pre-flight blocker of that tenant's transfers", async () => {
    const key = new TextEncoder().encode(EMULATOR_DEV_TOKEN_KEY);
    let salesOnly = '';
    const tokenProvider = {
      async getToken(tenantId: string) {
        const roles = tenantId === salesOnly ? ['Sales agent'] : ['Admin agent'];
        return new SignJWT({ tid: tenantId, appid: 'csp-migrations', roles })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setIssuedAt()
          .setExpirationTime('1h')
          .setAudience('https://api.partnercenter.microsoft.com')
          .sign(key);
      },
    };
    const w = await boot('demo-today', { tokenProvider });
    salesOnly = w.sources[0]!.tenantId;
    const id = await plan(w, await customerIdsOf(w));
    const s = await pathsState(w.t, w.token, id);
    const blocked = s.blockers.filter((b) => b.code === 'CALLER_NOT_ADMIN_AGENT');
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.every((b) => b.subject === salesOnly)).toBe(true);
    expect(blocked[0]?.message).toMatch(/Admin agent.*Sales agent/);
    // Only customers of that source with transfer items are held; the other sources plan as usual.
    const heldIds = new Set(blocked.map((b) => b.customer?.tenantId));
    const others = s.customers.edges.filter((e) => !heldIds.has(e.node.customer.tenantId));
    expect(others.some((e) => e.node.state === 'PLANNED')).toBe(true);
  });

  it('a transfer already pending for a customer is a pre-flight blocker of that customer', async () => {
    const w = await boot({
      extends: 'demo-today',
      customers: [
        {
          key: 'pending-transfer',
          companyName: 'Offene Übertragung GmbH',
          country: 'DE',
          relationships: [{ partner: 'contoso-de' }, { partner: 'fabrikam-uk' }],
          subscriptions: [
            { partner: 'contoso-de', offer: 'office365-e3-nce', quantity: 5, termDuration: 'P1Y' },
          ],
          autopilot: { acceptInvitation: 2 },
        },
      ],
      transfers: [
        {
          customer: 'pending-transfer',
          source: 'contoso-de',
          target: 'fabrikam-uk',
          targetProductTypes: ['OnlineServicesNCE'],
          sourceAccepts: 'never',
        },
      ],
    });
    const id = await plan(w, await customerIdsOf(w));
    const s = await pathsState(w.t, w.token, id);
    const pending = s.blockers.filter((b) => b.code === 'TRANSFER_ALREADY_PENDING');
    expect(pending).toHaveLength(1);
    expect(pending[0]?.customer?.companyName).toBe('Offene Übertragung GmbH');
    expect(customerOf(s, 'Offene Übertragung GmbH')?.state).toBe('BLOCKED');
    expect(s.customers.edges.filter((e) => e.node.state === 'PLANNED').length).toBeGreaterThan(5);
  });

  it(
    'a source tenant with more than 300 subscriptions to transfer needs waves: blocker, waves listed, one wave planned at a time',
    { timeout: 120_000 },
    async () => {
      const w = await boot('large-today:1');
      const sources = w.sources;
      void sources;
      const id = await plan(w, null);
      const s = await pathsState(w.t, w.token, id);
      const waves = s.blockers.filter((b) => b.code === 'TRANSFER_WAVES_REQUIRED');
      expect(waves).toHaveLength(1);
      expect(waves[0]?.message).toMatch(/300 per tenant/);
      expect(s.transferWaves.map((x) => [x.wave, x.subscriptions, x.planned])).toEqual([
        [1, 300, false],
        [2, s.transferWaves[1]!.subscriptions, false],
      ]);
      const one = await pathsState(w.t, w.token, await plan(w, null, { wave: 1 }));
      expect(one.blockers.filter((b) => b.code === 'TRANSFER_WAVES_REQUIRED')).toEqual([]);
      expect(one.transferWaves.find((x) => x.wave === 1)?.planned).toBe(true);
      // Later waves' subscriptions are listed too, as NO_ACTION items that say their wave.
      const moving = one.customers.edges
        .flatMap((e) => e.node.items)
        .filter((i) => i.path === 'TRANSFER' && i.kind !== 'NO_ACTION');
      expect(moving).toHaveLength(300);
      const bad = await w.t.gql<{
        planTenantConsolidation: { userErrors: Array<{ code: string; field: string[] }> };
      }>(
        'mutation($input: PlanTenantConsolidationInput!) { planTenantConsolidation(input: $input) { userErrors { code field } } }',
        {
          token: w.token,
          variables: {
            input: {
              sourcePartnerTenantIds: w.sources.map((x) => x.id),
              targetPartnerTenantId: w.target.id,
              options: { wave: 0 },
            },
          },
        },
      );
      expect(bad.body.data?.planTenantConsolidation.userErrors).toEqual([
        { code: 'INVALID', field: ['input', 'options', 'wave'] },
      ]);
    },
  );
});

describe('transfer waves end to end (issue 15)', () => {
  it(
    'wave 1 moves 300 subscriptions; the next plan moves the rest, not refused as consolidated away',
    { timeout: 240_000 },
    async () => {
      const w = await boot('large-today:1');
      const first = await plan(w, null, { wave: 1 });
      const one = await startAndFinish(w, first, 100);
      expect(one.status).toBe('COMPLETED');
      const moved = one.customers.edges
        .flatMap((e) => e.node.items)
        .filter((i) => i.status === 'DONE' && i.path === 'TRANSFER');
      expect(moved).toHaveLength(300);
      expect(moved.every((i) => i.target?.status === 'ACTIVE' && i.overlapDays === 0)).toBe(true);
      // What remains fits in one consolidation: no wave needed, and the earlier wave does not make
      // the customer "consolidated away" (R-CON-7/8 is for re-provisioning from a left tenant).
      const second = await plan(w, null);
      const planned = await pathsState(w.t, w.token, second);
      expect(planned.blockers.map((b) => b.code)).toEqual([]);
      const rest = await startAndFinish(w, second, 100);
      expect(rest.status).toBe('COMPLETED');
      const restMoved = rest.customers.edges
        .flatMap((e) => e.node.items)
        .filter((i) => i.path === 'TRANSFER' && i.status === 'DONE');
      expect(restMoved.length).toBe(
        planned.customers.edges.flatMap((e) => e.node.items).filter((i) => i.kind !== 'NO_ACTION')
          .length,
      );
      expect(restMoved.length).toBeGreaterThan(0);
      expect(rest.billingOverlap.maxOverlapDays).toBe(0);
    },
  );
});

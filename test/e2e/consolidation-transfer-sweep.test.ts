import { afterEach, describe, expect, it } from 'vitest';
import { gqlData, PC_BASE_URL, playUntil } from '../support/app.js';
import {
  boot,
  closeWorld,
  pathsState,
  startOneTransferCustomer,
  type World,
} from '../support/consolidation-paths.js';

// Issue 15: the engine's transfer-integrity sweep (steps/transfer-integrity.sweep.ts) with its
// defaults: an accepted transfer not completed 24 h later is a blocker until it completes; a day
// after completion (and every day after while a finding holds, up to 7 days) the source must not
// be active and the target's seats must equal the inventory, each a blocker while it holds,
// cleared when fixed.

afterEach(closeWorld);

const HEALTH = /* GraphQL */ `
  query Health($id: ID!) {
    node(id: $id) {
      ... on TenantConsolidation {
        status
        blockers {
          code
          subject
          message
        }
      }
    }
  }
`;

interface Health {
  status: string;
  blockers: Array<{ code: string; subject: string | null; message: string }>;
}

const EVENTS = /* GraphQL */ `
  query Events($id: ID!, $after: String) {
    node(id: $id) {
      ... on TenantConsolidation {
        events(first: 100, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
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

/** Every event of the workflow, oldest first. */
interface EventPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: { type: string; message: string } }>;
}

async function eventsOf(w: World, id: string): Promise<Array<{ type: string; message: string }>> {
  const out: Array<{ type: string; message: string }> = [];
  let after: string | null = null;
  for (;;) {
    const data: { node: { events: EventPage } } | null | undefined = await gqlData<{
      node: { events: EventPage };
    }>(w.t, EVENTS, { token: w.token, variables: { id, after } });
    const page: EventPage | undefined = data?.node.events;
    out.push(...(page?.edges ?? []).map((e) => e.node));
    if (!page?.pageInfo.hasNextPage) {
      return out;
    }
    after = page.pageInfo.endCursor;
  }
}

const SWEEP_CODES = [
  'TRANSFER_SOURCE_STILL_ACTIVE',
  'TRANSFER_SEATS_MISMATCH',
  'TRANSFER_COMPLETION_OVERDUE',
];

/** The workflow's status, blockers and events; reads no subscription in Partner Center. */
async function health(w: World, id: string): Promise<Health> {
  return (await gqlData<{ node: Health }>(w.t, HEALTH, { token: w.token, variables: { id } }))
    ?.node as Health;
}

const codes = (h: Health) =>
  h.blockers
    .filter((b) => SWEEP_CODES.includes(b.code))
    .map((b) => b.code)
    .sort();

/** A Partner Center write as a partner tenant would make it (the emulator's public API). */
async function patchSubscription(
  w: World,
  tenantId: string,
  customerTenantId: string,
  subscriptionId: string,
  body: Record<string, unknown>,
): Promise<void> {
  const res = await w.emulator.fetch(
    `${PC_BASE_URL}/v1/customers/${customerTenantId}/subscriptions/${subscriptionId}`,
    {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${w.emulator.tokenFor(tenantId)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    },
  );
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Subscriptions lists of one customer read since `seq` (what the sweep calls). */
const listReads = (w: World, customerTenantId: string, seq: number) =>
  w.emulator.control
    .requests()
    .filter(
      (e) =>
        e.seq > seq &&
        e.method === 'GET' &&
        e.path.toLowerCase() === `/v1/customers/${customerTenantId}/subscriptions`.toLowerCase(),
    );

describe('transfer-integrity sweep (issue 15)', () => {
  it(
    'flags an overdue completion until it completes, then a source left active and a seat change at the target until fixed, and stops reading once the watch ends',
    { timeout: 240_000 },
    async () => {
      const w = await boot('demo-today');
      // Partner Center takes three days to complete the transfer (the emulator's default is PT1H).
      w.emulator.control.setAutopilot({ commerce: { transferCompletion: 'P3D' } });
      // A customer whose every item moves by transfer, with two new-commerce licenses.
      const { id, customerTenantId } = await startOneTransferCustomer(w);

      // 1. Accepted (InProgress) but not completed: no blocker before 24 h, one after.
      const transferOf = () =>
        w.emulator.control.transfers().find((t) => t.customerTenantId === customerTenantId);
      await playUntil(w.t, w.emulator, async () => /inprogress/i.test(transferOf()?.status ?? ''), {
        maxSteps: 100,
      });
      const transferId = transferOf()?.id as string;
      expect(transferId).toBeTruthy();
      await w.emulator.clock.advance('PT22H');
      await w.t.app.runner.drain();
      expect(codes(await health(w, id))).toEqual([]);
      await playUntil(
        w.t,
        w.emulator,
        async () => codes(await health(w, id)).includes('TRANSFER_COMPLETION_OVERDUE'),
        { maxSteps: 4 },
      );
      let h = await health(w, id);
      const overdue = h.blockers.find((b) => b.code === 'TRANSFER_COMPLETION_OVERDUE');
      expect(overdue?.subject).toBe(transferId);
      expect(overdue?.message).toMatch(/was accepted on .* has not completed it 2\d hours later/);
      expect(h.status).not.toBe('COMPLETED');

      // Partner Center completes it: the blocker clears, the items are verified.
      await playUntil(w.t, w.emulator, async () => (await health(w, id)).status === 'COMPLETED', {
        maxSteps: 80,
      });
      h = await health(w, id);
      expect(codes(h)).toEqual([]);
      expect(
        (await eventsOf(w, id)).some(
          (e) => e.type === 'INVARIANT_CLEARED' && e.message.includes(transferId),
        ),
      ).toBe(true);
      const done = await pathsState(w.t, w.token, id);
      const items = done.customers.edges[0]!.node.items.filter(
        (i) => i.source.offerId.includes(':') && i.status === 'DONE' && i.target,
      );
      expect(items.length).toBeGreaterThanOrEqual(2);
      const [left, resized] = items as [(typeof items)[0], (typeof items)[0]];

      // 2. After completion: the source's copy of one reads active again (a Partner Center fault,
      // played through the emulator's state), someone adds 3 seats to another at the target.
      const completedSeq = w.emulator.control.requests().at(-1)?.seq ?? 0;
      const snapshot = w.emulator.control.state();
      const src = snapshot.subscriptions.find((s) => s.id === left.source.subscriptionId);
      expect(src?.status).toBe('expired');
      Object.assign(src!, { status: 'active', suspensionReasons: [] });
      w.emulator.control.loadState(snapshot);
      await patchSubscription(
        w,
        w.target.tenantId,
        customerTenantId,
        resized.target!.subscriptionId,
        { quantity: resized.seats + 3 },
      );
      // The first check comes a day after completion (the verification step had just looked).
      await playUntil(w.t, w.emulator, async () => codes(await health(w, id)).length === 2, {
        maxSteps: 26,
      });
      h = await health(w, id);
      expect(codes(h)).toEqual(['TRANSFER_SEATS_MISMATCH', 'TRANSFER_SOURCE_STILL_ACTIVE']);
      const still = h.blockers.find((b) => b.code === 'TRANSFER_SOURCE_STILL_ACTIVE');
      expect(still?.subject?.toLowerCase()).toBe(left.source.subscriptionId.toLowerCase());
      expect(still?.message).toMatch(/still reads active with \d+ seats .*both partners bill it/);
      const seats = h.blockers.find((b) => b.code === 'TRANSFER_SEATS_MISMATCH');
      expect(seats?.subject).toBe(resized.target!.subscriptionId);
      expect(seats?.message).toContain(
        `${resized.seats + 3} active seats where the plan's inventory has ${resized.seats}`,
      );
      // One check: one list of the target and one of the source for the customer.
      expect(listReads(w, customerTenantId, completedSeq)).toHaveLength(2);

      // 3. The seats are set back: cleared at the next check; the source, still active, stays.
      await patchSubscription(
        w,
        w.target.tenantId,
        customerTenantId,
        resized.target!.subscriptionId,
        { quantity: resized.seats },
      );
      await w.emulator.clock.advance('P1D');
      await w.t.app.runner.drain();
      h = await health(w, id);
      expect(codes(h)).toEqual(['TRANSFER_SOURCE_STILL_ACTIVE']);

      // 4. Suspended at the source: cleared at the next check (the watch goes on while a finding
      // holds), after which the watch ends.
      await patchSubscription(
        w,
        src!.partnerTenantId,
        customerTenantId,
        left.source.subscriptionId,
        { status: 'suspended' },
      );
      await w.emulator.clock.advance('P1D');
      await w.t.app.runner.drain();
      h = await health(w, id);
      expect(codes(h)).toEqual([]);
      // Three checks, each one list of the target and one of the source for the customer.
      const checks = listReads(w, customerTenantId, completedSeq).length;
      expect(checks).toBe(6);
      console.log(
        `transfer-integrity sweep: ${checks} list calls for 3 checks of ${items.length} transferred subscriptions of one customer (a clean transfer: 1 check, 2 calls)`,
      );

      // 5. The watch is over: a later change is not looked at, and no more calls are made.
      await patchSubscription(
        w,
        w.target.tenantId,
        customerTenantId,
        resized.target!.subscriptionId,
        { quantity: resized.seats + 1 },
      );
      for (const step of ['PT12H', 'P1D', 'P2D']) {
        await w.emulator.clock.advance(step);
        await w.t.app.runner.drain();
      }
      expect(codes(await health(w, id))).toEqual([]);
      expect(listReads(w, customerTenantId, completedSeq)).toHaveLength(checks);
    },
  );
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import {
  SimulatedCrash,
  type JournalPoint,
} from '../../server/workflows/engine/simulated-crash.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  channelMoveDemo,
  channelMoveState,
  pcSubscriptions,
  planChannelMove,
  startWorkflow,
} from '../support/channel-move.js';
import { playUntil } from '../support/consolidation.js';

// A process killed between ordering a line and verifying it: a new process on the same database
// resumes from the step journal and never orders twice (look before create, same MS-RequestId).

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'channel-move-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const KILL_POINTS: Array<[string, (point: JournalPoint, step: string) => boolean]> = [
  // The order reached Partner Center, its result was never journalled.
  [
    'after the order call, before its result is journalled',
    (p, s) => s === 'order' && p === 'after-call',
  ],
  // The result is journalled, the step's outcome (next: verify) never written.
  [
    'after the journalled result, before the outcome',
    (p, s) => s === 'order' && p === 'before-outcome',
  ],
  // Ordered and recorded; killed as verification starts.
  ['as verification starts', (p, s) => s === 'await_active' && p === 'before-step'],
];

describe('channel move resumption', () => {
  it.each(KILL_POINTS)('a kill %s resumes without a duplicate order', async (name, killHere) => {
    const emulator = createEmulator({ scenario: 'demo', seed: 9 });
    const clock = clockFrom(emulator.clock);
    const env = {
      WORKFLOW_RUNNER: 'off',
      DATABASE_URL: join(dir, `${name.replace(/\W+/g, '-')}.db`),
    };
    const runner = { retryBaseMs: 1, retryMaxMs: 4, leaseMs: 100 };
    let killed = 0;
    let t: TestApp = await startTestApp({
      emulator,
      clock,
      env,
      runner: {
        ...runner,
        crashHook: (point, item) => {
          if (item.kind === 'LINE' && killed === 0 && killHere(point, item.step)) {
            killed += 1;
            throw new SimulatedCrash(point);
          }
        },
      },
    });
    const demo = await channelMoveDemo(t, emulator);
    const customerId = demo.inRegion.tenantId;
    const planned = await planChannelMove(t, demo.token, {
      partnerTenantId: demo.partner.id,
      customerTenantId: customerId,
      customerCountry: demo.inRegion.country,
      sourceChannel: 'OPEN',
      licenses: [
        { offerId: demo.offers.e3.id, seats: 7, action: 'CANCEL' },
        { offerId: demo.offers.ems.id, seats: 3, expiresOn: '2026-01-09T00:00:00Z' },
      ],
    });
    const id = planned.workflow?.id as string;
    expect((await startWorkflow(t, demo.token, id))?.userErrors).toEqual([]);
    const finished = async () => {
      const s = await channelMoveState(t, demo.token, id);
      return s.status === 'COMPLETED' || s.status === 'FAILED';
    };
    await expect(playUntil(t, emulator, finished)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(killed).toBe(1);

    // Nothing of the killed process survives but the database file; a new one takes over.
    await t.close();
    await new Promise((r) => setTimeout(r, 150));
    t = await startTestApp({ emulator, clock, env, runner });
    await playUntil(t, emulator, finished, { step: 'PT6H' });

    const state = await channelMoveState(t, demo.token, id);
    expect(state.status).toBe('COMPLETED');
    expect(state.lines.map((l) => [l.state, l.target?.status, l.target?.quantity])).toEqual([
      ['DONE', 'ACTIVE', 7],
      ['DONE', 'ACTIVE', 3],
    ]);
    const orders = emulator.control
      .requests({ method: 'POST' })
      .filter((r) => r.path.toLowerCase().startsWith(`/v1/customers/${customerId}/orders`));
    expect(orders).toHaveLength(2);
    const subs = await pcSubscriptions(emulator, demo.partner.tenantId, customerId);
    expect(subs.map((s) => `${s.offerId.toUpperCase()} ${s.quantity}`).sort()).toEqual(
      [`${demo.offers.e3.id.toUpperCase()} 7`, `${demo.offers.ems.id.toUpperCase()} 3`].sort(),
    );
    await t.close();
  });
});

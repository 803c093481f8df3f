import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type FaultRule } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import {
  SimulatedCrash,
  type JournalPoint,
} from '../../server/workflows/engine/simulated-crash.js';
import { PC_BASE_URL, startTestApp, type TestApp } from '../support/app.js';
import {
  PLAN_CONSOLIDATION,
  consolidationState,
  demoTenants,
  playUntil,
  workflowStatus,
} from '../support/consolidation.js';

// "Nothing lost, nothing doubled": the same consolidation under 429 storms, 5xx, connection resets
// and process kills at seeded journal points ends exactly like the clean run.

const SEED = 11;
let dir: string;

interface Outcome {
  status: string;
  maxOverlapDays: number;
  /** customer → sorted "kind offer seats source→target" lines */
  items: Record<string, string[]>;
  /** customer → offer → number of subscriptions the target tenant has */
  targetCounts: Record<string, Record<string, number>>;
}

async function targetCounts(emulator: Emulator, targetTenantId: string, customerIds: string[]) {
  const out: Record<string, Record<string, number>> = {};
  for (const cid of customerIds) {
    const res = await emulator.fetch(`${PC_BASE_URL}/v1/customers/${cid}/subscriptions`, {
      headers: { authorization: `Bearer ${emulator.tokenFor(targetTenantId)}` },
    });
    const body = (await res.json()) as { items?: Array<{ offerId: string }> };
    const counts: Record<string, number> = {};
    for (const s of body.items ?? []) {
      counts[s.offerId.toUpperCase()] = (counts[s.offerId.toUpperCase()] ?? 0) + 1;
    }
    out[cid] = counts;
  }
  return out;
}

interface RunOptions {
  faults?: FaultRule[];
  /** Kill the first "process" at the nth journal point. */
  killAt?: number;
  countPoints?: { n: number };
}

/** Plans and runs the demo consolidation (never-accepting customers excluded) and reports its end state. */
async function run(name: string, options: RunOptions = {}): Promise<Outcome> {
  const emulator = createEmulator({ scenario: 'demo', seed: SEED });
  const databaseUrl = join(dir, `${name}.db`);
  const clock = clockFrom(emulator.clock);
  // The client's own rate limit is real-time; the emulator enforces Partner Center's (on its clock).
  const env = {
    WORKFLOW_RUNNER: 'off',
    DATABASE_URL: databaseUrl,
    PARTNER_CENTER_RATE_PER_MINUTE: '100000',
  };
  let seen = 0;
  const crashHook =
    options.killAt || options.countPoints
      ? (point: JournalPoint) => {
          void point;
          seen += 1;
          if (options.countPoints) {
            options.countPoints.n = seen;
          }
          if (options.killAt && seen === options.killAt) {
            throw new SimulatedCrash(`#${seen} ${point}`);
          }
        }
      : undefined;
  let t: TestApp = await startTestApp({
    emulator,
    clock,
    env,
    runner: {
      retryBaseMs: 1,
      retryMaxMs: 4,
      leaseMs: 200,
      maxAttempts: 30,
      ...(crashHook ? { crashHook } : {}),
    },
    partnerCenter: { retry: { maxAttempts: 2 } },
  });
  const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
    ?.organizationId as string;
  const token = await t.token(organizationId);
  const { target, sources } = await demoTenants(t, emulator, token);
  const skip = new Set(
    emulator.control
      .customers()
      .filter((c) => c.labels.includes('never-accepts'))
      .map((c) => c.tenantId),
  );
  const customerIds: string[] = [];
  for (const source of sources) {
    const res = await t.gql<{
      customers: { edges: Array<{ node: { id: string; tenantId: string } }> };
    }>(
      'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
      { token, variables: { id: source.id } },
    );
    customerIds.push(
      ...(res.body.data?.customers.edges ?? [])
        .filter((e) => !skip.has(e.node.tenantId))
        .map((e) => e.node.id),
    );
  }
  const planned = await t.gql<{ planTenantConsolidation: { workflow: { id: string } } }>(
    PLAN_CONSOLIDATION,
    {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: sources.map((s) => s.id),
          targetPartnerTenantId: target.id,
          customerIds,
        },
      },
    },
  );
  const id = planned.body.data?.planTenantConsolidation.workflow.id as string;
  await t.gql('mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }', {
    token,
    variables: { id },
  });
  for (const rule of options.faults ?? []) {
    emulator.control.addFault(rule);
  }

  const finished = async () => ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, id));
  try {
    await playUntil(t, emulator, finished);
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) {
      throw error;
    }
    // The process died: nothing of it survives but the database file. A new one takes over.
    await t.close();
    await new Promise((r) => setTimeout(r, 250)); // its leases expire
    t = await startTestApp({
      emulator,
      clock,
      env,
      runner: { retryBaseMs: 1, retryMaxMs: 4, leaseMs: 200, maxAttempts: 30 },
    });
    await playUntil(t, emulator, finished);
  }
  emulator.control.clearFaults();
  const state = await consolidationState(t, token, id);
  const items: Record<string, string[]> = {};
  for (const { node } of state.customers.edges) {
    items[node.customer.tenantId] = node.items
      .map(
        (i) =>
          `${i.kind} ${i.source.offerId} ${i.seats} ${i.source.status}→${i.target?.status ?? '-'}`,
      )
      .sort();
  }
  const moved = state.customers.edges
    .filter((e) => e.node.state === 'DONE')
    .map((e) => e.node.customer.tenantId);
  const outcome: Outcome = {
    status: state.status,
    maxOverlapDays: state.billingOverlap.maxOverlapDays,
    items,
    targetCounts: await targetCounts(emulator, target.tenantId, moved),
  };
  await t.close();
  return outcome;
}

describe('consolidation resilience', () => {
  let clean: Outcome;
  let points = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'resilience-'));
    const counter = { n: 0 };
    clean = await run('clean', { countPoints: counter });
    points = counter.n;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the clean run completes with no overlap', () => {
    expect(clean.status).toBe('COMPLETED');
    expect(clean.maxOverlapDays).toBe(0);
    expect(points).toBeGreaterThan(20);
  });

  const storms: Array<[string, FaultRule[]]> = [
    [
      '429 storms',
      [{ path: '/v1/*', status: 429, retryAfterSeconds: 1, probability: 0.3, seed: 1 }],
    ],
    [
      '5xx on every step kind',
      [
        { path: '/v1/*', status: 503, probability: 0.25, seed: 2 },
        { method: 'POST', path: '/v1/*', status: 500, probability: 0.3, seed: 3 },
      ],
    ],
    ['connection resets', [{ path: '/v1/*', kind: 'reset', probability: 0.2, seed: 4 }]],
  ];
  it.each(storms)(
    '%s end in the same state as the clean run',
    { timeout: 180_000 },
    async (name, faults) => {
      const outcome = await run(name.replace(/\W+/g, '-'), { faults });
      expect(outcome).toEqual(clean);
    },
  );

  // 20 seeded kill points spread over the whole run (mulberry32 from SEED).
  const killPoints = (() => {
    let a = SEED >>> 0;
    const random = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return Array.from({ length: 20 }, () => random());
  })();
  it.each(killPoints.map((r, i) => [i + 1, r] as const))(
    'kill #%i (at fraction %f of the journal points) then restart ends like the clean run',
    async (i, fraction) => {
      const killAt = Math.max(1, Math.floor(fraction * points));
      const outcome = await run(`kill-${i}`, { killAt });
      expect(outcome).toEqual(clean);
    },
  );
});

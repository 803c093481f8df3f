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
  demoTenants,
  playUntil,
  workflowStatus,
} from '../support/consolidation.js';
import { pathsState } from '../support/consolidation-paths.js';

// Issue 15: kills and faults during partner-to-partner transfers: no subscription lost or
// duplicated, the same end state as the clean run (the consolidation-resilience pattern).

const SEED = 11;
let dir: string;

interface Outcome {
  status: string;
  maxOverlapDays: number;
  /** customer → sorted "path offer seats source→target" lines */
  items: Record<string, string[]>;
  /** customer → "offer seats status" of every subscription, at the target and at the sources */
  partnerCenter: Record<string, { target: string[]; source: string[] }>;
  transfersCreated: number;
}

async function subscriptionLines(emulator: Emulator, tenantId: string, customerId: string) {
  const res = await emulator.fetch(`${PC_BASE_URL}/v1/customers/${customerId}/subscriptions`, {
    headers: { authorization: `Bearer ${emulator.tokenFor(tenantId)}` },
  });
  if (res.status !== 200) {
    return [];
  }
  const body = (await res.json()) as {
    items?: Array<{ offerId: string; quantity: number; status: string }>;
  };
  return (body.items ?? []).map((s) => `${s.offerId} ${s.quantity} ${s.status}`).sort();
}

interface RunOptions {
  faults?: FaultRule[];
  killAt?: number;
  /** Kill the first "process" at the first journal point this accepts (with the last PC request). */
  killWhen?: (point: JournalPoint, last: { method: string; path: string } | undefined) => boolean;
  countPoints?: { n: number };
}

async function run(name: string, options: RunOptions = {}): Promise<Outcome> {
  const emulator = createEmulator({ scenario: 'demo-today', seed: SEED });
  const clock = clockFrom(emulator.clock);
  const env = {
    WORKFLOW_RUNNER: 'off',
    DATABASE_URL: join(dir, `${name}.db`),
    PARTNER_CENTER_RATE_PER_MINUTE: '100000',
  };
  let seen = 0;
  let killed = false;
  const crashHook = (point: JournalPoint) => {
    if (options.killWhen && !killed) {
      if (options.killWhen(point, emulator.control.requests({ limit: 1 })[0])) {
        killed = true;
        throw new SimulatedCrash(
          `${point} after ${JSON.stringify(emulator.control.requests({ limit: 1 })[0]?.path)}`,
        );
      }
    }
    seen += 1;
    if (options.countPoints) {
      options.countPoints.n = seen;
    }
    if (options.killAt && seen === options.killAt) {
      throw new SimulatedCrash(`#${seen} ${point}`);
    }
  };
  const runner = { retryBaseMs: 1, retryMaxMs: 4, leaseMs: 200, maxAttempts: 30 };
  let t: TestApp = await startTestApp({
    emulator,
    clock,
    env,
    runner: { ...runner, crashHook },
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
  const tenantOf = new Map<string, string>();
  for (const source of sources) {
    const res = await t.gql<{
      customers: { edges: Array<{ node: { id: string; tenantId: string } }> };
    }>(
      'query($id: ID!) { customers(partnerTenantId: $id, first: 100) { edges { node { id tenantId } } } }',
      { token, variables: { id: source.id } },
    );
    for (const e of res.body.data?.customers.edges ?? []) {
      if (!skip.has(e.node.tenantId)) {
        customerIds.push(e.node.id);
        tenantOf.set(e.node.tenantId, source.tenantId);
      }
    }
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
    await playUntil(t, emulator, finished, { maxSteps: 300 });
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) {
      throw error;
    }
    await t.close();
    await new Promise((r) => setTimeout(r, 250));
    t = await startTestApp({ emulator, clock, env, runner });
    await playUntil(t, emulator, finished, { maxSteps: 300 });
  }
  emulator.control.clearFaults();
  const state = await pathsState(t, token, id);
  const items: Record<string, string[]> = {};
  const partnerCenter: Outcome['partnerCenter'] = {};
  for (const { node } of state.customers.edges) {
    const cid = node.customer.tenantId;
    items[cid] = node.items
      .map(
        (i) =>
          `${i.path} ${i.source.offerId} ${i.seats} ${i.source.status}→${i.target?.status ?? '-'}`,
      )
      .sort();
    partnerCenter[cid] = {
      target: await subscriptionLines(emulator, target.tenantId, cid),
      source: await subscriptionLines(emulator, tenantOf.get(cid) as string, cid),
    };
  }
  const transfersCreated = emulator.control
    .requests()
    .filter((e) => e.method === 'POST' && /\/transfers$/.test(e.path) && e.status === 201).length;
  await t.close();
  if (options.killWhen) {
    expect(killed).toBe(true);
  }
  return {
    status: state.status,
    maxOverlapDays: state.billingOverlap.maxOverlapDays,
    items,
    partnerCenter,
    transfersCreated,
  };
}

describe('consolidation by transfer: resilience (issue 15)', () => {
  let clean: Outcome;
  let points = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'transfer-resilience-'));
    const counter = { n: 0 };
    clean = await run('clean', { countPoints: counter });
    points = counter.n;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the clean run completes: transfers made, no overlap, no subscription active at both tenants', () => {
    expect(clean.status).toBe('COMPLETED');
    expect(clean.maxOverlapDays).toBe(0);
    expect(clean.transfersCreated).toBeGreaterThan(5);
    expect(points).toBeGreaterThan(20);
    for (const [cid, lines] of Object.entries(clean.items)) {
      if (lines.some((l) => l.startsWith('TRANSFER') && l.endsWith('→ACTIVE'))) {
        const activeAtTarget = clean.partnerCenter[cid]!.target.filter((l) =>
          l.endsWith(' active'),
        );
        const activeAtSource = clean.partnerCenter[cid]!.source.filter((l) =>
          l.endsWith(' active'),
        );
        // No new-commerce subscription active at both tenants after the transfer.
        for (const line of activeAtTarget.filter((l) => l.split(' ')[0]!.includes(':'))) {
          expect(activeAtSource).not.toContain(line);
        }
      }
    }
  });

  const storms: Array<[string, FaultRule[]]> = [
    [
      '5xx on transfer calls',
      [
        { path: '/v1/customers/*/transfers*', status: 503, probability: 0.3, seed: 2 },
        {
          method: 'POST',
          path: '/v1/customers/*/transfers',
          status: 500,
          probability: 0.4,
          seed: 3,
        },
      ],
    ],
    ['connection resets', [{ path: '/v1/*', kind: 'reset', probability: 0.2, seed: 4 }]],
  ];
  it.each(storms)(
    '%s end in the same state as the clean run',
    { timeout: 120_000 },
    async (name, faults) => {
      const outcome = await run(name.replace(/\W+/g, '-'), { faults });
      expect(outcome).toEqual(clean);
    },
  );

  it.each([
    ['a transfer was created, before its journal entry', 'POST', /\/transfers$/],
    ['the source accepted, before its journal entry', 'PATCH', /\/transfers\/[^/]+$/],
  ] as const)(
    'a kill right after %s: the restart finds it (no second request, no double move)',
    { timeout: 120_000 },
    async (_name, method, path) => {
      const outcome = await run(`kill-${method}`, {
        killWhen: (point, last) =>
          point === 'after-call' && last?.method === method && path.test(last.path),
      });
      expect(outcome).toEqual(clean);
    },
  );

  const killPoints = (() => {
    let a = SEED >>> 0;
    const random = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return Array.from({ length: 10 }, () => random());
  })();
  it.each(killPoints.map((r, i) => [i + 1, r] as const))(
    'kill #%i (at fraction %f of the journal points) then restart ends like the clean run',
    { timeout: 120_000 },
    async (i, fraction) => {
      const killAt = Math.max(1, Math.floor(fraction * points));
      const outcome = await run(`kill-${i}`, { killAt });
      expect(outcome).toEqual(clean);
    },
  );
});

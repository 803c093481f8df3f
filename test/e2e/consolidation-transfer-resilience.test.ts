import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type FaultRule } from 'partner-center-emulator';
import { PC_BASE_URL } from '../support/app.js';
import { pathsState } from '../support/consolidation-paths.js';
import {
  runWithKill,
  seededFractions,
  type KillRunOptions,
} from '../support/consolidation-kills.js';

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
  killWhen?: KillRunOptions['killWhen'];
  countPoints?: { n: number };
}

async function run(name: string, options: RunOptions = {}): Promise<Outcome> {
  const { t, emulator, token, workflowId, target, sourceOf, killed } = await runWithKill({
    scenario: 'demo-today',
    seed: SEED,
    databaseUrl: join(dir, `${name}.db`),
    maxSteps: 300,
    ...options,
  });
  const state = await pathsState(t, token, workflowId);
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
      source: await subscriptionLines(emulator, sourceOf.get(cid) as string, cid),
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

  it.each(seededFractions(SEED, 10).map((r, i) => [i + 1, r] as const))(
    'kill #%i (at fraction %f of the journal points) then restart ends like the clean run',
    { timeout: 120_000 },
    async (i, fraction) => {
      const killAt = Math.max(1, Math.floor(fraction * points));
      const outcome = await run(`kill-${i}`, { killAt });
      expect(outcome).toEqual(clean);
    },
  );
});

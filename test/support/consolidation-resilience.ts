import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type FaultRule } from 'partner-center-emulator';
import { PC_BASE_URL } from './app.js';
import { consolidationState } from './consolidation.js';
import { runWithKill, seededFractions } from './consolidation-kills.js';

// The consolidation-resilience tests (split over several files so they run in parallel): the same
// consolidation under 429 storms, 5xx, connection resets and process kills at seeded journal points
// ends exactly like the clean run.

export const SEED = 11;

export interface Outcome {
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

export interface RunOptions {
  faults?: FaultRule[];
  /** Kill the first "process" at the nth journal point. */
  killAt?: number;
  countPoints?: { n: number };
}

/** A temporary directory for the runs' database files. */
export function resilienceDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'resilience-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Plans and runs the demo consolidation (never-accepting customers excluded) and reports its end state. */
export async function run(dir: string, name: string, options: RunOptions = {}): Promise<Outcome> {
  const { t, emulator, token, workflowId, target } = await runWithKill({
    scenario: 'demo',
    seed: SEED,
    databaseUrl: join(dir, `${name}.db`),
    ...options,
  });
  const state = await consolidationState(t, token, workflowId);
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

/** The clean run and the number of journal points it passes (kill points are fractions of it). */
export async function cleanRun(dir: string): Promise<{ clean: Outcome; points: number }> {
  const counter = { n: 0 };
  const clean = await run(dir, 'clean', { countPoints: counter });
  return { clean, points: counter.n };
}

/** The 20 seeded kill points as [number, fraction of the journal points]. */
export const KILL_POINTS = seededFractions(SEED, 20).map((r, i) => [i + 1, r] as const);

/**
 * "Nothing lost, nothing doubled": process kills at the seeded journal points `KILL_POINTS[from,
 * to)`, each followed by a restart, end exactly like the clean run. The kills are split over
 * files (consolidation-resilience-kills-*.test.ts) so they run in parallel.
 */
export function describeKills(from: number, to: number): void {
  describe(`consolidation resilience: kills #${from + 1}–#${to}`, () => {
    let dir: ReturnType<typeof resilienceDir>;
    let clean: Outcome;
    let points = 0;

    beforeAll(async () => {
      dir = resilienceDir();
      ({ clean, points } = await cleanRun(dir.path));
      // The reference the kills are compared with, and the journal points they are spread over.
      expect(clean.status).toBe('COMPLETED');
      expect(points).toBeGreaterThan(20);
    }, 120_000);
    afterAll(() => dir.remove());

    it.each(KILL_POINTS.slice(from, to))(
      'kill #%i (at fraction %f of the journal points) then restart ends like the clean run',
      { timeout: 120_000 },
      async (i, fraction) => {
        const killAt = Math.max(1, Math.floor(fraction * points));
        const outcome = await run(dir.path, `kill-${i}`, { killAt });
        expect(outcome).toEqual(clean);
      },
    );
  });
}

import { createEmulator, type Emulator, type FaultRule } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import {
  SimulatedCrash,
  type JournalPoint,
} from '../../server/workflows/engine/simulated-crash.js';
import { startTestApp, type TestApp } from './app.js';
import {
  PLAN_CONSOLIDATION,
  demoTenants,
  playUntil,
  workflowStatus,
  type TenantRow,
} from './consolidation.js';

// The kill-and-restart loop of the resilience tests ("nothing lost, nothing doubled"): one
// consolidation of the demo organization, under faults and/or a simulated process death at a
// journal point, after which a new "process" takes over from the database file alone.

/** `count` fractions in [0, 1) from mulberry32(seed): kill points spread over the whole run. */
export function seededFractions(seed: number, count: number): number[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => random());
}

export interface KillRunOptions {
  scenario: 'demo' | 'demo-today';
  seed: number;
  /** A SQLite file: the only thing that survives the killed process. */
  databaseUrl: string;
  faults?: FaultRule[];
  /** Kill the first "process" at the nth journal point. */
  killAt?: number;
  /** Kill the first "process" at the first journal point this accepts (with the last PC request). */
  killWhen?: (point: JournalPoint, last: { method: string; path: string } | undefined) => boolean;
  /** Set to the number of journal points the first process passed. */
  countPoints?: { n: number };
  /** Clock moves `playUntil` may make per process (its default otherwise). */
  maxSteps?: number;
}

export interface KillRun {
  /** The process that finished the run (the restarted one after a kill); the caller closes it. */
  t: TestApp;
  emulator: Emulator;
  token: string;
  workflowId: string;
  target: TenantRow;
  sources: TenantRow[];
  /** Planned customer tenant → its source partner tenant (never-accepting customers excluded). */
  sourceOf: Map<string, string>;
  /** Whether `killWhen` fired. */
  killed: boolean;
}

/**
 * Plans and runs the demo consolidation (never-accepting customers excluded); faults are on from
 * the start of the run and cleared at its end. Returns the finished run for the caller to read.
 */
export async function runWithKill(options: KillRunOptions): Promise<KillRun> {
  const emulator = createEmulator({ scenario: options.scenario, seed: options.seed });
  const clock = clockFrom(emulator.clock);
  // The client's own rate limit is real-time; the emulator enforces Partner Center's (on its clock).
  const env = {
    WORKFLOW_RUNNER: 'off',
    DATABASE_URL: options.databaseUrl,
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
  const sourceOf = new Map<string, string>();
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
        sourceOf.set(e.node.tenantId, source.tenantId);
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
  const workflowId = planned.body.data?.planTenantConsolidation.workflow.id as string;
  await t.gql('mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }', {
    token,
    variables: { id: workflowId },
  });
  for (const rule of options.faults ?? []) {
    emulator.control.addFault(rule);
  }
  const finished = async () =>
    ['COMPLETED', 'FAILED'].includes(await workflowStatus(t, token, workflowId));
  const play = options.maxSteps ? { maxSteps: options.maxSteps } : {};
  try {
    await playUntil(t, emulator, finished, play);
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) {
      throw error;
    }
    // The process died: nothing of it survives but the database file. A new one takes over.
    await t.close();
    await new Promise((r) => setTimeout(r, 250)); // its leases expire
    t = await startTestApp({ emulator, clock, env, runner });
    await playUntil(t, emulator, finished, play);
  }
  emulator.control.clearFaults();
  return { t, emulator, token, workflowId, target, sources, sourceOf, killed };
}

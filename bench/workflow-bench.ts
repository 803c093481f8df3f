import { sequentialBaseline } from './baseline.js';
import { LATENCY_MS, LIMIT_PER_SECOND, log, round, SIZE, WORKFLOW_SCENARIO } from './bench-args.js';
import {
  acceptAll,
  layout,
  plan,
  runToEnd,
  utilization,
  type Layout,
} from './consolidation-driver.js';
import { pathFigures } from './call-budget.js';
import { ServerProcess } from './server-process.js';

// The workflow throughput benchmark: one consolidation within Partner Center's rate limits against
// a sequential client's baseline; `consolidation()` is shared with the growth benchmark.

/** The engine and client settings the workflow benchmarks run with (documented in README). */
export function workflowEnv(limitPerSecond: number | null): Record<string, string> {
  return { ...workflowLimits(limitPerSecond), GRAPHQL_TIMEOUT_MS: PLAN_TIMEOUT_MS };
}

// A plan of 5,000 customers reads 10,000 Partner Center resources in one mutation (29 s on an
// idle machine): the bench lifts the 30 s operation limit rather than fail on a busy one.
const PLAN_TIMEOUT_MS = '600000';

function workflowLimits(limitPerSecond: number | null): Record<string, string> {
  return limitPerSecond === null
    ? {
        PARTNER_CENTER_RATE_PER_MINUTE: '6000000',
        PARTNER_CENTER_CONCURRENCY: '32',
        WORKFLOW_CONCURRENCY: '64',
      }
    : {
        // Our limiter at the emulator's limit, with a burst no larger than its bucket.
        PARTNER_CENTER_RATE_PER_MINUTE: String(limitPerSecond * 60),
        PARTNER_CENTER_BURST: String(limitPerSecond),
        // 200 ms × 50/s = 10 calls in flight per tenant keep the budget busy; 16 leaves slack.
        PARTNER_CENTER_CONCURRENCY: '16',
        WORKFLOW_CONCURRENCY: '128',
      };
}

export async function consolidation(
  server: ServerProcess,
  l: Layout,
  customers: Layout['customers'],
  options: { timeoutMs: number; limitPerSecond: number | null },
) {
  await acceptAll(server, l.target.tenantId, customers);
  const beforePlan = await server.stats(Number.MAX_SAFE_INTEGER);
  const planned = await plan(server, l, customers);
  log(
    `planned ${customers.length} customers, ${planned.items} items in ${round(planned.seconds)}s`,
  );
  const before = await server.stats(Number.MAX_SAFE_INTEGER);
  const run = await runToEnd(server, planned.id, { timeoutMs: options.timeoutMs });
  const stats = await server.stats(run.startMs);
  const engine = await server.engine();
  const count = (kind: string, status?: string) =>
    engine.items
      .filter((i) => i.kind === kind && (!status || i.status === status))
      .reduce((a, i) => a + i.n, 0);
  const events = (type: string) => engine.events.find((e) => e.type === type)?.n ?? 0;
  const migrated =
    count('LICENSE_REPROVISION', 'DONE') +
    count('AZURE_SUPPORT_MIGRATION', 'DONE') +
    count('SUBSCRIPTION_TRANSFER', 'DONE');
  const subscriptions = engine.items
    .filter((i) => !['CUSTOMER', 'SUPPORT_REQUEST', 'TRANSFER_REQUEST'].includes(i.kind))
    .reduce((a, i) => a + i.n, 0);
  const util =
    options.limitPerSecond === null
      ? null
      : utilization(stats.calls, stats.tenants, run, options.limitPerSecond);
  return {
    planned,
    run,
    stats,
    migrated,
    subscriptions,
    paths: pathFigures(stats, engine.customerItems),
    licenses: count('LICENSE_REPROVISION'),
    failedItems: engine.items.filter((i) => i.status === 'FAILED').reduce((a, i) => a + i.n, 0),
    failedSteps: events('STEP_FAILED'),
    stepRetries: events('STEP_RETRY'),
    util,
    peakRssMb: Math.max(server.peakRssMb(), stats.peakRssMb),
    emulatorPeakRssMb: server.emulatorPeakRssMb(),
    /** CPU seconds of the API process during the run (the machine is shared: wall time is noisy). */
    cpuSeconds: stats.cpuSeconds - before.cpuSeconds,
    /** CPU seconds of the API process planning (the inventory: our cost too, grows with customers). */
    planCpuSeconds: before.cpuSeconds - beforePlan.cpuSeconds,
  };
}

export async function workflowBench() {
  const n = SIZE.workflowCustomers;
  const b = SIZE.baselineCustomers;
  log(
    `workflow: ${n} customers × 10 subscriptions, throttle ${LIMIT_PER_SECOND}/s per tenant, ${LATENCY_MS} ms latency`,
  );
  const server = await ServerProcess.start({
    // Spare customers for the baseline; every fifth customer has Azure and is skipped there.
    scenario: `${WORKFLOW_SCENARIO}:${n + 2 * b}`,
    throttlePerSecond: LIMIT_PER_SECOND,
    latencyMs: LATENCY_MS,
    env: workflowEnv(LIMIT_PER_SECOND),
  });
  try {
    const l = await layout(server);
    const workflowCustomers = l.customers.slice(0, n);
    const baselineCustomers = l.customers
      .slice(n)
      .filter((c) => l.customers.indexOf(c) % 5 !== 0) // no Azure: the baseline moves licenses only
      .slice(0, b);
    const result = await consolidation(server, l, workflowCustomers, {
      timeoutMs: 30 * 60_000,
      limitPerSecond: LIMIT_PER_SECOND,
    });
    log(
      `workflow ${result.run.status} in ${round(result.run.wallSeconds)}s, utilization ${round(result.util?.utilization ?? 0)}`,
    );

    log(`baseline: ${baselineCustomers.length} customers, one call at a time`);
    await acceptAll(server, l.target.tenantId, baselineCustomers);
    const baseline = await sequentialBaseline(server, l.target.tenantId, baselineCustomers);
    // Extrapolated to the workflow's license subscriptions (Azure moves are Microsoft's, not timed).
    const baselineWallSeconds = baseline.secondsPerSubscription * result.licenses;
    const throttled429 = result.stats.calls.filter((c) => c[2] === 429).length;
    return {
      customers: n,
      subscriptions: result.subscriptions,
      status: result.run.status,
      utilization: result.util?.utilization ?? 0,
      utilizationPerTenant: result.util?.perTenant ?? [],
      utilizationAllTenants: result.util?.allTenants ?? 0,
      pcCalls: result.stats.calls.length,
      callsPerSubscription: result.stats.calls.length / Math.max(1, result.migrated),
      migratedSubscriptions: result.migrated,
      paths: result.paths,
      throttled429,
      failedSteps: result.failedSteps,
      failedItems: result.failedItems,
      stepRetries: result.stepRetries,
      wallSeconds: result.run.wallSeconds,
      planSeconds: result.planned.seconds,
      clockAdvances: result.run.clockAdvances,
      baselineWallSeconds,
      baseline,
      speedup: baselineWallSeconds / result.run.wallSeconds,
    };
  } finally {
    await server.stop();
  }
}

export type WorkflowBenchResult = Awaited<ReturnType<typeof workflowBench>>;

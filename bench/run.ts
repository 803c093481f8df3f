import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sequentialBaseline } from './baseline.js';
import {
  acceptAll,
  layout,
  plan,
  runToEnd,
  utilization,
  type Layout,
} from './consolidation-driver.js';
import { apiBench } from './api-bench.js';
import { pathFigures, type PathFigure } from './call-budget.js';
import { probeEmulatorMemory, type EmulatorMemoryRow } from './emulator-memory.js';
import { type LoadResult } from './load.js';
import { ServerProcess } from './server-process.js';

// `npm run bench [-- --quick] [-- --only=api,workflow,growth,emulator]`: API read throughput, workflow
// throughput within Partner Center's rate limits, and cost growth. Writes bench/results/latest.json
// and prints a table. `--quick` runs everything at about a tenth of the size; `--response-cache=off`
// measures the API reads without the GraphQL response cache.

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (name: string) => !only || only.includes(name);
// `--response-cache=off`: the API reads without the GraphQL response cache (issue 20), for A/B runs.
const responseCache = !args.includes('--response-cache=off');
// `--growth=100,500`: other sizes for the growth benchmark.
const growthSizes = args
  .find((a) => a.startsWith('--growth='))
  ?.slice('--growth='.length)
  .split(',')
  .map(Number);
// `--heap=384`: the API process's V8 old-space cap (MB) for the growth runs (default 2,048).
const heapArg = args.find((a) => a.startsWith('--heap='))?.slice('--heap='.length);
const API_HEAP_MB = heapArg ? Number(heapArg) : 2048;
// `--workflow-scenario=large-today`: the preset of the workflow benchmark (new-commerce offers).
const WORKFLOW_SCENARIO =
  args.find((a) => a.startsWith('--workflow-scenario='))?.slice('--workflow-scenario='.length) ??
  'large';
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const SIZE = {
  apiCustomers: quick ? 500 : 5_000,
  apiSeconds: quick ? 3 : 10,
  // Quick mode stays under 3 minutes on the shared 2-core machine (issue 9).
  workflowCustomers: quick ? 40 : 1_000,
  baselineCustomers: quick ? 1 : 8,
  growth: growthSizes ?? (quick ? [100, 400] : [100, 1_000, 5_000]),
  // The emulator alone: the preset held at 5,000 × 11, a consolidation-like load at these sizes.
  emulatorHold: 5_000,
  emulatorLoad: quick ? [200] : [1_000, 2_000, 5_000],
};
const CONNECTIONS = 10;
const LIMIT_PER_SECOND = 50;
const LATENCY_MS = 200;

// ---- workflow throughput -----------------------------------------------------------------------

/** The engine and client settings the workflow benchmarks run with (documented in README). */
function workflowEnv(limitPerSecond: number | null): Record<string, string> {
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

async function consolidation(
  server: ServerProcess,
  l: Layout,
  customers: Layout['customers'],
  options: { timeoutMs: number; limitPerSecond: number | null },
) {
  await acceptAll(server, l.target.tenantId, customers);
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
  };
}

async function workflowBench() {
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

// ---- growth ------------------------------------------------------------------------------------

async function growthBench() {
  const rows = [];
  for (const customers of SIZE.growth) {
    log(`growth: ${customers} customers (no throttle, no latency: our own cost)`);
    const server = await ServerProcess.start({
      scenario: `large:${customers}`,
      throttlePerSecond: null,
      latencyMs: 0,
      env: workflowEnv(null),
      heapMb: API_HEAP_MB,
    });
    try {
      const l = await layout(server);
      const result = await consolidation(server, l, l.customers, {
        timeoutMs: 60 * 60_000,
        limitPerSecond: null,
      });
      rows.push({
        customers,
        status: result.run.status,
        wallSeconds: result.run.wallSeconds,
        planSeconds: result.planned.seconds,
        msPerCustomer: (result.run.wallSeconds * 1000) / customers,
        cpuMsPerCustomer: (result.cpuSeconds * 1000) / customers,
        cpuSeconds: result.cpuSeconds,
        pcCalls: result.stats.calls.length,
        peakRssMb: result.peakRssMb,
        emulatorPeakRssMb: result.emulatorPeakRssMb,
        apiPeak: result.stats.peak,
      });
      log(
        `growth ${customers}: ${result.run.status} ${round(result.run.wallSeconds)}s (API CPU ${round(result.cpuSeconds)}s), plan ${round(result.planned.seconds)}s, peak RSS ${round(result.peakRssMb)} MB (emulator ${round(result.emulatorPeakRssMb)} MB)`,
      );
    } finally {
      await server.stop();
    }
  }
  return rows;
}

// ---- report ------------------------------------------------------------------------------------

const roundOrNull = (n: number | null, digits = 2) => (n === null ? null : round(n, digits));

function pathDetail(p: PathFigure) {
  return {
    customers: p.customers,
    subscriptions: p.subscriptions,
    calls: p.calls,
    limitingTenantCallsPerSubscription: roundOrNull(p.limitingTenantCallsPerSubscription, 3),
    byRoute: p.byRoute,
  };
}

function describePath(p: PathFigure): string {
  if (p.callsPerSubscription === null) {
    return `n/a: ${p.reason ?? ''}`;
  }
  return `${round(p.callsPerSubscription, 2)} calls/sub (${p.calls} calls, ${p.subscriptions} subscriptions of ${p.customers} customers; ${round(p.limitingTenantCallsPerSubscription ?? 0, 2)}/sub on the limiting tenant: 10,000 subscriptions ≈ ${round(p.projectedMinutesFor10k ?? 0, 0)} min at 500/min)`;
}

function table(rows: Array<[string, string, string]>): string {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const benchmarks: Record<string, unknown> = {};
  const lines: Array<[string, string, string]> = [['benchmark', 'result', 'target']];

  if (wanted('api')) {
    const api = await apiBench({
      customers: SIZE.apiCustomers,
      seconds: SIZE.apiSeconds,
      connections: CONNECTIONS,
      responseCache,
      log,
    });
    const pick = (r: LoadResult) => ({
      rps: round(r.rps, 1),
      p50Ms: round(r.p50Ms),
      p99Ms: round(r.p99Ms),
    });
    benchmarks['api.floor'] = pick(api.floor);
    benchmarks['api.customersPage'] = {
      ...pick(api.customersPage),
      ratioToFloor: round(api.customersPage.ratioToFloor, 3),
      pcCallsPerRequest: round(api.customersPage.pcCallsPerRequest, 3),
      cacheHitRatio: round(api.customersPage.cacheHitRatio, 3),
      coldMs: round(api.customersPage.coldMs),
      coldPcCalls: round(api.customersPage.coldPcCalls, 1),
      coldP50Ms: round(api.customersPage.coldP50Ms, 1),
      coldP99Ms: round(api.customersPage.coldP99Ms, 1),
      coldSamples: api.customersPage.coldSamples,
      responseCacheHitRatio: round(api.customersPage.responseCacheHitRatio, 3),
    };
    benchmarks['api.workflowPage'] = {
      ...pick(api.workflowPage),
      ratioToFloor: round(api.workflowPage.ratioToFloor, 3),
      pcCallsPerRequest: round(api.workflowPage.pcCallsPerRequest, 3),
      items: api.workflowPage.items,
      responseCacheHitRatio: round(api.workflowPage.responseCacheHitRatio, 3),
      responseCacheSkipped: api.workflowPage.responseCacheSkipped,
      responseCacheStaleBy: api.workflowPage.responseCacheStaleBy,
    };
    lines.push(
      ['api.floor', `${round(api.floor.rps, 0)} req/s, p99 ${round(api.floor.p99Ms, 1)} ms`, ''],
      [
        'api.customersPage',
        `${round(api.customersPage.rps, 0)} req/s, p99 ${round(api.customersPage.p99Ms, 1)} ms, ratio ${round(api.customersPage.ratioToFloor, 3)}, ${round(api.customersPage.pcCallsPerRequest, 3)} PC calls/req, read-cache hit ${round(api.customersPage.cacheHitRatio, 3)}, response-cache hit ${round(api.customersPage.responseCacheHitRatio, 3)}; cold p50 ${round(api.customersPage.coldP50Ms, 0)} ms, p99 ${round(api.customersPage.coldP99Ms, 0)} ms`,
        'ratio ≥ 0.25, p99 ≤ 50 ms',
      ],
      [
        'api.workflowPage',
        `${round(api.workflowPage.rps, 0)} req/s, p99 ${round(api.workflowPage.p99Ms, 1)} ms, ratio ${round(api.workflowPage.ratioToFloor, 3)}, response-cache hit ${round(api.workflowPage.responseCacheHitRatio, 3)}`,
        'ratio ≥ 0.1, p99 ≤ 100 ms',
      ],
    );
  }
  if (wanted('workflow')) {
    const wf = await workflowBench();
    benchmarks['workflow.consolidation'] = {
      customers: wf.customers,
      subscriptions: wf.subscriptions,
      status: wf.status,
      utilization: round(wf.utilization, 3),
      callsPerSubscription: {
        all: round(wf.callsPerSubscription, 3),
        reprovision: roundOrNull(wf.paths.reprovision.callsPerSubscription, 3),
        transfer: roundOrNull(wf.paths.transfer.callsPerSubscription, 3),
        ...(wf.paths.transfer.reason ? { transferReason: wf.paths.transfer.reason } : {}),
      },
      // 10,000 subscriptions at Partner Center's 500 requests/min on the busiest tenant.
      projected10kMinutes: {
        reprovision: roundOrNull(wf.paths.reprovision.projectedMinutesFor10k, 1),
        transfer: roundOrNull(wf.paths.transfer.projectedMinutesFor10k, 1),
      },
      throttled429: wf.throttled429,
      failedSteps: wf.failedSteps,
      wallSeconds: round(wf.wallSeconds, 1),
      baselineWallSeconds: round(wf.baselineWallSeconds, 1),
      speedup: round(wf.speedup, 1),
      details: {
        pcCalls: wf.pcCalls,
        migratedSubscriptions: wf.migratedSubscriptions,
        paths: {
          reprovision: pathDetail(wf.paths.reprovision),
          transfer: pathDetail(wf.paths.transfer),
        },
        failedItems: wf.failedItems,
        stepRetries: wf.stepRetries,
        planSeconds: round(wf.planSeconds, 1),
        clockAdvances: wf.clockAdvances,
        limitPerSecondPerTenant: LIMIT_PER_SECOND,
        utilizationAllTenants: round(wf.utilizationAllTenants, 3),
        latencyMs: LATENCY_MS,
        utilizationPerTenant: wf.utilizationPerTenant.map((t) => ({
          ...t,
          busySeconds: round(t.busySeconds, 1),
          utilization: round(t.utilization, 3),
        })),
        baseline: {
          ...wf.baseline,
          wallSeconds: round(wf.baseline.wallSeconds, 1),
          secondsPerSubscription: round(wf.baseline.secondsPerSubscription, 3),
        },
      },
    };
    lines.push([
      'workflow.consolidation',
      `${wf.customers} customers ${wf.status} in ${round(wf.wallSeconds, 1)} s, utilization ${round(wf.utilization, 3)}, ${round(wf.callsPerSubscription, 2)} calls/sub, ${wf.throttled429} × 429, ${wf.failedSteps} failed steps, ${round(wf.speedup, 1)}× baseline (${round(wf.baselineWallSeconds, 0)} s)`,
      'util ≥ 0.85, 0 failed, ≥ 5×',
    ]);
    lines.push(
      ['workflow.callsPerSubscription.reprovision', describePath(wf.paths.reprovision), '≤ 2.5'],
      ['workflow.callsPerSubscription.transfer', describePath(wf.paths.transfer), '≤ 0.5'],
    );
  }
  if (wanted('growth')) {
    const growth = await growthBench();
    benchmarks.growth = growth.map((g) => ({
      customers: g.customers,
      wallSeconds: round(g.wallSeconds, 1),
      peakRssMb: round(g.peakRssMb, 0),
      emulatorPeakRssMb: round(g.emulatorPeakRssMb, 0),
      msPerCustomer: round(g.msPerCustomer, 1),
      cpuSeconds: round(g.cpuSeconds, 1),
      cpuMsPerCustomer: round(g.cpuMsPerCustomer, 1),
      planSeconds: round(g.planSeconds, 1),
      status: g.status,
      apiHeapCapMb: API_HEAP_MB,
      apiPeakHeapUsedMb: round(g.apiPeak.heapUsedMb, 0),
      apiPeakHeapTotalMb: round(g.apiPeak.heapTotalMb, 0),
      apiPeakExternalMb: round(g.apiPeak.externalMb, 0),
    }));
    for (const g of growth) {
      lines.push([
        `growth ${g.customers}`,
        `${g.status} ${round(g.wallSeconds, 1)} s (${round(g.msPerCustomer, 1)} ms/customer; API CPU ${round(g.cpuMsPerCustomer, 1)} ms/customer), peak RSS ${round(g.peakRssMb, 0)} MB (heap ≤ ${round(g.apiPeak.heapUsedMb, 0)} MB used of ${round(g.apiPeak.heapTotalMb, 0)}, external ${round(g.apiPeak.externalMb, 0)} MB; --max-old-space-size=${API_HEAP_MB}) (emulator ${round(g.emulatorPeakRssMb, 0)} MB)`,
        g.customers === SIZE.growth.at(-1) ? 'linear ±30%, ≤ 450 MB' : '',
      ]);
    }
  }

  if (wanted('emulator')) {
    const rows: EmulatorMemoryRow[] = [];
    log(`emulator memory: large ${SIZE.emulatorHold} × 11 held`);
    rows.push(
      await probeEmulatorMemory({
        customers: SIZE.emulatorHold,
        subscriptionsPerCustomer: 11,
        load: false,
      }),
    );
    for (const customers of SIZE.emulatorLoad) {
      log(`emulator memory: large ${customers} × 11 and a consolidation-like load`);
      rows.push(await probeEmulatorMemory({ customers, subscriptionsPerCustomer: 11, load: true }));
    }
    benchmarks['emulator.memory'] = rows.map((r) => ({
      customers: r.customers,
      subscriptions: r.subscriptions,
      load: r.loadedHeapMb !== null,
      heldHeapMb: round(r.heldHeapMb, 0),
      heldRssMb: round(r.heldRssMb, 0),
      loadedHeapMb: roundOrNull(r.loadedHeapMb, 0),
      loadedRssMb: roundOrNull(r.loadedRssMb, 0),
      peakRssMb: round(r.peakRssMb, 0),
      heldKbPerCustomer: round(r.heldKbPerCustomer, 1),
      loadKbPerCustomer: roundOrNull(r.loadKbPerCustomer, 1),
      calls: r.calls,
      loadSeconds: round(r.loadSeconds, 1),
      records: r.records,
    }));
    for (const r of rows) {
      lines.push([
        `emulator.memory ${r.customers} × 11${r.loadedHeapMb === null ? ' held' : ' + load'}`,
        r.loadedHeapMb === null
          ? `heap ${round(r.heldHeapMb, 0)} MB (${round(r.heldKbPerCustomer, 1)} KB/customer), RSS ${round(r.heldRssMb, 0)} MB`
          : `heap ${round(r.heldHeapMb, 0)} → ${round(r.loadedHeapMb, 0)} MB after ${r.calls} calls (+${round(r.loadKbPerCustomer ?? 0, 1)} KB/customer), RSS ${round(r.loadedRssMb ?? 0, 0)} MB, peak ${round(r.peakRssMb, 0)} MB; ${r.records.idempotency} replay, ${r.records.audit} audit records`,
        r.customers === 5_000 ? '≤ 1 GB' : '',
      ]);
    }
  }

  const report = {
    node: process.version,
    cpus: cpus().length,
    quick,
    responseCache,
    loadAverage: loadavg().map((n) => round(n, 1)),
    durationSeconds: round((performance.now() - started) / 1000, 1),
    benchmarks,
  };
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/bench/run.js → <repo>/bench/results
  const resultsDir = join(here, '..', '..', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`\n${table(lines)}\n\nReport: bench/results/latest.json\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

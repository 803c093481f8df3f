import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApiReport } from './api-bench.js';
import {
  API_HEAP_MB,
  LATENCY_MS,
  LIMIT_PER_SECOND,
  quick,
  responseCache,
  round,
  roundOrNull,
  SIZE,
} from './bench-args.js';
import { type PathFigure } from './call-budget.js';
import { type EmulatorMemoryRow } from './emulator-memory.js';
import { type GrowthRow } from './growth-bench.js';
import { type LoadResult } from './load.js';
import { type WorkflowBenchResult } from './workflow-bench.js';

// The bench's report: each benchmark's entries of bench/results/latest.json and its table rows.

export type Line = [string, string, string];

/** What one benchmark adds to the report. */
export interface Section {
  benchmarks: Record<string, unknown>;
  lines: Line[];
}

function pathDetail(p: PathFigure) {
  return {
    customers: p.customers,
    subscriptions: p.subscriptions,
    calls: p.calls,
    limitingTenantCallsPerSubscription: roundOrNull(p.limitingTenantCallsPerSubscription, 3),
    byRoute: p.byRoute,
    watchCalls: p.watchCalls,
    callsPerSubscriptionWithWatch: roundOrNull(p.callsPerSubscriptionWithWatch, 3),
  };
}

function describePath(p: PathFigure): string {
  if (p.callsPerSubscription === null) {
    return `n/a: ${p.reason ?? ''}`;
  }
  const watch =
    p.watchCalls > 0
      ? `; with the ${p.watchCalls} calls of the watch after completion ${round(p.callsPerSubscriptionWithWatch ?? 0, 2)}/sub`
      : '';
  return `${round(p.callsPerSubscription, 2)} calls/sub (${p.calls} calls, ${p.subscriptions} subscriptions of ${p.customers} customers; ${round(p.limitingTenantCallsPerSubscription ?? 0, 2)}/sub on the limiting tenant: 10,000 subscriptions ≈ ${round(p.projectedMinutesFor10k ?? 0, 0)} min at 500/min${watch})`;
}

function table(rows: Array<[string, string, string]>): string {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

export function apiSection(api: ApiReport): Section {
  const b: Record<string, unknown> = {};
  const lines: Line[] = [];
  const pick = (r: LoadResult) => ({
    rps: round(r.rps, 1),
    p50Ms: round(r.p50Ms),
    p99Ms: round(r.p99Ms),
  });
  b['api.floor'] = pick(api.floor);
  b['api.customersPage'] = {
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
  b['api.workflowPage'] = {
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
  return { benchmarks: b, lines };
}

export function workflowSection(wf: WorkflowBenchResult): Section {
  const b: Record<string, unknown> = {};
  const lines: Line[] = [];
  b['workflow.consolidation'] = {
    customers: wf.customers,
    subscriptions: wf.subscriptions,
    status: wf.status,
    utilization: round(wf.utilization, 3),
    callsPerSubscription: {
      all: round(wf.callsPerSubscription, 3),
      reprovision: roundOrNull(wf.paths.reprovision.callsPerSubscription, 3),
      transfer: roundOrNull(wf.paths.transfer.callsPerSubscription, 3),
      transferWithWatch: roundOrNull(wf.paths.transfer.callsPerSubscriptionWithWatch, 3),
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
  return { benchmarks: b, lines };
}

/** API CPU (run) per customer added between consecutive growth sizes. */
export function marginalCpu(
  growth: Pick<GrowthRow, 'customers' | 'cpuSeconds'>[],
): Array<{ from: number; to: number; cpuMsPerCustomer: number }> {
  const steps: Array<{ from: number; to: number; cpuMsPerCustomer: number }> = [];
  for (let i = 1; i < growth.length; i++) {
    const a = growth[i - 1]!;
    const z = growth[i]!;
    if (z.customers > a.customers) {
      steps.push({
        from: a.customers,
        to: z.customers,
        cpuMsPerCustomer: round(
          ((z.cpuSeconds - a.cpuSeconds) * 1000) / (z.customers - a.customers),
          1,
        ),
      });
    }
  }
  return steps;
}

export function growthSection(growth: GrowthRow[]): Section {
  const b: Record<string, unknown> = {};
  const lines: Line[] = [];
  b.growth = growth.map((g) => ({
    customers: g.customers,
    wallSeconds: round(g.wallSeconds, 1),
    peakRssMb: round(g.peakRssMb, 0),
    emulatorPeakRssMb: round(g.emulatorPeakRssMb, 0),
    msPerCustomer: round(g.msPerCustomer, 1),
    cpuSeconds: round(g.cpuSeconds, 1),
    cpuMsPerCustomer: round(g.cpuMsPerCustomer, 1),
    planSeconds: round(g.planSeconds, 1),
    planCpuSeconds: round(g.planCpuSeconds, 1),
    planCpuMsPerCustomer: round(g.planCpuMsPerCustomer, 1),
    status: g.status,
    apiHeapCapMb: API_HEAP_MB,
    apiPeakHeapUsedMb: round(g.apiPeak.heapUsedMb, 0),
    apiPeakHeapTotalMb: round(g.apiPeak.heapTotalMb, 0),
    apiPeakExternalMb: round(g.apiPeak.externalMb, 0),
  }));
  for (const g of growth) {
    lines.push([
      `growth ${g.customers}`,
      `${g.status} ${round(g.wallSeconds, 1)} s (${round(g.msPerCustomer, 1)} ms/customer; API CPU ${round(g.cpuMsPerCustomer, 1)} ms/customer, planning ${round(g.planCpuMsPerCustomer, 1)}), peak RSS ${round(g.peakRssMb, 0)} MB (heap ≤ ${round(g.apiPeak.heapUsedMb, 0)} MB used of ${round(g.apiPeak.heapTotalMb, 0)}, external ${round(g.apiPeak.externalMb, 0)} MB; --max-old-space-size=${API_HEAP_MB}) (emulator ${round(g.emulatorPeakRssMb, 0)} MB)`,
      g.customers === SIZE.growth.at(-1) ? 'linear ±30%, ≤ 450 MB' : '',
    ]);
  }
  const first = growth[0];
  const last = growth.at(-1);
  if (first && last && growth.length > 1) {
    // Issue 20 target 4: API CPU per customer from the smallest to the largest size within ±30%.
    const change = (a: number, z: number) => (a > 0 ? round((z / a - 1) * 100, 0) : null);
    // The average per customer carries the run's fixed cost (JIT warm-up, first reads), which
    // weighs most at the smallest size; the marginal cost (CPU of the customers added between two
    // sizes) is what grows if anything is quadratic.
    const marginal = marginalCpu(growth);
    const firstStep = marginal[0];
    const lastStep = marginal.at(-1);
    const marginalChange =
      firstStep && lastStep ? change(firstStep.cpuMsPerCustomer, lastStep.cpuMsPerCustomer) : null;
    b['growth.linearity'] = {
      from: first.customers,
      to: last.customers,
      cpuMsPerCustomerChangePct: change(first.cpuMsPerCustomer, last.cpuMsPerCustomer),
      planCpuMsPerCustomerChangePct: change(first.planCpuMsPerCustomer, last.planCpuMsPerCustomer),
      marginalCpuMsPerCustomer: marginal,
      marginalCpuMsPerCustomerChangePct: marginal.length > 1 ? marginalChange : null,
    };
    lines.push([
      'growth.linearity',
      `API CPU per customer ${first.customers} → ${last.customers}: run ${change(first.cpuMsPerCustomer, last.cpuMsPerCustomer) ?? 'n/a'}%, plan ${change(first.planCpuMsPerCustomer, last.planCpuMsPerCustomer) ?? 'n/a'}%; per added customer ${marginal.map((m) => `${m.from} → ${m.to}: ${m.cpuMsPerCustomer} ms`).join(', ')}${marginal.length > 1 ? ` (${marginalChange ?? 'n/a'}%)` : ''}`,
      '±30%',
    ]);
  }
  return { benchmarks: b, lines };
}

export function emulatorSection(rows: EmulatorMemoryRow[]): Section {
  const b: Record<string, unknown> = {};
  const lines: Line[] = [];
  b['emulator.memory'] = rows.map((r) => ({
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
  const growth = emulatorGrowth(rows);
  if (growth.length > 0) {
    b['emulator.growth'] = growth;
    lines.push([
      'emulator.growth (after the load)',
      growth
        .map(
          (g) =>
            `${g.customers}: ${g.heapKbPerCustomer} KB heap, ${g.rssKbPerCustomer} KB RSS per customer (×${g.heapRatio} of ${growth[0]?.customers})`,
        )
        .join('; '),
      '≤ 1 GB RSS at 5,000',
    ]);
  }
  return { benchmarks: b, lines };
}

/**
 * The emulator's memory per customer after the load at each size, and its ratio to the smallest
 * size's: bounded history makes it fall with size (fixed bounds shared by more customers), growth
 * beyond the state itself would make it rise.
 */
function emulatorGrowth(rows: EmulatorMemoryRow[]) {
  const loaded = rows.filter((r) => r.loadedHeapMb !== null);
  const perCustomer = (mb: number, customers: number) => (mb * 1024) / customers;
  const first = loaded[0];
  return loaded.map((r) => ({
    customers: r.customers,
    heapMb: round(r.loadedHeapMb ?? 0, 0),
    rssMb: round(r.loadedRssMb ?? 0, 0),
    peakRssMb: round(r.peakRssMb, 0),
    heapKbPerCustomer: round(perCustomer(r.loadedHeapMb ?? 0, r.customers), 1),
    rssKbPerCustomer: round(perCustomer(r.loadedRssMb ?? 0, r.customers), 1),
    heapRatio: first
      ? round(
          perCustomer(r.loadedHeapMb ?? 0, r.customers) /
            perCustomer(first.loadedHeapMb ?? 0, first.customers),
          2,
        )
      : 1,
  }));
}

/** Writes bench/results/latest.json and prints the table. */
export function writeReport(sections: Section[], durationSeconds: number): void {
  const lines: Line[] = [['benchmark', 'result', 'target'], ...sections.flatMap((s) => s.lines)];
  const report = {
    node: process.version,
    cpus: cpus().length,
    quick,
    responseCache,
    loadAverage: loadavg().map((n) => round(n, 1)),
    durationSeconds: round(durationSeconds, 1),
    benchmarks: Object.assign({}, ...sections.map((s) => s.benchmarks)) as Record<string, unknown>,
  };
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/bench/bench-report.js → <repo>/bench/results
  const resultsDir = join(here, '..', '..', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`\n${table(lines)}\n\nReport: bench/results/latest.json\n`);
}

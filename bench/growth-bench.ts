import { API_HEAP_MB, log, round, SIZE } from './bench-args.js';
import { layout } from './consolidation-driver.js';
import { ServerProcess } from './server-process.js';
import { consolidation, workflowEnv } from './workflow-bench.js';

// Cost growth: the same consolidation at several sizes without throttle or latency (our own cost),
// each against fresh processes: wall time, CPU seconds and memory of the API process.

export async function growthBench() {
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
        planCpuSeconds: result.planCpuSeconds,
        planCpuMsPerCustomer: (result.planCpuSeconds * 1000) / customers,
        pcCalls: result.stats.calls.length,
        peakRssMb: result.peakRssMb,
        emulatorPeakRssMb: result.emulatorPeakRssMb,
        apiPeak: result.stats.peak,
      });
      log(
        `growth ${customers}: ${result.run.status} ${round(result.run.wallSeconds)}s (API CPU ${round(result.cpuSeconds)}s), plan ${round(result.planned.seconds)}s (API CPU ${round(result.planCpuSeconds)}s), peak RSS ${round(result.peakRssMb)} MB (emulator ${round(result.emulatorPeakRssMb)} MB)`,
      );
    } finally {
      await server.stop();
    }
  }
  return rows;
}

export type GrowthRow = Awaited<ReturnType<typeof growthBench>>[number];

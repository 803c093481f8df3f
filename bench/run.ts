import { apiBench } from './api-bench.js';
import { CONNECTIONS, log, responseCache, SIZE, wanted } from './bench-args.js';
import {
  apiSection,
  emulatorSection,
  growthSection,
  type Section,
  workflowSection,
  writeReport,
} from './bench-report.js';
import { probeEmulatorMemory, type EmulatorMemoryRow } from './emulator-memory.js';
import { growthBench } from './growth-bench.js';
import { workflowBench } from './workflow-bench.js';

// `npm run bench [-- --quick] [-- --only=api,workflow,growth,emulator]`: API read throughput, workflow
// throughput within Partner Center's rate limits, cost growth and the emulator's memory. Writes
// bench/results/latest.json and prints a table (bench-args.ts: options and sizes; workflow-bench.ts,
// growth-bench.ts, emulator-memory.ts: the benchmarks; bench-report.ts: the report).
// `--response-cache=off` measures the API reads without the GraphQL response cache.

async function emulatorMemory(): Promise<EmulatorMemoryRow[]> {
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
  return rows;
}

async function main(): Promise<void> {
  const started = performance.now();
  const sections: Section[] = [];
  if (wanted('api')) {
    sections.push(
      apiSection(
        await apiBench({
          customers: SIZE.apiCustomers,
          seconds: SIZE.apiSeconds,
          connections: CONNECTIONS,
          responseCache,
          log,
        }),
      ),
    );
  }
  if (wanted('workflow')) {
    sections.push(workflowSection(await workflowBench()));
  }
  if (wanted('growth')) {
    sections.push(growthSection(await growthBench()));
  }
  if (wanted('emulator')) {
    sections.push(emulatorSection(await emulatorMemory()));
  }
  writeReport(sections, (performance.now() - started) / 1000);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

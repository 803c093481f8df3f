import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProbeOptions, type ProbeResult } from './emulator-memory-probe.js';

// The emulator's own memory (issue 20 item 3: ≤ 1 GB at 5,000 customers × 11 subscriptions):
// each size in a fresh process (bench/emulator-memory-probe.ts) with --expose-gc, so live heap is
// measured after a full GC, not whatever garbage V8 had not collected yet.

export interface EmulatorMemoryRow extends ProbeResult {
  /** Live heap added by the load, per customer (KB). */
  loadKbPerCustomer: number | null;
  /** Live heap of the preset, per customer (KB). */
  heldKbPerCustomer: number;
}

/** The probe's V8 old-space cap: the emulator's bench setting (README "Memory"). */
export const EMULATOR_HEAP_MB = 1024;

export async function probeEmulatorMemory(
  options: ProbeOptions,
  heapMb = EMULATOR_HEAP_MB,
): Promise<EmulatorMemoryRow> {
  const here = dirname(fileURLToPath(import.meta.url));
  const child = fork(join(here, 'emulator-memory-probe.js'), [], {
    env: { ...process.env, NODE_ENV: 'production', BENCH_EMULATOR_MEMORY: JSON.stringify(options) },
    execArgv: ['--expose-gc', `--max-old-space-size=${heapMb}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = await new Promise<ProbeResult>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ProbeResult));
    child.once('exit', (code) => reject(new Error(`emulator memory probe exited with ${code}`)));
  });
  child.kill();
  // The empty emulator's heap is a few MB: per-customer figures are of the whole heap.
  return {
    ...result,
    heldKbPerCustomer: (result.heldHeapMb * 1024) / result.customers,
    loadKbPerCustomer:
      result.loadedHeapMb === null
        ? null
        : ((result.loadedHeapMb - result.heldHeapMb) * 1024) / result.customers,
  };
}

import { createEmulator, startEmulatorServer } from 'partner-center-emulator';
import { peakRssMb } from './process-stats.js';

// The benchmark's Partner Center: the emulator over HTTP in a process of its own (as a shared
// standalone emulator for replicas, EMULATOR_URL), started by bench/server-process.ts. The API
// process then holds only what the server holds in production, so its peak memory and CPU are
// ours, not the simulated Partner Center's (5,000 customers × 11 subscriptions, the orders made).

export interface EmulatorOptions {
  /** Emulator scenario, e.g. `large:1000`. */
  scenario: string;
  /** Per-partner-tenant limit of the emulator's throttle (calls per second); null = throttle off. */
  throttlePerSecond: number | null;
  /** Latency added to every Partner Center call. */
  latencyMs: number;
}

export interface EmulatorReady {
  type: 'emulator-ready';
  url: string;
}

export interface EmulatorStats {
  type: 'emulator-stats';
  rssMb: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_EMULATOR ?? '{}') as EmulatorOptions;
  const limit = options.throttlePerSecond;
  const emulator = createEmulator({
    scenario: options.scenario,
    seed: 1,
    journalLimit: 1_000,
    throttling:
      limit === null
        ? { enabled: false }
        : {
            enabled: true,
            limits: {
              customers: { limit, windowSeconds: 1, per: 'partner' },
              subscriptions: { limit, windowSeconds: 1, per: 'partner' },
              orders: { limit, windowSeconds: 1, per: 'partner' },
            },
          },
    faults: options.latencyMs > 0 ? [{ path: '/v1/*', latencyMs: options.latencyMs }] : [],
  });
  const server = await startEmulatorServer(emulator, { port: 0 });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'emulator-stats') {
      const reply: EmulatorStats = {
        type: 'emulator-stats',
        rssMb: process.memoryUsage().rss / 1024 / 1024,
        peakRssMb: peakRssMb(),
      };
      process.send?.(reply);
    } else if (message.type === 'stop') {
      void server.close().finally(() => process.exit(0));
    }
  });
  const ready: EmulatorReady = { type: 'emulator-ready', url: server.url };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench emulator failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

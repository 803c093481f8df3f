import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmulatorOptions, type EmulatorReady } from './emulator-serve.js';
import {
  type EngineStats,
  type ServeOptions,
  type ServeReady,
  type ServeRequest,
  type ServeStats,
} from './serve.js';

/** What a benchmark server runs against: the emulator's scenario and behaviour, the API's settings. */
export interface BenchServerOptions extends EmulatorOptions {
  /** Application environment (PARTNER_CENTER_*, WORKFLOW_*). */
  env: Record<string, string>;
  /** The API process's V8 old-space cap (MB): default API_HEAP_DEFAULT_MB (384, a 512 MB container's). */
  heapMb?: number;
}

/**
 * The API process's V8 old-space cap (MB) unless a benchmark sets one (issue 20): a 512 MB
 * container's setting, and the one README recommends for production. The live heap stays far
 * below it (a 5,000-customer plan's items are the peak); under the former 2 GB cap V8 let the
 * garbage of planning grow to a 607 MB RSS (README "Performance").
 */
export const API_HEAP_DEFAULT_MB = 384;

/** The standalone emulator's V8 old-space cap (MB) in the workflow and growth benchmarks. */
export const EMULATOR_SERVE_HEAP_MB = 1024;

/** Waits for a forked process's ready message; fails if it exits first. */
async function readyOf<T>(child: ChildProcess, type: string): Promise<T> {
  const ready = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench process exited with ${code}`)));
    child.on('message', (message: { type: string }) => {
      if (message.type === type) {
        resolve(message as T);
      }
    });
  });
  child.removeAllListeners('exit');
  return ready;
}

/**
 * The benchmark's API (bench/serve.ts) and its Partner Center emulator (bench/emulator-serve.ts),
 * each in a child process, so load generator, API and emulator do not share a core and the API's
 * memory is measured alone.
 */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly emulator: ChildProcess,
    readonly ready: ServeReady,
  ) {}

  static async start(options: BenchServerOptions): Promise<ServerProcess> {
    const here = dirname(fileURLToPath(import.meta.url));
    const emulatorOptions: EmulatorOptions = {
      scenario: options.scenario,
      throttlePerSecond: options.throttlePerSecond,
      latencyMs: options.latencyMs,
    };
    const emulator = fork(join(here, 'emulator-serve.js'), [], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        BENCH_EMULATOR: JSON.stringify(emulatorOptions),
      },
      // The emulator's live heap is ≤ ~330 MB at 5,000 × 11 after a consolidation's load (README
      // "Memory"); a 1 GB cap makes V8 collect its garbage instead of growing to 2 GB (issue 20).
      execArgv: [`--max-old-space-size=${EMULATOR_SERVE_HEAP_MB}`],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const { url } = await readyOf<EmulatorReady>(emulator, 'emulator-ready');
    const serveOptions: ServeOptions = { emulatorUrl: url, env: options.env };
    const child = fork(join(here, 'serve.js'), [], {
      // As deployed: graphql-js skips its development-only checks under NODE_ENV=production.
      env: { ...process.env, NODE_ENV: 'production', BENCH_SERVE: JSON.stringify(serveOptions) },
      // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
      execArgv: [
        `--max-old-space-size=${options.heapMb ?? API_HEAP_DEFAULT_MB}`,
        ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await readyOf<ServeReady>(child, 'ready').catch((error: unknown) => {
      emulator.kill('SIGKILL');
      throw error;
    });
    return new ServerProcess(child, emulator, ready);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  private ask<T>(message: ServeRequest, replyType: string): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (reply: { type: string }) => {
        if (reply.type === replyType) {
          this.child.off('message', onMessage);
          resolve(reply as T);
        }
      };
      this.child.on('message', onMessage);
      this.child.send(message);
    });
  }

  /** Zeroes the call journal and cache counters; returns the server's clock (ms). */
  async reset(): Promise<number> {
    return (await this.ask<{ now: number }>({ type: 'reset' }, 'reset-done')).now;
  }

  /** Empties the server's read cache and response cache. */
  async cold(): Promise<void> {
    await this.ask({ type: 'cold' }, 'cold-done');
  }

  /** The server's monotonic clock (ms), to cut the call journal into phases. */
  async mark(): Promise<number> {
    return (await this.ask<{ now: number }>({ type: 'mark' }, 'mark')).now;
  }

  engine(): Promise<EngineStats> {
    return this.ask<EngineStats>({ type: 'engine' }, 'engine');
  }

  stats(sinceMs = 0): Promise<ServeStats> {
    return this.ask<ServeStats>({ type: 'stats', sinceMs }, 'stats');
  }

  /** Peak resident memory of the API process (Linux VmHWM), from outside. */
  peakRssMb(): number {
    return peakRssOf(this.pid);
  }

  /** Peak resident memory of the emulator process (not the server's own cost). */
  emulatorPeakRssMb(): number {
    return peakRssOf(this.emulator.pid ?? 0);
  }

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const text = await postJson(this.ready.graphqlUrl, JSON.stringify({ query, variables }), {
      authorization: `Bearer ${this.ready.token}`,
    });
    const body = JSON.parse(text) as { data?: T; errors?: unknown[] };
    if (body.errors || !body.data) {
      throw new Error(`GraphQL error: ${JSON.stringify(body.errors).slice(0, 500)}`);
    }
    return body.data;
  }

  /** The emulator's control API (`/_emulator/...`). */
  async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.ready.emulatorUrl}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) {
      throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    }
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async stop(): Promise<void> {
    await stopChild(this.child);
    await stopChild(this.emulator);
  }
}

/**
 * A POST over node:http on a fresh connection, without a response deadline: fetch (undici) gives
 * up after 300 s without response headers, and a 5,000-customer plan on the shared machine takes
 * longer (286 s measured under load 14); a kept-alive socket the API closed meanwhile answered a
 * status poll with ECONNRESET.
 */
function postJson(url: string, body: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function peakRssOf(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' } satisfies ServeRequest);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

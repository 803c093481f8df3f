import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EngineStats,
  type ServeOptions,
  type ServeReady,
  type ServeRequest,
  type ServeStats,
} from './serve.js';

/** The benchmark's server (bench/serve.ts) in a child process, so load and server do not share a core. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: ServeReady,
  ) {}

  static async start(options: ServeOptions): Promise<ServerProcess> {
    const here = dirname(fileURLToPath(import.meta.url));
    const child = fork(join(here, 'serve.js'), [], {
      // As deployed: graphql-js skips its development-only checks under NODE_ENV=production.
      env: { ...process.env, NODE_ENV: 'production', BENCH_SERVE: JSON.stringify(options) },
      // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
      execArgv: [
        '--max-old-space-size=2048',
        ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<ServeReady>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
      child.on('message', (message: { type: string }) => {
        if (message.type === 'ready') {
          resolve(message as ServeReady);
        }
      });
    });
    child.removeAllListeners('exit');
    return new ServerProcess(child, ready);
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

  /** Peak resident memory of the server process (Linux VmHWM), from outside. */
  peakRssMb(): number {
    try {
      const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  }

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(this.ready.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.ready.token}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
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
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ServeRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { workflowEvents, workflowItems } from '../schema/db.js';
import { createApplication } from '../server/app/application.js';
import { createAuthVerifier, signDevToken } from '../server/app/auth.js';
import { createLogger } from '../server/app/logger.js';
import { loadConfig } from '../server/config/env.js';
import { emulatorDirectorySource } from '../server/modules/organizations/directory-source.js';
import { callPurpose } from '../server/partner-center/call-purpose.js';
import { EmulatorTokenProvider } from '../server/partner-center/token-provider.js';
import { createHttpClock } from '../server/shared/http-clock.js';
import { PartnerRole } from '../server/shared/enums.js';
import { routeOf } from './call-budget.js';
import { peakRssMb } from './process-stats.js';

// The benchmark's API process: the server as `npm start` runs it against a standalone emulator
// (bench/emulator-serve.ts, its own process, over HTTP; its business clock followed over HTTP),
// started by bench/server-process.ts with fork() and driven over IPC. Every Partner Center call
// the API makes is recorded (time, partner tenant, status) for rates, utilization and 429 counts.

export interface ServeOptions {
  /** The Partner Center emulator (bench/emulator-serve.ts). */
  emulatorUrl: string;
  /** Application environment (PARTNER_CENTER_*, WORKFLOW_*). */
  env: Record<string, string>;
}

export interface ServeReady {
  type: 'ready';
  graphqlUrl: string;
  emulatorUrl: string;
  organizationId: string;
  token: string;
}

/**
 * One Partner Center call: [ms since process start, partner tenant index, HTTP status, customer
 * index (-1: none), route index, purpose index (-1: a step's own call; else the server's
 * `callPurpose()`, e.g. the transfer-integrity watch)] (indexes into ServeStats' tenants,
 * customers, routes and purposes, so the journal costs the measured process numbers, not strings).
 */
export type CallRecord = [number, number, number, number, number, number];

export interface ServeStats {
  type: 'stats';
  calls: CallRecord[];
  tenants: string[];
  /** Customer tenant ids the calls name (`/v1/customers/{id}/...`). */
  customers: string[];
  /** `METHOD /v1/route/{id}` of the calls. */
  routes: string[];
  /** Why the calls were made, when not a step's own work (server/partner-center/call-purpose.ts). */
  purposes: string[];
  cache: { hits: number; misses: number; hitRatio: number };
  /** The GraphQL response cache (issue 20). */
  responseCache: {
    hits: number;
    misses: number;
    stored: number;
    hitRatio: number;
    skipped: Record<string, number>;
    staleBy: Record<string, number>;
  };
  rssMb: number;
  peakRssMb: number;
  /** V8 heap in use and external (Buffers, SQLite) memory, MB. */
  heapUsedMb: number;
  externalMb: number;
  /** Peaks of process.memoryUsage() sampled every 500 ms since the last reset (what holds RSS). */
  peak: { heapUsedMb: number; heapTotalMb: number; externalMb: number; arrayBuffersMb: number };
  /** CPU seconds (user + system) this process used since it started. */
  cpuSeconds: number;
}

export type ServeRequest =
  | { type: 'stats'; sinceMs?: number }
  | { type: 'reset' }
  /** Empties the read cache and the response cache (the next reads are cold). */
  | { type: 'cold' }
  | { type: 'mark' }
  | { type: 'engine' }
  | { type: 'stop' };

/** What the engine's tables say about the run (one workflow per bench server). */
export interface EngineStats {
  type: 'engine';
  items: Array<{ kind: string; status: string; n: number }>;
  /** Items per customer, kind and status: which path each customer's subscriptions took. */
  customerItems: Array<{ customer: string | null; kind: string; status: string; n: number }>;
  events: Array<{ type: string; n: number }>;
}

const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789';

function tenantOf(authorization: string | null): string {
  const payload = authorization?.split('.')[1];
  if (!payload) {
    return '?';
  }
  try {
    return (
      (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { tid?: string }).tid ?? '?'
    );
  } catch {
    return '?';
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_SERVE ?? '{}') as ServeOptions;
  const emulatorUrl = options.emulatorUrl;

  const dataDir = mkdtempSync(join(tmpdir(), 'csp-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    EMULATOR: 'off',
    DATABASE_URL: join(dataDir, 'app.db'),
    AUTH_JWT_SECRET: JWT_SECRET,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    PORT: '0',
    PARTNER_DIRECTORY: '[]',
    PARTNER_CENTER_CLIENT_ID: 'bench',
    PARTNER_CENTER_CLIENT_SECRET: 'bench',
    ...options.env,
  });

  const tenantIndex = new Map<string, number>();
  const customerIndex = new Map<string, number>();
  const routeIndex = new Map<string, number>();
  const purposeIndex = new Map<string, number>();
  const indexOf = (map: Map<string, number>, key: string) => {
    let index = map.get(key);
    if (index === undefined) {
      index = map.size;
      map.set(key, index);
    }
    return index;
  };
  const calls: CallRecord[] = [];
  const mb = (bytes: number) => bytes / 1024 / 1024;
  const peak = { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0, arrayBuffersMb: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.heapUsedMb = Math.max(peak.heapUsedMb, mb(m.heapUsed));
    peak.heapTotalMb = Math.max(peak.heapTotalMb, mb(m.heapTotal));
    peak.externalMb = Math.max(peak.externalMb, mb(m.external));
    peak.arrayBuffersMb = Math.max(peak.arrayBuffersMb, mb(m.arrayBuffers));
  };
  setInterval(sample, 500).unref();
  const recordingFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const tenant = tenantOf(headers.get('authorization'));
    let index = tenantIndex.get(tenant);
    if (index === undefined) {
      index = tenantIndex.size;
      tenantIndex.set(tenant, index);
    }
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const path = url.pathname.replace(/^.*?(\/v1\/)/, '/v1/');
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const customer = /^\/v1\/customers\/([0-9a-f-]{36})(?:\/|$)/i.exec(path)?.[1]?.toLowerCase();
    const purpose = callPurpose();
    const response = await fetch(input, init);
    calls.push([
      performance.now(),
      index,
      response.status,
      customer ? indexOf(customerIndex, customer) : -1,
      indexOf(routeIndex, routeOf(method, path)),
      purpose ? indexOf(purposeIndex, purpose) : -1,
    ]);
    return response;
  };

  const clock = await createHttpClock(emulatorUrl, { pollMs: 100 });
  const app = await createApplication({
    config,
    partnerCenterUrl: emulatorUrl,
    tokenProvider: new EmulatorTokenProvider(),
    directory: emulatorDirectorySource({ emulatorUrl }),
    auth: createAuthVerifier({ jwtSecret: JWT_SECRET }),
    logger: createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    // The emulator's business clock, followed over HTTP like replicas do.
    clock,
    fetch: recordingFetch,
  });
  const http = await app.listen({ port: 0, host: '127.0.0.1' });
  const partners = (await (await fetch(`${emulatorUrl}/_emulator/partners`)).json()) as Array<{
    organizationId: string;
  }>;
  const organizationId = partners[0]?.organizationId ?? '';
  const token = await signDevToken({
    secret: JWT_SECRET,
    organizationId,
    roles: [PartnerRole.GLOBAL_ADMIN],
    userId: 'bench',
    expiresIn: '12h',
  });

  process.on('message', (message: ServeRequest) => {
    if (message.type === 'reset') {
      calls.length = 0;
      Object.assign(peak, { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0, arrayBuffersMb: 0 });
      app.pc.readCache?.resetStats();
      app.responseCache.resetStats();
      process.send?.({ type: 'reset-done', now: performance.now() });
    } else if (message.type === 'cold') {
      app.pc.readCache?.invalidateAll();
      app.responseCache.clear();
      process.send?.({ type: 'cold-done' });
    } else if (message.type === 'engine') {
      void (async () => {
        const db = app.db.db;
        const reply: EngineStats = {
          type: 'engine',
          items: await db
            .select({ kind: workflowItems.kind, status: workflowItems.status, n: count() })
            .from(workflowItems)
            .groupBy(workflowItems.kind, workflowItems.status),
          customerItems: await db
            .select({
              customer: workflowItems.customerTenantId,
              kind: workflowItems.kind,
              status: workflowItems.status,
              n: count(),
            })
            .from(workflowItems)
            .groupBy(workflowItems.customerTenantId, workflowItems.kind, workflowItems.status),
          events: await db
            .select({ type: workflowEvents.type, n: count() })
            .from(workflowEvents)
            .groupBy(workflowEvents.type),
        };
        process.send?.(reply);
      })();
    } else if (message.type === 'mark') {
      process.send?.({ type: 'mark', now: performance.now() });
    } else if (message.type === 'stats') {
      const stats = app.pc.readCache?.stats();
      const since = message.sinceMs ?? 0;
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      const reply: ServeStats = {
        type: 'stats',
        calls: calls.filter((c) => c[0] >= since),
        tenants: [...tenantIndex.keys()],
        customers: [...customerIndex.keys()],
        routes: [...routeIndex.keys()],
        purposes: [...purposeIndex.keys()],
        cache: {
          hits: stats?.hits ?? 0,
          misses: stats?.misses ?? 0,
          hitRatio: stats?.hitRatio ?? 0,
        },
        responseCache: (({ hits, misses, stored, hitRatio, skipped, staleBy }) => ({
          hits,
          misses,
          stored,
          hitRatio,
          skipped,
          staleBy,
        }))(app.responseCache.stats()),
        rssMb: memory.rss / 1024 / 1024,
        peakRssMb: peakRssMb(),
        heapUsedMb: memory.heapUsed / 1024 / 1024,
        externalMb: memory.external / 1024 / 1024,
        peak: { ...peak },
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      };
      process.send?.(reply);
    } else if (message.type === 'stop') {
      void (async () => {
        await app.close();
        clock.stop();
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      })();
    }
  });

  const ready: ServeReady = {
    type: 'ready',
    graphqlUrl: http.graphqlUrl,
    emulatorUrl,
    organizationId,
    token,
  };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench server failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

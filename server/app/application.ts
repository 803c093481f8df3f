import { type HolidayConfig } from 'partner-center-emulator';
import { type GraphQLSchema } from 'graphql';
import { type AppConfig } from '../config/env.js';
import { type DbHandle, openDatabase } from '../db/client.js';
import { type FetchLike, type PartnerCenterClientOptions } from '../partner-center/client.js';
import {
  createPartnerCenterClientFactory,
  type PartnerCenterClientFactory,
} from '../partner-center/client-factory.js';
import {
  createTenantRateLimiter,
  type RateLimiterOptions,
} from '../partner-center/rate-limiter.js';
import { createSharedRateLimiter } from '../partner-center/shared-rate-limiter.js';
import { PartnerCenterReadCache } from '../partner-center/read-cache.js';
import { type TokenProvider } from '../partner-center/token-provider.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { type DirectorySource } from '../modules/organizations/directory-source.js';
import { type AuthVerifier } from './auth.js';
import { buildAppSchema } from './build-schema.js';
import { type AppContext, type ContextDeps, createContextForActor } from './context.js';
import { type ReadinessReport, type RunningHttpServer, startHttpServer } from './http-server.js';
import { createLogger, type Logger } from './logger.js';
import { type AppModule } from './module.js';
import { appModules } from './modules.js';
import { type AppPubSub, createAppPubSub } from './pubsub.js';
import { createSharedPubSub } from './shared-pubsub.js';
import {
  createRepositories,
  createServices,
  type Repositories,
  type Services,
  workflowDefinitions,
} from './services.js';
import { type Actor } from './auth.js';
import { consoleRoute, defaultConsoleDir } from './console.route.js';
import { type DemoClock, demoClockRoutes } from './demo-clock.route.js';
import { exportDownloadRoute } from '../modules/exports/export.route.js';
import { armUrlFor, createArmClientFactory } from '../azure-rm/arm.client.js';
import { createGdapClientFactory, graphUrlFor } from '../graph/gdap.client.js';
import { type ProcedureDeps } from '../procedures/procedure-module.js';
import { readDevSecret } from './dev-secret.js';
import { InMemoryCostBudget } from './limits/cost-budget.js';
import { workflowGlobalId } from '../modules/workflows/workflow.mapper.js';
import { type RunnerOptions, WorkflowRunner } from '../workflows/engine/workflow-runner.js';
import { createWorkflowNotifier } from '../workflows/engine/workflow-notifier.js';
import { getWorkflow } from '../workflows/engine/workflow.repository.js';
import { procedureModules } from './procedures.js';
import { WORKFLOW_UPDATED_TOPIC } from './pubsub.js';
import { ResponseCacheStore } from './response-cache/response-cache.store.js';
import { noteLiveCall } from '../shared/response-dependencies.js';

export interface ApplicationOptions {
  config: AppConfig;
  /** Partner Center root (the emulator's URL in emulator mode). */
  partnerCenterUrl: string;
  tokenProvider: TokenProvider;
  directory: DirectorySource;
  auth: AuthVerifier;
  logger?: Logger;
  clock?: Clock;
  /** `fetch` for Partner Center calls (tests inject `emulator.fetch`). */
  fetch?: FetchLike;
  /** Client knobs for tests (fast sleep, seeded jitter, short timeouts). */
  partnerCenter?: Pick<PartnerCenterClientOptions, 'sleep' | 'random' | 'retry' | 'timeoutMs'>;
  modules?: readonly AppModule[];
  /** Pre-filled in GraphiQL (emulator mode). */
  devToken?: string;
  /** Engine knobs for tests (crash hook, fast backoff); the runner starts with `listen()` unless `startRunner: false`. */
  runner?: Partial<Omit<RunnerOptions, 'db' | 'clock' | 'definitions'>>;
  /** Azure Resource Manager root (default: next to Partner Center, see `armUrlFor`). */
  armUrl?: string;
  /** Tokens for ARM (audience management.azure.com); default the Partner Center provider. */
  armTokenProvider?: TokenProvider;
  /** Microsoft Graph root for GDAP (default: next to Partner Center, see `graphUrlFor`). */
  graphUrl?: string;
  /** Tokens for Graph (audience graph.microsoft.com); default the Partner Center provider. */
  graphTokenProvider?: TokenProvider;
  /** An already open database (tests share one in-process PostgreSQL); default: `DATABASE_URL`. */
  database?: DbHandle;
  /** Holidays of the transfer's 8-business-hour SLA (R-TRF-7). */
  transferHolidays?: HolidayConfig;
  /** The built operator console served at /console (default dist/console). */
  consoleDir?: string;
  /** The in-process emulator's clock, which the console may move (emulator mode only). */
  demoClock?: DemoClock;
}

/** The composed server, before and after it listens. */
export interface Application {
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  db: DbHandle;
  repositories: Repositories;
  services: Services;
  pc: PartnerCenterClientFactory;
  pubSub: AppPubSub;
  schema: GraphQLSchema;
  contextDeps: ContextDeps;
  /** Cached query responses of the HTTP API (issue 20). */
  responseCache: ResponseCacheStore;
  /** The background workflow runner (started by `listen()` when configured). */
  runner: WorkflowRunner;
  /** A request context for an actor (tests, background work). */
  contextFor(actor: Actor): AppContext;
  readiness(): Promise<ReadinessReport>;
  /** Re-reads the partner directory from its source. */
  syncDirectory(): Promise<{ organizations: number; tenants: number }>;
  listen(at?: { port?: number; host?: string }): Promise<RunningHttpServer>;
  close(): Promise<void>;
}

/**
 * Composition (env → db → Partner Center clients → services → schema): everything but the
 * process concerns of main.ts, so tests can build the same application in memory.
 */
export async function createApplication(options: ApplicationOptions): Promise<Application> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  // SQLite file (default) or PostgreSQL (DATABASE_URL=postgres://…); migrations applied here.
  const db = options.database ?? (await openDatabase(config.databaseUrl));

  // On PostgreSQL the per-tenant budget is kept in the database and shared by every replica.
  const rateLimiter = (scope: string, limits: RateLimiterOptions) =>
    db.dialect === 'pg'
      ? createSharedRateLimiter({ db: db.db, scope, ...limits })
      : createTenantRateLimiter(limits);
  const limiter = rateLimiter('pc', {
    concurrency: config.partnerCenter.concurrency,
    ratePerMinute: config.partnerCenter.ratePerMinute,
    ...(config.partnerCenter.burst ? { burst: config.partnerCenter.burst } : {}),
  });
  // Front-end reads only; the workflow engine always reads Partner Center live.
  const readCache = new PartnerCenterReadCache({ ttlMs: config.partnerCenter.readCacheTtlMs });
  // The TTL counts wall time; when a virtual clock jumps (the emulator's), days of Partner Center
  // changes (support moving subscriptions, customers accepting) happen at once: start afresh.
  // The response cache's bounds and invalidation: server/app/response-cache/response-cache.store.ts.
  const responseCache = new ResponseCacheStore(config.responseCache, (tenant) =>
    readCache.generation(tenant),
  );
  const stopCacheOnClock = clock.onChange?.(() => {
    readCache.invalidateAll();
    responseCache.clear();
  });
  // Every outbound call not made by a read-cache load is a live read: a response built with one
  // is not cached (server/shared/response-dependencies.ts).
  const baseFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const outboundFetch: FetchLike = (input, init) => {
    noteLiveCall(init?.method ?? 'GET');
    return baseFetch(input, init);
  };
  const pc = createPartnerCenterClientFactory(
    {
      baseUrl: options.partnerCenterUrl,
      tokenProvider: options.tokenProvider,
      limiter,
      timeoutMs: config.partnerCenter.timeoutMs,
      retry: { maxAttempts: config.partnerCenter.maxAttempts },
      logger: logger.child({ component: 'partner-center' }),
      applicationName: 'csp-migrations',
      fetch: outboundFetch,
      ...options.partnerCenter,
    },
    { readCache },
  );

  // R-TRF-8 clean-up: ARM with the same transport machinery, its own per-tenant budget.
  const arm = createArmClientFactory({
    baseUrl: options.armUrl ?? armUrlFor(options.partnerCenterUrl),
    tokenProvider: options.armTokenProvider ?? options.tokenProvider,
    limiter: rateLimiter('arm', {
      concurrency: config.partnerCenter.concurrency,
      ratePerMinute: config.partnerCenter.ratePerMinute,
    }),
    timeoutMs: config.partnerCenter.timeoutMs,
    retry: { maxAttempts: config.partnerCenter.maxAttempts },
    logger: logger.child({ component: 'azure-rm' }),
    fetch: outboundFetch,
    ...options.partnerCenter,
  });
  // GDAP (issue 15 item 2): Microsoft Graph with the same transport machinery, its own budget.
  const graph = createGdapClientFactory({
    baseUrl: options.graphUrl ?? config.gdap.graphUrl ?? graphUrlFor(options.partnerCenterUrl),
    tokenProvider: options.graphTokenProvider ?? options.tokenProvider,
    limiter: rateLimiter('graph', {
      concurrency: config.partnerCenter.concurrency,
      ratePerMinute: config.partnerCenter.ratePerMinute,
    }),
    timeoutMs: config.partnerCenter.timeoutMs,
    retry: { maxAttempts: config.partnerCenter.maxAttempts },
    logger: logger.child({ component: 'graph' }),
    fetch: outboundFetch,
    ...options.partnerCenter,
  });
  // SIGNING_LINK_SECRET, else AUTH_JWT_SECRET (config), else the emulator-mode dev secret.
  const signingSecret = config.transfer.signingSecret ?? (await readDevSecret(config.databaseUrl));

  const modules = options.modules ?? appModules;
  const repositories = createRepositories(db.db);
  // PostgreSQL: LISTEN/NOTIFY carries workflowUpdated across replicas.
  const pubSub = db.notifications
    ? await createSharedPubSub(createAppPubSub(), db.notifications, logger)
    : createAppPubSub();
  const engineLogger = logger.child({ component: 'workflow-engine' });
  const notifier = createWorkflowNotifier({
    db: db.db,
    globalId: workflowGlobalId,
    publish: (event) => {
      // Synchronously (the event itself is delivered later, and through PostgreSQL on replicas).
      responseCache.organizationChanged(event.organizationId);
      responseCache.engineChanged();
      pubSub.publish(WORKFLOW_UPDATED_TOPIC, event);
    },
    onError: (error: unknown) => logger.warn({ err: error }, 'workflow viewers read failed'),
  });
  const procedureDeps: ProcedureDeps = {
    db: db.db,
    clock,
    clients: pc,
    arm,
    graph,
    gdap: { mode: config.gdap.mode },
    directory: options.directory,
    publicUrl: config.publicUrl,
    ...(signingSecret ? { signingSecret } : {}),
    invitations: config.invitations,
    consolidation: { transferFirstCheckMs: config.consolidation.transferFirstCheckMs },
    transferWatch: config.transferWatch,
    transfer: {
      signingLinkTtlMs: config.transfer.signingLinkTtlMs,
      calendar: {
        holidays: options.transferHolidays ?? config.transfer.holidays,
        workingDays: config.transfer.workingDays,
        publicHolidays: config.transfer.publicHolidays,
      },
    },
  };
  // Services and the runner refer to each other (start kicks the runner; the runner publishes).
  const runnerRef: { current?: WorkflowRunner } = {};
  const services = createServices({
    ...procedureDeps,
    repositories,
    modules,
    kick: () => runnerRef.current?.kick(),
    notifier,
    onAuditSyncError: (error) => logger.warn({ err: error }, 'audit record read failed'),
    engineLogger,
  });
  const runner = new WorkflowRunner({
    db: db.db,
    clock,
    definitions: workflowDefinitions(procedureDeps),
    concurrency: config.workflow.concurrency,
    recheckMinMs: config.workflow.recheckMinMs,
    recheckMaxMs: config.workflow.recheckMaxMs,
    maxAttempts: config.workflow.maxAttempts,
    leaseMs: config.workflow.leaseMs,
    // At once, before the coalesced workflowUpdated event: no cached page outlives the change.
    onWorkflowWritten: () => responseCache.engineChanged(),
    onWorkflowChanged: (workflowId) => {
      void getWorkflow(db.db, workflowId).then((row) => row && notifier.notify(row));
    },
    onError: (error, item) =>
      logger.error({ err: error, itemId: item?.id }, 'workflow step crashed'),
    logger: engineLogger,
    ...options.runner,
  });
  runnerRef.current = runner;
  // Workflow events (ours and, on PostgreSQL, other replicas') change what an organization sees.
  const workflowEvents = pubSub.subscribe(WORKFLOW_UPDATED_TOPIC);
  void (async () => {
    for await (const event of workflowEvents) {
      responseCache.organizationChanged(event.organizationId);
    }
  })();
  const syncDirectory = async () => {
    try {
      return await services.organizations.syncDirectory(options.directory);
    } finally {
      responseCache.clear(); // tenants may have moved between organizations
    }
  };
  const synced = await syncDirectory();
  logger.info({ source: options.directory.kind, ...synced }, 'partner directory loaded');

  const schema = await buildAppSchema({ pubSub, modules });
  const contextDeps: ContextDeps = {
    auth: options.auth,
    repositories,
    services,
    pc,
    logger,
    clock,
    pubSub,
  };

  const readiness = async (): Promise<ReadinessReport> => {
    const checks: Record<string, string> = {};
    try {
      await db.ping();
      checks.database = 'ok';
    } catch (error) {
      checks.database = error instanceof Error ? error.message : 'failed';
    }
    try {
      // Any HTTP answer (even 401/404) proves Partner Center is reachable.
      const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
      await doFetch(options.partnerCenterUrl.replace(/\/+$/, '') + '/v1/', {
        method: 'GET',
        signal: AbortSignal.timeout(3_000),
      });
      checks.partnerCenter = 'ok';
    } catch (error) {
      checks.partnerCenter = error instanceof Error ? error.message : 'unreachable';
    }
    return { ok: Object.values(checks).every((c) => c === 'ok'), checks };
  };

  const servers: RunningHttpServer[] = [];
  return {
    config,
    logger,
    clock,
    db,
    repositories,
    services,
    pc,
    pubSub,
    schema,
    contextDeps,
    responseCache,
    runner,
    contextFor: (actor) => createContextForActor(contextDeps, actor),
    readiness,
    syncDirectory,
    async listen(at = {}) {
      const server = await startHttpServer(
        {
          schema,
          contextDeps,
          logger,
          production: config.production,
          introspection: config.introspection,
          stackTraces: config.stackTraces,
          devToken: options.devToken,
          readiness,
          limits: config.graphqlLimits,
          costBudget: new InMemoryCostBudget({
            capacity: config.graphqlLimits.costBudget,
            restorePerSecond: config.graphqlLimits.costRestorePerSecond,
          }),
          responseCache,
          routes: [
            exportDownloadRoute({ auth: options.auth, exports: services.exports }),
            ...procedureModules.flatMap((p) => p.routes?.({ services, auth: options.auth }) ?? []),
            ...(options.demoClock
              ? demoClockRoutes({ clock: options.demoClock, auth: options.auth })
              : []),
            consoleRoute({
              dir: options.consoleDir ?? defaultConsoleDir(),
              devToken: options.devToken,
              demoClock: options.demoClock !== undefined,
            }),
          ],
        },
        { port: at.port ?? config.port, host: at.host ?? config.host },
      );
      servers.push(server);
      if (config.workflow.runner) {
        runner.start();
      }
      return server;
    },
    async close() {
      stopCacheOnClock?.();
      await workflowEvents.return?.();
      await runner.stop();
      await Promise.all(servers.map((s) => s.close()));
      await db.close();
    },
  };
}

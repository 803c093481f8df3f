import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type ApolloServer } from '@apollo/server';
import { type GraphQLSchema, NoSchemaIntrospectionCustomRule, specifiedRules } from 'graphql';
import { type AppContext, type ContextDeps } from './context.js';
import { createFormatError } from './format-error.js';
import { startGraphqlHandler } from './graphql-handler.js';
import { GRAPHQL_PATH } from './http-io.js';
import { createRequestListener, type HttpRoute, type ReadinessReport } from './http-routes.js';
import { type Logger } from './logger.js';
import { type CostBudget, InMemoryCostBudget } from './limits/cost-budget.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits/operation-limits.js';
import { type ResponseCacheStore } from './response-cache/response-cache.store.js';
import { startWebSocketServer } from './websocket-server.js';

export { GRAPHQL_PATH } from './http-io.js';
export type { HttpRoute, ReadinessReport } from './http-routes.js';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  contextDeps: ContextDeps;
  logger: Logger;
  production: boolean;
  /** Introspection and the GraphiQL UI. */
  introspection: boolean;
  /** Stack traces in `errors[].extensions` (off unless asked for; never in production). */
  stackTraces?: boolean;
  /** Pre-filled in GraphiQL's headers (emulator mode only). */
  devToken?: string | undefined;
  readiness: () => Promise<ReadinessReport>;
  /** Further plain-HTTP routes by path prefix (e.g. export downloads). */
  routes?: HttpRoute[];
  /** Depth, alias, token, cost, timeout and body limits (issue 8); defaults when absent. */
  limits?: QueryLimits;
  /** Per-principal cost budget; default an in-memory leaky bucket. */
  costBudget?: CostBudget;
  /** Cached query responses (issue 20); none when absent. */
  responseCache?: ResponseCacheStore | undefined;
}

export interface RunningHttpServer {
  url: string;
  graphqlUrl: string;
  port: number;
  apollo: ApolloServer<AppContext>;
  close(): Promise<void>;
}

/** The default budget: 100,000 points per user, 2,000 restored per second. */
export const defaultCostBudget = (): CostBudget =>
  new InMemoryCostBudget({ capacity: 100_000, restorePerSecond: 2_000 });

/**
 * The HTTP server: Apollo Server 5 at `/graphql` (POST and GET), graphql-ws on the same path,
 * GraphiQL for browsers, `/healthz` and `/readyz`.
 */
export async function startHttpServer(
  options: HttpServerOptions,
  listen: { port: number; host: string },
): Promise<RunningHttpServer> {
  const httpServer: Server = createServer();
  const formatError = createFormatError({
    production: options.production,
    stackTraces: !options.production && options.stackTraces === true,
  });
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const costBudget = options.costBudget ?? defaultCostBudget();
  const validationRules = options.introspection
    ? specifiedRules
    : [...specifiedRules, NoSchemaIntrospectionCustomRule];

  const ws = startWebSocketServer({
    httpServer,
    schema: options.schema,
    contextDeps: options.contextDeps,
    limits,
    costBudget,
    validationRules,
    formatError,
  });
  const { apollo, handleGraphql } = await startGraphqlHandler({
    httpServer,
    schema: options.schema,
    contextDeps: options.contextDeps,
    logger: options.logger,
    production: options.production,
    stackTraces: !options.production && options.stackTraces === true,
    introspection: options.introspection,
    limits,
    costBudget,
    formatError,
    responseCache: options.responseCache,
    disposeWebSocket: ws.dispose,
  });
  httpServer.on(
    'request',
    createRequestListener({
      logger: options.logger,
      introspection: options.introspection,
      devToken: options.devToken,
      readiness: options.readiness,
      routes: options.routes,
      handleGraphql,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const hostForUrl = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const url = `http://${hostForUrl}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    graphqlUrl: `${url}${GRAPHQL_PATH}`,
    port: address.port,
    apollo,
    close() {
      closing ??= (async () => {
        await apollo.stop(); // drains HTTP (graceful) and disposes graphql-ws
        ws.wsServer.close();
        httpServer.closeAllConnections();
      })();
      return closing;
    },
  };
}

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import {
  type DocumentNode,
  execute,
  type ExecutionArgs,
  getOperationAST,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type Actor } from './auth.js';
import {
  type AppContext,
  type ContextDeps,
  createContextForActor,
  createContextFromAuthorization,
} from './context.js';
import { createFormatError, errorLoggingPlugin } from './format-error.js';
import { GRAPHIQL_ASSET_PREFIX, readGraphiqlAsset, renderGraphiqlPage } from './graphiql.js';
import { type Logger } from './logger.js';
import { type CostBudget, InMemoryCostBudget } from './limits/cost-budget.js';
import { queryLimitsPlugin } from './limits/limits.plugin.js';
import {
  admitOperation,
  type CostReport,
  DEFAULT_QUERY_LIMITS,
  isTokenLimitMessage,
  principalOf,
  type QueryLimits,
  settleOperation,
  tooManyTokensError,
} from './limits/operation-limits.js';
import { actualCost } from './limits/query-cost.js';
import { ErrorCode } from '../shared/errors.js';

export const GRAPHQL_PATH = '/graphql';

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, 'ok' | string>;
}

export interface HttpServerOptions {
  schema: GraphQLSchema;
  contextDeps: ContextDeps;
  logger: Logger;
  production: boolean;
  /** Introspection and the GraphiQL UI. */
  introspection: boolean;
  /** Pre-filled in GraphiQL's headers (emulator mode only). */
  devToken?: string | undefined;
  readiness: () => Promise<ReadinessReport>;
  /** Further plain-HTTP routes by path prefix (e.g. export downloads). */
  routes?: HttpRoute[];
  /** Depth, alias, token, cost, timeout and body limits (issue 8); defaults when absent. */
  limits?: QueryLimits;
  /** Per-principal cost budget; default an in-memory leaky bucket. */
  costBudget?: CostBudget;
}

/** A plain-HTTP route; `handle` writes the whole response. */
export interface HttpRoute {
  method: 'GET' | 'POST';
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export interface RunningHttpServer {
  url: string;
  graphqlUrl: string;
  port: number;
  apollo: ApolloServer<AppContext>;
  close(): Promise<void>;
}

class BodyTooLargeError extends Error {}

/** The default budget: 100,000 points per user, 2,000 restored per second. */
export const defaultCostBudget = (): CostBudget =>
  new InMemoryCostBudget({ capacity: 100_000, restorePerSecond: 2_000 });

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      throw new BodyTooLargeError();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const TIMED_OUT = Symbol('timed out');

/** Resolves with the promise's value, or with {@link TIMED_OUT} after `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const timeoutError = (ms: number): GraphQLError =>
  new GraphQLError(`The operation took longer than ${ms} ms and was abandoned.`, {
    extensions: { code: ErrorCode.TIMEOUT, timeoutMs: ms },
  });

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

const requestIdOf = (req: IncomingMessage): string => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(given) ? given : randomUUID();
};

/**
 * The HTTP server: Apollo Server 5 at `/graphql` (POST and GET), graphql-ws on the same path,
 * GraphiQL for browsers, `/healthz` and `/readyz`.
 */
export async function startHttpServer(
  options: HttpServerOptions,
  listen: { port: number; host: string },
): Promise<RunningHttpServer> {
  const { logger } = options;
  const httpServer: Server = createServer();
  const formatError = createFormatError({ production: options.production });
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const costBudget = options.costBudget ?? defaultCostBudget();
  const validationRules = options.introspection
    ? specifiedRules
    : [...specifiedRules, NoSchemaIntrospectionCustomRule];

  // graphql-ws bypasses Apollo's pipeline: auth, introspection rule, query limits, cost budget,
  // timeout and error masking are wired here, the same as on HTTP.
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: GRAPHQL_PATH,
    maxPayload: limits.maxBodyBytes,
  });
  const actors = new WeakMap<object, Actor>();
  const wsCosts = new WeakMap<object, Map<string, CostReport>>();
  const wsCleanup = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      onSubscribe: (ctx, id, payload) => {
        const actor = actors.get(ctx);
        if (!actor) {
          return [
            new GraphQLError('Unauthenticated.', { extensions: { code: 'UNAUTHENTICATED' } }),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError && isTokenLimitMessage(error.message)) {
            return [tooManyTokensError(limits)];
          }
          return [
            new GraphQLError(error instanceof Error ? error.message : 'Syntax error.', {
              extensions: { code: 'GRAPHQL_PARSE_FAILED' },
            }),
          ];
        }
        const errors = validate(options.schema, document, validationRules);
        if (errors.length > 0) {
          return errors.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes ?? null,
                extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [
            new GraphQLError('Unable to identify the operation.', {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        try {
          const report = admitOperation({
            schema: options.schema,
            document,
            operation,
            variables: payload.variables,
            limits,
            budget: costBudget,
            principal: principalOf(actor),
          });
          const costs = wsCosts.get(ctx) ?? new Map<string, CostReport>();
          costs.set(id, report);
          wsCosts.set(ctx, costs);
        } catch (error) {
          if (error instanceof GraphQLError) {
            return [error];
          }
          throw error;
        }
        const args: ExecutionArgs = {
          schema: options.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: createContextForActor(options.contextDeps, actor),
        };
        return args;
      },
      // Queries and mutations over the socket get the same per-operation time limit as HTTP.
      execute: (args) =>
        withTimeout(Promise.resolve(execute(args)), limits.timeoutMs).then((outcome) =>
          outcome === TIMED_OUT
            ? { errors: [timeoutError(limits.timeoutMs)] }
            : (outcome as Awaited<ReturnType<typeof execute>>),
        ),
      onComplete: (ctx, id) => {
        wsCosts.get(ctx)?.delete(id);
      },
      onConnect: async (ctx) => {
        const authorization =
          ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        try {
          const actor = await options.contextDeps.auth.verifyHeader(
            typeof authorization === 'string' ? authorization : undefined,
          );
          actors.set(ctx, actor);
          return true;
        } catch {
          return false; // closes with 4403 Forbidden
        }
      },
      context: (ctx) => {
        const actor = actors.get(ctx);
        if (!actor) {
          throw new Error('unauthenticated websocket');
        }
        return createContextForActor(options.contextDeps, actor) as unknown as Record<
          string,
          unknown
        >;
      },
      onNext: (ctx, id, _payload, _args, result) => {
        const actor = actors.get(ctx);
        const report = wsCosts.get(ctx)?.get(id);
        const cost =
          actor && report
            ? report.actual === null
              ? settleOperation(costBudget, principalOf(actor), report, actualCost(result.data))
              : report
            : undefined;
        if (cost) {
          // A subscription is charged once; later events repeat the settled report.
          wsCosts.get(ctx)?.set(id, cost);
        }
        return {
          ...result,
          ...(result.errors
            ? {
                errors: result.errors.map((e: GraphQLError) =>
                  formatError(e.toJSON() as GraphQLFormattedError, e),
                ),
              }
            : {}),
          ...(cost ? { extensions: { ...result.extensions, cost } } : {}),
        };
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((e) => formatError(e.toJSON() as GraphQLFormattedError, e)),
    },
    wsServer,
  );

  const apollo = new ApolloServer<AppContext>({
    schema: options.schema,
    introspection: options.introspection,
    // main.ts owns SIGINT/SIGTERM (graceful shutdown of API, runner and emulator in order).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !options.production,
    formatError,
    // OWASP: array batches evade per-operation counting; keep them off explicitly.
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [
      queryLimitsPlugin({ limits, budget: costBudget }),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Apollo adds cache-control hints by default: a willResolveField hook on every field, for
      // HTTP caching this API does not do (measured with `npm run bench`).
      ApolloServerPluginCacheControlDisabled(),
      errorLoggingPlugin(logger),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const handleGraphql = async (req: IncomingMessage, res: ServerResponse, requestId: string) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) {
        headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      const text = await readBody(req, limits.maxBodyBytes);
      if ((headers.get('content-type') ?? '').includes('json') && text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          sendJson(res, 400, {
            errors: [{ message: 'Malformed JSON body.', extensions: { code: 'BAD_REQUEST' } }],
          });
          return;
        }
      } else {
        body = text;
      }
    }
    const running = apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () =>
        createContextFromAuthorization(options.contextDeps, req.headers.authorization, requestId),
    });
    // graphql-js cannot abort a running operation: answer on time and let it finish unobserved.
    running.catch((error: unknown) =>
      logger.error({ err: error, requestId }, 'GraphQL request failed after its time limit'),
    );
    const result = await withTimeout(running, limits.timeoutMs);
    if (result === TIMED_OUT) {
      res.setHeader('x-request-id', requestId);
      sendJson(res, 504, { errors: [timeoutError(limits.timeoutMs).toJSON()] });
      return;
    }
    res.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) {
      res.setHeader(key, value);
    }
    res.setHeader('x-request-id', requestId);
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) {
        res.write(chunk);
      }
      res.end();
    }
  };

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('finish', () => {
      logger.info(
        {
          requestId,
          method: req.method,
          path: url.pathname,
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
        },
        'http request',
      );
    });
    const route = async () => {
      if (url.pathname === '/healthz' && req.method === 'GET') {
        sendJson(res, 200, { status: 'ok' });
        return;
      }
      if (url.pathname === '/readyz' && req.method === 'GET') {
        const report = await options.readiness();
        sendJson(res, report.ok ? 200 : 503, {
          status: report.ok ? 'ready' : 'not ready',
          checks: report.checks,
        });
        return;
      }
      if (
        url.pathname.startsWith(GRAPHIQL_ASSET_PREFIX) &&
        req.method === 'GET' &&
        options.introspection
      ) {
        const asset = await readGraphiqlAsset(url.pathname.slice(GRAPHIQL_ASSET_PREFIX.length));
        if (!asset) {
          sendJson(res, 404, { error: 'not found' });
          return;
        }
        res.statusCode = 200;
        res.setHeader('content-type', asset.type);
        res.setHeader('cache-control', 'public, max-age=3600');
        res.end(asset.body);
        return;
      }
      const extra = options.routes?.find(
        (r) => r.method === req.method && url.pathname.startsWith(r.prefix),
      );
      if (extra) {
        await extra.handle(req, res, url);
        return;
      }
      if (url.pathname === GRAPHQL_PATH) {
        const wantsHtml =
          req.method === 'GET' &&
          !url.searchParams.has('query') &&
          (req.headers.accept ?? '').includes('text/html');
        if (wantsHtml && options.introspection) {
          res.statusCode = 200;
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.setHeader('cache-control', 'no-store');
          res.end(renderGraphiqlPage({ endpoint: GRAPHQL_PATH, devToken: options.devToken }));
          return;
        }
        await handleGraphql(req, res, requestId);
        return;
      }
      sendJson(res, 404, { error: 'not found' });
    };
    route().catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, {
          errors: [{ message: 'Request body too large.', extensions: { code: 'BAD_REQUEST' } }],
        });
        return;
      }
      logger.error({ err: error, requestId }, 'http handler failed');
      if (!res.headersSent) {
        sendJson(res, 500, {
          errors: [
            { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
          ],
        });
      } else {
        res.end();
      }
    });
  });

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
        wsServer.close();
        httpServer.closeAllConnections();
      })();
      return closing;
    },
  };
}

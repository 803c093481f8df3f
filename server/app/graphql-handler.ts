import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { type GraphQLSchema } from 'graphql';
import {
  type AppContext,
  type ContextDeps,
  createContextForActor,
  createContextFromAuthorization,
} from './context.js';
import { type createFormatError, errorLoggingPlugin } from './format-error.js';
import { readBody, sendJson, TIMED_OUT, timeoutError, withTimeout } from './http-io.js';
import { type Logger } from './logger.js';
import { type CostBudget } from './limits/cost-budget.js';
import { queryLimitsPlugin } from './limits/limits.plugin.js';
import { type QueryLimits, refuseLargeDocument } from './limits/operation-limits.js';
import { type Actor } from '../shared/actor.js';
import { collectDependencies, newResponseDependencies } from '../shared/response-dependencies.js';
import {
  responseCacheKey,
  sendCached,
  storeResponse,
} from './response-cache/response-cache.handler.js';
import {
  attachCapture,
  responseCachePlugin,
  type ResponseCapture,
} from './response-cache/response-cache.plugin.js';
import { type ResponseCacheStore } from './response-cache/response-cache.store.js';

export interface GraphqlHandlerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  contextDeps: ContextDeps;
  logger: Logger;
  production: boolean;
  /** Stack traces in `errors[].extensions` (asked for, development only). */
  stackTraces: boolean;
  introspection: boolean;
  limits: QueryLimits;
  costBudget: CostBudget;
  formatError: ReturnType<typeof createFormatError>;
  /** Cached responses of queries (issue 20); none when absent or disabled. */
  responseCache?: ResponseCacheStore | undefined;
  /** Disposes the WebSocket server when Apollo drains. */
  disposeWebSocket: () => Promise<void>;
}

export type GraphqlHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
) => Promise<void>;

/** Apollo Server 5, started, and the handler that runs one HTTP GraphQL request through it. */
export async function startGraphqlHandler(
  options: GraphqlHandlerOptions,
): Promise<{ apollo: ApolloServer<AppContext>; handleGraphql: GraphqlHandler }> {
  const { httpServer, logger, limits, costBudget, formatError } = options;
  const responseCache = options.responseCache?.enabled ? options.responseCache : undefined;
  const apollo = new ApolloServer<AppContext>({
    schema: options.schema,
    introspection: options.introspection,
    // main.ts owns SIGINT/SIGTERM (graceful shutdown of API, runner and emulator in order).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.stackTraces,
    formatError,
    // OWASP: array batches evade per-operation counting; keep them off explicitly.
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [
      queryLimitsPlugin({ limits, budget: costBudget }),
      // After the limits plugin: it stores the settled cost.
      ...(responseCache ? [responseCachePlugin(responseCache)] : []),
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
              await options.disposeWebSocket();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const handleGraphql: GraphqlHandler = async (req, res, requestId) => {
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
    const query =
      req.method === 'POST'
        ? (body as { query?: unknown } | undefined)?.query
        : url.searchParams.get('query');
    const refusal = typeof query === 'string' ? refuseLargeDocument(query, limits) : undefined;
    if (refusal) {
      const { http: _http, ...extensions } = refusal.extensions;
      res.setHeader('x-request-id', requestId);
      sendJson(res, 400, {
        errors: [formatError({ message: refusal.message, extensions }, refusal)],
      });
      return;
    }
    let actor: Actor | undefined;
    let capture: ResponseCapture | undefined;
    if (responseCache && req.method === 'POST') {
      // A bad token goes on to Apollo, which answers UNAUTHENTICATED as always.
      actor = await options.contextDeps.auth
        .verifyHeader(req.headers.authorization)
        .catch(() => undefined);
      const key = actor && responseCacheKey(actor, headers.get('accept'), body);
      if (actor && key) {
        const hit = responseCache.get(key);
        if (hit && sendCached(res, hit, actor, costBudget, requestId)) {
          return;
        }
        capture = { key, dependencies: newResponseDependencies() };
      }
    }
    const context = async (): Promise<AppContext> => {
      if (!actor) {
        return createContextFromAuthorization(
          options.contextDeps,
          req.headers.authorization,
          requestId,
        );
      }
      const ctx = createContextForActor(options.contextDeps, actor, requestId);
      if (capture) {
        attachCapture(ctx, capture);
      }
      return ctx;
    };
    const execute = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context,
      });
    const running = capture ? collectDependencies(capture.dependencies, execute) : execute();
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
    if (responseCache && capture) {
      storeResponse(responseCache, capture, result);
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

  return { apollo, handleGraphql };
}

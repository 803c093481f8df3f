import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
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

export const GRAPHQL_PATH = '/graphql';
const MAX_BODY_BYTES = 1024 * 1024;

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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new BodyTooLargeError();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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

  // graphql-ws bypasses Apollo's pipeline: auth, introspection rule and error masking are wired here.
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const actors = new WeakMap<object, Actor>();
  const wsCleanup = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      validate: (schema, document, rules, ...rest) =>
        validate(
          schema,
          document,
          options.introspection
            ? rules
            : [...(rules ?? specifiedRules), NoSchemaIntrospectionCustomRule],
          ...rest,
        ),
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
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) {
          return;
        }
        return {
          ...result,
          errors: result.errors.map((e: GraphQLError) =>
            formatError(e.toJSON() as GraphQLFormattedError, e),
          ),
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
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
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
      const text = await readBody(req);
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
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () =>
        createContextFromAuthorization(options.contextDeps, req.headers.authorization, requestId),
    });
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

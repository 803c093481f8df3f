import { type IncomingMessage, type ServerResponse } from 'node:http';
import { isStorageFault } from '../db/storage-fault.js';
import { ErrorCode } from '../shared/errors.js';
import { type HttpRoute } from '../shared/http-route.js';
import { STORAGE_FAILED_MESSAGE } from './format-error.js';
import { GRAPHIQL_ASSET_PREFIX, readGraphiqlAsset, renderGraphiqlPage } from './graphiql.js';
import { type GraphqlHandler } from './graphql-handler.js';
import { BodyTooLargeError, GRAPHQL_PATH, requestIdOf, sendJson } from './http-io.js';
import { type Logger } from './logger.js';

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, 'ok' | string>;
}

// A plain-HTTP route; `handle` writes the whole response (declared in shared/ for procedures).
export type { HttpRoute } from '../shared/http-route.js';

export interface RoutesOptions {
  logger: Logger;
  /** The GraphiQL UI and its assets. */
  introspection: boolean;
  devToken?: string | undefined;
  readiness: () => Promise<ReadinessReport>;
  routes?: HttpRoute[] | undefined;
  handleGraphql: GraphqlHandler;
}

/**
 * The request listener: `/healthz`, `/readyz`, GraphiQL and its assets, the extra routes, then
 * GraphQL at `/graphql`; a request log line for each.
 */
export function createRequestListener(
  options: RoutesOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger, handleGraphql } = options;
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('finish', () => {
      // Request lines at debug (issue 19: they were 100 of 101 info lines); server errors at warn.
      (res.statusCode >= 500 ? logger.warn : logger.debug).call(
        logger,
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
      if (!res.headersSent && isStorageFault(error)) {
        sendJson(res, 503, {
          errors: [
            {
              message: STORAGE_FAILED_MESSAGE,
              extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
            },
          ],
        });
      } else if (!res.headersSent) {
        sendJson(res, 500, {
          errors: [
            { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
          ],
        });
      } else {
        res.end();
      }
    });
  };
}

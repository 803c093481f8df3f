import { readFile, stat } from 'node:fs/promises';
import { type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HttpRoute } from './http-routes.js';

// The operator console (console/, built by `npm run build` into dist/console) served as static
// files under /console with an SPA fallback: any /console/* path that is not a file gets
// index.html, so the console's own routes survive a reload.

export const CONSOLE_PATH = '/console';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Everything comes from this origin (bundled npm packages, no CDN); the API is /graphql here.
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Where the built console is: dist/console beside the compiled server (dist/server/app/ →
 * dist/console), or, when the server runs from its TypeScript sources (tests), the repository's
 * dist/console.
 */
export function defaultConsoleDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const compiled = here.includes(`${sep}dist${sep}server${sep}`);
  return resolve(here, compiled ? '../../console' : '../../dist/console');
}

export interface ConsoleRouteOptions {
  /** The built console (index.html and assets/). */
  dir: string;
  /** The development token, offered pre-filled on the sign-in page (emulator mode only). */
  devToken?: string | undefined;
  /** Whether /console/demo-clock moves the in-process emulator's clock (emulator mode only). */
  demoClock?: boolean;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer | string,
  cache: string,
): void {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('cache-control', cache);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    res.setHeader(name, value);
  }
  res.end(body);
}

const isFile = async (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

export function consoleRoute(options: ConsoleRouteOptions): HttpRoute {
  const root = resolve(options.dir);
  const index = join(root, 'index.html');
  return {
    method: 'GET',
    prefix: CONSOLE_PATH,
    async handle(_req, res, url) {
      const path = url.pathname;
      if (path === CONSOLE_PATH) {
        res.statusCode = 308;
        res.setHeader('location', `${CONSOLE_PATH}/${url.search}`);
        res.end();
        return;
      }
      if (!path.startsWith(`${CONSOLE_PATH}/`)) {
        send(res, 404, TYPES['.json'] as string, '{"error":"not found"}', 'no-store');
        return;
      }
      const relative = path.slice(CONSOLE_PATH.length + 1);
      if (relative === 'config.json') {
        const config = {
          ...(options.devToken ? { devToken: options.devToken } : {}),
          ...(options.demoClock ? { demoClock: true } : {}),
        };
        send(res, 200, TYPES['.json'] as string, JSON.stringify(config), 'no-store');
        return;
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(relative);
      } catch {
        send(res, 400, TYPES['.txt'] as string, 'bad path', 'no-store');
        return;
      }
      const file = normalize(join(root, decoded));
      const inside = file === root || file.startsWith(`${root}${sep}`);
      if (inside && decoded !== '' && (await isFile(file))) {
        // Vite names assets by content hash: they never change under the same name.
        const cache = decoded.startsWith('assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache';
        send(
          res,
          200,
          TYPES[extname(file)] ?? 'application/octet-stream',
          await readFile(file),
          cache,
        );
        return;
      }
      if (decoded.startsWith('assets/') || !inside) {
        send(res, 404, TYPES['.txt'] as string, 'not found', 'no-store');
        return;
      }
      const html = await readFile(index).catch(() => undefined);
      if (!html) {
        send(
          res,
          503,
          TYPES['.txt'] as string,
          'The console is not built: run `npm run build` (it builds console/ into dist/console).',
          'no-store',
        );
        return;
      }
      send(res, 200, TYPES['.html'] as string, html, 'no-cache');
    },
  };
}

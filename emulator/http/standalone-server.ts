import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';
import { pcError } from './responses.js';

export interface StandaloneServer {
  url: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

/**
 * Standalone HTTP server: `node:http` → Fetch `Request` → msw `getResponse` (house style §6.5).
 * Loopback by default. A `reset` fault destroys the socket; a client that disconnects aborts the
 * request (ends a `hang`).
 */
export async function serveHandlers(
  handlers: RequestHandler[],
  options: { port?: number; host?: string } = {},
): Promise<StandaloneServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) {
          abort.abort();
        }
      });
      try {
        const body = await readBody(req);
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) {
          if (Array.isArray(v)) {
            v.forEach((x) => headers.append(k, x));
          } else if (v !== undefined) {
            headers.set(k, v);
          }
        }
        const url = `http://${req.headers.host ?? `${host}`}${req.url ?? '/'}`;
        const method = (req.method ?? 'GET').toUpperCase();
        const request = new Request(url, {
          method,
          headers,
          body:
            method === 'GET' || method === 'HEAD' || body.length === 0
              ? undefined
              : new Uint8Array(body),
          signal: abort.signal,
        });
        const response =
          (await getResponse(handlers, request)) ??
          pcError(404, 1000, `The requested resource ${new URL(url).pathname} was not found.`);
        if (response.type === 'error') {
          req.socket.destroy();
          return;
        }
        if (res.destroyed) {
          return;
        }
        const payload = Buffer.from(await response.arrayBuffer());
        const outHeaders: Record<string, string> = {};
        response.headers.forEach((v, k) => {
          outHeaders[k] = v;
        });
        outHeaders['content-length'] = String(payload.length);
        res.writeHead(response.status, outHeaders);
        res.end(payload);
      } catch (err) {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
        }
        res.end(
          JSON.stringify({
            code: 800003,
            description: `Emulator server error: ${err instanceof Error ? err.message : String(err)}`,
            data: [],
            source: 'PartnerFD',
          }),
        );
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';
import { dotSegmentResponse, hasDotSegment } from './raw-path.js';
import { pcError } from './responses.js';

export interface StandaloneServer {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  host?: string;
  /**
   * Largest request body accepted, in bytes (413 beyond). Default 16 MiB: a demo state or a
   * scenario of a few thousand customers fits; load bigger states with `--state-file`.
   */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The body, or undefined once it passes `limit` (reading stops there). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) {
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) {
      return undefined;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

async function send(res: ServerResponse, response: Response, close = false): Promise<void> {
  const payload = Buffer.from(await response.arrayBuffer());
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    outHeaders[k] = v;
  });
  outHeaders['content-length'] = String(payload.length);
  if (close) {
    outHeaders.connection = 'close';
  }
  res.writeHead(response.status, outHeaders);
  res.end(payload);
}

/**
 * Standalone HTTP server: `node:http` → Fetch `Request` → msw `getResponse` (house style §6.5).
 * Loopback by default. A `reset` fault destroys the socket; a client that disconnects aborts the
 * request (ends a `hang`).
 */
export async function serveHandlers(
  handlers: RequestHandler[],
  options: ServeOptions = {},
): Promise<StandaloneServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) {
          abort.abort();
        }
      });
      try {
        if (hasDotSegment(req.url ?? '/')) {
          await send(res, dotSegmentResponse());
          return;
        }
        const body = await readBody(req, maxBodyBytes);
        if (body === undefined) {
          // The rest of the body is not read, so the connection cannot be reused.
          await send(
            res,
            pcError(413, 413, `The request body is larger than ${maxBodyBytes} bytes.`),
            true,
          );
          req.socket.destroySoon();
          return;
        }
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
        await send(res, response);
      } catch (err) {
        // A response already ended or a socket already gone (e.g. the 413 above, destroyed while
        // the client still streams) cannot carry a second answer: writing again throws.
        if (res.writableEnded || res.destroyed) {
          return;
        }
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

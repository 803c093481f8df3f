import { type AuthVerifier, CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { type HttpRoute } from '../../app/http-server.js';
import { type ExportService } from './export.service.js';

/**
 * RFC 6266 `Content-Disposition`: an ASCII `filename` for old clients (accents dropped, other
 * non-ASCII letters as `_`) beside `filename*=UTF-8''…` (RFC 8187) that keeps the real name.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName.normalize('NFC')).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return ascii === fileName
    ? `attachment; filename="${ascii}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const json = (status: number, body: object) => ({ status, body: JSON.stringify(body) });

/**
 * `GET /exports/{id}` with the same bearer token as the API. Another organization's export is a 404,
 * exactly like a missing one, so ids never confirm existence.
 */
export function exportDownloadRoute(deps: {
  auth: AuthVerifier;
  exports: ExportService;
}): HttpRoute {
  return {
    method: 'GET',
    prefix: '/exports/',
    async handle(req, res, url) {
      let reply: { status: number; body: string };
      try {
        const actor = await deps.auth.verifyHeader(req.headers.authorization);
        const id = decodeURIComponent(url.pathname.slice('/exports/'.length));
        const found = /^[0-9a-f-]{36}$/.test(id)
          ? await deps.exports.download(actor, id)
          : undefined;
        const file = found?.file;
        if (found?.forbidden) {
          reply = json(403, {
            error: 'forbidden',
            message: `This export holds customer data: it needs one of the roles ${CUSTOMER_READ_ROLES.join(', ')}.`,
          });
        } else if (file) {
          res.statusCode = 200;
          res.setHeader('content-type', file.contentType);
          res.setHeader('content-disposition', contentDisposition(file.fileName));
          res.setHeader('cache-control', 'private, no-store');
          res.end(file.content);
          return;
        } else {
          reply = json(404, { error: 'not found' });
        }
      } catch {
        reply = json(401, {
          error: 'unauthenticated',
          message: 'Send the bearer token you use for the API.',
        });
        res.setHeader('www-authenticate', 'Bearer');
      }
      res.statusCode = reply.status;
      res.setHeader('content-type', 'application/json');
      res.end(reply.body);
    },
  };
}

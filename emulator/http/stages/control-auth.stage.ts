import { createHash, timingSafeEqual } from 'node:crypto';
import type { Stage } from '../request-context.js';
import { pcError } from '../responses.js';

/** Reads that API replicas make without credentials (server/shared/http-clock.ts, directory). */
const OPEN_READS = new Set(['/_emulator/clock', '/_emulator/partners']);

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The token sent as `Authorization: Bearer <token>` or `X-Emulator-Control-Token`. */
function presented(request: Request): string | undefined {
  const header = request.headers.get('X-Emulator-Control-Token');
  if (header) {
    return header.trim();
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('Authorization') ?? '');
  return m?.[1];
}

/** With a control token configured, every control request but the open reads must carry it. */
export const controlAuthStage: Stage = (ctx) => {
  const expected = ctx.deps.controlToken;
  if (!expected) {
    return undefined;
  }
  if ((ctx.method === 'GET' || ctx.method === 'HEAD') && OPEN_READS.has(ctx.path.toLowerCase())) {
    return undefined;
  }
  const token = presented(ctx.request);
  // Compare digests so the comparison takes the same time whatever the length (no timing oracle).
  if (token !== undefined && timingSafeEqual(digest(token), digest(expected))) {
    return undefined;
  }
  return pcError(
    401,
    800001,
    token === undefined
      ? 'The emulator control API requires a token: send "Authorization: Bearer <control token>" or "X-Emulator-Control-Token".'
      : 'The emulator control token is not valid.',
    [],
    { 'WWW-Authenticate': 'Bearer realm="emulator-control"' },
  );
};

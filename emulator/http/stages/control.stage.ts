import { makeBaseRequest } from '../router.js';
import type { Stage } from '../request-context.js';
import { pcError } from '../responses.js';
import { errorResponse } from './shared-responses.js';

/** `/_emulator/*`: no journal, faults, throttling or partner token. */
export const controlRouteStage: Stage = async (ctx) => {
  const { method, url, deps } = ctx;
  const matched = deps.controlRoutes.match(method, ctx.path);
  if (matched === undefined || matched === 'methodMismatch') {
    return pcError(
      matched ? 405 : 404,
      matched ? 405 : 1000,
      `No control endpoint ${method} ${url.pathname}.`,
    );
  }
  const base = makeBaseRequest(
    deps.rt,
    ctx.request,
    url,
    ctx.path,
    matched.params,
    ctx.bodyText,
    ctx.correlationId,
    ctx.requestId,
  );
  try {
    const res = await matched.route.handle(base);
    if (method !== 'GET') {
      deps.rt.notifyChange();
    }
    return res;
  } catch (err) {
    return errorResponse(err);
  }
};

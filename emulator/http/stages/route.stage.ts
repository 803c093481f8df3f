import type { Stage } from '../request-context.js';
import { pcError } from '../responses.js';
import { armError } from './shared-responses.js';

/** Finds the Partner Center or ARM route (404/1000, 405 otherwise); sets `ctx.matched`. */
export const routeStage: Stage = (ctx) => {
  const { method, url } = ctx;
  const matched = ctx.deps.pcRoutes.match(method, ctx.path);
  if (matched === undefined || matched === 'methodMismatch') {
    if (ctx.scope === 'arm') {
      return armError(
        404,
        'NotFound',
        `No HTTP resource was found that matches ${method} ${url.pathname}.`,
      );
    }
    return matched === 'methodMismatch'
      ? pcError(405, 405, `The requested method ${method} is not allowed on ${url.pathname}.`)
      : pcError(404, 1000, `The requested resource ${url.pathname} was not found.`);
  }
  ctx.matched = matched;
  return undefined;
};

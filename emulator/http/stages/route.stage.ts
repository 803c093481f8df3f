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
    // A method Partner Center does not serve: 405 with the ASP.NET Web API message and the generic
    // invalid-request code 800002 (a guess, README "Where we guessed"), never a bare `code: 405`.
    return matched === 'methodMismatch'
      ? pcError(
          405,
          800002,
          `The requested resource ${url.pathname} does not support http method '${method}'.`,
        )
      : pcError(404, 1000, `The requested resource ${url.pathname} was not found.`);
  }
  ctx.matched = matched;
  return undefined;
};

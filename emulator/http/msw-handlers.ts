import { http, type RequestHandler } from 'msw';
import type { Pipeline } from './pipeline.js';

/**
 * msw handlers for `setupServer`/`setupWorker`: Partner Center under `/v1/*` at any origin, ARM
 * under `/arm/*` and at `https://management.azure.com/*`, Microsoft Graph (GDAP) at
 * `https://graph.microsoft.com/*` and under `/graph/*`, the control API under `/_emulator/*`.
 * They all delegate to the one pipeline, so msw, `emulator.fetch` and the standalone server behave
 * identically.
 */
export function buildMswHandlers(pipeline: Pipeline): RequestHandler[] {
  const resolver = ({ request }: { request: Request }): Promise<Response> =>
    pipeline.dispatch(request);
  return [
    http.all(/^https?:\/\/[^/]+\/v1(\/.*)?$/i, resolver),
    http.all(/^https?:\/\/[^/]+\/arm(\/.*)?$/i, resolver),
    http.all(/^https:\/\/management\.azure\.com(\/.*)?$/i, resolver),
    http.all(/^https:\/\/graph\.microsoft\.com(\/.*)?$/i, resolver),
    http.all(/^https?:\/\/[^/]+\/graph(\/.*)?$/i, resolver),
    http.all(/^https?:\/\/[^/]+\/_emulator(\/.*)?$/i, resolver),
  ];
}

import { getResponse, type RequestHandler } from 'msw';
import { dotSegmentResponse, hasDotSegment } from './raw-path.js';
import { pcError } from './responses.js';

/**
 * A `fetch`-compatible function over the emulator's handlers through msw's `getResponse`: no global
 * interception, so concurrent tests with different emulators never meet. Relative URLs resolve
 * against `baseUrl`. A `reset` fault rejects like a network error, as undici's fetch does.
 */
export function buildIsolatedFetch(
  handlers: RequestHandler[],
  baseUrl: string,
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    // Checked on the text as given: `new Request` would resolve the dot segments first.
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (hasDotSegment(raw)) {
      return dotSegmentResponse();
    }
    const request =
      typeof input === 'string' || input instanceof URL
        ? new Request(new URL(input, baseUrl), init)
        : new Request(input, init);
    const response =
      (await getResponse(handlers, request)) ??
      pcError(404, 1000, `The requested resource ${new URL(request.url).pathname} was not found.`);
    if (response.type === 'error') {
      throw new TypeError('fetch failed', {
        cause: new Error('ECONNRESET: connection reset by the emulator (injected fault)'),
      });
    }
    return response;
  };
}

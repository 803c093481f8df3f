import { json, pcError, PcHttpError } from '../responses.js';

/** ARM's error envelope `{ error: { code, message } }`. */
export function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json({ error: { code, message } }, status, headers);
}

export function throttledResponse(seconds: number): Response {
  // Body as in the throttling guidance example (partner-center-api.md §1 "Throttling").
  return json(
    { statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
    429,
    { 'Retry-After': String(seconds) },
  );
}

/** A handler's error as a response: Partner Center errors as raised, anything else 500/800003. */
export function errorResponse(err: unknown): Response {
  if (err instanceof PcHttpError) {
    return pcError(err.status, err.code, err.description, err.data, err.headers);
  }
  const message = err instanceof Error ? err.message : String(err);
  return pcError(500, 800003, `Unexpected error in the emulator: ${message}`);
}

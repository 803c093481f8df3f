import { pcError } from './responses.js';

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Whether the path as sent has `.` or `..` segments (also `%2e`, `%2E%2e`, and after `\`, which
 * URL parsers treat as `/`). URL parsing resolves them, so `/v1/../_emulator/state` would become a
 * control request: the emulator refuses such paths instead of resolving them.
 */
export function hasDotSegment(rawUrl: string): boolean {
  let path = rawUrl;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/\\?#]*/i.exec(path);
  if (scheme) {
    path = path.slice(scheme[0].length);
  }
  path = path.split(/[?#]/, 1)[0] ?? '';
  return path.split(/[/\\]/).some((segment) => {
    const s = decodeSegment(segment);
    return s === '.' || s === '..';
  });
}

export function dotSegmentResponse(): Response {
  return pcError(
    400,
    800002,
    "The request path must not contain '.' or '..' segments (percent-encoded or not).",
  );
}

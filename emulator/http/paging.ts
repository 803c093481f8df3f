import { errors } from './responses.js';

/**
 * Seek paging (partner-center-api.md §1 "Pagination"): the next page is requested with
 * `seekOperation=Next` and the `MS-ContinuationToken` header. Tokens are opaque base64url of the
 * last key returned and a fingerprint of the query, so pages stay stable when records are inserted
 * between calls (a seek, not an offset).
 */
interface TokenBody {
  k: string;
  q: string;
}

export function encodeToken(lastKey: string, queryFingerprint: string): string {
  return Buffer.from(
    JSON.stringify({ k: lastKey, q: queryFingerprint } satisfies TokenBody),
  ).toString('base64url');
}

export function decodeToken(token: string, queryFingerprint: string): string {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
    if (typeof body.k !== 'string' || body.q !== queryFingerprint) {
      throw new Error('mismatch');
    }
    return body.k;
  } catch {
    throw errors.invalidInput(
      'The continuation token is invalid or does not belong to this query.',
    );
  }
}

export interface SeekPage<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * Returns the page after `afterKey` from items sorted by `keyOf` (ascending, unique keys).
 * Binary search keeps large collections fast.
 */
export function seekPage<T>(
  sorted: T[],
  keyOf: (item: T) => string,
  size: number,
  afterKey: string | undefined,
  queryFingerprint: string,
): SeekPage<T> {
  let start = 0;
  if (afterKey !== undefined) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const item = sorted[mid];
      if (item !== undefined && keyOf(item) <= afterKey) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    start = lo;
  }
  const items = sorted.slice(start, start + size);
  const last = items[items.length - 1];
  const more = start + size < sorted.length;
  return {
    items,
    nextToken: more && last !== undefined ? encodeToken(keyOf(last), queryFingerprint) : undefined,
  };
}

/** Reads `size`, clamped to [1, max], defaulting when absent. */
export function pageSize(raw: string | null, defaultSize: number, max: number): number {
  if (raw === null || raw === '') {
    return defaultSize;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw errors.invalidInput(`The size parameter must be a positive integer, got "${raw}".`);
  }
  return Math.min(n, max);
}

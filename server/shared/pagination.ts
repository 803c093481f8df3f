import { BadUserInputError } from './errors.js';

/** Page size bounds for every connection (`first`). */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** A sort key: compared element by element (strings by code point, numbers numerically). */
export type SortKey = ReadonlyArray<string | number>;

/** Plain-data connection; structurally matches the GraphQL `XConnection` types. */
export interface ConnectionPage<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfoData;
  totalCount: number;
}

export interface PageInfoData {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

const CURSOR_VERSION = 1;

/** Validates `first` (1–100, default 50); out of range is `BAD_USER_INPUT`. */
export function resolveFirst(first: number | null | undefined): number {
  if (first === null || first === undefined) {
    return DEFAULT_PAGE_SIZE;
  }
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(
      `"first" must be between 1 and ${MAX_PAGE_SIZE} (got ${first}).`,
      'first',
    );
  }
  return first;
}

/**
 * Encodes an opaque, versioned keyset cursor. `scope` names the connection (e.g. "customers"), so a
 * cursor from one connection is rejected by another.
 */
export function encodeCursor(scope: string, key: SortKey): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, s: scope, k: key }), 'utf8').toString(
    'base64url',
  );
}

/** Decodes a cursor issued by {@link encodeCursor}; anything else is `BAD_USER_INPUT`. */
export function decodeCursor(scope: string, cursor: string): SortKey {
  const invalid = () => new BadUserInputError('"after" is not a valid cursor.', 'after');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { v?: unknown }).v !== CURSOR_VERSION ||
    (parsed as { s?: unknown }).s !== scope ||
    !Array.isArray((parsed as { k?: unknown }).k) ||
    !(parsed as { k: unknown[] }).k.every((p) => typeof p === 'string' || typeof p === 'number')
  ) {
    throw invalid();
  }
  return (parsed as { k: SortKey }).k;
}

export function compareSortKeys(a: SortKey, b: SortKey): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) {
      continue;
    }
    if (x === undefined) {
      return -1;
    }
    if (y === undefined) {
      return 1;
    }
    if (typeof x === 'number' && typeof y === 'number') {
      return x < y ? -1 : 1;
    }
    const xs = String(x);
    const ys = String(y);
    return xs < ys ? -1 : 1;
  }
  return 0;
}

/**
 * Keyset pagination over an in-memory list (used where the source, like Partner Center's customer
 * list, has no usable server-side ordering). Sorts by `sortKey`, returns the `first` items strictly
 * after the `after` cursor, and counts the whole list for `totalCount`.
 */
export function paginateInMemory<T>(
  items: readonly T[],
  args: PageArgs,
  options: {
    scope: string;
    sortKey: (item: T) => SortKey;
    /** `items` are already in `sortKey` order: only the page's keys are computed. */
    presorted?: boolean;
  },
): ConnectionPage<T> {
  const first = resolveFirst(args.first);
  const afterKey = args.after ? decodeCursor(options.scope, args.after) : null;
  const sorted = options.presorted
    ? items
    : items
        .map((node) => ({ node, key: options.sortKey(node) }))
        .sort((a, b) => compareSortKeys(a.key, b.key))
        .map((e) => e.node);
  const start = afterKey
    ? sorted.findIndex((node) => compareSortKeys(options.sortKey(node), afterKey) > 0)
    : 0;
  const remaining = start < 0 ? [] : sorted.slice(start);
  const page = remaining.slice(0, first);
  return connectionFromSlice(
    page.map((node) => new InMemoryEdge(node, options.scope, options.sortKey)),
    {
      hasNextPage: remaining.length > first,
      // Items precede the page when a cursor was given and something sorts at or before it.
      hasPreviousPage: afterKey !== null && (start < 0 ? sorted.length > 0 : start > 0),
      totalCount: items.length,
    },
  );
}

/**
 * Builds a connection from an already-fetched slice, for database-backed keyset pagination (fetch
 * `first + 1` rows after the cursor key, pass the first `first` here with `hasNextPage`).
 */
export function connectionFromSlice<T>(
  edges: Array<{ cursor: string; node: T }>,
  info: { hasNextPage: boolean; hasPreviousPage: boolean; totalCount: number },
): ConnectionPage<T> {
  return {
    edges,
    totalCount: info.totalCount,
    pageInfo: {
      hasNextPage: info.hasNextPage,
      hasPreviousPage: info.hasPreviousPage,
      // Read only when asked for (cursors are encoded on demand).
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges[edges.length - 1]?.cursor ?? null;
      },
    },
  };
}

/**
 * An in-memory page's edge: its cursor is encoded when read. A page of 50 customers with 20
 * subscriptions each has over a thousand edges; most queries select nodes and `endCursor` only.
 */
class InMemoryEdge<T> {
  constructor(
    readonly node: T,
    private readonly scope: string,
    private readonly sortKey: (item: T) => SortKey,
  ) {}

  get cursor(): string {
    return encodeCursor(this.scope, this.sortKey(this.node));
  }
}

/** Maps a page's nodes, keeping each edge's cursor unread until asked for. */
export function mapEdges<T, U>(
  edges: ReadonlyArray<{ readonly cursor: string; readonly node: T }>,
  map: (node: T) => U,
): Array<{ cursor: string; node: U }> {
  return edges.map((edge) => ({
    node: map(edge.node),
    get cursor() {
      return edge.cursor;
    },
  }));
}

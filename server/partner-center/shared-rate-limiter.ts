import { sql, type SQL } from 'drizzle-orm';
import { type AppDb, dialectOf, tablesOf } from '../db/client.js';
import {
  abortableSleep,
  createTenantRateLimiter,
  type Permit,
  type RateLimiterOptions,
  type TenantRateLimiter,
} from './rate-limiter.js';

/**
 * The per-tenant Partner Center rate budget kept in the database (issue 10), so every replica
 * draws from one token bucket per partner tenant and N replicas together stay within Partner
 * Center's limits instead of N times over. One atomic statement takes a token: an upsert whose
 * update refills the bucket by the time elapsed on the database's clock (one clock for all
 * replicas) and only applies when a whole token is there; no row back means "wait".
 *
 * Concurrency (calls in flight) stays per replica: it protects this process's sockets, while
 * Partner Center's documented limits are rates. Time to wait is computed from the bucket.
 */
export interface SharedRateLimiterOptions extends RateLimiterOptions {
  db: AppDb;
  /** Separates budgets that share a tenant id (e.g. `pc` for Partner Center, `arm` for ARM). */
  scope: string;
}

export function createSharedRateLimiter(options: SharedRateLimiterOptions): TenantRateLimiter {
  const { db, scope } = options;
  const sleep = options.sleep ?? abortableSleep;
  const capacity = options.burst ?? options.ratePerMinute;
  const perMs = options.ratePerMinute / 60_000;
  // Per-replica concurrency only: the local limiter's own rate is effectively unlimited.
  const local = createTenantRateLimiter({
    concurrency: options.concurrency,
    ratePerMinute: Number.MAX_SAFE_INTEGER,
    burst: Number.MAX_SAFE_INTEGER,
  });
  const { rateBuckets } = tablesOf(db);
  const pg = dialectOf(db) === 'pg';
  const nowMs: SQL = pg
    ? sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql`cast(unixepoch('subsec') * 1000 as integer)`;
  const num = (value: number): SQL =>
    pg ? sql`${value}::double precision` : sql`cast(${value} as real)`;
  // Tokens in the bucket now: refilled by elapsed time, capped at the capacity.
  const least = sql.raw(pg ? 'least' : 'min');
  const refilled = sql`${least}(${num(capacity)}, ${rateBuckets.tokens} + (${nowMs} - ${rateBuckets.refilledAtMs}) * ${num(perMs)})`;

  /** Takes one token; returns 0 when taken, else the milliseconds to wait before trying again. */
  const take = async (key: string): Promise<number> => {
    const taken = await db
      .insert(rateBuckets)
      .values({ key, tokens: capacity - 1, refilledAtMs: sql`${nowMs}` })
      .onConflictDoUpdate({
        target: rateBuckets.key,
        set: {
          tokens: sql`${refilled} - 1`,
          refilledAtMs: sql`${nowMs}`,
        },
        setWhere: sql`${refilled} >= 1`,
      })
      .returning({ tokens: rateBuckets.tokens });
    if (taken.length > 0) {
      return 0;
    }
    const [row] = await db
      .select({ tokens: sql<number>`${refilled}`.mapWith(Number) })
      .from(rateBuckets)
      .where(sql`${rateBuckets.key} = ${key}`);
    const missing = 1 - (row?.tokens ?? 0);
    return Math.max(1, Math.ceil(missing / perMs));
  };

  return {
    async acquire(tenantId, signal) {
      const permit: Permit = await local.acquire(tenantId, signal);
      try {
        for (;;) {
          const waitMs = await take(`${scope}:${tenantId}`);
          if (waitMs === 0) {
            return permit;
          }
          // A little jitter so replicas that wait together do not retry in lockstep.
          await sleep(waitMs + Math.floor(Math.random() * Math.min(50, waitMs)), signal);
        }
      } catch (error) {
        permit.release();
        throw error;
      }
    },
    inspect(tenantId) {
      // The shared bucket lives in the database; this reports the replica's own slots.
      return local.inspect(tenantId);
    },
  };
}

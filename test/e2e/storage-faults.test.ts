import { cpSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { execute, sql, tablesOf } from '../../server/db/client.js';
import { isStorageFault, StorageFaultError } from '../../server/db/storage-fault.js';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { demoTenants, PLAN_CONSOLIDATION, type TenantRow } from '../support/consolidation.js';

// Issue 17 item 5: a database that cannot keep a write answers SERVICE_UNAVAILABLE (HTTP 503,
// "Storage failed"), not a masked "Internal server error." with HTTP 200, and /readyz says so.

interface PlanResult {
  planTenantConsolidation: {
    userErrors: unknown[];
    workflow: { id: string } | null;
  } | null;
}

describe('storage faults (SQLite file)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let dir: string;
  let file: string;
  let token: string;
  let target: TenantRow;
  let sources: TenantRow[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'csp-storage-'));
    file = join(dir, 'app.db');
    emulator = createEmulator({ scenario: 'demo', seed: 5 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off', DATABASE_URL: file },
    });
    const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
      ?.organizationId as string;
    token = await t.token(organizationId);
    ({ target, sources } = await demoTenants(t, emulator, token));
  });

  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = () =>
    t.gql<PlanResult>(PLAN_CONSOLIDATION, {
      token,
      variables: {
        input: {
          sourcePartnerTenantIds: sources.map((s) => s.id),
          targetPartnerTenantId: target.id,
        },
      },
    });
  const workflowCount = async () => {
    const res = await t.gql<{ workflows: { totalCount: number } }>(
      '{ workflows(first: 1) { totalCount } }',
      { token },
    );
    return res.body.data?.workflows.totalCount;
  };
  const readyz = async () => {
    const res = await fetch(`${t.http.url}/readyz`);
    return {
      status: res.status,
      body: (await res.json()) as { status: string; checks: Record<string, string> },
    };
  };
  const expectStorageFailed = (res: Awaited<ReturnType<typeof plan>>) => {
    expect(res.status).toBe(503);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.errors?.[0]?.message).toMatch(/^Storage failed/);
    expect(res.body.errors?.[0]?.message).not.toMatch(/Internal server error|SQLITE|\/tmp/);
    expect(res.body.data?.planTenantConsolidation ?? null).toBeNull();
  };

  it('a full database: plans answer SERVICE_UNAVAILABLE (503), /readyz is not ready, and both recover once space is back', async () => {
    const first = await plan();
    expect(first.status).toBe(200);
    expect(first.body.data?.planTenantConsolidation?.userErrors).toEqual([]);
    expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready' } });

    // SQLite's own size limit: the next write that needs a page more fails with SQLITE_FULL
    // ("database or disk is full"), exactly as on a full disk, without needing one.
    // (SQLite's raw rows are arrays.)
    const pages = (await execute<[number]>(t.app.db.db, sql`PRAGMA page_count`))[0]?.[0];
    expect(pages).toBeGreaterThan(10);
    await execute(t.app.db.db, sql.raw(`PRAGMA max_page_count = ${pages}`));

    const full = await plan();
    expectStorageFailed(full);
    expect(await workflowCount()).toBe(1); // nothing half-written
    const notReady = await readyz();
    expect(notReady.status).toBe(503);
    expect(notReady.body.status).toBe('not ready');
    expect(notReady.body.checks.database).toMatch(/full/);

    await execute(t.app.db.db, sql.raw('PRAGMA max_page_count = 1073741823'));
    const again = await plan();
    expect(again.status).toBe(200);
    expect(again.body.data?.planTenantConsolidation?.userErrors).toEqual([]);
    expect(await workflowCount()).toBe(2);
    expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('the file deleted under the running server: /readyz is not ready and plans answer SERVICE_UNAVAILABLE instead of writing into the unlinked file', async () => {
    expect((await plan()).status).toBe(200);
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(`${file}${suffix}`, { force: true });
    }
    const notReady = await readyz();
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.database).toMatch(/deleted/);
    expectStorageFailed(await plan());
    // The open (unlinked) file still answers reads: it holds the first plan only.
    expect(await workflowCount()).toBe(1);
  });

  it('the file replaced (a restore over it): /readyz reports it, and writes are refused', async () => {
    expect((await plan()).status).toBe(200);
    cpSync(file, `${file}.copy`);
    renameSync(`${file}.copy`, file); // same path, another inode
    const notReady = await readyz();
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.database).toMatch(/replaced/);
    expectStorageFailed(await plan());
  });
});

describe('storage faults: readiness on PostgreSQL and the fault classification', () => {
  it('/readyz writes its probe row on PostgreSQL too', async () => {
    const t = await startTestApp({ dialect: 'pg', env: { WORKFLOW_RUNNER: 'off' } });
    try {
      const res = await fetch(`${t.http.url}/readyz`);
      const body = (await res.json()) as { checks: Record<string, string> };
      expect(body.checks.database).toBe('ok');
      const db = t.app.db.db;
      const rows = await db.select().from(tablesOf(db).readinessProbes);
      expect(rows.map((r) => r.id)).toEqual(['readyz']);
    } finally {
      await t.close();
    }
  });

  it('classifies disk, I/O, connection and read-only errors as storage faults, and bugs as not', () => {
    const wrapped = (cause: unknown) =>
      Object.assign(new Error('Failed query: insert …'), { cause });
    expect(
      isStorageFault(wrapped({ code: 'SQLITE_FULL', message: 'database or disk is full' })),
    ).toBe(true);
    expect(isStorageFault(wrapped({ code: 'SQLITE_IOERR_WRITE' }))).toBe(true);
    expect(isStorageFault(wrapped({ code: 'SQLITE_READONLY_DBMOVED' }))).toBe(true);
    expect(
      isStorageFault({ code: '53100', message: 'could not extend file: No space left on device' }),
    ).toBe(true);
    expect(
      isStorageFault({
        code: '25006',
        message: 'cannot execute INSERT in a read-only transaction',
      }),
    ).toBe(true);
    expect(isStorageFault({ code: '57P01' })).toBe(true);
    expect(isStorageFault(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isStorageFault(new StorageFaultError('gone'))).toBe(true);
    expect(isStorageFault(wrapped({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
    expect(isStorageFault({ code: '23505', message: 'duplicate key' })).toBe(false);
    expect(isStorageFault({ code: '42P01', message: 'relation does not exist' })).toBe(false);
    expect(isStorageFault(new TypeError('x is undefined'))).toBe(false);
  });
});

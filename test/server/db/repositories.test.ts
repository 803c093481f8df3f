import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase, tablesOf, transaction } from '../../../server/db/client.js';
import { type BlockerCode } from '../../../server/shared/error-codes.js';
import {
  insertActivityEntries,
  listActivityEntries,
} from '../../../server/modules/activity-log/activity.repository.js';
import {
  deleteExpiredExports,
  getExportFile,
  insertExportFile,
} from '../../../server/modules/exports/export.repository.js';
import { OrganizationRepository } from '../../../server/modules/organizations/organization.repository.js';
import * as repo from '../../../server/workflows/engine/workflow.repository.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../support/dialects.js';

// The repository layer on both dialects (issue 10): the same calls, the same rows, the same
// atomicity, and claims that never hand one item to two runners.

const at = '2026-03-02T09:00:00.000Z';

async function seed(db: DbHandle['db'], id: string, items = 6) {
  await repo.createWorkflow(db, {
    workflow: {
      id,
      organizationId: 'org',
      kind: 'TENANT_CONSOLIDATION',
      status: 'RUNNING',
      inputJson: '{}',
      inputHash: 'h',
      idempotencyKey: `key-${id}`,
      dataJson: '{}',
      createdBy: 'test',
      createdAt: at,
      updatedAt: at,
    },
    items: Array.from({ length: items }, (_, i) => ({
      id: `${id}-item-${i}`,
      kind: 'CUSTOMER',
      state: 'PLANNED',
      step: 'go',
      nextRunAt: at,
      data: { i },
    })),
    blockers: [{ code: 'NOTE' as BlockerCode, message: 'a note', customerTenantId: 'c1' }],
    events: [{ type: 'PLANNED', message: 'planned' }],
  });
}

describe.each(dialects)('repositories on %s', (dialect) => {
  let database: TestDatabase;
  let handle: DbHandle;
  let second: DbHandle;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { file: true });
    handle = await openDatabase(database.url);
    second = await openDatabase(database.url); // another "replica" on the same database
  });
  afterAll(async () => {
    await second?.close();
    await handle?.close();
    await database?.drop();
  });

  it('creates a workflow with its items, blockers and events, and reads them back alike', async () => {
    await seed(handle.db, 'wf-read', 3);
    const workflow = await repo.getWorkflow(second.db, 'wf-read');
    expect(workflow).toMatchObject({ id: 'wf-read', status: 'RUNNING', version: 0 });
    expect(await repo.findWorkflowByIdempotencyKey(second.db, 'org', 'key-wf-read')).toEqual(
      workflow,
    );
    const items = await repo.listItems(second.db, 'wf-read');
    expect(items.map((i) => [i.position, i.attempts, i.backoffUntilMs, i.wakeCount])).toEqual([
      [0, 0, null, 0],
      [1, 0, null, 0],
      [2, 0, null, 0],
    ]);
    expect((await repo.listBlockers(second.db, 'wf-read')).map((b) => b.code)).toEqual(['NOTE']);
    const events = await repo.listEvents(second.db, 'wf-read', { limit: 10 });
    expect(events.totalCount).toBe(1);
    expect(typeof events.rows[0]?.id).toBe('number');
  });

  it('rolls a transaction back as a whole when it throws', async () => {
    const { auditCursors } = tablesOf(handle.db);
    await expect(
      transaction(handle.db, async (tx) => {
        await tx.insert(auditCursors).values({ partnerTenantId: 'p-rollback', readUntil: at });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await handle.db.select().from(auditCursors)).not.toContainEqual(
      expect.objectContaining({ partnerTenantId: 'p-rollback' }),
    );
  });

  it('hands each runnable item to exactly one of many concurrent claimers on two handles', async () => {
    await seed(handle.db, 'wf-claim', 12);
    const nowMs = Date.now();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        repo.claimRunnableItems(i % 2 ? second.db : handle.db, {
          now: at,
          nowMs,
          owner: `runner-${i}`,
          leaseMs: 60_000,
          limit: 3,
          exclude: [],
        }),
      ),
    );
    const ids = claims
      .flat()
      .map((item) => item.id)
      .filter((id) => id.startsWith('wf-claim'));
    expect(ids).toHaveLength(new Set(ids).size);
    expect(new Set(ids).size).toBe(12);
    // A live lease keeps others off; an expired one lets another runner take the item over.
    const again = await repo.claimRunnableItems(second.db, {
      now: at,
      nowMs: nowMs + 1_000,
      owner: 'late',
      leaseMs: 60_000,
      limit: 50,
      exclude: [],
    });
    expect(again.filter((i) => i.id.startsWith('wf-claim'))).toEqual([]);
    const takeover = await repo.claimRunnableItems(second.db, {
      now: at,
      nowMs: nowMs + 61_000,
      owner: 'late',
      leaseMs: 60_000,
      limit: 50,
      exclude: [],
    });
    expect(takeover.filter((i) => i.id.startsWith('wf-claim'))).toHaveLength(12);
    // The first owner lost it: renewing fails, and its outcome is not applied.
    const lost = claims.flat().find((i) => i.id === 'wf-claim-item-0');
    expect(lost).toBeDefined();
    expect(await repo.renewLease(handle.db, lost!.id, lost!.leaseOwner!, nowMs + 90_000)).toBe(
      false,
    );
    const applied = await repo.applyItemUpdate(handle.db, {
      item: lost!,
      owner: lost!.leaseOwner!,
      at,
      update: { status: 'DONE', state: 'DONE', step: 'go', data: {}, nextRunAt: null },
      events: [],
      blockers: [],
    });
    expect(applied.applied).toBe(false);
  });

  it('does not lose a wake-up that arrives while the woken item runs a step', async () => {
    await repo.createWorkflow(handle.db, {
      workflow: {
        id: 'wf-wake',
        organizationId: 'org',
        kind: 'TENANT_CONSOLIDATION',
        status: 'RUNNING',
        inputJson: '{}',
        inputHash: 'h',
        idempotencyKey: null,
        dataJson: '{}',
        createdBy: 'test',
        createdAt: at,
        updatedAt: at,
      },
      items: [
        { id: 'wake-parent', kind: 'CUSTOMER', state: 'S', step: 'wait', nextRunAt: at, data: {} },
      ],
      blockers: [],
      events: [],
    });
    const [parent] = await repo.claimRunnableItems(handle.db, {
      now: at,
      nowMs: Date.now(),
      owner: 'p',
      leaseMs: 60_000,
      limit: 1,
      exclude: [],
    });
    expect(parent?.id).toBe('wake-parent');
    // Meanwhile a child finishes and wakes it; then the parent's step decides to wait an hour.
    await repo.wakeItems(second.db, ['wake-parent'], at);
    await repo.applyItemUpdate(handle.db, {
      item: parent!,
      owner: 'p',
      at,
      update: {
        status: 'WAITING',
        state: 'S',
        step: 'wait',
        data: {},
        nextRunAt: '2026-03-02T10:00:00.000Z',
      },
      events: [],
      blockers: [],
    });
    expect((await repo.getItem(second.db, 'wake-parent'))?.nextRunAt).toBe(at);
  });

  it('keeps activity entries once per external id and searches customer names case-insensitively', async () => {
    const entry = {
      organizationId: 'org',
      at,
      actor: 'test',
      operation: 'ORDER',
      source: 'PRODUCT' as const,
      customerName: 'Alpine Foods SAS',
      customerTenantId: 'c-1',
      externalId: 'wf:1:order',
    };
    await insertActivityEntries(handle.db, [entry]);
    await insertActivityEntries(second.db, [entry, { ...entry, externalId: 'wf:1:suspend' }]);
    const found = await listActivityEntries(
      second.db,
      { organizationId: 'org', customerSearch: 'alpine' },
      { limit: 10 },
    );
    expect(found.totalCount).toBe(2);
    expect(found.rows.map((r) => r.externalId)).toEqual(['wf:1:order', 'wf:1:suspend']);
  });

  it('stores export files as bytes and the directory with millisecond timestamps', async () => {
    const content = Buffer.from([0, 1, 2, 250, 251, 255]);
    await insertExportFile(handle.db, {
      id: 'exp-1',
      organizationId: 'org',
      createdBy: 'test',
      fileName: 'a.xlsx',
      contentType: 'application/octet-stream',
      rowCount: 1,
      content,
      createdAt: at,
      expiresAt: '2026-03-03T09:00:00.000Z',
    });
    const file = await getExportFile(second.db, 'org', 'exp-1');
    expect(Buffer.isBuffer(file?.content)).toBe(true);
    expect([...(file?.content ?? [])]).toEqual([...content]);
    expect(await getExportFile(second.db, 'other-org', 'exp-1')).toBeUndefined();
    expect(await deleteExpiredExports(second.db, '2026-03-04T00:00:00.000Z')).toBe(1);

    const organizations = new OrganizationRepository(handle.db);
    const now = new Date('2026-03-02T09:00:00.123Z');
    await organizations.replaceDirectory(
      [
        {
          id: 'org-x',
          name: 'X',
          tenants: [
            {
              tenantId: 't-1',
              name: 'T1',
              mpnId: '1',
              country: 'FR',
              region: null,
              kind: 'direct',
              labels: ['central'],
            },
          ],
        },
      ],
      'config',
      now,
    );
    const [org] = await new OrganizationRepository(second.db).findOrganizationsByIds(['org-x']);
    expect(org?.updatedAt).toEqual(now);
    expect(await new OrganizationRepository(second.db).countOrganizations()).toBe(1);
  });
});

import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  boot,
  closeWorld,
  customerIdsOf,
  journalCounts,
  pathsState,
  pcSubscription,
  plan,
  startAndFinish,
  type PathsState,
} from '../support/consolidation-paths.js';

// Issue 15 item 1: on demo-today, new-commerce subscriptions move by partner-to-partner transfer
// (no order, same seats and term end, 0 overlap), legacy ones through the seed paths.

afterEach(closeWorld);

// The subscriptions that move: NO_ACTION items (suspended or deleted at planning) are listed too,
// with path NONE.
const items = (s: PathsState) =>
  s.customers.edges.flatMap((e) =>
    e.node.items.filter((i) => i.kind !== 'NO_ACTION').map((i) => ({ ...i, customer: e.node })),
  );

describe('consolidation by transfer on demo-today (issue 15)', () => {
  it(
    'moves every new-commerce subscription by transfer: no order, same seats and term end, 0 overlap; legacy items through the seed paths',
    { timeout: 180_000 },
    async () => {
      const w = await boot('demo-today');
      const id = await plan(w, await customerIdsOf(w));
      const planned = await pathsState(w.t, w.token, id);
      const plannedItems = items(planned);
      // Every new-commerce license of a movable customer takes the transfer path, with its reason.
      const nce = plannedItems.filter((i) => i.source.offerId.includes(':'));
      expect(nce.length).toBeGreaterThan(10);
      expect(nce.every((i) => i.path === 'TRANSFER' && i.kind === 'SUBSCRIPTION_TRANSFER')).toBe(
        true,
      );
      expect(nce.every((i) => /consolidation tutorial/.test(i.pathReason ?? ''))).toBe(true);
      const legacy = plannedItems.filter(
        (i) => !i.source.offerId.includes(':') && i.kind === 'LICENSE_REPROVISION',
      );
      expect(legacy.length).toBeGreaterThan(0);
      expect(legacy.every((i) => i.path === 'REPROVISION')).toBe(true);
      expect(
        plannedItems
          .filter((i) => i.source.offerId.toUpperCase() === 'MS-AZR-0145P')
          .every((i) => i.path === 'SUPPORT_MIGRATION'),
      ).toBe(true);
      // Customers without the MCA cannot transfer new commerce (13605): a pre-flight blocker.
      const camargue = planned.blockers.filter((b) => b.code === 'MCA_NOT_ACCEPTED');
      expect(camargue.length).toBeGreaterThan(0);

      // The inventory export carries each subscription's path and reason (CSV and XLSX).
      for (const format of ['CSV', 'XLSX'] as const) {
        const exported = await w.t.gql<{
          exportConsolidationInventory: { export: { url: string; rowCount: number } };
        }>(
          'mutation($id: ID!, $f: ExportFormat!) { exportConsolidationInventory(input: { workflowId: $id, format: $f }) { userErrors { code } export { url rowCount } } }',
          { token: w.token, variables: { id, f: format } },
        );
        const file = exported.body.data?.exportConsolidationInventory.export;
        const body = Buffer.from(
          await (
            await fetch(file?.url as string, { headers: { authorization: `Bearer ${w.token}` } })
          ).arrayBuffer(),
        );
        const rows: string[][] = [];
        if (format === 'XLSX') {
          const workbook = new ExcelJS.Workbook();
          await workbook.xlsx.load(body as never);
          workbook.worksheets[0]?.eachRow((r) =>
            rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
          );
        } else {
          // Only the first columns are read: they hold no comma (the reason column may).
          rows.push(
            ...body
              .toString('utf8')
              .trim()
              .split('\r\n')
              .map((l) => l.split(',')),
          );
        }
        const header = rows[0] ?? [];
        expect(header).toContain('Path');
        expect(header).toContain('Why this path');
        const col = (name: string) => rows.slice(1).map((r) => r[header.indexOf(name)]);
        expect(col('Path')).toContain('TRANSFER');
        expect(col('Path')).toContain('REPROVISION');
        expect(col('Path')).toContain('SUPPORT_MIGRATION');
        // One row per inventoried subscription: none for the per-customer transfer requests.
        expect(col('Plan')).not.toContain('TRANSFER_REQUEST');
        expect(file?.rowCount).toBe(rows.length - 1);
        expect(rows.length - 1).toBeGreaterThanOrEqual(plannedItems.length);
      }
      const before = journalCounts(w.emulator);
      const end = await startAndFinish(w, id);
      expect(end.status).toBe('COMPLETED');
      expect(end.billingOverlap.maxOverlapDays).toBe(0);
      const moved = items(end).filter((i) => i.customer.state === 'DONE');
      const transferred = moved.filter((i) => i.path === 'TRANSFER');
      expect(transferred.length).toBeGreaterThan(10);
      for (const i of transferred) {
        expect(i.status).toBe('DONE');
        expect(i.transferId).toBeTruthy();
        expect(i.overlapDays).toBe(0);
        expect(i.target?.quantity).toBe(i.seats);
        expect(i.target?.offerId).toBe(i.source.offerId);
        expect(i.target?.status).toBe('ACTIVE');
        expect(i.target?.commitmentEndDate).toBe(i.source.commitmentEndDate);
        expect(i.target?.subscriptionId).not.toBe(i.source.subscriptionId);
        // The source's copy is gone (ended as "Transferred"), read in Partner Center itself.
        const src = await pcSubscription(
          w.emulator,
          w.sources.find((s) => s.tenantId)?.tenantId ?? '',
          i.customer.customer.tenantId,
          i.source.subscriptionId,
        );
        expect(src === null || src.status !== 'active').toBe(true);
        expect(i.source.status).not.toBe('ACTIVE');
      }
      const reprovisioned = moved.filter((i) => i.path === 'REPROVISION');
      expect(reprovisioned.length).toBeGreaterThan(0);
      expect(
        reprovisioned.every((i) => i.status === 'DONE' && i.source.status === 'SUSPENDED'),
      ).toBe(true);
      // NO order for a transferred subscription: the only orders are the re-provisioned ones.
      const counts = journalCounts(w.emulator, before.lastSeq);
      expect(counts.orders).toBe(reprovisioned.length);
      const customersTransferring = new Set(transferred.map((i) => i.customer.customer.tenantId));
      expect(counts.transfersCreated).toBe(customersTransferring.size);
      expect(counts.transfersAccepted).toBe(customersTransferring.size);
    },
  );

  it(
    'reports Partner Center calls per migrated subscription on each path',
    { timeout: 240_000 },
    async () => {
      const w = await boot('demo-today');
      const all = await customerIdsOf(w);
      const first = await pathsState(w.t, w.token, await plan(w, all));
      const only = (path: string) =>
        first.customers.edges
          .filter(
            (e) =>
              e.node.state !== 'BLOCKED' &&
              e.node.items.length > 0 &&
              e.node.items.every((i) => i.path === path),
          )
          .map((e) => e.node.customer.tenantId);
      const idOf = (tenantIds: string[]) =>
        all.filter((gid) =>
          tenantIds.some((tid) => Buffer.from(gid, 'base64').toString().includes(tid)),
        );
      const report: Record<string, number> = {};
      for (const path of ['TRANSFER', 'REPROVISION']) {
        const customers = idOf(only(path));
        expect(customers.length).toBeGreaterThan(0);
        const start = journalCounts(w.emulator);
        const id = await plan(w, customers);
        const afterPlan = journalCounts(w.emulator, start.lastSeq);
        let run = journalCounts(w.emulator, afterPlan.lastSeq);
        const end = await startAndFinish(w, id, 400, () => {
          run = journalCounts(w.emulator, afterPlan.lastSeq);
        });
        expect(end.status).toBe('COMPLETED');
        const groups: Record<string, number> = {};
        for (const e of w.emulator.control
          .requests()
          .filter((x) => x.seq > afterPlan.lastSeq && x.seq <= run.lastSeq)) {
          const k = `${e.method} ${e.path.replace(/[0-9a-f-]{36}/g, ':id')}`;
          groups[k] = (groups[k] ?? 0) + 1;
        }
        console.log(path, JSON.stringify(groups, null, 1));
        const subs = items(end).filter((i) => i.status === 'DONE').length;
        expect(subs).toBeGreaterThan(0);
        report[`${path} run calls/subscription`] = run.total / subs;
        // The invitation and its acceptance polls are the same on every path (per customer).
        report[`${path} path calls/subscription (without invitation)`] =
          (run.total -
            (groups['GET /v1/customers/:id'] ?? 0) -
            (groups['GET /v1/customers/relationshiprequests'] ?? 0)) /
          subs;
        report[`${path} plan+run calls/subscription`] = (afterPlan.total + run.total) / subs;
        report[`${path} subscriptions`] = subs;
        if (path === 'TRANSFER') {
          expect(run.orders).toBe(0);
        }
      }
      console.log(`PC calls per migrated subscription: ${JSON.stringify(report)}`);
      expect(report['TRANSFER path calls/subscription (without invitation)']).toBeLessThan(
        report['REPROVISION path calls/subscription (without invitation)'] as number,
      );
    },
  );
});

describe('legacy Azure: the Azure plan transition first, then the transfer (issue 15)', () => {
  it(
    'plans and runs AZURE_PLAN_THEN_TRANSFER as one sequenced plan',
    { timeout: 180_000 },
    async () => {
      const w = await boot('demo-today');
      const all = await customerIdsOf(w);
      const id = await plan(w, all, { legacyAzure: 'AZURE_PLAN_THEN_TRANSFER' });
      const planned = await pathsState(w.t, w.token, id);
      const legacy = items(planned).filter(
        (i) => i.source.offerId.toUpperCase() === 'MS-AZR-0145P',
      );
      expect(legacy.length).toBeGreaterThan(0);
      expect(legacy.every((i) => i.path === 'AZURE_PLAN_THEN_TRANSFER')).toBe(true);
      expect(legacy[0]?.pathReason).toMatch(/Azure plan at the source first/);
      const before = journalCounts(w.emulator);
      const end = await startAndFinish(w, id);
      expect(
        end.status,
        JSON.stringify(
          end.customers.edges
            .filter((e) => e.node.state !== 'DONE')
            .map((e) => [
              e.node.customer.companyName,
              e.node.state,
              e.node.waitingReason,
              e.node.items.map((x) => [x.path, x.status, x.detail]),
            ]),
        ),
      ).toBe('COMPLETED');
      const moved = items(end).filter(
        (i) => i.path === 'AZURE_PLAN_THEN_TRANSFER' && i.customer.state === 'DONE',
      );
      expect(moved.length).toBeGreaterThan(0);
      for (const i of moved) {
        expect(i.status).toBe('DONE');
        expect(i.transferId).toBeTruthy();
        expect(i.target?.status).toBe('ACTIVE');
        expect(i.source.status).not.toBe('ACTIVE');
      }
      const calls = w.emulator.control.requests().filter((e) => e.seq > before.lastSeq);
      // No support request for them: the product upgrade, then the transfer.
      expect(calls.some((e) => /\/productupgrades$/i.test(e.path) && e.method === 'POST')).toBe(
        true,
      );
      expect(calls.some((e) => /servicerequests/i.test(e.path) && e.method === 'POST')).toBe(false);
    },
  );
});

import { afterEach, describe, expect, it } from 'vitest';
import { playUntil } from '../support/app.js';
import {
  boot,
  closeWorld,
  pathsState,
  startOneTransferCustomer,
  type World,
} from '../support/consolidation-paths.js';
import { workflowStatus } from '../support/consolidation.js';
import { callPurpose } from '../../server/partner-center/call-purpose.js';

// Issue 20: a transfer request's completion check reads the target's subscription list first
// (needed anyway to verify the copies); the transfer itself is read only when that list does not
// show a copy of every line with the transfer id. Transfers still in progress are then read alone
// until they complete, and the lists are read again after Microsoft completed them.

afterEach(closeWorld);

/** This customer's Partner Center calls of the run, by kind, in order. */
function calls(w: World, customerTenantId: string, sinceSeq: number) {
  const c = customerTenantId.toLowerCase();
  return w.emulator.control
    .requests()
    .filter((e) => e.seq > sinceSeq && e.path.toLowerCase().startsWith(`/v1/customers/${c}`))
    .map((e) => {
      const rest = e.path.toLowerCase().slice(`/v1/customers/${c}`.length);
      const kind =
        e.method === 'GET' && rest.startsWith('/transfers/')
          ? 'get-transfer'
          : e.method === 'GET' && rest === '/subscriptions'
            ? e.tenantId === w.target.tenantId
              ? 'target-list'
              : 'source-list'
            : `${e.method} ${rest.replace(/\/[0-9a-f-]{36}/g, '/{id}') || '/'}`;
      return { kind, time: e.time };
    });
}

/**
 * Plays the started consolidation to COMPLETED in 15-minute steps: the customer's calls of the
 * run (read before the paths query, which reads Partner Center's live subscriptions) and its state.
 */
async function runToCompletion(
  w: World,
  run: { id: string; customerTenantId: string; sinceSeq: number },
  maxSteps: number,
) {
  await playUntil(w.t, w.emulator, async () => (await status(w, run.id)) === 'COMPLETED', {
    step: 'PT15M',
    maxSteps,
  });
  const seen = calls(w, run.customerTenantId, run.sinceSeq);
  const end = await pathsState(w.t, w.token, run.id);
  expect(end.status).toBe('COMPLETED');
  return { seen, end };
}

/** The customer's transfer as Partner Center shows it (the emulator's control API). */
interface TransferView {
  id: string;
  status: string;
  customerTenantId: string;
  completedTime: string | null;
  lineItems: Array<{ subscriptionId: string; status?: string }>;
}

const transferOf = (w: World, customerTenantId: string) =>
  (w.emulator.control.transfers() as unknown as TransferView[]).find(
    (t) => t.customerTenantId === customerTenantId,
  );

// The workflow's status alone: the paths query reads Partner Center's live subscriptions.
const status = (w: World, id: string) => workflowStatus(w.t, w.token, id);

describe('transfer completion check (issue 20)', () => {
  it(
    'finds the completed transfer in the target list: no read of the transfer, one list per side, every line verified',
    { timeout: 120_000 },
    async () => {
      const w = await boot('demo-today');
      const { id, customerTenantId, sinceSeq } = await startOneTransferCustomer(w);
      const { seen, end } = await runToCompletion(w, { id, customerTenantId, sinceSeq }, 40);
      const t = transferOf(w, customerTenantId);
      expect(t?.status).toMatch(/complete/i);
      const kinds = seen.map((c) => c.kind);
      expect(kinds.filter((k) => k === 'get-transfer')).toEqual([]);
      expect(kinds.filter((k) => k === 'target-list')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'source-list')).toHaveLength(1);
      // Read after Microsoft completed it (first check after the acceptance + PT1H).
      const firstList = seen.find((c) => c.kind === 'target-list');
      expect(Date.parse(firstList!.time)).toBeGreaterThanOrEqual(Date.parse(t!.completedTime!));
      const items = end.customers.edges[0]!.node.items;
      expect(items.length).toBeGreaterThanOrEqual(2);
      const moved = new Set<string>();
      for (const i of items) {
        expect(i.status).toBe('DONE');
        expect(i.transferId).toBe(t!.id);
        expect(i.target?.quantity).toBe(i.seats);
        expect(i.target?.offerId).toBe(i.source.offerId);
        moved.add(i.target!.subscriptionId);
      }
      // Each line its own copy (matched by offer and seats, not one copy for two lines).
      expect(moved.size).toBe(items.length);
      const copies = w.emulator.control
        .state()
        .subscriptions.filter((s) => (s as { transferId?: string }).transferId === t!.id)
        .map((s) => s.id)
        .sort();
      expect(copies).toHaveLength(items.length);
      expect([...moved].sort()).toEqual(copies);
    },
  );

  it(
    'reads the transfer when the list is incomplete: alone while Microsoft works, then the lists after completion',
    { timeout: 120_000 },
    async () => {
      const w = await boot('demo-today');
      // Microsoft takes 3 hours, the first check comes after 1 hour (DEFAULT_TRANSFER_FIRST_CHECK).
      w.emulator.control.setAutopilot({ commerce: { transferCompletion: 'PT3H' } });
      const { id, customerTenantId, sinceSeq } = await startOneTransferCustomer(w);
      const { seen, end } = await runToCompletion(w, { id, customerTenantId, sinceSeq }, 60);
      const t = transferOf(w, customerTenantId);
      const completed = Date.parse(t!.completedTime!);
      const before = seen.filter((c) => Date.parse(c.time) < completed).map((c) => c.kind);
      const after = seen.filter((c) => Date.parse(c.time) >= completed).map((c) => c.kind);
      // The first check: one target list (no copies yet), then the transfer; rechecks every
      // 30 minutes read the transfer alone.
      expect(before.filter((k) => k === 'target-list')).toHaveLength(1);
      expect(before.filter((k) => k === 'source-list')).toHaveLength(0);
      const polls = before.filter((k) => k === 'get-transfer').length;
      expect(polls).toBeGreaterThanOrEqual(3);
      expect(polls).toBeLessThanOrEqual(5);
      expect(before.indexOf('target-list')).toBeLessThan(before.indexOf('get-transfer'));
      // The check that sees Complete reads the transfer, then one list per side.
      expect(after.slice(0, 3)).toEqual(['get-transfer', 'target-list', 'source-list']);
      for (const i of end.customers.edges[0]!.node.items) {
        expect(i.status).toBe('DONE');
        expect(i.target?.quantity).toBe(i.seats);
      }
    },
  );

  it(
    'a line that failed at completion is not taken for moved: the missing copy makes it read the transfer and report the line',
    { timeout: 120_000 },
    async () => {
      const w = await boot('demo-today');
      // Microsoft completes after PT1H (the emulator's default), when the first check comes.
      const { id, customerTenantId, sinceSeq } = await startOneTransferCustomer(w);
      await playUntil(
        w.t,
        w.emulator,
        async () => /inprogress/i.test(transferOf(w, customerTenantId)?.status ?? ''),
        { step: 'PT15M', maxSteps: 80 },
      );
      // Between the acceptance and the completion, one source subscription stops being active
      // (suspended by someone at the source): Microsoft fails its line item (900103).
      const t0 = transferOf(w, customerTenantId)!;
      const failedId = t0.lineItems[0]!.subscriptionId;
      const snapshot = w.emulator.control.state();
      const src = snapshot.subscriptions.find((s) => s.id === failedId);
      Object.assign(src!, { status: 'suspended', suspensionReasons: ['CustomerCancellation'] });
      w.emulator.control.loadState(snapshot);
      await playUntil(
        w.t,
        w.emulator,
        async () => !['RUNNING', 'WAITING'].includes(await status(w, id)),
        {
          step: 'PT15M',
          maxSteps: 40,
        },
      );
      const t = transferOf(w, customerTenantId)!;
      expect(t.lineItems.find((li) => li.subscriptionId === failedId)?.status).toBe('Failed');
      const transferReads = calls(w, customerTenantId, sinceSeq).filter(
        (c) => c.kind === 'get-transfer',
      );
      const end = await pathsState(w.t, w.token, id);
      const items = end.customers.edges[0]!.node.items;
      const failed = items.find((i) => i.source.subscriptionId === failedId);
      expect(failed?.status).toBe('FAILED');
      expect(failed?.detail).toMatch(/900103|no longer active/);
      const others = items.filter((i) => i.source.subscriptionId !== failedId);
      expect(others.length).toBeGreaterThanOrEqual(1);
      for (const i of others) {
        expect(i.status).toBe('DONE');
      }
      expect(transferReads).toHaveLength(1);
    },
  );

  it(
    "labels the transfer-integrity watch's calls (a day after completion), not the migration's",
    { timeout: 120_000 },
    async () => {
      const seen: Array<{ url: string; method: string; purpose: string | undefined }> = [];
      const w = await boot('demo-today', {
        wrapFetch: (fetch) => async (input, init) => {
          const url = typeof input === 'string' ? input : input.toString();
          seen.push({ url, method: init?.method ?? 'GET', purpose: callPurpose() });
          return fetch(input, init);
        },
      });
      const { id, customerTenantId } = await startOneTransferCustomer(w);
      const lists = () =>
        seen.filter(
          (c) =>
            c.method === 'GET' &&
            new URL(c.url).pathname.toLowerCase() ===
              `/v1/customers/${customerTenantId}/subscriptions`.toLowerCase(),
        );
      await playUntil(w.t, w.emulator, async () => (await status(w, id)) === 'COMPLETED', {
        step: 'PT15M',
        maxSteps: 40,
      });
      const atCompletion = seen.length;
      expect(seen.every((c) => c.purpose === undefined)).toBe(true);
      // CONSOLIDATION_TRANSFER_WATCH_INTERVAL P1D: one check a day after completion.
      await playUntil(w.t, w.emulator, async () => lists().some((c) => c.purpose), {
        step: 'PT6H',
        maxSteps: 8,
      });
      const watch = seen.slice(atCompletion).filter((c) => c.purpose);
      expect(watch.map((c) => c.purpose)).toEqual([
        'transfer-integrity-watch',
        'transfer-integrity-watch',
      ]);
      expect(lists().filter((c) => c.purpose)).toHaveLength(2);
    },
  );
});

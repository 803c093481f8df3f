import { describe, expect, it } from 'vitest';
import { type PartnerCenterClientFactory } from '../../../server/partner-center/client-factory.js';
import { type PcSubscription } from '../../../server/partner-center/contracts/subscriptions.js';
import { ConsolidationReads } from '../../../server/procedures/consolidation/steps/shared-reads.js';

// The consolidation's per-run read cache (issue 20): shared reads, never older than the caller's
// own last write.

function fakeClients() {
  let version = 0;
  const calls: Array<{ tenant: string; customer: string; version: number }> = [];
  let fail = false;
  const clients = {
    forTenant: (tenant: string) => ({
      listSubscriptions: async (customer: string) => {
        const v = ++version;
        calls.push({ tenant, customer, version: v });
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail) {
          throw new Error('503 from Partner Center');
        }
        return [{ id: `sub-${v}`, status: 'active' } as unknown as PcSubscription];
      },
    }),
  } as unknown as PartnerCenterClientFactory;
  return { clients, calls, failNext: (on: boolean) => (fail = on) };
}

describe('ConsolidationReads', () => {
  it('serves callers that ask within the window with one read', async () => {
    const { clients, calls } = fakeClients();
    const reads = new ConsolidationReads(clients, { windowMs: 20 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        reads.subscriptions('wf', 'target', 'c1', reads.freshSince(`item-${i}`)),
      ),
    );
    expect(calls).toHaveLength(1);
    expect(new Set(results.map((r) => r[0]?.id))).toEqual(new Set(['sub-1']));
  });

  it('never hands a caller a read that started before its own write finished', async () => {
    const { clients, calls } = fakeClients();
    let now = 0;
    const reads = new ConsolidationReads(clients, { windowMs: 1, now: () => now });
    now = 10;
    const first = await reads.subscriptions('wf', 'target', 'c1', 0);
    expect(first[0]?.id).toBe('sub-1');
    // An item ordered after that read: the finished read is older than its write.
    now = 20;
    reads.wrote('item-late');
    now = 30;
    const late = await reads.subscriptions('wf', 'target', 'c1', reads.freshSince('item-late'));
    expect(late[0]?.id).toBe('sub-2');
    // An item whose write finished before the second read started may reuse it.
    expect(
      (await reads.subscriptions('wf', 'target', 'c1', 25))[0]?.id,
      'a read newer than the write is reused',
    ).toBe('sub-2');
    expect(calls).toHaveLength(2);
  });

  it('keeps workflows, tenants and customers apart, and drops reads past their age', async () => {
    const { clients, calls } = fakeClients();
    let now = 0;
    const reads = new ConsolidationReads(clients, { windowMs: 1, maxAgeMs: 100, now: () => now });
    await reads.subscriptions('wf', 'target', 'c1', 0);
    await reads.subscriptions('wf', 'source', 'c1', 0);
    await reads.subscriptions('wf', 'target', 'c2', 0);
    await reads.subscriptions('other-wf', 'target', 'c1', 0);
    expect(calls).toHaveLength(4);
    await reads.subscriptions('wf', 'target', 'c1', 0);
    expect(calls).toHaveLength(4);
    now = 101;
    await reads.subscriptions('wf', 'target', 'c1', 0);
    expect(calls).toHaveLength(5);
  });

  it('holds no read past its age (memory: one age of reads, not maxKeys of them)', async () => {
    const { clients } = fakeClients();
    let now = 0;
    const reads = new ConsolidationReads(clients, { windowMs: 1, maxAgeMs: 100, now: () => now });
    for (let c = 0; c < 20; c += 1) {
      await reads.subscriptions('wf', 'target', `c${c}`, 0);
    }
    expect(reads.held).toBe(20);
    now = 50;
    await reads.subscriptions('wf', 'target', 'c-late', 0);
    expect(reads.held).toBe(21);
    now = 120;
    await reads.subscriptions('wf', 'source', 'c0', 0);
    // The 20 reads of t=0 are past their age; the one of t=50 and the new one stay.
    expect(reads.held).toBe(2);
  });

  it('fails every caller of a failed read and keeps nothing of it', async () => {
    const { clients, calls, failNext } = fakeClients();
    const reads = new ConsolidationReads(clients, { windowMs: 5 });
    failNext(true);
    const outcomes = await Promise.allSettled([
      reads.subscriptions('wf', 'target', 'c1', 0),
      reads.subscriptions('wf', 'target', 'c1', 0),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    failNext(false);
    expect((await reads.subscriptions('wf', 'target', 'c1', 0))[0]?.id).toBe('sub-2');
    expect(calls).toHaveLength(2);
  });

  it('reads the invitation URL once per workflow and tenant, again after a failure', async () => {
    let n = 0;
    const clients = {
      forTenant: () => ({
        request: async () => {
          n += 1;
          if (n === 1) {
            throw new Error('timeout');
          }
          return { data: { url: `https://invite/${n}` } };
        },
      }),
    } as unknown as PartnerCenterClientFactory;
    const reads = new ConsolidationReads(clients);
    await expect(reads.invitationUrl('wf', 'target')).rejects.toThrow('timeout');
    expect(await reads.invitationUrl('wf', 'target')).toBe('https://invite/2');
    expect(await reads.invitationUrl('wf', 'target')).toBe('https://invite/2');
    expect(await reads.invitationUrl('wf-2', 'target')).toBe('https://invite/3');
  });

  it('shares an audit read per source tenant, customer and day, never older than the suspension', async () => {
    const calls: Array<{ tenant: string; query: Record<string, string> | undefined }> = [];
    const clients = {
      forTenant: (tenant: string) => ({
        listCollection: async (
          _path: string,
          _schema: unknown,
          _options: unknown,
          query?: Record<string, string>,
        ) => {
          calls.push({ tenant, query });
          await new Promise((resolve) => setTimeout(resolve, 2));
          return [{ id: `audit-${calls.length}` }];
        },
      }),
    } as unknown as PartnerCenterClientFactory;
    let now = 0;
    const reads = new ConsolidationReads(clients, { windowMs: 5, now: () => now });
    now = 10;
    reads.wrote('a');
    reads.wrote('b');
    const [a, b] = await Promise.all([
      reads.auditRecords('wf', 'fr', 'c1', '2026-01-05', reads.freshSince('a')),
      reads.auditRecords('wf', 'fr', 'c1', '2026-01-05', reads.freshSince('b')),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.tenant).toBe('fr');
    expect(calls[0]?.query?.startDate).toBe('2026-01-05');
    expect(JSON.parse(calls[0]?.query?.filter ?? '{}')).toMatchObject({
      Field: 'CustomerId',
      Value: 'c1',
    });
    expect([a[0]?.id, b[0]?.id]).toEqual(['audit-1', 'audit-1']);
    // A sibling suspended after that read started: its record may be missing, so it reads again.
    now = 20;
    reads.wrote('c');
    now = 30;
    const c = await reads.auditRecords('wf', 'fr', 'c1', '2026-01-05', reads.freshSince('c'));
    expect(c[0]?.id).toBe('audit-2');
    // Another start day or customer is another read.
    await reads.auditRecords('wf', 'fr', 'c1', '2026-01-04', 0);
    await reads.auditRecords('wf', 'fr', 'c2', '2026-01-05', 0);
    expect(calls).toHaveLength(4);
  });
});

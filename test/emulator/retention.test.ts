import { describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type RetentionOptions } from 'partner-center-emulator';

// The emulator's bounded history (issue 20 item 3, README "Memory"): MS-RequestId replay records
// (count, time to live) and audit records (90 days, a count per partner tenant).

const PC = 'https://api.partnercenter.microsoft.com/v1';
const E3 = '796B6B5F-613C-4E24-A17C-EBA730D49C02';

function open(retention: Partial<RetentionOptions>) {
  const emulator = createEmulator({ scenario: 'demo', seed: 1, retention });
  const fr = emulator.control.partners().find((p) => p.name === 'Contoso Cloud France');
  const alpine = emulator.control.customers().find((c) => c.companyName === 'Alpine Foods SAS');
  if (!fr || !alpine) {
    throw new Error('demo scenario changed');
  }
  const order = async (requestId: string) => {
    const res = await emulator.fetch(`${PC}/customers/${alpine.tenantId}/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emulator.tokenFor(fr.tenantId)}`,
        'content-type': 'application/json',
        'ms-requestid': requestId,
      },
      body: JSON.stringify({ lineItems: [{ lineItemNumber: 0, offerId: E3, quantity: 1 }] }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const audit = async () => {
    const res = await emulator.fetch(
      `${PC}/auditrecords?startDate=${emulator.clock.now().toISOString().slice(0, 10)}&size=500`,
      { headers: { authorization: `Bearer ${emulator.tokenFor(fr.tenantId)}` } },
    );
    return ((await res.json()) as { items: Array<{ id: string; operationType: string }> }).items;
  };
  return { emulator, fr, order, audit };
}

const replayed = (emulator: Emulator) =>
  emulator.control.requests({ method: 'POST' }).map((e) => e.replayed);

describe('emulator retention', () => {
  it('replays an MS-RequestId within its time to live, not after it', async () => {
    const { emulator, order } = open({ idempotencyTtlMs: 3_600_000 });
    const first = await order('retry-me');
    expect(await order('retry-me')).toBe(first);
    await emulator.clock.advance('PT2H');
    expect(await order('retry-me')).not.toBe(first);
    expect(replayed(emulator)).toEqual([false, true, false]);
  });

  it('keeps at most idempotencyRecords replay records, the newest', async () => {
    const { emulator, order } = open({ idempotencyRecords: 2 });
    const a = await order('a');
    const b = await order('b');
    const c = await order('c');
    expect(emulator.control.state().idempotency).toHaveLength(2);
    // `a` was dropped (a new order), `b` and `c` still replay.
    expect(await order('a')).not.toBe(a);
    expect(await order('c')).toBe(c);
    expect(replayed(emulator).slice(-2)).toEqual([false, true]);
    expect(b).not.toBe(c);
  });

  it('keeps at most auditRecordsPerPartner audit records per partner, the newest, ids unique', async () => {
    const { emulator, order, audit } = open({ auditRecordsPerPartner: 10 });
    const before = emulator.control.state().auditRecords.length;
    for (let i = 0; i < 30; i++) {
      await order(`o-${i}`);
    }
    const records = await audit();
    // Trimmed in batches of a tenth of the limit: never more than limit + slack.
    expect(records.length).toBeGreaterThanOrEqual(10);
    expect(records.length).toBeLessThanOrEqual(11);
    expect(records.every((r) => r.operationType === 'create_order')).toBe(true);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(emulator.control.state().auditRecords.length).toBeLessThan(before + 30);
  });

  it('drops audit records older than 90 days', async () => {
    const { emulator, fr, order } = open({});
    await order('old');
    const ours = () =>
      emulator.control
        .state()
        .auditRecords.filter(
          (a) => a.partnerId === fr.tenantId && a.operationType === 'create_order',
        );
    expect(ours()).toHaveLength(1);
    await emulator.clock.advance('P91D');
    await order('new');
    const kept = ours();
    expect(kept).toHaveLength(1);
    expect(kept[0]?.operationDate.slice(0, 10)).toBe(
      emulator.clock.now().toISOString().slice(0, 10),
    );
  });

  it('keeps everything at the defaults for a small run, and counts it without a copy', async () => {
    const { emulator, order } = open({});
    for (let i = 0; i < 5; i++) {
      await order(`d-${i}`);
    }
    const state = emulator.control.state();
    expect(state.idempotency).toHaveLength(5);
    const counts = {
      customers: state.customers.length,
      subscriptions: state.subscriptions.length,
      orders: state.orders.length,
      auditRecords: state.auditRecords.length,
      idempotencyRecords: 5,
      journal: emulator.control.requests().length,
    };
    expect(emulator.control.counts()).toEqual(counts);
    const res = await emulator.fetch('https://api.partnercenter.microsoft.com/_emulator/counts');
    expect(await res.json()).toEqual({ ...counts, journal: counts.journal });
  });
});

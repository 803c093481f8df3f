import { createEmulator, type Emulator, type RetentionOptions } from 'partner-center-emulator';
import { peakRssMb } from './process-stats.js';

// One emulator in a process of its own (forked by bench/emulator-memory.ts with --expose-gc):
// its live heap and RSS holding the `large` preset, then after a consolidation-like load through
// its HTTP surface (`emulator.fetch`, as another project's test suite uses it): every customer
// accepts the target, the target reads it and orders each license subscription (MS-RequestId
// set, so every order leaves a replay record and an audit record), the clock moves so the orders
// complete, and the source suspends each subscription with PATCH + If-Match.

export interface ProbeOptions {
  customers: number;
  subscriptionsPerCustomer: number;
  /** Run the load (false: only hold the preset). */
  load: boolean;
  /** The emulator's history bounds (default: its defaults). */
  retention?: Partial<RetentionOptions>;
}

export interface ProbeResult {
  type: 'emulator-memory';
  customers: number;
  /** Subscriptions of the preset (before the load adds the target's). */
  subscriptions: number;
  buildSeconds: number;
  /** After build and a full GC. */
  heldHeapMb: number;
  heldRssMb: number;
  /** After the load and a full GC (null without load). */
  loadedHeapMb: number | null;
  loadedRssMb: number | null;
  peakRssMb: number;
  calls: number;
  loadSeconds: number;
  records: { idempotency: number; audit: number; journal: number; subscriptions: number };
}

const BASE = 'https://api.partnercenter.microsoft.com/v1';
const gc = (globalThis as { gc?: () => void }).gc;

function memory(): { heapMb: number; rssMb: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heapMb: m.heapUsed / 1048576, rssMb: m.rss / 1048576 };
}

interface Sub {
  id: string;
  offerId: string;
  quantity: number;
  status: string;
  attributes?: { etag?: string };
}

async function drive(emulator: Emulator): Promise<{ calls: number; orders: number }> {
  let calls = 0;
  let orders = 0;
  const pc = async (
    tenant: string,
    method: string,
    path: string,
    body?: unknown,
    etag?: string,
  ) => {
    calls += 1;
    const res = await emulator.fetch(`${BASE}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${emulator.tokenFor(tenant)}`,
        'content-type': 'application/json',
        'ms-requestid': crypto.randomUUID(),
        ...(etag ? { 'if-match': etag } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) {
      throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    }
    return text ? (JSON.parse(text) as { items?: Sub[] }) : {};
  };
  const target = emulator.control.partners().find((p) => p.labels.includes('central'));
  if (!target) {
    throw new Error('no central tenant');
  }
  for (const c of emulator.control.customers()) {
    const source = c.relationships.find((r) => r.partnerTenantId !== target.tenantId);
    if (!source) {
      continue;
    }
    // A macrotask turn per customer, as any suite with real I/O between its calls has: V8 keeps
    // every WeakRef target created in one job (undici's Request signals) until the job ends, so
    // an unbroken chain of microtasks would measure those, not the emulator.
    await new Promise((resolve) => setImmediate(resolve));
    emulator.control.acceptRelationship(c.tenantId, target.tenantId, { delegatedAdmin: true });
    await pc(target.tenantId, 'GET', `/customers/${c.tenantId}`);
    await pc(target.tenantId, 'GET', `/customers/${c.tenantId}/subscriptions`);
    const subs = (
      (await pc(source.partnerTenantId, 'GET', `/customers/${c.tenantId}/subscriptions`)).items ??
      []
    ).filter((s) => s.status === 'active' && !/azure/i.test(s.offerId));
    for (const s of subs) {
      orders += 1;
      await pc(target.tenantId, 'POST', `/customers/${c.tenantId}/orders`, {
        referenceCustomerId: c.tenantId,
        lineItems: [{ lineItemNumber: 0, offerId: s.offerId, quantity: s.quantity }],
        attributes: { objectType: 'Order' },
      });
    }
    await emulator.clock.advance('PT1S');
    await pc(target.tenantId, 'GET', `/customers/${c.tenantId}/subscriptions`);
    for (const s of subs) {
      await pc(
        source.partnerTenantId,
        'PATCH',
        `/customers/${c.tenantId}/subscriptions/${s.id}`,
        { ...s, status: 'suspended' },
        s.attributes?.etag,
      );
    }
  }
  return { calls, orders };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_EMULATOR_MEMORY ?? '{}') as ProbeOptions;
  const t0 = performance.now();
  const emulator = createEmulator({
    scenario: {
      extends: 'large',
      size: {
        customers: options.customers,
        subscriptionsPerCustomer: options.subscriptionsPerCustomer,
      },
    },
    seed: 1,
    // The bench's standalone emulator keeps 1,000 (bench/emulator-serve.ts); the default is 10,000.
    journalLimit: 10_000,
    // Memory, not rate: the load runs faster than 500 calls per (virtual) minute.
    throttling: { enabled: false },
    ...(options.retention ? { retention: options.retention } : {}),
  });
  const buildSeconds = (performance.now() - t0) / 1000;
  const held = memory();
  let loaded: { heapMb: number; rssMb: number } | null = null;
  let calls = 0;
  let orders = 0;
  const t1 = performance.now();
  if (options.load) {
    ({ calls, orders } = await drive(emulator));
    loaded = memory();
  }
  const peak = peakRssMb();
  const counts = emulator.control.counts();
  // The preset's subscriptions are those the load did not order.
  const presetSubscriptions = counts.subscriptions - orders;
  const result: ProbeResult = {
    type: 'emulator-memory',
    customers: options.customers,
    subscriptions: presetSubscriptions,
    buildSeconds,
    heldHeapMb: held.heapMb,
    heldRssMb: held.rssMb,
    loadedHeapMb: loaded?.heapMb ?? null,
    loadedRssMb: loaded?.rssMb ?? null,
    peakRssMb: peak,
    calls,
    loadSeconds: (performance.now() - t1) / 1000,
    records: {
      idempotency: counts.idempotencyRecords,
      audit: counts.auditRecords,
      journal: counts.journal,
      subscriptions: counts.subscriptions,
    },
  };
  process.send?.(result);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench emulator memory failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

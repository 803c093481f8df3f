import { type ServerProcess } from './server-process.js';

// The baseline: the same migration of license subscriptions done by a plain sequential client,
// one Partner Center call at a time, one order per subscription, no batching, no sharing of reads.

interface PcSubscription {
  id: string;
  offerId: string;
  quantity: number;
  status: string;
  friendlyName?: string;
  billingType?: string;
  attributes?: { etag?: string };
  lineItems?: Array<{ subscriptionId?: string }>;
}

export interface BaselineResult {
  customers: number;
  subscriptions: number;
  calls: number;
  wallSeconds: number;
  secondsPerSubscription: number;
}

export async function sequentialBaseline(
  server: ServerProcess,
  targetTenantId: string,
  customers: Array<{ tenantId: string; sourceTenantId: string }>,
): Promise<BaselineResult> {
  const base = server.ready.emulatorUrl;
  const tokens = new Map<string, string>();
  const tokenFor = async (tenantId: string) => {
    let token = tokens.get(tenantId);
    if (!token) {
      token = (await server.control<{ token: string }>('GET', `token?tenantId=${tenantId}`)).token;
      tokens.set(tenantId, token);
    }
    return token;
  };
  let calls = 0;
  const call = async <T>(
    tenantId: string,
    method: string,
    path: string,
    body?: unknown,
    ifMatch?: string,
  ) => {
    for (;;) {
      calls += 1;
      const res = await fetch(`${base}/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await tokenFor(tenantId)}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(ifMatch ? { 'if-match': ifMatch } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (res.status === 429) {
        await new Promise((r) =>
          setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000),
        );
        continue;
      }
      if (!res.ok) {
        throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      }
      return JSON.parse(text) as T;
    }
  };

  const t0 = performance.now();
  let subscriptions = 0;
  for (const customer of customers) {
    const cid = customer.tenantId;
    await call(targetTenantId, 'GET', `/customers/${cid}`);
    const listed = await call<{ items: PcSubscription[] }>(
      customer.sourceTenantId,
      'GET',
      `/customers/${cid}/subscriptions`,
    );
    for (const sub of listed.items) {
      if (sub.status !== 'active' || /AZR|DZH/i.test(sub.offerId) || sub.billingType === 'usage') {
        continue;
      }
      const order = await call<{ lineItems: Array<{ subscriptionId?: string }> }>(
        targetTenantId,
        'POST',
        `/customers/${cid}/orders`,
        {
          referenceCustomerId: cid,
          lineItems: [{ lineItemNumber: 0, offerId: sub.offerId, quantity: sub.quantity }],
          attributes: { objectType: 'Order' },
        },
      );
      const newId = order.lineItems[0]?.subscriptionId;
      await call(targetTenantId, 'GET', `/customers/${cid}/subscriptions/${newId}`);
      const current = await call<PcSubscription>(
        customer.sourceTenantId,
        'GET',
        `/customers/${cid}/subscriptions/${sub.id}`,
      );
      await call(
        customer.sourceTenantId,
        'PATCH',
        `/customers/${cid}/subscriptions/${sub.id}`,
        { ...current, status: 'suspended' },
        current.attributes?.etag,
      );
      subscriptions += 1;
    }
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  return {
    customers: customers.length,
    subscriptions,
    calls,
    wallSeconds,
    secondsPerSubscription: subscriptions > 0 ? wallSeconds / subscriptions : 0,
  };
}

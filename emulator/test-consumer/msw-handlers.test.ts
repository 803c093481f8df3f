import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type PartnerInfo } from 'partner-center-emulator';

// The code under test would call Partner Center with plain fetch; msw intercepts it globally.
const PC = 'https://api.partnercenter.microsoft.com';
const emulator = createEmulator({ scenario: 'demo', seed: 1 });
const server = setupServer(...emulator.handlers);

const partner = (): PartnerInfo => {
  const found = emulator.control.partners()[0];
  if (!found) {
    throw new Error('the demo scenario has partner tenants');
  }
  return found;
};
const auth = (): Record<string, string> => ({
  Authorization: `Bearer ${emulator.tokenFor(partner().tenantId)}`,
});

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => emulator.control.reset());
afterAll(() => server.close());

describe('partner-center-emulator through msw setupServer', () => {
  it('answers plain fetch calls to api.partnercenter.microsoft.com/v1 for the token tenant', async () => {
    const res = await fetch(`${PC}/v1/customers?size=3`, { headers: auth() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { totalCount: number; items: { id: string }[] };
    // totalCount is the page's item count, as the Partner Center SDK reports it.
    expect(body.totalCount).toBe(3);
    const mine = emulator.control
      .customers()
      .filter((c) => c.relationships.some((r) => r.partnerTenantId === partner().tenantId))
      .map((c) => c.tenantId);
    expect(mine.length).toBeGreaterThan(3);
    expect(mine).toEqual(expect.arrayContaining(body.items.map((i) => i.id)));
  });

  it('refuses a call without a bearer token the way Partner Center does', async () => {
    const res = await fetch(`${PC}/v1/customers`);
    expect(res.status).toBe(401);
  });

  it('injects faults and records every call in the journal', async () => {
    emulator.control.addFault({
      method: 'GET',
      path: '/v1/customers*',
      status: 429,
      retryAfterSeconds: 7,
      times: 1,
    });
    const throttled = await fetch(`${PC}/v1/customers`, { headers: auth() });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('Retry-After')).toBe('7');
    const entries = emulator.control.requests({ pathPrefix: '/v1/customers' });
    expect(entries.map((e) => [e.method, e.status, e.tenantId])).toEqual([
      ['GET', 429, partner().tenantId],
    ]);
    expect(entries[0]?.faultId).toBeTruthy();
  });

  it('moves the virtual clock on demand', async () => {
    const before = emulator.clock.now().getTime();
    await emulator.clock.advance('PT2H');
    expect(emulator.clock.now().getTime() - before).toBe(2 * 3_600_000);
    const res = await fetch(`${PC}/_emulator/clock`);
    expect(((await res.json()) as { now: string }).now).toBe(emulator.clock.now().toISOString());
  });
});

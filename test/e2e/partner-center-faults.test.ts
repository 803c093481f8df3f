import { beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { PartnerCenterClient, seededRandom } from '../../server/partner-center/client.js';
import { PartnerCenterError } from '../../server/partner-center/errors.js';
import { EmulatorTokenProvider } from '../../server/partner-center/token-provider.js';

// The Partner Center client against the emulator's fault API: 429 + Retry-After, 5xx, connection
// resets, hangs (timeouts), malformed JSON, vendor errors. Waiting advances the emulator's virtual
// clock, so the emulator can check that Retry-After was honoured.

let emulator: Emulator;
let partnerTenantId: string;
let sleeps: number[];

function client(overrides: Partial<ConstructorParameters<typeof PartnerCenterClient>[0]> = {}) {
  return new PartnerCenterClient({
    baseUrl: 'https://api.partnercenter.microsoft.com',
    partnerTenantId,
    tokenProvider: new EmulatorTokenProvider(),
    fetch: emulator.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
      await emulator.clock.advance(ms);
    },
    random: seededRandom(7),
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2_000 },
    timeoutMs: 200,
    ...overrides,
  });
}

const customerCalls = () =>
  emulator.control.requests().filter((e) => e.path.split('?')[0] === '/v1/customers');

beforeEach(() => {
  // Throttling on the virtual clock: the client's (fake) waits advance it.
  emulator = createEmulator({ scenario: 'demo', seed: 1, throttling: { timeSource: 'virtual' } });
  partnerTenantId = emulator.control.partners()[0]!.tenantId;
  sleeps = [];
});

describe('PartnerCenterClient against emulator faults', () => {
  it('honours Retry-After on 429 and then succeeds', async () => {
    emulator.control.addFault({
      path: '/v1/customers*',
      times: 1,
      status: 429,
      retryAfterSeconds: 3,
    });
    const customers = await client().listAllCustomers();
    expect(customers.length).toBeGreaterThan(0);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3_000);
    expect(customerCalls().map((e) => e.status)).toEqual([429, 200]);
    expect(emulator.control.retryAfterViolations()).toEqual([]);
  });

  it('retries 5xx with backoff until it succeeds', async () => {
    emulator.control.addFault({ path: '/v1/customers*', times: 2, status: 503 });
    const customers = await client().listAllCustomers();
    expect(customers.length).toBeGreaterThan(0);
    expect(customerCalls().map((e) => e.status)).toEqual([503, 503, 200]);
    expect(sleeps).toHaveLength(2);
  });

  it('gives up after maxAttempts with a retryable PartnerCenterError carrying the vendor code', async () => {
    emulator.control.addFault({
      path: '/v1/customers*',
      status: 500,
      code: 800003,
      description: 'Unexpected error',
    });
    const error = await client()
      .listAllCustomers()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartnerCenterError);
    expect(error).toMatchObject({ status: 500, code: '800003', retryable: true });
    expect(customerCalls()).toHaveLength(4);
  });

  it('retries a connection reset with the same MS-RequestId', async () => {
    emulator.control.addFault({ path: '/v1/customers*', times: 1, kind: 'reset' });
    const customers = await client().listAllCustomers({}, { requestId: 'fixed-request-id' });
    expect(customers.length).toBeGreaterThan(0);
    expect(sleeps).toHaveLength(1);
    const ids = customerCalls().map((e) => e.requestId);
    expect(ids.every((id) => id === 'fixed-request-id')).toBe(true);
  });

  it('times out a hanging call and retries it', async () => {
    emulator.control.addFault({ path: '/v1/customers*', times: 1, kind: 'hang', hangMs: 5_000 });
    const started = Date.now();
    const customers = await client({ timeoutMs: 100 }).listAllCustomers();
    expect(customers.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(sleeps).toHaveLength(1);
  });

  it('retries malformed JSON on a GET', async () => {
    emulator.control.addFault({ path: '/v1/customers*', times: 1, kind: 'malformed' });
    const customers = await client().listAllCustomers();
    expect(customers.length).toBeGreaterThan(0);
    expect(sleeps).toHaveLength(1);
  });

  it('does not retry a Partner Center 404 and reports it as not found', async () => {
    const error = (await client()
      .getCustomer('00000000-0000-0000-0000-000000000000')
      .catch((e: unknown) => e)) as PartnerCenterError;
    expect(error).toBeInstanceOf(PartnerCenterError);
    expect(error.isNotFound).toBe(true);
    expect(error.retryable).toBe(false);
    expect(sleeps).toHaveLength(0);
  });
});

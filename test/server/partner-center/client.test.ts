import { describe, expect, it } from 'vitest';
import {
  PartnerCenterClient,
  seededRandom,
  type FetchLike,
} from '../../../server/partner-center/client.js';
import { PartnerCenterError } from '../../../server/partner-center/errors.js';
import { EmulatorTokenProvider } from '../../../server/partner-center/token-provider.js';

// Client behaviour against scripted responses (exact control over each attempt). The same
// behaviours against the emulator's fault API are in test/e2e/partner-center-faults.test.ts.

type Step = Response | Error | 'hang';

function scripted(steps: Step[]) {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const fetch: FetchLike = async (input, init) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers) });
    const step = steps.shift() ?? new Response('{}', { status: 500 });
    if (step === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      });
    }
    if (step instanceof Error) {
      throw step;
    }
    return step;
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

const collection = (items: unknown[], next?: string) => ({
  totalCount: items.length,
  items,
  links: next
    ? {
        next: {
          uri: '/customers?size=2&seekOperation=Next',
          method: 'GET',
          headers: [{ key: 'MS-ContinuationToken', value: next }],
        },
      }
    : {},
  attributes: { objectType: 'Collection' },
});

const customer = (id: string) => ({
  id,
  companyProfile: { tenantId: id, domain: `${id}.onmicrosoft.com`, companyName: `Company ${id}` },
  relationshipToPartner: 'reseller',
  attributes: { objectType: 'Customer' },
});

function makeClient(
  steps: Step[],
  overrides: Partial<ConstructorParameters<typeof PartnerCenterClient>[0]> = {},
) {
  const script = scripted(steps);
  const sleeps: number[] = [];
  const client = new PartnerCenterClient({
    baseUrl: 'https://api.partnercenter.microsoft.com',
    partnerTenantId: 'partner-1',
    tokenProvider: new EmulatorTokenProvider(),
    fetch: script.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: seededRandom(42),
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 },
    timeoutMs: 50,
    ...overrides,
  });
  return { client, calls: script.calls, sleeps };
}

describe('PartnerCenterClient', () => {
  it('sends the bearer token, MS-RequestId and MS-CorrelationId', async () => {
    const { client, calls } = makeClient([json(customer('c1'))]);
    await client.getCustomer('c1', { requestId: 'req-1', correlationId: 'corr-1' });
    expect(calls[0]?.url).toBe('https://api.partnercenter.microsoft.com/v1/customers/c1');
    expect(calls[0]?.headers.get('authorization')).toMatch(/^Bearer ey/);
    expect(calls[0]?.headers.get('ms-requestid')).toBe('req-1');
    expect(calls[0]?.headers.get('ms-correlationid')).toBe('corr-1');
  });

  it('waits Retry-After on 429, then succeeds', async () => {
    const { client, calls, sleeps } = makeClient([
      json({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 2 seconds.' }, 429, {
        'Retry-After': '2',
      }),
      json(customer('c1')),
    ]);
    const result = await client.getCustomer('c1');
    expect(result.id).toBe('c1');
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([2_000]);
  });

  it('does not wait a Retry-After longer than the cap; the error is retryable', async () => {
    const { client, calls } = makeClient(
      [json({ code: 429, description: 'throttled' }, 429, { 'Retry-After': '3600' })],
      { retry: { maxRetryAfterMs: 1_000 } },
    );
    const error = await client.getCustomer('c1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartnerCenterError);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 3600 });
    expect(calls).toHaveLength(1);
  });

  it('retries 5xx with capped, jittered exponential backoff and gives up after maxAttempts', async () => {
    const body = { code: 800003, description: 'Unexpected error', data: [], source: 'PartnerFD' };
    const { client, calls, sleeps } = makeClient([
      json(body, 503),
      json(body, 500),
      json(body, 502),
      json(body, 503),
    ]);
    const error = await client.getCustomer('c1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartnerCenterError);
    expect(error).toMatchObject({
      status: 503,
      code: '800003',
      description: 'Unexpected error',
      retryable: true,
    });
    expect(calls).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(Math.min(1_000, 100 * 2 ** i));
    });
    // Same seed, same delays: the jitter is reproducible.
    const again = makeClient([json(body, 503), json(body, 500), json(body, 502), json(body, 503)]);
    await again.client.getCustomer('c1').catch(() => undefined);
    expect(again.sleeps).toEqual(sleeps);
  });

  it('retries network errors reusing the MS-RequestId, renewing it after a response', async () => {
    const { client, calls } = makeClient([
      new TypeError('fetch failed'),
      json({ code: 800003, description: 'x' }, 500),
      json(customer('c1')),
    ]);
    await client.getCustomer('c1');
    const ids = calls.map((c) => c.headers.get('ms-requestid'));
    expect(ids[0]).toBe(ids[1]); // no response seen: same id
    expect(ids[2]).not.toBe(ids[1]); // a response was seen: fresh id
    const correlation = new Set(calls.map((c) => c.headers.get('ms-correlationid')));
    expect(correlation.size).toBe(1);
  });

  it('names the service and host when the network fails (issue 16: a step error says what failed)', async () => {
    const { client } = makeClient([new TypeError('fetch failed')], { retry: { maxAttempts: 1 } });
    await expect(client.getCustomer('c1')).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      description: 'Partner Center (api.partnercenter.microsoft.com): fetch failed',
    });
  });

  it('keeps a caller-given MS-RequestId on every retry (idempotent creates)', async () => {
    const { client, calls } = makeClient([
      json({ code: 1, description: 'x' }, 503),
      json(customer('c1')),
    ]);
    await client.getCustomer('c1', { requestId: 'deterministic-id' });
    expect(calls.map((c) => c.headers.get('ms-requestid'))).toEqual([
      'deterministic-id',
      'deterministic-id',
    ]);
  });

  it('times out a hanging call per attempt and retries it', async () => {
    const { client, calls } = makeClient(['hang', json(customer('c1'))]);
    const result = await client.getCustomer('c1');
    expect(result.id).toBe('c1');
    expect(calls).toHaveLength(2);
  });

  it('reports TIMEOUT when every attempt hangs', async () => {
    const { client } = makeClient(['hang', 'hang'], { retry: { maxAttempts: 2 } });
    await expect(client.getCustomer('c1')).rejects.toMatchObject({
      status: 0,
      code: 'TIMEOUT',
      retryable: true,
    });
  });

  it('does not retry a 404 and exposes the Partner Center code', async () => {
    const { client, calls } = makeClient([
      json({ code: 20002, description: 'No relationship', data: [], source: 'PartnerFD' }, 403),
    ]);
    const error = (await client.getCustomer('c1').catch((e: unknown) => e)) as PartnerCenterError;
    expect(error).toMatchObject({ status: 403, code: '20002', retryable: false });
    expect(error.isNotFound).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('rejects a response that breaks its contract', async () => {
    const { client } = makeClient([json({ id: 'c1' })]);
    await expect(client.getCustomer('c1')).rejects.toMatchObject({
      code: 'INVALID_RESPONSE',
      retryable: false,
    });
  });

  it('follows continuation tokens through every page', async () => {
    const { client, calls } = makeClient([
      json(collection([customer('a'), customer('b')], 'token-1')),
      json(collection([customer('c'), customer('d')], 'token-2')),
      json(collection([customer('e')])),
    ]);
    const all = await client.listAllCustomers({ size: 2 });
    expect(all.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls.map((c) => c.headers.get('ms-continuationtoken'))).toEqual([
      null,
      'token-1',
      'token-2',
    ]);
    expect(new URL(calls[1]!.url).searchParams.get('seekOperation')).toBe('Next');
  });
});

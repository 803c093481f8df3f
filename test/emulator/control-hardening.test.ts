import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createEmulator,
  startEmulatorServer,
  type CustomerInfo,
  type StandaloneServer,
} from 'partner-center-emulator';
import { body, MODES, openHarness, type Harness } from './harness.js';

type PcErrorBody = { code: number; description: string; data: unknown[]; source: string };

const post = (value: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: typeof value === 'string' ? value : JSON.stringify(value),
});

/** A raw HTTP request, so the path reaches the server exactly as written (fetch would resolve dots). */
function raw(
  url: string,
  path: string,
  options: { method?: string; body?: Buffer; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    if (options.body) {
      req.write(options.body);
    }
    req.end();
  });
}

const scenarioDir = mkdtempSync(join(tmpdir(), 'emu-scenarios-'));
const outside = mkdtempSync(join(tmpdir(), 'emu-outside-'));
writeFileSync(
  join(scenarioDir, 'tiny.json'),
  JSON.stringify({
    name: 'tiny',
    organizations: [
      { key: 'o', name: 'Tiny Org', tenants: [{ key: 't', name: 'Tiny Tenant', country: 'FR' }] },
    ],
    customers: [
      { key: 'c', companyName: 'Tiny Client', country: 'FR', relationships: [{ partner: 't' }] },
    ],
  }),
);
writeFileSync(join(scenarioDir, 'broken.json'), 'root:x:0:0:root:/root:/bin/bash\n');
writeFileSync(join(outside, 'secret.json'), 'TOP-SECRET-CONTENT');
// A valid scenario outside the directory: loading it would prove a path from the request was used.
writeFileSync(
  join(outside, 'valid.json'),
  JSON.stringify({ name: 'outside', organizations: [], customers: [] }),
);
symlinkSync(join(outside, 'valid.json'), join(scenarioDir, 'valid-link.json'));
symlinkSync(join(outside, 'secret.json'), join(scenarioDir, 'escape.json'));
mkdirSync(join(scenarioDir, 'sub'));

describe.each(MODES)('emulator control API hardening (%s)', (mode) => {
  let h: Harness;
  const customerCount = async (): Promise<number> =>
    (await body<CustomerInfo[]>(await h.control('/customers'))).length;
  const expect400 = async (res: Response, text?: RegExp): Promise<PcErrorBody> => {
    expect(res.status).toBe(400);
    const b = await body<PcErrorBody>(res);
    expect(b.code).toBe(800002);
    expect(b.source).toBe('PartnerFD');
    if (text) {
      expect(b.description).toMatch(text);
    }
    return b;
  };

  beforeAll(async () => {
    h = await openHarness(mode, { scenarioDir, limits: { maxCustomers: 50 } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    expect((await h.control('/reset', post({ scenario: 'demo', seed: 1 }))).status).toBe(200);
  });

  describe('scenario references', () => {
    it.each([
      '../../../etc/passwd',
      '/etc/passwd',
      'sub/../tiny.json',
      '..',
      'escape',
      'broken',
      'missing',
    ])('refuses %s with a 400 that quotes nothing of a file, state unchanged', async (ref) => {
      const before = await customerCount();
      const b = await expect400(await h.control('/reset', post({ scenario: ref })));
      expect(b.description).not.toMatch(/root:|TOP-SECRET|\/bin\/bash/);
      expect(await customerCount()).toBe(before);
    });

    it.each([
      join(outside, 'valid.json'),
      `../${outside.split('/').pop() ?? ''}/valid.json`,
      `${scenarioDir}/../${outside.split('/').pop() ?? ''}/valid`,
      'valid-link',
    ])('never loads a valid scenario from a path: %s', async (ref) => {
      const before = await customerCount();
      await expect400(await h.control('/reset', post({ scenario: ref })));
      expect(await customerCount()).toBe(before);
      expect(before).toBeGreaterThan(0);
    });

    it('loads a file by name from the directory configured at start', async () => {
      const res = await h.control('/reset', post({ scenario: 'tiny' }));
      expect(res.status).toBe(200);
      expect(await body(res)).toMatchObject({ customers: 1, partners: 1 });
      expect((await h.control('/reset', post({ scenario: 'tiny.json' }))).status).toBe(200);
    });

    it('caps large:N (configured at 50 here) and refuses malformed sizes', async () => {
      const before = await customerCount();
      for (const ref of [
        'large:99999999',
        'large:51',
        'large:0',
        'large:-3',
        'large:abc',
        'large:1e3',
      ]) {
        await expect400(await h.control('/reset', post({ scenario: ref })), /large/);
      }
      expect(await customerCount()).toBe(before);
      const ok = await h.control('/reset', post({ scenario: 'large:8' }));
      expect(ok.status).toBe(200);
      expect(await body(ok)).toMatchObject({ customers: 8 });
    });

    it('bounds inline scenario objects too (customers and extends: large)', async () => {
      const customers = Array.from({ length: 51 }, (_, i) => ({
        key: `c${i}`,
        companyName: `C ${i}`,
        country: 'FR',
      }));
      await expect400(await h.control('/reset', post({ scenario: { customers } })), /at most 50/);
      await expect400(
        await h.control(
          '/reset',
          post({ scenario: { extends: 'large', size: { customers: 60 } } }),
        ),
        /at most 50/,
      );
      await expect400(
        await h.control('/reset', post({ scenario: { customers: [{ key: 1 }] } })),
        /customers\.0/,
      );
    });
  });

  describe('bodies and values', () => {
    it.each([
      ['POST', '/faults', '{"path":'],
      ['POST', '/faults', '[{"status": 500}, ]'],
      ['POST', '/reset', '{oops'],
      ['PUT', '/clock', 'now=2026'],
      ['POST', '/clock/advance', '{"duration":'],
      ['PUT', '/state', '{"formatVersion":1'],
      ['PUT', '/throttling', '{'],
      ['PUT', '/autopilot', '{'],
      ['PUT', '/gdap/settings', '{'],
      ['POST', '/customers/00000000-0000-0000-0000-000000000000/accept-relationship', '{'],
    ])('%s %s with malformed JSON → 400', async (method, path, text) => {
      await expect400(await h.control(path, post(text, method)), /JSON/);
    });

    it.each([
      [{ status: 100 }],
      [{ status: 204 }],
      [{ latencyMs: 1e12 }],
      [{ hangMs: -1 }],
      [{ path: 42 }],
      [{ unknownField: true }],
      [[]],
      ['a string'],
    ])('refuses the fault rule %j with a 400 and adds nothing', async (rule) => {
      await expect400(await h.control('/faults', post(rule)));
      expect(await body<unknown[]>(await h.control('/faults'))).toHaveLength(0);
    });

    it('matches a many-star fault glob in linear time (no regex backtracking)', async () => {
      const glob = `${'*a'.repeat(40)}*b`;
      expect((await h.control('/faults', post({ path: glob, status: 500 }))).status).toBe(201);
      const tenant = (await body<{ tenantId: string }[]>(await h.control('/partners')))[0];
      const started = performance.now();
      const res = await h.pc(tenant?.tenantId ?? null, `/v1/customers/${'a'.repeat(300)}`);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(res.status).toBe(404);
    });

    it('refuses bad clock values with a 400 and keeps the time', async () => {
      const { now } = await body<{ now: string }>(await h.control('/clock'));
      for (const value of [
        'not-a-date',
        '2026-13-45T00:00:00Z',
        '+275760-09-13T00:00:00Z',
        '10000-01-01T00:00:00Z',
        '1969-12-31T23:59:59Z',
        '',
      ]) {
        await expect400(await h.control('/clock', post({ now: value }, 'PUT')));
      }
      await expect400(await h.control('/clock', post({ now: 42 }, 'PUT')));
      await expect400(await h.control('/clock', post({}, 'PUT')));
      for (const duration of ['P99999Y', 'P367D', 'P2Y', 'soon', 'PT', -1, 1e300]) {
        await expect400(await h.control('/clock/advance', post({ duration })));
      }
      expect(await body(await h.control('/clock'))).toEqual({ now });
      const year = await h.control('/clock/advance', post({ duration: 'P1Y' }));
      expect(year.status).toBe(200);
      expect(await body(year)).toEqual({ now: '2027-01-05T08:00:00.000Z' });
      const set = await h.control('/clock', post({ now: '9999-12-31T00:00:00Z' }, 'PUT'));
      expect(await body(set)).toEqual({ now: '9999-12-31T00:00:00.000Z' });
      await expect400(await h.control('/clock/advance', post({ duration: 'P1D' })), /9999/);
      const local = await h.control('/clock', post({ now: '2026-03-01T10:00:00' }, 'PUT'));
      expect(await body(local)).toEqual({ now: '2026-03-01T10:00:00.000Z' });
    });

    it('refuses a state that is not a snapshot and keeps the running state', async () => {
      const before = await customerCount();
      const state = await body<Record<string, unknown>>(await h.control('/state'));
      for (const bad of [
        {},
        { ...state, formatVersion: 2 },
        { ...state, customers: [], now: 'not-a-date' },
        { ...state, customers: [], now: '12345-01-01T00:00:00Z' },
        { ...state, customers: 'many' },
        { ...state, customers: [1, 2] },
        { ...state, partners: [{ tenantId: null, nested: { a: 1 } }], customers: [{}] },
      ]) {
        await expect400(await h.control('/state', post(bad, 'PUT')));
      }
      expect(await customerCount()).toBe(before);
      expect((await h.control('/state', post(state, 'PUT'))).status).toBe(200);
    });

    it('refuses bad query values and bad autopilot delays', async () => {
      await expect400(await h.control('/requests?limit=abc'));
      await expect400(await h.control('/requests?status=9999'));
      await expect400(await h.control('/autopilot', post({ orderProvisioning: 'soon' }, 'PUT')));
      await expect400(
        await h.control('/autopilot', post({ customers: { acceptInvitationHours: 1e20 } }, 'PUT')),
      );
      for (const refusals of [{ '*': '' }, { '*': { text: 'x', close: 'yes' } }, { '*': 42 }]) {
        await expect400(
          await h.control(
            '/autopilot',
            post({ support: { consolidationRefusals: refusals } }, 'PUT'),
          ),
        );
      }
      const set = await h.control(
        '/autopilot',
        post({ support: { consolidationRefusals: { '*': { text: 'No.', close: true } } } }, 'PUT'),
      );
      expect(set.status).toBe(200);
      expect(((await set.json()) as { support: Record<string, unknown> }).support).toMatchObject({
        consolidationRefusals: { '*': { text: 'No.', close: true } },
        consolidationBusinessHours: 8,
      });
      await h.control('/autopilot', post({ support: { consolidationRefusals: {} } }, 'PUT'));
      await expect400(await h.control('/throttling', post({ timeScale: 0 }, 'PUT')));
      await expect400(await h.control('/reset', post({ seed: 1.5 })));
      await expect400(await h.control('/reset', post({ scenaro: 'demo' })));
    });
  });
});

describe.each(MODES)('emulator control token (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(mode, { controlToken: 'shared-s3cret' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('requires the token on the control API, as Bearer or X-Emulator-Control-Token', async () => {
    const missing = await h.control('/state');
    expect(missing.status).toBe(401);
    expect(await body(missing)).toMatchObject({ code: 800001, source: 'PartnerFD' });
    const wrong = await h.control('/reset', {
      method: 'POST',
      headers: { Authorization: 'Bearer shared-s3creT' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    expect(
      (await h.control('/token?tenantId=x', { headers: { 'X-Emulator-Control-Token': 'nope' } }))
        .status,
    ).toBe(401);
    expect(
      (await h.control('/state', { headers: { Authorization: 'Bearer shared-s3cret' } })).status,
    ).toBe(200);
    expect(
      (
        await h.control('/clock/advance', {
          method: 'POST',
          headers: { 'X-Emulator-Control-Token': 'shared-s3cret' },
          body: JSON.stringify({ duration: 'PT1H' }),
        })
      ).status,
    ).toBe(200);
  });

  it('leaves GET /clock and GET /partners open for API replicas, and the partner API alone', async () => {
    expect((await h.control('/clock')).status).toBe(200);
    const partners = await h.control('/partners');
    expect(partners.status).toBe(200);
    const tenant = (await body<{ tenantId: string }[]>(partners))[0]?.tenantId ?? '';
    expect((await h.control('/clock', post({ now: '2026-02-01T00:00:00Z' }, 'PUT'))).status).toBe(
      401,
    );
    expect((await h.pc(tenant, '/v1/customers?size=1')).status).toBe(200);
  });
});

describe('request paths with dot segments', () => {
  const emulator = createEmulator({ hangMs: 200 });
  let server: StandaloneServer;
  beforeAll(async () => {
    server = await startEmulatorServer(emulator, { port: 0, maxBodyBytes: 4096 });
  });
  afterAll(async () => {
    await server.close();
  });
  const attempts = [
    '/v1/../_emulator/state',
    '/v1/%2e%2e/_emulator/state',
    '/v1/%2E%2e/_emulator/clock',
    '/v1/.%2e/_emulator/state',
    '/v1\\..\\_emulator\\state',
    '/v1/./customers',
  ];

  it.each(attempts)('standalone: %s → 400, never the control API', async (path) => {
    const res = await raw(server.url, path);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ code: 800002, source: 'PartnerFD' });
  });

  it.each(attempts)('emulator.fetch: %s → 400', async (path) => {
    const res = await emulator.fetch(`https://api.partnercenter.microsoft.com${path}`);
    expect(res.status).toBe(400);
  });

  it('still serves ordinary paths, dots inside a segment included', async () => {
    expect((await raw(server.url, '/_emulator/clock')).status).toBe(200);
    const tenant = emulator.control.partners()[0]?.tenantId ?? '';
    const headers = { Authorization: `Bearer ${emulator.tokenFor(tenant)}` };
    expect((await raw(server.url, '/v1/customers?size=1', { headers })).status).toBe(200);
    expect((await raw(server.url, '/v1/customers/a..b', { headers })).status).toBe(404);
  });
});

describe('standalone request-body limit', () => {
  const emulator = createEmulator({ hangMs: 200 });
  let server: StandaloneServer;
  beforeAll(async () => {
    server = await startEmulatorServer(emulator, { port: 0, maxBodyBytes: 4096 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 413 beyond maxBodyBytes (declared or streamed) and changes nothing', async () => {
    const big = Buffer.from(JSON.stringify({ path: `/v1/${'x'.repeat(5000)}`, status: 500 }));
    const declared = await raw(server.url, '/_emulator/faults', {
      method: 'POST',
      body: big,
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(big.length) },
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text)).toMatchObject({ code: 413, source: 'PartnerFD' });
    const chunked = await raw(server.url, '/_emulator/faults', {
      method: 'POST',
      body: big,
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    });
    expect(chunked.status).toBe(413);
    expect(emulator.control.faults()).toHaveLength(0);
    const small = await fetch(
      `${server.url}/_emulator/faults`,
      post({ path: '/v1/x', status: 500 }),
    );
    expect(small.status).toBe(201);
  });
});

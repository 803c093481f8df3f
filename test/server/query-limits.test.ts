import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { InMemoryCostBudget } from '../../server/app/limits/cost-budget.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { signDevToken } from '../../server/app/auth.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app.js';

// Issue 8: depth, alias, token and cost limits before execution, on HTTP and graphql-ws alike;
// the per-user cost budget (429 + Retry-After); no array batching; body size; operation timeout;
// no field suggestions in production.

const LIMITS = {
  GRAPHQL_MAX_DEPTH: '10',
  GRAPHQL_MAX_ALIASES: '15',
  GRAPHQL_MAX_TOKENS: '400',
  GRAPHQL_MAX_COST: '5000',
  GRAPHQL_MAX_BODY_BYTES: '20000',
};

/**
 * `node { … on PartnerTenant { customers { edges { node { partnerTenant { … id } } } } } }`:
 * node and id are 2 levels, each customers→edges→node→partnerTenant round adds 4 (depth 2, 6, 10, 14).
 */
function deepQuery(levels: number): string {
  const rounds = (levels - 2) / 4;
  const inner =
    'customers(first: 1) { edges { node { partnerTenant { '.repeat(rounds) +
    'id' +
    ' } } } }'.repeat(rounds);
  return `query Deep($id: ID!) { node(id: $id) { ... on PartnerTenant { ${inner} } } }`;
}

function wsClient(t: TestApp, token: string): Client {
  return createClient({
    url: t.http.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

function wsRun(client: Client, query: string, variables: Record<string, unknown> = {}) {
  return new Promise<{
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  }>((resolve, reject) => {
    let last: unknown;
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          last = value;
        },
        error: (e) => {
          if (Array.isArray(e)) {
            resolve({ errors: e as never });
          } else {
            reject(e instanceof Error ? e : new Error(JSON.stringify(e)));
          }
        },
        complete: () => resolve(last as never),
      },
    );
  });
}

describe('query limits (HTTP and graphql-ws)', () => {
  let t: TestApp;
  let token: string;
  let client: Client;
  beforeAll(async () => {
    t = await startTestApp({ env: { WORKFLOW_RUNNER: 'off', ...LIMITS } });
    token = await t.token('org-a');
    client = wsClient(t, token);
  });
  afterAll(async () => {
    await client.dispose();
    await t.close();
  });

  it('refuses a query deeper than 10 with QUERY_TOO_DEEP before executing it, and allows depth 10', async () => {
    const ok = await t.gql(deepQuery(10), { token, variables: { id: 'unknown' } });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data).toEqual({ node: null });

    const tooDeep = await t.gql(deepQuery(14), { token, variables: { id: 'unknown' } });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.data).toBeUndefined();
    expect(tooDeep.body.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_DEEP',
      limit: 'depth',
      max: 10,
      measured: 14,
    });

    const overWs = await wsRun(client, deepQuery(14), { id: 'unknown' });
    expect(overWs.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    const okWs = await wsRun(client, deepQuery(10), { id: 'unknown' });
    expect(okWs.data).toEqual({ node: null });
  });

  it('refuses more than 15 aliases with TOO_MANY_ALIASES (HTTP and graphql-ws)', async () => {
    const aliased = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { userId }`).join(' ')} }`;
    const ok = await t.gql(aliased(15), { token });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.data ?? {})).toHaveLength(15);
    const over = await t.gql(aliased(16), { token });
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
    const overWs = await wsRun(client, aliased(16));
    expect(overWs.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
  });

  it('refuses a document over the token limit with TOO_MANY_TOKENS (HTTP and graphql-ws)', async () => {
    const huge = `{ viewer { ${'userId '.repeat(500)} } }`;
    const over = await t.gql(huge, { token });
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_TOKENS');
    const overWs = await wsRun(client, huge);
    expect(overWs.errors?.[0]?.extensions?.code).toBe('TOO_MANY_TOKENS');
    const fine = await t.gql(`{ viewer { ${'userId '.repeat(100)} } }`, { token });
    expect(fine.status).toBe(200);
  });

  it('prices connections by `first` from variables and refuses QUERY_TOO_COMPLEX over the limit', async () => {
    const query = `query W($n: Int, $m: Int) { workflows(first: $n) { edges { node { id events(first: $m) { edges { node { type } } } } } } }`;
    // 1 + n × (edges 1 + node 1 + events (1 + m × 2)): n = m = 10 → 231; n = m = 100 → 20,301.
    const cheap = await t.gql(query, { token, variables: { n: 10, m: 10 } });
    expect(cheap.status).toBe(200);
    expect(cheap.body.errors).toBeUndefined();
    expect((cheap.body as { extensions?: { cost?: unknown } }).extensions?.cost).toMatchObject({
      requested: 231,
      actual: 1,
    });
    const costly = await t.gql(query, { token, variables: { n: 100, m: 100 } });
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      max: 5000,
      measured: 20_301,
    });
    const overWs = await wsRun(client, query, { n: 100, m: 100 });
    expect(overWs.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('reports extensions.cost { requested, actual, remaining } on every response, also over graphql-ws', async () => {
    const res = await t.gql('{ viewer { userId organization { id name } } }', { token });
    const cost = (res.body as { extensions?: { cost?: Record<string, number> } }).extensions?.cost;
    expect(cost).toMatchObject({ requested: 2, actual: 2, maximum: 100_000, restoreRate: 2_000 });
    expect(cost?.remaining).toBeGreaterThan(0);
    const bad = await t.gql('{ viewer { nope } }', { token });
    expect(bad.status).toBe(400);
    expect((bad.body as { extensions?: { cost?: unknown } }).extensions?.cost).toBeDefined();
    const overWs = await wsRun(client, '{ viewer { userId } }');
    expect(overWs.extensions?.cost).toMatchObject({ requested: 1, actual: 1 });
  });

  it('turns array batching off and refuses bodies over the size limit with 413', async () => {
    const batch = await fetch(t.http.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([
        { query: '{ viewer { userId } }' },
        { query: '{ viewer { userId } }' },
      ]),
    });
    expect(batch.status).toBe(400);
    expect(await batch.text()).toMatch(/batching/i);
    const big = await fetch(t.http.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: '{ viewer { userId } }',
        variables: { pad: 'x'.repeat(30_000) },
      }),
    });
    expect(big.status).toBe(413);
  });
});

describe('per-user cost budget (leaky bucket)', () => {
  it('answers THROTTLED with HTTP 429 and Retry-After once the bucket is empty, per user', async () => {
    const t = await startTestApp({
      env: {
        WORKFLOW_RUNNER: 'off',
        GRAPHQL_COST_BUDGET: '100',
        GRAPHQL_COST_RESTORE_RATE: '0.1',
      },
    });
    try {
      const token = await t.token('org-a');
      // 1 + 49 × 2 + pageInfo 1 = 100 requested; 2 actual (no workflows), 98 given back.
      const query = '{ workflows(first: 49) { edges { node { id } } pageInfo { hasNextPage } } }';
      const first = await t.gql(query, { token });
      expect(first.status).toBe(200);
      const cost = (first.body as { extensions?: { cost?: Record<string, number> } }).extensions
        ?.cost;
      expect(cost).toMatchObject({ requested: 100, actual: 2, maximum: 100 });
      expect(cost?.remaining).toBe(98);

      const second = await t.gql(query, { token });
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(second.body.data).toBeUndefined();
      expect(second.body.errors?.[0]?.extensions?.code).toBe('THROTTLED');
      expect(
        (second.body as { extensions?: { cost?: Record<string, number> } }).extensions?.cost,
      ).toMatchObject({ requested: 100, actual: 0 });

      // Another user of the same organization has a budget of their own.
      const other = await t.gql(query, {
        token: await signDevToken({
          secret: TEST_JWT_SECRET,
          organizationId: 'org-a',
          roles: [PartnerRole.GLOBAL_ADMIN],
          userId: 'someone-else',
        }),
      });
      expect(other.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('restores points at the configured rate (leaky bucket arithmetic)', () => {
    let now = 0;
    const budget = new InMemoryCostBudget({ capacity: 100, restorePerSecond: 10, now: () => now });
    expect(budget.take('u', 80)).toEqual({ ok: true, remaining: 20 });
    expect(budget.take('u', 50)).toEqual({ ok: false, remaining: 20, retryAfterSeconds: 3 });
    now = 3_000;
    expect(budget.take('u', 50)).toEqual({ ok: true, remaining: 0 });
    expect(budget.refund('u', 500)).toBe(100); // never above capacity
    expect(budget.available('v')).toBe(100);
  });
});

describe('per-operation timeout', () => {
  it('answers 504 TIMEOUT when an operation runs past the limit', async () => {
    // Partner Center never answers; the operation limit is far below the client's own timeout.
    const hanging = () => new Promise<Response>(() => undefined);
    const t = await startTestApp({
      fetch: hanging,
      env: { WORKFLOW_RUNNER: 'off', GRAPHQL_TIMEOUT_MS: '300' },
      partnerCenter: { timeoutMs: 60_000 },
    });
    try {
      const token = await t.token('org-a');
      const tenants = await t.gql<{
        viewer: { organization: { partnerTenants: Array<{ id: string }> } };
      }>('{ viewer { organization { partnerTenants { id } } } }', { token });
      const tenantId = tenants.body.data!.viewer.organization.partnerTenants[0]!.id;
      const started = Date.now();
      const res = await t.gql(
        'query($t: ID!) { customers(partnerTenantId: $t, first: 1) { edges { node { id } } } }',
        { token, variables: { t: tenantId } },
      );
      expect(res.status).toBe(504);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'TIMEOUT', timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await t.close();
    }
  });
});

describe('production mode', () => {
  it('drops "Did you mean" field suggestions (they are kept in development)', async () => {
    const query = '{ viewer { userI } }';
    const dev = await startTestApp({ env: { WORKFLOW_RUNNER: 'off' } });
    try {
      const res = await dev.gql(query, { token: await dev.token('org-a') });
      expect(res.body.errors?.[0]?.message).toContain('Did you mean');
    } finally {
      await dev.close();
    }
    const prod = await startTestApp({
      env: {
        NODE_ENV: 'production',
        EMULATOR: 'off',
        WORKFLOW_RUNNER: 'off',
        PARTNER_CENTER_CLIENT_ID: 'app',
        PARTNER_CENTER_CLIENT_SECRET: 'secret',
        PARTNER_DIRECTORY: JSON.stringify([
          { organizationId: 'org-a', organizationName: 'Contoso', tenants: [] },
        ]),
      },
    });
    try {
      const res = await prod.gql(query, { token: await prod.token('org-a') });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.message).toBe('Cannot query field "userI" on type "Viewer".');
      const introspection = await prod.gql('{ __type(name: "Viewer") { name } }', {
        token: await prod.token('org-a'),
      });
      expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await prod.close();
    }
  });
});

describe('field limits before validation (issue 17: repeated fields and fragments)', () => {
  // Default limits: 2,000 tokens, 500 fields, 10,000 same-name field comparisons.
  let t: TestApp;
  let token: string;
  let client: Client;
  beforeAll(async () => {
    t = await startTestApp({ env: { WORKFLOW_RUNNER: 'off' } });
    token = await t.token('org-a');
    client = wsClient(t, token);
  });
  afterAll(async () => {
    await client.dispose();
    await t.close();
  });

  const repeated = (n: number) => `{ ${'viewer { userId } '.repeat(n)}}`;
  const costOf = (res: { body: unknown }) =>
    (res.body as { extensions?: { cost?: { requested?: number } } }).extensions?.cost?.requested;

  it('refuses `viewer { userId }` 400 times (1,600 tokens, 800 fields) with TOO_MANY_FIELDS before validating it (HTTP POST, GET and graphql-ws)', async () => {
    const over = await t.gql(repeated(400), { token });
    expect(over.status).toBe(400);
    expect(over.body.data).toBeUndefined();
    expect(over.body.errors).toHaveLength(1);
    expect(over.body.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_FIELDS',
      limit: 'fields',
      max: 500,
      measured: 800,
    });
    expect(over.headers.get('x-request-id')).toBeTruthy();
    // Refused before validation: an unknown field in it is not even reported.
    const invalidToo = await t.gql(`{ ${'viewer { userId } '.repeat(300)} viewer { nope } }`, {
      token,
    });
    expect(invalidToo.body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_FIELDS');

    const get = await fetch(`${t.http.graphqlUrl}?query=${encodeURIComponent(repeated(400))}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(400);
    const getBody = (await get.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(getBody.errors[0]?.extensions.code).toBe('TOO_MANY_FIELDS');

    const overWs = await wsRun(client, repeated(400));
    expect(overWs.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_FIELDS',
      limit: 'fields',
      measured: 800,
    });
  });

  it('counts fragments where they are spread, without expanding them (a fragment bomb is refused at once)', async () => {
    // F0 spreads F1 ten times, F1 spreads F2 ten times…: 10^12 fields in a few hundred tokens.
    const levels = 12;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Viewer { userId }`
        : `fragment F${i} on Viewer { ${`...F${i + 1} `.repeat(10)}}`,
    ).join(' ');
    const started = Date.now();
    const res = await t.gql(`{ viewer { ...F0 } } ${fragments}`, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_FIELDS',
      limit: 'fields',
      measured: 1 + 10 ** 11,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    const overWs = await wsRun(client, `{ viewer { ...F0 } } ${fragments}`);
    expect(overWs.errors?.[0]?.extensions?.code).toBe('TOO_MANY_FIELDS');
  });

  it('refuses nested repeats whose validation would compare too many same-name fields, and accepts modest repeats', async () => {
    const rep = (n: number, s: string) => s.repeat(n);
    // Each object field three times on four levels: 237 fields, but 11,274 comparisons.
    const l3 = `partnerTenants { id ${rep(3, 'customers(first: 1) { totalCount } ')}} `;
    const nested = `{ ${rep(3, `viewer { ${rep(3, `organization { id ${rep(3, l3)}} `)}} `)}}`;
    const over = await t.gql(nested, { token });
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_FIELDS',
      limit: 'fieldComparisons',
      max: 10_000,
    });
    expect(Number(over.body.errors?.[0]?.extensions?.measured)).toBeGreaterThan(10_000);
    const overWs = await wsRun(client, nested);
    expect(overWs.errors?.[0]?.extensions?.code).toBe('TOO_MANY_FIELDS');

    // Three levels, three times each (66 fields, 1,131 comparisons): answered.
    const modest = `{ ${rep(3, `viewer { ${rep(3, `organization { ${rep(3, 'partnerTenants { id } ')}} `)}} `)}}`;
    const ok = await t.gql(modest, { token });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it("still answers GraphiQL's introspection query (about 220 fields) in development", async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const res = await t.gql(getIntrospectionQuery(), { token });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it('prices every selected field: repeated scalars and each fragment spread cost points', async () => {
    const once = await t.gql('{ viewer { userId name } }', { token });
    expect(costOf(once)).toBe(1);
    const twice = await t.gql('{ viewer { userId userId name name __typename __typename } }', {
      token,
    });
    expect(costOf(twice)).toBe(1 + 3);
    // Each spread counts its fields again; the second selects userId again (1) and another
    // organization object (1).
    const spread = await t.gql(
      '{ viewer { ...F ...F } } fragment F on Viewer { userId organization { id } }',
      { token },
    );
    expect(costOf(spread)).toBe(1 + 1 + 1 + 1);
    // `viewer { userId }` 50 times: 50 objects and nothing repeated inside each (under the
    // field and comparison limits, priced at 50).
    const many = await t.gql(repeated(50), { token });
    expect(many.status).toBe(200);
    expect(costOf(many)).toBe(50);
    const overWs = await wsRun(client, '{ viewer { userId userId } }');
    expect(overWs.extensions?.cost).toMatchObject({ requested: 2 });
  });
});

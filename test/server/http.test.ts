import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

// The HTTP surface: health, GraphiQL served offline, Apollo's landing page off, error masking.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('HTTP surface', () => {
  it('GET /healthz and /readyz answer', async () => {
    const health = await fetch(`${t.http.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${t.http.url}/readyz`);
    // No Partner Center behind this app (config directory, no fetch): the database check still runs.
    const body = (await ready.json()) as { checks: Record<string, string> };
    expect(body.checks.database).toBe('ok');
  });

  it('serves GraphiQL at GET /graphql referencing only local assets, each 200', async () => {
    const page = await fetch(t.http.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="graphiql"');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const ref of refs) {
      expect(ref.startsWith('/'), `${ref} must be a local URL`).toBe(true);
      expect(ref.startsWith('//')).toBe(false);
      const asset = await fetch(new URL(ref, t.http.url));
      expect(asset.status, ref).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, ref).toBeGreaterThan(0);
    }
    expect(html).not.toMatch(/https?:\/\/(?!localhost|127\.0\.0\.1)/);
  });

  it('masks internal errors and sends x-request-id', async () => {
    // An unknown organization is FORBIDDEN (public); a GraphQL validation error keeps its code.
    const res = await t.gql('{ nope }', { token: await t.token('org-a') });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(`${t.http.url}/nowhere`)).status).toBe(404);
  });
});

describe('production mode', () => {
  it('turns introspection and GraphiQL off', async () => {
    const prod = await startTestApp({
      env: {
        NODE_ENV: 'production',
        EMULATOR: 'off',
        PARTNER_CENTER_CLIENT_ID: 'app',
        PARTNER_CENTER_CLIENT_SECRET: 'secret',
        PARTNER_DIRECTORY: JSON.stringify([
          {
            organizationId: 'org-a',
            organizationName: 'Contoso',
            tenants: [{ tenantId: 't1', name: 'FR' }],
          },
        ]),
      },
    });
    try {
      const page = await fetch(prod.http.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('graphiql');
      const asset = await fetch(`${prod.http.url}/graphiql/assets/graphiql.min.js`);
      expect(asset.status).toBe(404);
      const res = await prod.gql('{ __schema { types { name } } }', {
        token: await prod.token('org-a'),
      });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).not.toContain('stacktrace');
    } finally {
      await prod.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, startEmulatorServer, type Emulator } from 'partner-center-emulator';
import { createApplication, type Application } from '../../server/app/application.js';
import { createAuthVerifier, signDevToken } from '../../server/app/auth.js';
import { type RunningHttpServer } from '../../server/app/http-server.js';
import { createLogger } from '../../server/app/logger.js';
import { loadConfig } from '../../server/config/env.js';
import { emulatorDirectorySource } from '../../server/modules/organizations/directory-source.js';
import { EmulatorTokenProvider } from '../../server/partner-center/token-provider.js';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';

// The "Done when" query, end to end as `npm start` wires it: the emulator served over HTTP
// on an ephemeral port, the API talking to it over HTTP, a bearer token, real HTTP requests.

const SECRET = 'e2e-secret-that-is-long-enough-0123456789';
const DONE_WHEN_QUERY = `{ viewer { organization { partnerTenants { id name country customers(first: 5) { totalCount edges { node { companyName subscriptions { edges { node { offerName quantity status } } } } } } } } } }`;

let emulator: Emulator;
let emulatorServer: { url: string; close(): Promise<void> };
let app: Application;
let http: RunningHttpServer;
let token: string;

beforeAll(async () => {
  emulator = createEmulator({ scenario: 'demo', seed: 1 });
  emulatorServer = await startEmulatorServer(emulator, { port: 0 });
  const directory = emulatorDirectorySource({ emulatorUrl: emulatorServer.url });
  app = await createApplication({
    config: loadConfig({
      DATABASE_URL: 'file::memory:',
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
    }),
    partnerCenterUrl: emulatorServer.url,
    tokenProvider: new EmulatorTokenProvider(),
    directory,
    auth: createAuthVerifier({ jwtSecret: SECRET }),
    logger: createLogger({ level: 'silent' }),
    clock: clockFrom(emulator.clock),
  });
  http = await app.listen({ port: 0, host: '127.0.0.1' });
  const organizationId = (await directory.load())[0]!.id;
  token = await signDevToken({ secret: SECRET, organizationId, roles: [PartnerRole.GLOBAL_ADMIN] });
});

afterAll(async () => {
  await app?.close();
  await emulatorServer?.close();
});

interface DemoData {
  viewer: {
    organization: {
      partnerTenants: Array<{
        id: string;
        name: string;
        country: string;
        customers: {
          totalCount: number;
          edges: Array<{
            node: {
              companyName: string;
              subscriptions: {
                edges: Array<{ node: { offerName: string; quantity: number; status: string } }>;
              };
            };
          }>;
        };
      }>;
    };
  };
}

describe('the demo (Done when)', () => {
  it('answers the issue query over HTTP with emulator data', async () => {
    const response = await fetch(http.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: DONE_WHEN_QUERY }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: DemoData; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const tenants = body.data.viewer.organization.partnerTenants;
    expect(tenants.length).toBeGreaterThanOrEqual(4);
    expect(new Set(tenants.map((t) => t.country)).size).toBeGreaterThanOrEqual(3);
    const customers = tenants.flatMap((t) => t.customers.edges.map((e) => e.node));
    expect(customers.length).toBeGreaterThan(5);
    for (const tenant of tenants) {
      expect(tenant.customers.edges.length).toBe(Math.min(5, tenant.customers.totalCount));
    }
    const subscriptions = customers.flatMap((c) => c.subscriptions.edges.map((e) => e.node));
    expect(subscriptions.length).toBeGreaterThan(5);
    expect(subscriptions.some((s) => s.offerName === 'Microsoft Azure')).toBe(true);
    for (const s of subscriptions) {
      expect(s.offerName).not.toBe('');
      expect(s.quantity).toBeGreaterThanOrEqual(0);
      expect(['ACTIVE', 'SUSPENDED', 'DELETED', 'EXPIRED', 'PENDING', 'DISABLED']).toContain(
        s.status,
      );
    }
  });

  it('is ready: /readyz checks the database and the emulator', async () => {
    const ready = await fetch(`${http.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', partnerCenter: 'ok' },
    });
  });
});

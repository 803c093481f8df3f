import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, startEmulatorServer, type Emulator } from 'partner-center-emulator';
import {
  createGdapClientFactory,
  GraphError,
  graphUrlFor,
  type GdapClientFactory,
} from '../../../server/graph/gdap.client.js';
import { type FetchLike } from '../../../server/partner-center/client.js';
import { EmulatorTokenProvider } from '../../../server/partner-center/token-provider.js';

const READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const LICENSE = '4d6ac14f-3453-41d0-bef9-a3e0c569773a';

function factory(baseUrl: string, fetch?: FetchLike, maxAttempts = 3): GdapClientFactory {
  return createGdapClientFactory({
    baseUrl,
    tokenProvider: new EmulatorTokenProvider({ audience: 'https://graph.microsoft.com' }),
    ...(fetch ? { fetch } : {}),
    sleep: async () => undefined,
    retry: { maxAttempts },
  });
}

describe('Graph GDAP client', () => {
  let emulator: Emulator;
  let partner: string;
  let customers: string[];

  beforeAll(() => {
    emulator = createEmulator({ scenario: 'demo', seed: 3 });
    partner = emulator.control.partners().find((p) => p.labels.includes('central'))
      ?.tenantId as string;
    customers = emulator.control
      .customers()
      .slice(0, 3)
      .map((c) => c.tenantId);
  });

  it('creates, sends, lists (every page) and reads relationships and access assignments', async () => {
    const urls: string[] = [];
    // Small pages ($top=2) so the client has to follow @odata.nextLink.
    const paging: FetchLike = (input, init) => {
      const url = new URL(String(input));
      if (
        url.pathname.endsWith('/delegatedAdminRelationships') &&
        !url.searchParams.has('$skiptoken')
      ) {
        url.searchParams.set('$top', '2');
      }
      urls.push(url.toString());
      return emulator.fetch(url.toString(), init);
    };
    const client = factory('https://graph.microsoft.com/v1.0', paging).forTenant(partner);
    const ids: string[] = [];
    for (const [i, customerTenantId] of customers.entries()) {
      const rel = await client.createRelationship({
        displayName: `Client test ${i}`,
        duration: 'P30D',
        autoExtendDuration: 'PT0S',
        customerTenantId,
        roleIds: [READERS, LICENSE],
      });
      expect(rel.status).toBe('created');
      ids.push(rel.id);
    }
    const request = await client.createRequest(ids[0] as string, 'lockForApproval');
    expect(request.action).toBe('lockForApproval');
    expect((await client.getRelationship(ids[0] as string)).status).toBe('approvalPending');

    const all = await client.listRelationships();
    expect(all.map((r) => r.id)).toEqual(expect.arrayContaining(ids));
    expect(urls.some((u) => u.includes('%24skiptoken') || u.includes('$skiptoken'))).toBe(true);
    const one = await client.listRelationships({ customerTenantId: customers[1] as string });
    expect(one.map((r) => r.id)).toEqual([ids[1]]);
    const byName = await client.listRelationships({ displayName: 'Client test 2' });
    expect(byName.map((r) => r.id)).toEqual([ids[2]]);

    emulator.control.gdap.approve(ids[0] as string);
    const group = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
    const assignment = await client.createAccessAssignment(ids[0] as string, group, [LICENSE]);
    expect(assignment.status).toBe('pending');
    await emulator.clock.advance('PT10M');
    const listed = await client.listAccessAssignments(ids[0] as string);
    expect(listed.map((a) => [a.accessContainer.accessContainerId, a.status])).toEqual([
      [group, 'active'],
    ]);
    const rel = await client.getRelationship(ids[0] as string);
    const updated = await client.updateRelationship(ids[0] as string, rel['@odata.etag'] ?? '*', {
      autoExtendDuration: 'P180D',
    });
    expect(updated.autoExtendDuration).toBe('P180D');
  });

  it('waits out a 429 with Retry-After and retries a 5xx', async () => {
    const client = factory('https://graph.microsoft.com/v1.0', emulator.fetch).forTenant(partner);
    const throttle = emulator.control.addFault({
      path: '*delegatedAdminRelationships*',
      times: 1,
      status: 429,
      retryAfterSeconds: 1,
    });
    const flaky = emulator.control.addFault({
      path: '*delegatedAdminRelationships*',
      times: 1,
      status: 503,
    });
    await expect(client.listRelationships()).resolves.toBeInstanceOf(Array);
    const fired = emulator.control.faults().filter((f) => [throttle.id, flaky.id].includes(f.id));
    expect(fired.map((f) => f.fired)).toEqual([1, 1]);
    emulator.control.clearFaults();
  });

  it('names the service and the host in its errors', async () => {
    const client = factory('https://graph.microsoft.com/v1.0', emulator.fetch, 2).forTenant(
      partner,
    );
    emulator.control.addFault({ path: '*delegatedAdminRelationships*', status: 500 });
    const failed = await client.listRelationships().catch((e: unknown) => e);
    emulator.control.clearFaults();
    expect(failed).toBeInstanceOf(GraphError);
    expect((failed as GraphError).message).toMatch(
      /^Microsoft Graph \(graph\.microsoft\.com\) GET .*500/,
    );
    expect((failed as GraphError).retryable).toBe(true);

    const notFound = await client
      .getRelationship('00000000-0000-0000-0000-000000000000-x')
      .catch((e: unknown) => e);
    expect((notFound as GraphError).status).toBe(404);
    expect((notFound as GraphError).description).toContain('Microsoft Graph (graph.microsoft.com)');

    const down: FetchLike = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:443'));
    const offline = await factory('https://graph.example.test/v1.0', down, 1)
      .forTenant(partner)
      .listRelationships()
      .catch((e: unknown) => e);
    expect((offline as GraphError).message).toContain('Microsoft Graph (graph.example.test)');
    expect((offline as GraphError).message).toContain('ECONNREFUSED');
  });

  describe('against a standalone emulator', () => {
    let server: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      server = await startEmulatorServer(emulator, { port: 0 });
    });
    afterAll(async () => {
      await server.close();
    });

    it('finds Graph under the emulator (graphUrlFor) and works over HTTP', async () => {
      expect(graphUrlFor('https://api.partnercenter.microsoft.com')).toBe(
        'https://graph.microsoft.com/v1.0',
      );
      const base = graphUrlFor(server.url);
      expect(base).toBe(`${server.url}/graph/v1.0`);
      const client = factory(base).forTenant(partner);
      const rel = await client.createRelationship({
        displayName: 'Standalone client',
        duration: 'P10D',
        autoExtendDuration: 'PT0S',
        customerTenantId: customers[0] as string,
        roleIds: [READERS],
      });
      expect((await client.getRelationship(rel.id)).displayName).toBe('Standalone client');
    });
  });
});

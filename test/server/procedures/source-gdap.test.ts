import { describe, expect, it } from 'vitest';
import { type GdapClientFactory } from '../../../server/graph/gdap.client.js';
import { type GdapRelationship } from '../../../server/graph/gdap.contracts.js';
import { type PcCustomer } from '../../../server/partner-center/contracts/customers.js';
import {
  SourceGdapPreflight,
  sourceGdapProblem,
} from '../../../server/procedures/consolidation/consolidation-source-gdap.js';
import { type NewItem } from '../../../server/workflows/engine/engine.types.js';

const READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const LICENSE = '4d6ac14f-3453-41d0-bef9-a3e0c569773a';
const GA = '62e90394-69f5-4237-9190-012177145e10';
const NOW = new Date('2026-12-03T08:00:00Z');
const IN_30_DAYS = new Date(NOW.getTime() + 30 * 86_400_000);

function rel(
  extra: Partial<GdapRelationship> & { roles?: string[]; endsInDays?: number; customerId?: string },
): GdapRelationship {
  const { roles = [READERS, LICENSE], endsInDays = 400, customerId = 'c1', ...rest } = extra;
  return {
    id: 'r1',
    displayName: 'MLT_c1',
    duration: 'P730D',
    status: 'active',
    autoExtendDuration: 'PT0S',
    endDateTime: new Date(NOW.getTime() + endsInDays * 86_400_000).toISOString(),
    customer: { tenantId: customerId },
    accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    ...rest,
  };
}

describe('sourceGdapProblem (SOURCE_GDAP_MISSING)', () => {
  it('accepts a live relationship with a commerce role that lasts or auto-extends', () => {
    expect(sourceGdapProblem([rel({})], IN_30_DAYS)).toBeNull();
    expect(sourceGdapProblem([rel({ status: 'expiring', endsInDays: 40 })], IN_30_DAYS)).toBeNull();
    expect(
      sourceGdapProblem([rel({ endsInDays: 5, autoExtendDuration: 'P180D' })], IN_30_DAYS),
    ).toBeNull();
  });

  it('names what is wrong: none, not active, no commerce role, ends too soon', () => {
    expect(sourceGdapProblem([], IN_30_DAYS)).toMatch(/no GDAP relationship/);
    expect(sourceGdapProblem([rel({ status: 'terminated' })], IN_30_DAYS)).toMatch(
      /no active GDAP relationship \("MLT_c1" terminated\)/,
    );
    expect(sourceGdapProblem([rel({ status: 'terminationRequested' })], IN_30_DAYS)).toMatch(
      /no active/,
    );
    expect(sourceGdapProblem([rel({ roles: [READERS] })], IN_30_DAYS)).toMatch(
      /hold none of the roles License Administrator/,
    );
    expect(sourceGdapProblem([rel({ endsInDays: 10 })], IN_30_DAYS)).toMatch(
      /ends on .* does not auto-extend/,
    );
    // Graph refuses auto-extension with Global Administrator: P180D there does not count.
    expect(
      sourceGdapProblem(
        [rel({ roles: [GA], endsInDays: 10, autoExtendDuration: 'P180D' })],
        IN_30_DAYS,
      ),
    ).toMatch(/ends on/);
  });
});

describe('SourceGdapPreflight: Graph calls per source tenant', () => {
  const customer = (id: string) =>
    ({ id, companyProfile: { companyName: `Co ${id}`, domain: `${id}.example` } }) as PcCustomer;
  const reprovision = [{ kind: 'LICENSE_REPROVISION', status: 'PENDING' }] as NewItem[];
  const transferOnly = [{ kind: 'SUBSCRIPTION_TRANSFER', status: 'PENDING' }] as NewItem[];

  function fakeGraph(relationships: GdapRelationship[]) {
    const calls: Array<Record<string, unknown>> = [];
    const graph = {
      baseUrl: 'https://graph.example/v1.0',
      forTenant: () => ({
        listRelationships: async (filter: { customerTenantId?: string } = {}) => {
          calls.push(filter);
          return relationships.filter(
            (r) => !filter.customerTenantId || r.customer?.tenantId === filter.customerTenantId,
          );
        },
      }),
    } as unknown as GdapClientFactory;
    return { graph, calls };
  }
  const source = { tenantId: 's1', name: 'Contoso FR', mpnId: '1', country: 'FR' };

  it('one listing shared by a large source; blocks only the customer without GDAP', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const { graph, calls } = fakeGraph(ids.slice(1).map((id) => rel({ customerId: id })));
    const preflight = new SourceGdapPreflight({ graph, mode: 'required', now: NOW });
    const check = preflight.forSource(source as never, ids.length);
    const blocked: Array<[string, string]> = [];
    await Promise.all(
      ids.map((id) =>
        check(customer(id), reprovision, (code, message) => blocked.push([code, message])),
      ),
    );
    expect(calls).toEqual([{ top: 300 }]);
    expect(blocked).toHaveLength(1);
    expect(blocked[0]?.[0]).toBe('SOURCE_GDAP_MISSING');
    expect(blocked[0]?.[1]).toContain('Contoso FR (source tenant s1)');
    expect(blocked[0]?.[1]).toContain('Co c0 (customer c0)');
    expect(preflight.event()?.data).toEqual({ checked: 12, warnings: 0 });
  });

  it('a few customers: one filtered read each, none for a customer without source writes', async () => {
    const { graph, calls } = fakeGraph([]);
    const preflight = new SourceGdapPreflight({ graph, mode: 'required', now: NOW });
    const check = preflight.forSource(source as never, 2);
    const blocked: string[] = [];
    await check(customer('a'), reprovision, (code) => blocked.push(code));
    await check(customer('b'), transferOnly, (code) => blocked.push(code));
    expect(calls).toEqual([{ customerTenantId: 'a' }]);
    expect(blocked).toEqual(['SOURCE_GDAP_MISSING']);
  });

  it('the Azure plan upgrade at the source needs it too; a transfer alone does not', async () => {
    const { graph, calls } = fakeGraph([]);
    const preflight = new SourceGdapPreflight({ graph, mode: 'required', now: NOW });
    const check = preflight.forSource(source as never, 2);
    const messages: string[] = [];
    const upgrade = [
      { kind: 'SUBSCRIPTION_TRANSFER', status: 'PENDING' },
      { kind: 'AZURE_PLAN_UPGRADE', status: 'PENDING' },
    ] as NewItem[];
    await check(customer('a'), upgrade, (_code, message) => messages.push(message));
    await check(customer('b'), transferOnly, (_code, message) => messages.push(message));
    expect(calls).toHaveLength(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('cannot start the Azure plan upgrade of Co a');
  });

  it('optional: warns in the plan event, blocks nothing', async () => {
    const { graph } = fakeGraph([]);
    const preflight = new SourceGdapPreflight({ graph, mode: 'optional', now: NOW });
    const blocked: string[] = [];
    await preflight.forSource(source as never, 1)(customer('a'), reprovision, (code) =>
      blocked.push(code),
    );
    expect(blocked).toEqual([]);
    expect(preflight.event()).toMatchObject({
      type: 'SOURCE_GDAP_CHECKED',
      data: { checked: 1, warnings: 1 },
    });
    expect(preflight.event()?.message).toContain('Co a (customer a)');
  });
});

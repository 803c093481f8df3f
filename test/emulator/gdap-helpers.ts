import { expect } from 'vitest';
import type { CustomerInfo, PartnerInfo } from 'partner-center-emulator';
import { body, type Collection, type Harness } from './harness.js';

// Shared by the GDAP conformance files: lookups of the demo's actors and the Graph calls they repeat.
export type Json = Record<string, unknown>;
export interface OData<T = Json> {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: T[];
}
export const REL = '/tenantRelationships/delegatedAdminRelationships';
export const GA = '62e90394-69f5-4237-9190-012177145e10';
export const LICENSE_ADMIN = '4d6ac14f-3453-41d0-bef9-a3e0c569773a';
export const READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';

/** Helpers over the current harness and its scenario (read when called: set in `beforeAll`). */
export function gdapHelpers(
  state: () => { h: Harness; partners: PartnerInfo[]; customers: CustomerInfo[] },
) {
  const partner = (name: string): PartnerInfo => {
    const p = state().partners.find((x) => x.name === name);
    if (!p) {
      throw new Error(`no partner ${name}`);
    }
    return p;
  };
  const customer = (label: string): CustomerInfo => {
    const c = state().customers.find((x) => x.labels.includes(label) || x.companyName === label);
    if (!c) {
      throw new Error(`no customer ${label}`);
    }
    return c;
  };
  const send = (method: string, value?: unknown, headers: Record<string, string> = {}) => ({
    method,
    headers,
    ...(value === undefined ? {} : { body: JSON.stringify(value) }),
  });
  const advance = (duration: string) =>
    state().h.control('/clock/advance', send('POST', { duration }));
  const newRelationship = (customerTenantId: string, extra: Json = {}): Json => ({
    displayName: `GDAP ${customerTenantId.slice(0, 8)}`,
    duration: 'P730D',
    customer: { tenantId: customerTenantId },
    accessDetails: {
      unifiedRoles: [{ roleDefinitionId: READERS }, { roleDefinitionId: LICENSE_ADMIN }],
    },
    ...extra,
  });
  const create = async (tenantId: string, value: Json): Promise<Json> => {
    const res = await state().h.graph(tenantId, REL, send('POST', value));
    expect(res.status).toBe(201);
    return body<Json>(res);
  };
  const get = async (tenantId: string, id: string): Promise<Json> =>
    body<Json>(await state().h.graph(tenantId, `${REL}/${id}`));
  const lock = async (tenantId: string, id: string): Promise<Response> =>
    state().h.graph(tenantId, `${REL}/${id}/requests`, send('POST', { action: 'lockForApproval' }));
  const audit = async (
    tenantId: string,
    startDate = '2026-01-01',
  ): Promise<{ operationType: string; resourceType: string; customerId: string | null }[]> =>
    (
      await body<
        Collection<{ operationType: string; resourceType: string; customerId: string | null }>
      >(await state().h.pc(tenantId, `/v1/auditrecords?startDate=${startDate}&size=500`))
    ).items;
  return { partner, customer, send, advance, newRelationship, create, get, lock, audit };
}

import type { CustomerInfo, PartnerInfo } from 'partner-center-emulator';
import { body, type Collection, type Harness } from './harness.js';

export type Json = Record<string, unknown>;

export const send = (value: unknown, init: RequestInit = {}): RequestInit => ({
  ...init,
  body: JSON.stringify(value),
});

/** The demo-style world after a reset: partners and customers by name or label. */
export interface World {
  partner(name: string): PartnerInfo;
  customer(labelOrName: string): CustomerInfo;
}

export async function resetWorld(h: Harness, scenario: unknown, seed = 1): Promise<World> {
  const res = await h.control('/reset', send({ scenario, seed }, { method: 'POST' }));
  if (res.status !== 200) {
    throw new Error(`reset failed: ${res.status} ${await res.text()}`);
  }
  const partners = await body<PartnerInfo[]>(await h.control('/partners'));
  const customers = await body<CustomerInfo[]>(await h.control('/customers'));
  return {
    partner(name) {
      const p = partners.find((x) => x.name === name);
      if (!p) {
        throw new Error(`no partner ${name}`);
      }
      return p;
    },
    customer(label) {
      const c = customers.find((x) => x.labels.includes(label) || x.companyName === label);
      if (!c) {
        throw new Error(`no customer ${label}`);
      }
      return c;
    },
  };
}

/** An App+User style token carrying Partner Center roles (signatures are not checked by default). */
export function tokenWithRoles(tenantId: string, roles: string[]): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ tid: tenantId, roles, appid: 'test' })}.x`;
}

export interface Sub {
  id: string;
  offerId: string;
  quantity: number;
  status: string;
  billingCycle: string;
  termDuration?: string;
  commitmentEndDate: string;
  effectiveStartDate: string;
  cancellationAllowedUntilDate?: string;
  autoRenewEnabled: boolean;
  suspensionReasons: string[];
  transferId?: string;
  migratedFromSubscriptionId?: string;
  partnerId?: string;
  productType: { id: string };
}

export async function subscriptions(
  h: Harness,
  tenantId: string,
  customerId: string,
): Promise<Sub[]> {
  const res = await h.pc(tenantId, `/v1/customers/${customerId}/subscriptions`);
  return (await body<Collection<Sub>>(res)).items;
}

export interface Audit {
  operationType: string;
  resourceType: string;
  customerId: string | null;
  resourceNewValue: string | null;
  operationStatus: string;
}

export async function auditOf(h: Harness, tenantId: string): Promise<Audit[]> {
  const { now } = await body<{ now: string }>(await h.control('/clock'));
  const res = await h.pc(
    tenantId,
    `/v1/auditrecords?startDate=2026-01-01&endDate=${now.slice(0, 10)}&size=500`,
  );
  return (await body<Collection<Audit>>(res)).items;
}

export async function advance(h: Harness, duration: string): Promise<void> {
  const res = await h.control('/clock/advance', send({ duration }, { method: 'POST' }));
  if (res.status !== 200) {
    throw new Error(`advance failed: ${res.status}`);
  }
}

import type { GdapRelationshipRecord, GdapSettings } from '../core/gdap.model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { approveByCustomer, rejectByCustomer } from '../domain/gdap-lifecycle.js';
import { invitationLink, relationshipView } from '../domain/gdap.views.js';
import { PcHttpError } from '../http/responses.js';
import { toGdapDecision, type GdapDecisionInput } from '../scenarios/gdap.scenario.js';

/** A GDAP relationship as `GET /_emulator/gdap/relationships` lists it. */
export type GdapRelationshipInfo = Record<string, unknown> & {
  id: string;
  partnerTenantId: string;
  status: string;
  invitationLink: string;
  approvalExpiresAt: string | null;
};

/** The GDAP part of the control API (`emulator.control.gdap`). */
export interface GdapControl {
  relationships(): GdapRelationshipInfo[];
  settings(): GdapSettings;
  setSettings(patch: Partial<GdapSettings>): GdapSettings;
  /** The customer approves through the invitation link now (`customerTenantId` when the request named none). */
  approve(relationshipId: string, customerTenantId?: string): GdapRelationshipInfo;
  reject(relationshipId: string, customerTenantId?: string): GdapRelationshipInfo;
  /** What a customer's autopilot does with future GDAP invitations. */
  setDecision(customerTenantId: string, decision: GdapDecisionInput): void;
}

function info(r: GdapRelationshipRecord): GdapRelationshipInfo {
  return {
    ...relationshipView(r),
    id: r.id,
    partnerTenantId: r.partnerTenantId,
    status: r.status,
    invitationLink: invitationLink(r.id),
    approvalExpiresAt: r.approvalExpiresAt,
  };
}

export function createGdapControl(rt: EmulatorRuntime): GdapControl {
  const find = (id: string): GdapRelationshipRecord => {
    const rel = rt.store.gdap.relationships.get(id.toLowerCase());
    if (!rel) {
      throw new PcHttpError(404, 1000, `GDAP relationship ${id} was not found.`);
    }
    return rel;
  };
  const customerFor = (rel: GdapRelationshipRecord, tenantId?: string) => {
    const id = (tenantId ?? rel.customer?.tenantId ?? '').toLowerCase();
    const customer = rt.store.customers.get(id);
    if (!customer) {
      throw new PcHttpError(
        400,
        800002,
        tenantId || rel.customer
          ? `Customer ${id} is not a tenant of this emulator.`
          : 'The relationship names no customer: give customerTenantId.',
      );
    }
    return customer;
  };
  const customer = (tenantId: string) => {
    const c = rt.store.customers.get(tenantId.toLowerCase());
    if (!c) {
      throw new PcHttpError(404, 1000, `Customer ${tenantId} was not found.`);
    }
    return c;
  };
  return {
    relationships: () => [...rt.store.gdap.relationships.values()].map(info),
    settings: () => ({ ...rt.store.gdap.settings }),
    setSettings: (patch) => {
      rt.store.gdap.settings = { ...rt.store.gdap.settings, ...patch };
      return { ...rt.store.gdap.settings };
    },
    approve: (id, customerTenantId) => {
      const rel = find(id);
      approveByCustomer(rt, rel, customerFor(rel, customerTenantId));
      return info(rel);
    },
    reject: (id, customerTenantId) => {
      const rel = find(id);
      rejectByCustomer(rt, rel, customerFor(rel, customerTenantId));
      return info(rel);
    },
    setDecision: (customerTenantId, decision) => {
      rt.store.gdap.decisions.set(customer(customerTenantId).tenantId, toGdapDecision(decision));
    },
  };
}

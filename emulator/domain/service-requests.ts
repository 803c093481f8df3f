import type {
  CustomerRecord,
  PartnerTenantRecord,
  ServiceRequestKind,
  SubscriptionRecord,
} from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';

/** Support topics (`GET /servicerequests/supporttopics`, §7: 14 topics with numeric ids). */
export const SUPPORT_TOPICS: { id: number; name: string; description: string }[] = [
  { id: 32444667, name: 'Partner Center Issues', description: 'Problems using Partner Center.' },
  {
    id: 32444668,
    name: 'Billing and invoicing',
    description: 'Invoices, credits and billing questions.',
  },
  {
    id: 32444669,
    name: 'Microsoft Azure - Subscription management',
    description: 'Azure subscription management, transfers and migrations.',
  },
  { id: 32444670, name: 'Microsoft Azure - Technical', description: 'Azure technical issues.' },
  {
    id: 32444671,
    name: 'Office 365 - Licensing',
    description: 'Office 365 licences and subscriptions.',
  },
  { id: 32444672, name: 'Office 365 - Technical', description: 'Office 365 technical issues.' },
  { id: 32444673, name: 'Dynamics 365', description: 'Dynamics 365 questions.' },
  { id: 32444674, name: 'Enterprise Mobility + Security', description: 'EMS questions.' },
  {
    id: 32444675,
    name: 'CSP - Regional authorization consolidation',
    description: 'Consolidating regional CSP tenants into one.',
  },
  {
    id: 32444676,
    name: 'CSP - Azure subscription transfer',
    description: 'Moving an Azure subscription to another CSP partner.',
  },
  {
    id: 32444677,
    name: 'Microsoft Customer Agreement',
    description: 'Customer agreement attestation.',
  },
  {
    id: 32444678,
    name: 'Account and onboarding',
    description: 'Partner account, MPN and onboarding.',
  },
  { id: 32444679, name: 'Incentives', description: 'Partner incentives.' },
  { id: 32444680, name: 'Other general questions', description: 'Anything else.' },
];

/**
 * What support does with a ticket is decided from its text (README "Service requests and
 * Microsoft support"): a title or description mentioning "consolidat" is a consolidation request
 * (R-CON-6), one mentioning "transfer" a subscription transfer (R-TRF-3); the topic is a fallback.
 */
export function classifyTicket(
  title: string,
  description: string,
  topicId: string,
): ServiceRequestKind {
  const text = `${title}\n${description}`.toLowerCase();
  if (/consolidat|regional authori[sz]ation/.test(text) || topicId === '32444675') {
    return 'consolidation';
  }
  if (/transfer/.test(text) || topicId === '32444676') {
    return 'transfer';
  }
  return 'other';
}

export interface TicketReferences {
  customers: CustomerRecord[];
  /** Legacy Azure subscriptions named by subscription id or Azure subscription id. */
  subscriptions: SubscriptionRecord[];
  partners: PartnerTenantRecord[];
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Finds customers (tenant id or company name), legacy Azure subscriptions (Partner Center id or
 * Azure subscription id) and partner tenants (tenant id or MPN id) named in a ticket, among what
 * the creating partner's organization can see.
 */
export function parseReferences(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  text: string,
): TicketReferences {
  const lower = text.toLowerCase();
  const guids = new Set((lower.match(GUID) ?? []).map((g) => g.toLowerCase()));
  const orgTenants = [...rt.store.partners.values()].filter(
    (p) => p.organizationId === tenant.organizationId,
  );
  const visibleCustomerIds = new Set<string>();
  for (const p of orgTenants) {
    for (const id of rt.store.customersByPartner.get(p.tenantId) ?? []) {
      visibleCustomerIds.add(id);
    }
  }
  const customers: CustomerRecord[] = [];
  const subscriptions: SubscriptionRecord[] = [];
  for (const id of visibleCustomerIds) {
    const c = rt.store.customers.get(id);
    if (!c) {
      continue;
    }
    let named = guids.has(c.tenantId) || lower.includes(c.companyName.toLowerCase());
    for (const s of rt.store.subscriptionsByCustomer.get(c.tenantId) ?? []) {
      if (
        (s.kind === 'azure_legacy' || s.kind === 'azure_plan') &&
        (guids.has(s.id) || (s.entitlementId && guids.has(s.entitlementId)))
      ) {
        subscriptions.push(s);
        named = true;
      }
    }
    if (named) {
      customers.push(c);
    }
  }
  const mpns = new Set(lower.match(/\b\d{6,8}\b/g) ?? []);
  const partners = [...rt.store.partners.values()].filter(
    (p) => p.tenantId !== tenant.tenantId && (guids.has(p.tenantId) || mpns.has(p.mpnId)),
  );
  return { customers, subscriptions, partners };
}

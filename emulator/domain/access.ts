import type { CustomerRecord, PartnerTenantRecord, RelationshipRecord } from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { errors } from '../http/responses.js';

/**
 * Access rules. Reads need any relationship row between the partner tenant and the customer
 * (customers stay in a partner's list even after their subscriptions are suspended, R-CON-7);
 * otherwise 404/1000. Transactions need an active reseller relationship held directly (not as an
 * indirect reseller of record); otherwise 403/20002 (partner-center-api.md §1, "Relationships").
 */
export function readableCustomer(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customerTenantId: string,
): { customer: CustomerRecord; relationship: RelationshipRecord } {
  const customer =
    rt.store.customers.get(customerTenantId.toLowerCase()) ??
    rt.store.customers.get(customerTenantId);
  const relationship = customer
    ? rt.store.relationship(tenant.tenantId, customer.tenantId)
    : undefined;
  if (!customer || !relationship) {
    if (customer) {
      rt.hooks.customerSought(tenant, customer);
    }
    throw errors.notFound(`Customer ${customerTenantId}`);
  }
  return { customer, relationship };
}

export function transactableCustomer(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customerTenantId: string,
): { customer: CustomerRecord; relationship: RelationshipRecord } {
  const customer =
    rt.store.customers.get(customerTenantId.toLowerCase()) ??
    rt.store.customers.get(customerTenantId);
  const relationship = customer
    ? rt.store.relationship(tenant.tenantId, customer.tenantId)
    : undefined;
  if (
    !customer ||
    !relationship ||
    relationship.relationshipToPartner !== 'reseller' ||
    relationship.indirectProviderTenantId !== null
  ) {
    throw errors.noRelationship(customerTenantId);
  }
  return { customer, relationship };
}

/** MCA is a customer-level fact: a partner attestation or the customer's own signature (§4). */
export function hasSignedMca(rt: EmulatorRuntime, customer: CustomerRecord): boolean {
  return (
    customer.directSignedMca ||
    (rt.store.agreementsByCustomer.get(customer.tenantId) ?? []).some(
      (a) => a.type === 'MicrosoftCustomerAgreement',
    )
  );
}

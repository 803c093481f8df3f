import { MCA_LINK, MCA_TEMPLATE_ID } from '../core/catalog.js';
import { HOUR_MS } from '../core/duration.js';
import type { ActorBehaviour, CustomerRecord, PartnerTenantRecord } from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { hasSignedMca } from '../domain/access.js';
import { systemActor, writeAudit } from '../domain/audit.js';

/** Hours until an actor acts, or undefined when it never does. */
export function delayHours(b: ActorBehaviour, fallback: number): number | undefined {
  if (b.mode === 'never') {
    return undefined;
  }
  return b.mode === 'after' ? b.hours : fallback;
}

/** Whether the customer expects (and will accept) an invitation from this partner tenant. */
export function expectsInvitation(
  rt: EmulatorRuntime,
  customer: CustomerRecord,
  tenant: PartnerTenantRecord,
): boolean {
  const from = customer.autopilot.acceptsFrom;
  if (from === 'any') {
    return true;
  }
  if (Array.isArray(from)) {
    return from.includes(tenant.tenantId);
  }
  if (from === 'invited') {
    return rt.store.invitations.get(tenant.tenantId)?.sentTo?.includes(customer.tenantId) ?? false;
  }
  // `related`: another tenant of the same organization already serves the customer (consolidation).
  for (const pid of rt.store.partnersByCustomer.get(customer.tenantId) ?? []) {
    const p = rt.store.partners.get(pid);
    const r = rt.store.relationship(pid, customer.tenantId);
    if (
      p &&
      r &&
      pid !== tenant.tenantId &&
      p.organizationId === tenant.organizationId &&
      r.indirectProviderTenantId === null
    ) {
      return true;
    }
  }
  return false;
}

function hasResellerRelationship(
  rt: EmulatorRuntime,
  partnerTenantId: string,
  customerTenantId: string,
): boolean {
  const r = rt.store.relationship(partnerTenantId, customerTenantId);
  return !!r && r.relationshipToPartner === 'reseller' && r.indirectProviderTenantId === null;
}

/** Schedules the customer's acceptance of the tenant's invitation after its delay (once). */
function scheduleAcceptance(
  rt: EmulatorRuntime,
  customer: CustomerRecord,
  tenant: PartnerTenantRecord,
): boolean {
  const hours = delayHours(
    customer.autopilot.acceptInvitation,
    rt.store.autopilot.customers.acceptInvitationHours,
  );
  if (
    hours === undefined ||
    rt.hasPending(
      'customer.accept_invitation',
      (t) => t.customerTenantId === customer.tenantId && t.partnerTenantId === tenant.tenantId,
    )
  ) {
    return false;
  }
  rt.schedule(
    'customer.accept_invitation',
    { customerTenantId: customer.tenantId, partnerTenantId: tenant.tenantId },
    new Date(rt.now().getTime() + hours * HOUR_MS),
  );
  return true;
}

/**
 * A partner requested its invitation URL (R-CON-2, R-CHN-1). The URL is partner-wide and is sent
 * by mail, which the emulator cannot see: customers of a related tenant (consolidation) and those
 * configured to expect this partner accept after their delay; a prospect (`invited`) only once the
 * partner has sent it the invitation (`onCustomerSought`).
 */
export function onInvitationRequested(rt: EmulatorRuntime, tenant: PartnerTenantRecord): void {
  if (!rt.store.invitations.has(tenant.tenantId)) {
    rt.store.invitations.set(tenant.tenantId, {
      partnerTenantId: tenant.tenantId,
      requestedAt: rt.nowIso(),
    });
  }
  if (!rt.store.autopilot.enabled) {
    return;
  }
  for (const customer of rt.store.customers.values()) {
    if (
      !hasResellerRelationship(rt, tenant.tenantId, customer.tenantId) &&
      expectsInvitation(rt, customer, tenant)
    ) {
      scheduleAcceptance(rt, customer, tenant);
    }
  }
}

/**
 * A partner that holds an invitation URL looks up a customer it does not serve yet (the channel
 * move waits for acceptance this way): the emulator takes it that the partner sent that customer
 * its invitation, which an `invited` customer then accepts after its delay.
 */
export function onCustomerSought(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
): void {
  const invitation = rt.store.invitations.get(tenant.tenantId);
  if (!invitation || customer.autopilot.acceptsFrom !== 'invited') {
    return;
  }
  const sentTo = invitation.sentTo ?? [];
  if (!sentTo.includes(customer.tenantId)) {
    invitation.sentTo = [...sentTo, customer.tenantId];
  }
  if (rt.store.autopilot.enabled && scheduleAcceptance(rt, customer, tenant)) {
    rt.notifyChange();
  }
}

/** The customer accepts the reseller relationship and grants delegated admin (R-CON-2). */
export function acceptRelationship(
  rt: EmulatorRuntime,
  customerTenantId: string,
  partnerTenantId: string,
  delegatedAdmin = true,
): boolean {
  const customer = rt.store.customers.get(customerTenantId);
  const partner = rt.store.partners.get(partnerTenantId);
  if (!customer || !partner) {
    return false;
  }
  if (hasResellerRelationship(rt, partnerTenantId, customerTenantId)) {
    return false;
  }
  const existing = rt.store.relationship(partnerTenantId, customerTenantId);
  if (existing) {
    existing.relationshipToPartner = 'reseller';
    existing.indirectProviderTenantId = null;
    existing.allowDelegatedAccess = delegatedAdmin;
  } else {
    rt.store.addRelationship({
      partnerTenantId,
      customerTenantId,
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: delegatedAdmin,
      createdAt: rt.nowIso(),
      indirectProviderTenantId: null,
    });
  }
  const actor = systemActor(partnerTenantId, 'customer', rt.newId());
  actor.userPrincipalName = `admin@${customer.domain}`;
  writeAudit(rt, {
    actor,
    customer,
    resourceType: 'partner_customer_relationship',
    operationType: 'create_partner_relationship',
    newValue: { customerTenantId, partnerTenantId, relationshipToPartner: 'reseller' },
  });
  if (delegatedAdmin) {
    writeAudit(rt, {
      actor,
      customer,
      resourceType: 'partner_customer_dap',
      operationType: 'dap_admin_relationship_approved',
      newValue: { customerTenantId, partnerTenantId, allowDelegatedAccess: true },
    });
  }
  return true;
}

/**
 * The partner looked at the customer's agreements, or a purchase was refused for a missing MCA:
 * a customer that will sign does so after its delay (it signs in the admin center directly).
 */
export function onMcaNeeded(rt: EmulatorRuntime, customer: CustomerRecord): void {
  if (!rt.store.autopilot.enabled || hasSignedMca(rt, customer)) {
    return;
  }
  const hours = delayHours(customer.autopilot.signMca, rt.store.autopilot.customers.signMcaHours);
  if (
    hours === undefined ||
    rt.hasPending('customer.sign_mca', (t) => t.customerTenantId === customer.tenantId)
  ) {
    return;
  }
  rt.schedule(
    'customer.sign_mca',
    { customerTenantId: customer.tenantId },
    new Date(rt.now().getTime() + hours * HOUR_MS),
  );
}

/** The customer signs the MCA itself (shows in directSignedMicrosoftCustomerAgreementStatus). */
export function signMcaDirectly(rt: EmulatorRuntime, customerTenantId: string): boolean {
  const customer = rt.store.customers.get(customerTenantId);
  if (!customer || hasSignedMca(rt, customer)) {
    return false;
  }
  customer.directSignedMca = true;
  rt.store.addAgreement({
    id: rt.newId(),
    customerTenantId,
    partnerTenantId: null,
    type: 'MicrosoftCustomerAgreement',
    templateId: MCA_TEMPLATE_ID,
    dateAgreed: rt.nowIso(),
    userId: rt.newId(),
    primaryContact: {
      firstName: customer.address.firstName,
      lastName: customer.address.lastName,
      email: customer.email,
      phoneNumber: customer.address.phoneNumber,
    },
    agreementLink: MCA_LINK,
  });
  for (const pid of rt.store.partnersByCustomer.get(customerTenantId) ?? []) {
    writeAudit(rt, {
      actor: systemActor(pid, 'customer', rt.newId()),
      customer,
      resourceType: 'agreement',
      operationType: 'create_agreement',
      newValue: {
        type: 'MicrosoftCustomerAgreement',
        templateId: MCA_TEMPLATE_ID,
        signedBy: 'customer',
      },
    });
  }
  return true;
}

/** Registers the customer actors' scheduled-action executors. */
export function registerCustomerActors(rt: EmulatorRuntime): void {
  rt.executors.set('customer.accept_invitation', (r, a) => {
    acceptRelationship(r, a.target.customerTenantId ?? '', a.target.partnerTenantId ?? '');
  });
  rt.executors.set('customer.sign_mca', (r, a) => {
    signMcaDirectly(r, a.target.customerTenantId ?? '');
  });
  rt.hooks.mcaNeeded = (customer) => onMcaNeeded(rt, customer);
  rt.hooks.customerSought = (tenant, customer) => onCustomerSought(rt, tenant, customer);
}

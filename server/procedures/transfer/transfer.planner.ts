import { type BlockerCode } from '../../shared/error-codes.js';
import { randomUUID } from 'node:crypto';
import { consolidatedSourceRefusal } from '../shared/consolidated-source.guard.js';
import { type OrganizationService } from '../../modules/organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { checkServedNewPartner } from './new-partner-checks.js';
import { mapProductFamily } from '../../partner-center/mapping.js';
import { listIndirectProviders } from '../../partner-center/operations.js';
import { type Clock } from '../../shared/clock.js';
import { ProductFamily } from '../../shared/enums.js';
import { InputCheck, SUBSCRIPTION_ID } from '../../shared/input-validation.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { err, ok, type DomainError, type Result } from '../../shared/result.js';
import { isSaneDate, TEXT_LIMITS } from '../../shared/validation.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type NewBlocker } from '../../workflows/engine/engine.types.js';
import { type PlannedWorkflow } from '../../workflows/workflow.service.js';
import {
  TRANSFER,
  type Contact,
  type TransferData,
  type TransferItemData,
} from './transfer.model.js';
import * as repo from './transfer.repository.js';
import { currentPartner } from './transfer-partners.js';
import {
  agreementBlocker,
  planAgreement,
  PLAN_FIELDS,
  validateNewPartnerDetails,
  type NewPartnerDetails,
  type NewPartnerDetailsInput,
} from './transfer-new-partner.js';
import { actorLabel } from '../../shared/actor.js';
import { planAzurePlanTransfer } from './azure-plan-transfer.planner.js';

export interface PlanSubscriptionTransferInput {
  subscriptionId: string;
  newPartnerTenantId: string;
  newPartnerMpnId: string;
  customerRequestReceivedAt: Date;
  customerRequestReference?: string | null;
  partnerAdmins: Array<{ name: string; email: string; phone?: string | null }>;
  idempotencyKey?: string | null;
  /** R-TRF-5: the new partner's details and the customer's agreement at the new partner. */
  newPartnerOrganizationName?: string | null;
  newPartnerContact?: NewPartnerDetailsInput['contact'];
  newPartnerAddress?: NewPartnerDetailsInput['address'];
  newPartnerAgreementConfirmed?: boolean | null;
}

export interface TransferPlannerDeps {
  db: EngineDb;
  clock: Clock;
  organizations: OrganizationService;
  clients: PartnerCenterClientFactory;
}

export interface ValidatedTransferInput {
  partnerTenantId: string;
  customerTenantId: string;
  subscriptionId: string;
  admins: Contact[];
  newPartner: NewPartnerDetails;
  /** The reference of the customer's request, trimmed (null when none). */
  reference: string | null;
}

/** Checks the input of planTransfer without reading Partner Center. */
export async function validateTransferInput(
  deps: Pick<TransferPlannerDeps, 'organizations' | 'clock'>,
  scope: RequestScope,
  input: PlanSubscriptionTransferInput,
): Promise<Result<ValidatedTransferInput>> {
  const fail = (error: DomainError) => err(error);
  // Issue 17: every id and text is checked before anything is read; no message repeats a value.
  const check = new InputCheck();
  const [partnerTenantId = '', customerTenantId = '', subscriptionId = ''] =
    check.globalId(input.subscriptionId, ['input', 'subscriptionId'], SUBSCRIPTION_ID) ?? [];
  const newPartnerTenantId = check.guid(
    input.newPartnerTenantId,
    ['input', 'newPartnerTenantId'],
    "The new partner's tenant id (Microsoft ID)",
  );
  check.mpnId(
    input.newPartnerMpnId,
    ['input', 'newPartnerMpnId'],
    "The new partner's Partner ID (MPN id)",
    'INVALID',
  );
  const reference = check.text(
    input.customerRequestReference,
    ['input', 'customerRequestReference'],
    {
      label: "The reference of the customer's request",
      max: TEXT_LIMITS.reference,
    },
  );
  const admins: Contact[] = input.partnerAdmins.map((a, i) => {
    const field = (name: string) => ['input', 'partnerAdmins', String(i), name];
    const name = check.requiredText(a.name, field('name'), {
      label: `The name of partner administrator ${i + 1}`,
      max: TEXT_LIMITS.name,
    });
    const phone = check.phone(
      a.phone,
      field('phone'),
      `The phone number of partner administrator ${i + 1}`,
    );
    const email = check.email(
      a.email,
      field('email'),
      `The email of partner administrator ${i + 1}`,
    );
    return { name, email, phone };
  });
  if (check.error) {
    return fail(check.error);
  }
  if (!(await deps.organizations.tenantForActor(scope, partnerTenantId))) {
    return fail({
      code: 'NOT_FOUND',
      message: 'No subscription of your organization has this id.',
      field: ['input', 'subscriptionId'],
    });
  }
  if (newPartnerTenantId === partnerTenantId.toLowerCase()) {
    return fail({
      code: 'INVALID',
      message: 'The new partner is the current partner of record.',
      field: ['input', 'newPartnerTenantId'],
    });
  }
  if (input.customerRequestReceivedAt.getTime() > deps.clock.now().getTime()) {
    // R-TRF-2: the customer's written request starts the procedure; it cannot be in the future.
    return fail({
      code: 'INVALID',
      message: "The customer's written request cannot be received in the future.",
      field: ['input', 'customerRequestReceivedAt'],
    });
  }
  if (!isSaneDate(input.customerRequestReceivedAt)) {
    return fail({
      code: 'INVALID_DATE',
      message: "The date of the customer's written request must be a real date (2000–2100).",
      field: ['input', 'customerRequestReceivedAt'],
    });
  }
  // R-TRF-7: the form names exactly two partner administrators, each reachable by email.
  if (input.partnerAdmins.length !== 2) {
    return fail({
      code: 'TWO_ADMINS_REQUIRED',
      message: `Name exactly two partner administrators (R-TRF-7); got ${input.partnerAdmins.length}.`,
      field: ['input', 'partnerAdmins'],
    });
  }
  if (admins[0]!.email.toLowerCase() === admins[1]!.email.toLowerCase()) {
    return fail({
      code: 'TWO_ADMINS_REQUIRED',
      message: 'The two partner administrators must be two different people (R-TRF-7).',
      field: ['input', 'partnerAdmins', '1', 'email'],
    });
  }
  const newPartner = validateNewPartnerDetails(
    {
      organizationName: input.newPartnerOrganizationName,
      contact: input.newPartnerContact,
      address: input.newPartnerAddress,
    },
    ['input'],
    PLAN_FIELDS,
  );
  if (!newPartner.ok) {
    return newPartner;
  }
  return ok({
    partnerTenantId,
    customerTenantId,
    subscriptionId,
    admins,
    reference,
    newPartner: newPartner.value,
  });
}

/**
 * The transfer's plan (R-TRF-1..7): reads the customer and the subscription in Partner Center and
 * reports what blocks the transfer; one TRANSFER item carries it through the engine.
 */
export async function planTransfer(
  deps: TransferPlannerDeps,
  scope: RequestScope,
  input: PlanSubscriptionTransferInput,
  checked: ValidatedTransferInput,
): Promise<Result<PlannedWorkflow>> {
  const { db, clients } = deps;
  const { partnerTenantId, customerTenantId, subscriptionId, admins } = checked;
  const newPartnerTenantId = input.newPartnerTenantId.toLowerCase();
  const current = (await deps.organizations.tenantForActor(scope, partnerTenantId))!;
  const client = clients.forTenant(partnerTenantId);
  let customer;
  let sub;
  try {
    [customer, sub] = await Promise.all([
      client.getCustomer(customerTenantId),
      client.getSubscription(customerTenantId, subscriptionId),
    ]);
  } catch (error) {
    if (error instanceof PartnerCenterError) {
      return err(
        error.isNotFound
          ? {
              code: 'NOT_FOUND',
              message: `Partner Center does not know subscription ${subscriptionId} of customer ${customerTenantId} under ${current.name}.`,
              field: ['input', 'subscriptionId'],
            }
          : {
              code: 'PARTNER_CENTER_ERROR',
              message: `Partner Center refused the read (${error.operation}: ${error.status} ${error.code} ${error.description}); nothing was planned.`,
            },
      );
    }
    throw error;
  }
  const family = mapProductFamily(sub.offerId, sub.offerName);
  if (family === ProductFamily.AZURE_PLAN) {
    // Issue 15 item 3: an Azure plan changes partner by partner-to-partner transfer (§11).
    return planAzurePlanTransfer(deps, scope, input, checked, { current, customer, sub });
  }
  const blockers: NewBlocker[] = [];
  const block = (code: BlockerCode, message: string) => blockers.push({ code, message });
  const name = customer.companyProfile.companyName;
  if (
    family === ProductFamily.OFFICE365 ||
    family === ProductFamily.EMS ||
    family === ProductFamily.DYNAMICS
  ) {
    // R-TRF-1: Office 365, EMS and Dynamics CRM subscriptions cannot change CSP partner.
    block(
      'PRODUCT_NOT_TRANSFERABLE',
      `${sub.offerName ?? sub.offerId} is a ${family} subscription; only Azure subscriptions can change CSP partner this way (R-TRF-1).`,
    );
  } else if (family !== ProductFamily.AZURE_LEGACY) {
    block(
      'NOT_AZURE_SUBSCRIPTION',
      `${sub.offerName ?? sub.offerId} is not an Azure subscription (R-TRF-1).`,
    );
  }
  if (sub.status.toLowerCase() !== 'active') {
    block(
      'SUBSCRIPTION_NOT_ACTIVE',
      `Subscription ${sub.id} is ${sub.status}; only an active subscription can be transferred.`,
    );
  }
  const customerCountry =
    customer.billingProfile?.defaultAddress?.country ??
    customer.companyProfile.address?.country ??
    null;
  if (!customerCountry || customerCountry.toUpperCase() !== current.country.toUpperCase()) {
    // The partner of record and the customer must be in the same country (procedure preconditions).
    block(
      'COUNTRY_MISMATCH',
      `${name} is in ${customerCountry ?? 'an unknown country'} while ${current.name} is in ${current.country}.`,
    );
  }
  const consolidated = await consolidatedSourceRefusal(db, {
    organizationId: scope.actor.organizationId,
    partner: current,
    customerTenantId,
    customerName: name,
    action: `transfer ${sub.offerName ?? sub.offerId} from ${current.name}`,
  });
  if (consolidated) {
    // R-CON-7/8: the customer's subscriptions now live under the consolidation's target.
    block(consolidated.code, consolidated.message);
  }
  const open = await repo.openTransfersOfSubscription(
    db,
    scope.actor.organizationId,
    subscriptionId,
  );
  if (open.length > 0) {
    block(
      'TRANSFER_ALREADY_OPEN',
      `A transfer of subscription ${subscriptionId} is already open (${open.map((w) => `${w.id} ${w.status.toLowerCase()}`).join(', ')}).`,
    );
  }

  // R-TRF-6: the new partner must already have a reseller relationship with the customer.
  const pendingChecks: string[] = [];
  const served = await scope.loaders.organizations.tenantById.load(newPartnerTenantId);
  // An indirect reseller has no reseller relationship of its own (Partner Center): its indirect
  // provider holds it, and support refuses the transfer; offer the provider instead.
  const providers = served
    ? await listIndirectProviders(clients.forTenant(newPartnerTenantId))
    : [];
  if (served && providers.length > 0) {
    block(
      'NEW_PARTNER_IS_INDIRECT_RESELLER',
      `${served.name} is an indirect reseller: it has no reseller relationship of its own with ${name}, its indirect provider does (R-TRF-6). Transfer to ${providers
        .map((p) => `${p.name ?? p.id} (tenant ${p.id}${p.mpnId ? `, Partner ID ${p.mpnId}` : ''})`)
        .join(' or ')} as the new partner, with ${served.name} as the partner of record.`,
    );
  } else if (served) {
    await checkServedNewPartner({
      clients,
      served,
      newPartnerTenantId,
      newPartnerMpnId: input.newPartnerMpnId,
      customerTenantId,
      customerName: name,
      block,
    });
  } else {
    pendingChecks.push(
      `R-TRF-6: the new partner (tenant ${newPartnerTenantId}, Partner ID ${input.newPartnerMpnId}) is not served here, so its reseller relationship with ${name} cannot be checked in Partner Center; the new partner confirms it when signing.`,
    );
  }

  // R-TRF-5: the customer's agreement at the new partner (transfer-new-partner.ts says how).
  const agreement = await planAgreement(clients, {
    served: Boolean(served),
    indirectReseller: providers.length > 0,
    newPartnerTenantId,
    customerTenantId,
    confirmed: input.newPartnerAgreementConfirmed === true,
    by: actorLabel(scope.actor),
    at: deps.clock.now().toISOString(),
  });
  const noAgreement = agreementBlocker(agreement, {
    newPartner: served?.name ?? `partner ${newPartnerTenantId}`,
    customer: name,
  });
  if (noAgreement) {
    blockers.push(noAgreement);
  }

  const data: TransferData = {
    currentPartner: await currentPartner(deps, current, admins),
    customer: {
      tenantId: customerTenantId,
      companyName: name,
      domain: customer.companyProfile.domain,
      country: customerCountry,
    },
    subscription: {
      subscriptionId: sub.id,
      offerId: sub.offerId,
      offerName: sub.offerName ?? null,
      friendlyName: sub.friendlyName ?? null,
      azureSubscriptionId: sub.entitlementId ?? sub.id,
    },
    newPartner: {
      tenantId: newPartnerTenantId,
      mpnId: input.newPartnerMpnId,
      name: served?.name ?? null,
      country: served?.country ?? null,
      organizationId: served?.organizationId ?? null,
      organizationName: checked.newPartner.organizationName,
      contact: checked.newPartner.contact,
      address: checked.newPartner.address,
      agreement,
    },
    customerRequest: {
      receivedAt: input.customerRequestReceivedAt.toISOString(),
      reference: checked.reference,
    },
    partnerAdmins: admins,
    pendingChecks,
  };
  const itemData: TransferItemData = {};
  return ok({
    data: data as unknown as Record<string, unknown>,
    items: [
      {
        id: randomUUID(),
        kind: TRANSFER,
        state: 'PLANNED',
        step: 'open_ticket',
        nextRunAt: '1970-01-01T00:00:00.000Z',
        customerTenantId,
        partnerTenantId,
        subject: sub.id,
        data: {
          companyName: name,
          domain: customer.companyProfile.domain,
          country: customerCountry,
          ...itemData,
        },
      },
    ],
    blockers,
    events: [
      {
        type: 'PLANNED',
        message: `Transfer of Azure subscription ${data.subscription.azureSubscriptionId} of ${name} from ${current.name} to ${served?.name ?? `partner ${newPartnerTenantId}`} planned (customer request of ${data.customerRequest.receivedAt}).`,
        customerTenantId,
        partnerTenantId,
        subscriptionId: sub.id,
      },
      ...pendingChecks.map((message) => ({
        type: 'PENDING_CHECK' as const,
        message,
        customerTenantId,
      })),
    ],
  });
}

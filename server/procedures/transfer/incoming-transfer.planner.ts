import { randomUUID } from 'node:crypto';
import { type BlockerCode } from '../../shared/error-codes.js';
import { type OrganizationService } from '../../modules/organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { AZURE_PLAN_PRODUCT_ID } from '../../partner-center/mapping.js';
import {
  listTransfers,
  OPEN_TRANSFER_STATUSES,
  transferStatus,
} from '../../partner-center/nce-transfer.operations.js';
import { type Clock } from '../../shared/clock.js';
import { InputCheck, PARTNER_TENANT_ID } from '../../shared/input-validation.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { err, ok, type Result } from '../../shared/result.js';
import { TEXT_LIMITS } from '../../shared/validation.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type NewBlocker, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type PlannedWorkflow, type WorkflowService } from '../../workflows/workflow.service.js';
import { namesAdminAgent } from '../consolidation/consolidation-paths.planner.js';
import { checkServedNewPartner } from './new-partner-checks.js';
import { TRANSFER, type TransferData } from './transfer.model.js';
import * as repo from './transfer.repository.js';

/** planIncomingAzurePlanTransfer's input (issue 15 item 3: we are the new partner). */
export interface PlanIncomingTransferInput {
  partnerTenantId: string;
  customerTenantId: string;
  currentPartnerTenantId: string;
  currentPartnerName?: string | null;
  idempotencyKey?: string | null;
}

export interface ValidatedIncomingInput {
  partnerTenantId: string;
  customerTenantId: string;
  currentPartnerTenantId: string;
  currentPartnerName: string | null;
}

export const INCOMING_PATH = 'INCOMING_PARTNER_TRANSFER';

/** The item subject of an incoming transfer: no subscription id is known before it completes. */
export const incomingSubject = (customerTenantId: string) => `incoming:${customerTenantId}`;

/** Checks the input without reading Partner Center (issue 17: no message repeats a value). */
export async function validateIncomingInput(
  deps: { organizations: OrganizationService },
  scope: RequestScope,
  input: PlanIncomingTransferInput,
): Promise<Result<ValidatedIncomingInput>> {
  const check = new InputCheck();
  const [partnerTenantId = ''] =
    check.globalId(input.partnerTenantId, ['input', 'partnerTenantId'], PARTNER_TENANT_ID) ?? [];
  const customerTenantId = check.guid(
    input.customerTenantId,
    ['input', 'customerTenantId'],
    "The customer's tenant id",
  );
  const currentPartnerTenantId = check.guid(
    input.currentPartnerTenantId,
    ['input', 'currentPartnerTenantId'],
    "The current partner's tenant id (Microsoft ID)",
  );
  const currentPartnerName = check.text(input.currentPartnerName, ['input', 'currentPartnerName'], {
    label: "The current partner's name",
    max: TEXT_LIMITS.name,
  });
  check.idempotencyKey(input.idempotencyKey);
  if (check.error) {
    return err(check.error);
  }
  if (!(await deps.organizations.tenantForActor(scope, partnerTenantId))) {
    return err({
      code: 'NOT_FOUND',
      message: 'No partner tenant of your organization has this id.',
      field: ['input', 'partnerTenantId'],
    });
  }
  if (currentPartnerTenantId.toLowerCase() === partnerTenantId.toLowerCase()) {
    return err({
      code: 'INVALID',
      message: 'The current partner is your own tenant: nothing to transfer.',
      field: ['input', 'currentPartnerTenantId'],
    });
  }
  return ok({
    partnerTenantId: partnerTenantId.toLowerCase(),
    customerTenantId: customerTenantId.toLowerCase(),
    currentPartnerTenantId: currentPartnerTenantId.toLowerCase(),
    currentPartnerName: currentPartnerName?.trim() || null,
  });
}

/**
 * The incoming Azure plan transfer (issue 15 item 3, §11): our tenant is the NEW partner and the
 * customer's Azure plan is at another partner this server does not serve. We create the transfer
 * request as the target, the other partner accepts it (or not) in its own Partner Center, Microsoft
 * completes it, then R-TRF-8 runs with our access. Pre-flight, read with our credentials only:
 * R-TRF-6 (our reseller relationship), our Admin agent role, no transfer open for the customer.
 */
export async function planIncomingTransfer(
  deps: { db: EngineDb; clients: PartnerCenterClientFactory; clock: Clock },
  scope: RequestScope,
  checked: ValidatedIncomingInput,
  ours: { name: string; mpnId: string; country: string; organizationId: string },
): Promise<Result<PlannedWorkflow>> {
  const { partnerTenantId, customerTenantId, currentPartnerTenantId } = checked;
  const client = deps.clients.forTenant(partnerTenantId);
  const blockers: NewBlocker[] = [];
  const block = (code: BlockerCode, message: string) => blockers.push({ code, message });
  let customer;
  try {
    customer = await client.getCustomer(customerTenantId);
  } catch (error) {
    if (!(error instanceof PartnerCenterError)) {
      throw error;
    }
    if (!error.isNotFound) {
      return err({
        code: 'PARTNER_CENTER_ERROR',
        message: `Partner Center refused the read (${error.operation}: ${error.status} ${error.code} ${error.description}); nothing was planned.`,
      });
    }
  }
  const name = customer?.companyProfile.companyName ?? `customer ${customerTenantId}`;
  const currentName = checked.currentPartnerName ?? `partner ${currentPartnerTenantId}`;
  // R-TRF-6: the new partner (us) needs a reseller relationship with the customer first.
  await checkServedNewPartner({
    clients: deps.clients,
    served: { name: ours.name, mpnId: null },
    newPartnerTenantId: partnerTenantId,
    newPartnerMpnId: ours.mpnId,
    customerTenantId,
    customerName: name,
    block,
  });
  // §11: creating a transfer needs the Admin agent role (the consolidation's pre-flight too).
  const roles = await client.callerRoles();
  if (roles && !namesAdminAgent(roles)) {
    block(
      'CALLER_NOT_ADMIN_AGENT',
      `Creating the transfer request for ${name} needs the Admin agent role in ${ours.name} (§11); this application's identity there has ${roles.join(', ') || 'no Partner Center role'}.`,
    );
  }
  if (customer) {
    // Partner Center allows one open transfer at a time between a pair (409/900101).
    const open = (await listTransfers(client, customerTenantId)).filter((t) =>
      OPEN_TRANSFER_STATUSES.has(transferStatus(t)),
    );
    for (const t of open) {
      block(
        'TRANSFER_ALREADY_PENDING',
        `${name} already has transfer ${t.id} (${t.status}) from partner ${t.sourcePartnerTenantId ?? '?'} to ${t.targetPartnerTenantId === partnerTenantId ? ours.name : `partner ${t.targetPartnerTenantId ?? '?'}`}; cancel it or let it finish first.`,
      );
    }
  }
  const subject = incomingSubject(customerTenantId);
  const already = await repo.openTransfersOfSubscription(deps.db, ours.organizationId, subject);
  if (already.length > 0) {
    block(
      'TRANSFER_ALREADY_OPEN',
      `An incoming transfer for ${name} is already planned or running (${already.map((w) => `${w.id} ${w.status.toLowerCase()}`).join(', ')}).`,
    );
  }
  const domain = customer?.companyProfile.domain ?? '';
  const country =
    customer?.billingProfile?.defaultAddress?.country ??
    customer?.companyProfile.address?.country ??
    null;
  const data: TransferData & { path: typeof INCOMING_PATH; azureSubscriptionIds: string[] } = {
    path: INCOMING_PATH,
    azureSubscriptionIds: [],
    // The other partner is not served here: only what the caller told us about it.
    currentPartner: {
      tenantId: currentPartnerTenantId,
      microsoftId: currentPartnerTenantId,
      name: currentName,
      mpnId: '',
      country: '',
      organizationName: currentName,
      address: null,
      contact: null,
      profileSource: 'DIRECTORY',
    },
    customer: { tenantId: customerTenantId, companyName: name, domain, country },
    // The Azure plan's id at the other partner is unknown until the transfer carries it.
    subscription: {
      subscriptionId: '',
      offerId: AZURE_PLAN_PRODUCT_ID,
      offerName: 'Azure plan',
      friendlyName: null,
      azureSubscriptionId: '',
    },
    newPartner: {
      tenantId: partnerTenantId,
      mpnId: ours.mpnId,
      name: ours.name,
      country: ours.country,
      organizationId: ours.organizationId,
    },
    customerRequest: { receivedAt: deps.clock.now().toISOString(), reference: null },
    partnerAdmins: [],
    pendingChecks: [
      `${currentName} is not served here: it accepts the transfer request in its own Partner Center; the transfer waits for it until the request expires.`,
    ],
  };
  return ok({
    data: data as unknown as Record<string, unknown>,
    items: [
      {
        id: randomUUID(),
        kind: TRANSFER,
        state: 'PLANNED',
        step: 'in_create',
        nextRunAt: '1970-01-01T00:00:00.000Z',
        customerTenantId,
        partnerTenantId,
        subject,
        data: { companyName: name, domain, country },
      },
    ],
    blockers,
    events: [
      {
        type: 'PLANNED',
        message: `Incoming transfer of the Azure plan of ${name} from ${currentName} to ${ours.name} planned (§11): ${ours.name} creates the transfer request, ${currentName} accepts it, then the R-TRF-8 clean-up.`,
        customerTenantId,
        partnerTenantId,
      },
      ...data.pendingChecks.map((message) => ({
        type: 'PENDING_CHECK' as const,
        message,
        customerTenantId,
      })),
    ],
  });
}

/** planIncomingAzurePlanTransfer: validated input, then one SUBSCRIPTION_TRANSFER plan. */
export async function planIncomingWorkflow(
  deps: {
    db: EngineDb;
    clients: PartnerCenterClientFactory;
    clock: Clock;
    organizations: OrganizationService;
    workflows: WorkflowService;
  },
  scope: RequestScope,
  input: PlanIncomingTransferInput,
): Promise<Result<WorkflowRow>> {
  const checked = await validateIncomingInput(deps, scope, input);
  if (!checked.ok) {
    return checked;
  }
  const v = checked.value;
  const ours = (await deps.organizations.tenantForActor(scope, v.partnerTenantId))!;
  return deps.workflows.createPlanned(
    scope.actor,
    'SUBSCRIPTION_TRANSFER',
    { value: { incoming: v }, idempotencyKey: input.idempotencyKey ?? null },
    () => planIncomingTransfer(deps, scope, v, ours),
  );
}

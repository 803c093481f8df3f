import { consolidatedSourceRefusal } from '../shared/consolidated-source.guard.js';
import { randomUUID } from 'node:crypto';
import { type RequestScope } from '../../shared/request-scope.js';
import { insertActivityEntries } from '../../modules/activity-log/activity.repository.js';
import {
  type OrganizationService,
  type TenantRecord,
} from '../../modules/organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { LEGACY_AZURE_OFFER_ID, mapProductFamily } from '../../partner-center/mapping.js';
import { createOrder } from '../../partner-center/operations.js';
import { type Clock } from '../../shared/clock.js';
import { currencyOf } from '../../shared/countries.js';
import {
  amountSchema,
  idempotencyKeySchema,
  invalid,
  isIsoCurrency,
  TEXT_LIMITS,
} from '../../shared/validation.js';
import { isWorkflowWriter } from '../../shared/actor.js';
import { ProductFamily } from '../../shared/enums.js';
import { ForbiddenError } from '../../shared/errors.js';
import { checkGlobalId, CUSTOMER_ID, InputCheck } from '../../shared/input-validation.js';
import { err, ok, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { stepRequestId } from '../../workflows/engine/request-id.js';
import { type WorkflowService } from '../../workflows/workflow.service.js';
import { type AzurePlanData, type Money } from './azure-plan.model.js';
import { planAzurePlanTransition } from './azure-plan.planner.js';
import { transitionsOfCustomer } from './azure-plan.repository.js';
import { type AzurePlanViewService } from './azure-plan-view.service.js';
import { type AzureReconciliationService } from './azure-reconciliation.service.js';

export interface PlanAzurePlanTransitionInput {
  customerId: string;
  budget?: { amount: string; currency: string } | null;
  idempotencyKey?: string | null;
}

export interface OrderLegacyAzureInput {
  customerId: string;
  friendlyName?: string | null;
  resellerMpnId?: string | null;
  idempotencyKey?: string | null;
}

/** A subscription created by an order: ids only; the API reads it live. */
export interface OrderedSubscription {
  partnerTenantId: string;
  customerTenantId: string;
  subscriptionId: string;
}

/** Exact money: digits with at most two decimals, no sign, no exponent. */
const AMOUNT = { test: (v: string) => amountSchema.safeParse(v).success };

function countryOf(customer: PcCustomer): string | null {
  return (
    customer.billingProfile?.defaultAddress?.country ??
    customer.companyProfile.address?.country ??
    null
  );
}

/**
 * planAzurePlanTransition (dry run, R-AZP-1..5) and the R-AZP-6 guard on legacy Azure orders: once
 * a customer is on the Azure plan, no product order path may buy MS-AZR-0145P for it again.
 */
export class AzurePlanService {
  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      organizations: OrganizationService;
      workflows: WorkflowService;
      clients: PartnerCenterClientFactory;
    },
  ) {}

  /** The caller's partner tenant and the customer tenant named by a global Customer id. */
  private async resolveCustomer(
    scope: RequestScope,
    customerId: string,
  ): Promise<Result<{ tenant: TenantRecord; customerTenantId: string }>> {
    // A decoded id is still input: both parts must be GUIDs before they reach a Partner Center path.
    const checked = checkGlobalId(customerId, ['input', 'customerId'], CUSTOMER_ID);
    const [tenantId, customerTenantId] = checked.ok ? checked.value.parts : [];
    const tenant =
      tenantId && customerTenantId
        ? await this.deps.organizations.tenantForActor(scope, tenantId)
        : null;
    if (!tenant || !customerTenantId) {
      return err({
        code: 'NOT_FOUND',
        message: "No customer of your organization's partner tenants has this id.",
        field: ['input', 'customerId'],
      });
    }
    return ok({ tenant, customerTenantId });
  }

  /** The customer as the partner tenant sees it; null when it has no relationship (404/20002). */
  private async readCustomer(
    tenantId: string,
    customerTenantId: string,
  ): Promise<Result<PcCustomer | null>> {
    try {
      return ok(await this.deps.clients.forTenant(tenantId).getCustomer(customerTenantId));
    } catch (error) {
      if (error instanceof PartnerCenterError) {
        if (error.isNotFound) {
          return ok(null);
        }
        return err({
          code: 'PARTNER_CENTER_ERROR',
          message: `Partner Center refused to read the customer (${error.status} ${error.code} ${error.description}); nothing was planned.`,
        });
      }
      throw error;
    }
  }

  async plan(
    scope: RequestScope,
    input: PlanAzurePlanTransitionInput,
  ): Promise<Result<WorkflowRow>> {
    const resolved = await this.resolveCustomer(scope, input.customerId);
    if (!resolved.ok) {
      return resolved;
    }
    const { tenant, customerTenantId } = resolved.value;
    let budget: Money | null = null;
    if (input.budget) {
      const amount = input.budget.amount.trim();
      const currency = input.budget.currency.trim().toUpperCase();
      if (!AMOUNT.test(amount)) {
        return err({
          code: 'INVALID_AMOUNT',
          message:
            'The budget amount must be a non-negative decimal with at most two decimals, e.g. "5000.00".',
          field: ['input', 'budget', 'amount'],
        });
      }
      if (!isIsoCurrency(currency)) {
        return err({
          code: 'INVALID_CURRENCY',
          message:
            'The budget currency is not an ISO 4217 currency code (three letters, e.g. EUR).',
          field: ['input', 'budget', 'currency'],
        });
      }
      budget = { amount: Number(amount).toFixed(2), currency };
    }
    // Checked here too (createPlanned checks it again) so a bad key costs no Partner Center read.
    const badKey = invalid(
      idempotencyKeySchema.nullish(),
      input.idempotencyKey,
      ['input', 'idempotencyKey'],
      'INVALID',
      'The idempotency key is 1–200 printable ASCII characters.',
    );
    if (badKey) {
      return err(badKey);
    }
    const read = await this.readCustomer(tenant.tenantId, customerTenantId);
    if (!read.ok) {
      return read;
    }
    const customer = read.value;
    const country = customer ? countryOf(customer) : null;
    if (budget && customer) {
      // R-AZP-5: the budget is set in the customer's local currency; another one is bad input.
      const local = currencyOf(country);
      if (!local || local !== budget.currency) {
        return err({
          code: 'CURRENCY_MISMATCH',
          message: `The budget must be in the customer's local currency (${local ?? 'unknown'} for ${country ?? 'an unknown country'}), not ${budget.currency} (R-AZP-5).`,
          field: ['input', 'budget', 'currency'],
        });
      }
    }
    return this.deps.workflows.createPlanned(
      scope.actor,
      'AZURE_PLAN_TRANSITION',
      {
        value: { partnerTenantId: tenant.tenantId, customerTenantId, budget },
        idempotencyKey: input.idempotencyKey ?? null,
      },
      async () => {
        const running = await transitionsOfCustomer(
          this.deps.db,
          scope.actor.organizationId,
          customerTenantId,
          ['RUNNING', 'WAITING'],
        );
        let plan;
        try {
          plan = await planAzurePlanTransition({
            client: this.deps.clients.forTenant(tenant.tenantId),
            partnerKind: tenant.kind,
            customerTenantId,
            customer,
            alreadyRunning: running.length > 0,
            consolidatedAway: await consolidatedSourceRefusal(this.deps.db, {
              organizationId: scope.actor.organizationId,
              partner: tenant,
              customerTenantId,
              customerName: customer?.companyProfile.companyName ?? null,
              action: 'transition to the Azure plan',
            }),
          });
        } catch (error) {
          if (error instanceof PartnerCenterError) {
            return err({
              code: 'PARTNER_CENTER_ERROR',
              message: `Partner Center refused the inventory (${error.operation}: ${error.status} ${error.code} ${error.description}); nothing was planned.`,
            });
          }
          throw error;
        }
        const data: AzurePlanData = {
          partnerTenantId: tenant.tenantId,
          partnerTenantName: tenant.name,
          partnerKind: tenant.kind,
          customerTenantId,
          companyName: customer?.companyProfile.companyName ?? customerTenantId,
          domain: customer?.companyProfile.domain ?? '',
          country,
          budget,
        };
        return ok({
          data: data as unknown as Record<string, unknown>,
          items: plan.items,
          blockers: plan.blockers,
          events: plan.events,
        });
      },
    );
  }

  /**
   * R-AZP-6: after the transition, legacy Azure (MS-AZR-0145P) can no longer be bought for the
   * customer. Refused when one of our transitions of the customer completed, or when Partner Center
   * shows an Azure plan for it (a transition done elsewhere counts too). Every product order path
   * that could order an Azure offer calls this first.
   */
  async assertLegacyAzureOrderAllowed(
    organizationId: string,
    partnerTenantId: string,
    customerTenantId: string,
    offerId: string,
  ): Promise<Result<void>> {
    if (mapProductFamily(offerId, null) !== ProductFamily.AZURE_LEGACY) {
      return ok(undefined);
    }
    const refused = (why: string) =>
      err({
        code: 'AZURE_PLAN_TRANSITIONED' as const,
        message: `Legacy Azure (MS-AZR-0145P) can no longer be ordered for this customer: ${why}. Create new Azure subscriptions under the customer's Azure plan in the Azure portal (R-AZP-6).`,
        field: ['input', 'customerId'],
      });
    const completed = await transitionsOfCustomer(this.deps.db, organizationId, customerTenantId, [
      'COMPLETED',
    ]);
    if (completed.length > 0) {
      return refused(`it moved to the Azure plan on ${completed[0]?.completedAt ?? 'a past date'}`);
    }
    const subscriptions = await this.deps.clients
      .forTenant(partnerTenantId)
      .listSubscriptions(customerTenantId)
      .catch((error: unknown) =>
        error instanceof PartnerCenterError && error.isNotFound ? [] : Promise.reject(error),
      );
    const plan = subscriptions.find(
      (s) =>
        mapProductFamily(s.offerId, s.offerName) === ProductFamily.AZURE_PLAN &&
        s.status !== 'deleted',
    );
    return plan ? refused(`it has Azure plan ${plan.id}`) : ok(undefined);
  }

  /**
   * Orders one legacy "Microsoft Azure" subscription, behind the R-AZP-6 guard. Kept small: it is
   * the one order path of the API that can buy 0145P, so the refusal is visible and testable.
   */
  async orderLegacyAzure(
    scope: RequestScope,
    input: OrderLegacyAzureInput,
  ): Promise<Result<OrderedSubscription>> {
    if (!isWorkflowWriter(scope.actor)) {
      throw new ForbiddenError('Ordering needs the GLOBAL_ADMIN or ADMIN_AGENT role.');
    }
    // Issue 17: the shared checks, before anything is read or ordered; no message repeats a value.
    const check = new InputCheck();
    check.idempotencyKey(input.idempotencyKey);
    if (input.resellerMpnId !== null && input.resellerMpnId !== undefined) {
      check.mpnId(input.resellerMpnId, ['input', 'resellerMpnId'], 'The reseller MPN id');
    }
    check.text(input.friendlyName, ['input', 'friendlyName'], {
      label: 'The nickname',
      max: TEXT_LIMITS.friendlyName,
      blank: 'refused',
    });
    if (check.error) {
      return err(check.error);
    }
    const resolved = await this.resolveCustomer(scope, input.customerId);
    if (!resolved.ok) {
      return resolved;
    }
    const { tenant, customerTenantId } = resolved.value;
    const consolidated = await consolidatedSourceRefusal(this.deps.db, {
      organizationId: scope.actor.organizationId,
      partner: tenant,
      customerTenantId,
      action: 'order legacy Azure (MS-AZR-0145P)',
    });
    if (consolidated) {
      return err({
        code: consolidated.code,
        message: consolidated.message,
        field: ['input', 'customerId'],
      });
    }
    const allowed = await this.assertLegacyAzureOrderAllowed(
      scope.actor.organizationId,
      tenant.tenantId,
      customerTenantId,
      LEGACY_AZURE_OFFER_ID,
    );
    if (!allowed.ok) {
      return allowed;
    }
    const client = this.deps.clients.forTenant(tenant.tenantId);
    const requestId = input.idempotencyKey
      ? stepRequestId(
          scope.actor.organizationId,
          customerTenantId,
          'order-0145p',
          input.idempotencyKey,
        )
      : undefined;
    try {
      const order = await createOrder(
        client,
        customerTenantId,
        {
          referenceCustomerId: customerTenantId,
          lineItems: [
            {
              lineItemNumber: 0,
              offerId: LEGACY_AZURE_OFFER_ID,
              quantity: 1,
              ...(input.friendlyName ? { friendlyName: input.friendlyName.trim() } : {}),
              ...(input.resellerMpnId ? { partnerIdOnRecord: input.resellerMpnId } : {}),
            },
          ],
          attributes: { objectType: 'Order' },
        },
        requestId ?? randomUUID(),
      );
      const subscriptionId = order.lineItems[0]?.subscriptionId;
      if (!subscriptionId) {
        return err({
          code: 'PARTNER_CENTER_ERROR',
          message: `Partner Center accepted order ${order.id} without a subscription id.`,
        });
      }
      // Our own order is our entry, findable by the customer's name like the audit record of it.
      const customerName = await client
        .getCustomer(customerTenantId)
        .then((c) => c.companyProfile.companyName)
        .catch(() => null);
      await insertActivityEntries(this.deps.db, [
        {
          organizationId: scope.actor.organizationId,
          at: this.deps.clock.now().toISOString(),
          actor: scope.actor.name
            ? `${scope.actor.name} <${scope.actor.userId}>`
            : scope.actor.userId,
          operation: 'create_order',
          source: 'PRODUCT',
          partnerTenantId: tenant.tenantId,
          customerTenantId,
          customerName,
          workflowId: null,
          subscriptionId,
          details: `Ordered Microsoft Azure (${LEGACY_AZURE_OFFER_ID}), order ${order.id}.`,
          externalId: `order:${tenant.tenantId}:${order.id}`,
        },
      ]);
      return ok({ partnerTenantId: tenant.tenantId, customerTenantId, subscriptionId });
    } catch (error) {
      if (error instanceof PartnerCenterError && !error.retryable) {
        return err({
          code: 'PARTNER_CENTER_ERROR',
          message: `Partner Center refused the order: ${error.status} ${error.code} ${error.description}.`,
          field: ['input', 'customerId'],
        });
      }
      throw error;
    }
  }
}

/** The Azure plan transition's services in the request context. */
export interface AzurePlanServices {
  azurePlans: AzurePlanService;
  azurePlanViews: AzurePlanViewService;
  azureReconciliation: AzureReconciliationService;
}

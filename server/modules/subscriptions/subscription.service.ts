import { type RequestScope } from '../../shared/request-scope.js';
import { type PcSubscription } from '../../partner-center/contracts/subscriptions.js';
import {
  hasAzureEntitlements,
  mapBillingType,
  mapProductFamily,
  mapSubscriptionStatus,
  realDate,
} from '../../partner-center/mapping.js';
import { type BillingType, ProductFamily, SubscriptionStatus } from '../../shared/enums.js';
import {
  compareSortKeys,
  type ConnectionPage,
  type PageArgs,
  paginateInMemory,
  type SortKey,
} from '../../shared/pagination.js';
import { readUpstream, requireUpstream } from '../../partner-center/upstream.js';
import { type CustomerRecord, type CustomerService } from '../customers/customer.service.js';
import { entitlementsKey, subscriptionsKey } from './subscription.loaders.js';

export interface SubscriptionRecord {
  partnerTenantId: string;
  customerTenantId: string;
  subscriptionId: string;
  offerId: string;
  offerName: string;
  friendlyName: string | null;
  quantity: number;
  billingType: BillingType;
  productFamily: ProductFamily;
  status: SubscriptionStatus;
  resellerMpnId: string | null;
  commitmentEndDate: Date | null;
  /** Azure subscription id, where Partner Center gives one. */
  entitlementId: string | null;
}

export interface AzureEntitlementRecord {
  azureSubscriptionId: string;
  commerceSubscriptionId: string;
  status: SubscriptionStatus;
  azurePlanSubscriptionId: string | null;
  /** Status of the commerce subscription (R-AZP-8: suspended once the transition is done). */
  commerceStatus: SubscriptionStatus;
  /** Azure subscription id ≠ commerce subscription id (after a transfer or billing-ownership change). */
  idsDiffer: boolean;
}

export interface SubscriptionListArgs extends PageArgs {
  status?: SubscriptionStatus | null;
}

function toRecord(
  partnerTenantId: string,
  customerTenantId: string,
  s: PcSubscription,
): SubscriptionRecord {
  return {
    partnerTenantId,
    customerTenantId,
    subscriptionId: s.id,
    offerId: s.offerId,
    offerName: s.offerName ?? s.offerId,
    friendlyName: s.friendlyName ?? null,
    quantity: s.quantity,
    billingType: mapBillingType(s.billingType, s.unitType),
    productFamily: mapProductFamily(s.offerId, s.offerName),
    status: mapSubscriptionStatus(s.status),
    resellerMpnId: s.partnerId ? s.partnerId : null,
    commitmentEndDate: realDate(s.commitmentEndDate),
    entitlementId: s.entitlementId ?? null,
  };
}

const subscriptionSortKey = (s: SubscriptionRecord): SortKey => [
  s.offerName.toLowerCase(),
  s.subscriptionId,
];

/** Customer subscriptions, read live from Partner Center. */
export class SubscriptionService {
  /** Records per Partner Center list, sorted (the read cache hands out the same list while fresh). */
  private readonly sorted = new WeakMap<PcSubscription[], SubscriptionRecord[]>();

  constructor(private readonly deps: { customers: CustomerService }) {}

  /**
   * A page of a customer's subscriptions (optionally of one status), sorted by offer name then
   * subscription id. One Partner Center call per customer per request.
   */
  async listSubscriptions(
    scope: RequestScope,
    customer: CustomerRecord,
    args: SubscriptionListArgs,
  ): Promise<ConnectionPage<SubscriptionRecord>> {
    const all = await this.subscriptionsOf(scope, customer.partnerTenantId, customer.tenantId);
    const filtered = args.status ? all.filter((s) => s.status === args.status) : all;
    return paginateInMemory(filtered, args, {
      scope: `subscriptions:${customer.partnerTenantId}:${customer.tenantId}`,
      sortKey: subscriptionSortKey,
      presorted: true,
    });
  }

  /** One subscription of a customer of the caller's organization, or null. */
  async getSubscription(
    scope: RequestScope,
    partnerTenantId: string,
    customerTenantId: string,
    subscriptionId: string,
  ): Promise<SubscriptionRecord | null> {
    const customer = await this.deps.customers.getCustomer(
      scope,
      partnerTenantId,
      customerTenantId,
    );
    if (!customer) {
      return null;
    }
    const all = await readUpstream(() =>
      this.subscriptionsOf(scope, partnerTenantId, customerTenantId),
    );
    return all?.find((s) => s.subscriptionId === subscriptionId) ?? null;
  }

  /**
   * The Azure entitlement behind an AZURE_LEGACY or AZURE_PLAN subscription (R-AZP-8: commerce
   * subscription and Azure subscription are two parts), or null for other families.
   */
  async azureEntitlement(
    scope: RequestScope,
    subscription: SubscriptionRecord,
  ): Promise<AzureEntitlementRecord | null> {
    if (!hasAzureEntitlements(subscription.productFamily)) {
      return null;
    }
    const entitlements = await readUpstream(() =>
      scope.loaders.subscriptions.azureEntitlementsBySubscription.load(
        entitlementsKey(
          subscription.partnerTenantId,
          subscription.customerTenantId,
          subscription.subscriptionId,
        ),
      ),
    );
    const first =
      entitlements?.find((e) => e.id === subscription.entitlementId) ?? entitlements?.[0] ?? null;
    if (!first) {
      return null;
    }
    const commerceSubscriptionId = first.subscriptionId ?? subscription.subscriptionId;
    let status = mapSubscriptionStatus(first.status);
    let azurePlanSubscriptionId =
      subscription.productFamily === ProductFamily.AZURE_PLAN
        ? subscription.subscriptionId
        : (first.azurePlanSubscriptionId ?? null);
    if (subscription.productFamily === ProductFamily.AZURE_LEGACY && !azurePlanSubscriptionId) {
      // R-AZP-8: after the transition the Azure subscription is an entitlement of an Azure plan.
      const onPlan = await this.planHolding(scope, subscription, first.id);
      if (onPlan) {
        azurePlanSubscriptionId = onPlan.planSubscriptionId;
        status = onPlan.status;
      }
    }
    return {
      azureSubscriptionId: first.id,
      commerceSubscriptionId,
      status,
      azurePlanSubscriptionId,
      commerceStatus: subscription.status,
      idsDiffer: first.id.toLowerCase() !== commerceSubscriptionId.toLowerCase(),
    };
  }

  /** The customer's Azure plan (same partner tenant) whose entitlements include an Azure subscription. */
  private async planHolding(
    scope: RequestScope,
    legacy: SubscriptionRecord,
    azureSubscriptionId: string,
  ): Promise<{ planSubscriptionId: string; status: SubscriptionStatus } | null> {
    const all = await readUpstream(() =>
      this.subscriptionsOf(scope, legacy.partnerTenantId, legacy.customerTenantId),
    );
    const plans = (all ?? []).filter(
      (s) =>
        s.productFamily === ProductFamily.AZURE_PLAN && s.status !== SubscriptionStatus.DELETED,
    );
    for (const plan of plans) {
      const entitlements = await readUpstream(() =>
        scope.loaders.subscriptions.azureEntitlementsBySubscription.load(
          entitlementsKey(plan.partnerTenantId, plan.customerTenantId, plan.subscriptionId),
        ),
      );
      const found = entitlements?.find(
        (e) => e.id.toLowerCase() === azureSubscriptionId.toLowerCase(),
      );
      if (found) {
        return {
          planSubscriptionId: plan.subscriptionId,
          status: mapSubscriptionStatus(found.status),
        };
      }
    }
    return null;
  }

  private async subscriptionsOf(
    scope: RequestScope,
    partnerTenantId: string,
    customerTenantId: string,
  ): Promise<SubscriptionRecord[]> {
    const raw = await requireUpstream(() =>
      scope.loaders.subscriptions.subscriptionsByCustomer.load(
        subscriptionsKey(partnerTenantId, customerTenantId),
      ),
    );
    let records = this.sorted.get(raw);
    if (!records) {
      records = raw
        .map((s) => toRecord(partnerTenantId, customerTenantId, s))
        .sort((a, b) => compareSortKeys(subscriptionSortKey(a), subscriptionSortKey(b)));
      this.sorted.set(raw, records);
    }
    return records;
  }
}

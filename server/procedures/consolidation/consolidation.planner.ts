import { type BlockerCode } from '../../shared/error-codes.js';
import { randomUUID } from 'node:crypto';
import {
  consolidatedSourceMessage,
  SOURCE_OF_CONSOLIDATION,
} from '../shared/consolidated-source.guard.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { type PcSubscription } from '../../partner-center/contracts/subscriptions.js';
import {
  LEGACY_AZURE_OFFER_ID,
  AZURE_PLAN_PRODUCT_ID,
  realDate,
} from '../../partner-center/mapping.js';
import { listOffers } from '../../partner-center/operations.js';
import { offerCatalog, type OfferCatalog } from '../shared/equivalent-offer.js';
import { itemOfferPlan } from './consolidation-successor.js';
import { mapLimit } from '../../shared/concurrency.js';
import { regionOf } from '../../shared/countries.js';
import {
  type NewBlocker,
  type NewEvent,
  type NewItem,
} from '../../workflows/engine/engine.types.js';
import {
  AZURE_SUPPORT_MIGRATION,
  CUSTOMER,
  LICENSE_REPROVISION,
  NO_ACTION,
  SUPPORT_REQUEST,
  type CustomerItemData,
  type SubscriptionItemData,
  type TenantRef,
} from './consolidation.model.js';
import {
  type ConsolidationPlanOptions,
  SUBSCRIPTION_TRANSFER,
} from './consolidation-paths.model.js';
import {
  applyTransferWaves,
  callerRolesCache,
  choosePath,
  hasActiveLegacyAzure,
  transferPreflight,
  type TransferWave,
} from './consolidation-paths.planner.js';
import { type SourceGdapPreflight } from './consolidation-source-gdap.js';

export interface PlanRequest {
  sources: TenantRef[];
  target: TenantRef;
  /** Optional subset: `${sourceTenantId}/${customerTenantId}` keys. */
  only: Set<string> | null;
  /** Customers already in another open consolidation of the organization. */
  busyCustomers: Set<string>;
  /**
   * R-CON-7/8, per tenant id: the customers for which that tenant (a source, or the target) is already
   * the source of a started or completed consolidation, with those workflows' ids.
   */
  consolidatedAway: Map<string, Map<string, string[]>>;
  /** Partner choices: forced re-provisioning, legacy Azure path, transfer wave (issue 15). */
  options?: ConsolidationPlanOptions;
  /** Wave consolidations of the same target: not a "consolidated away" source for a later wave. */
  waveSiblings?: Set<string>;
  /** GDAP required/optional: the source tenants' GDAP for the source-side writes (R-CON-4). */
  sourceGdap?: SourceGdapPreflight;
}

export interface Plan {
  items: NewItem[];
  blockers: NewBlocker[];
  events: NewEvent[];
  customerCount: number;
  subscriptionCount: number;
  /** Transfer waves of source tenants over Microsoft's 300-subscription limit (§11). */
  waves: TransferWave[];
}

const ACTIONABLE_STATUSES = new Set(['active']);
const NOTHING_TO_DO_STATUSES = new Set(['suspended', 'deleted', 'expired']);

function isAzureUsage(sub: PcSubscription): boolean {
  return (
    sub.offerId.toUpperCase() === LEGACY_AZURE_OFFER_ID ||
    sub.offerId.toUpperCase().startsWith(AZURE_PLAN_PRODUCT_ID) ||
    sub.billingType === 'usage'
  );
}

function countryOf(customer: PcCustomer): string | null {
  return (
    customer.billingProfile?.defaultAddress?.country ??
    customer.companyProfile.address?.country ??
    null
  );
}

/**
 * The dry run of a consolidation (R-CON-1): inventories every customer of each source tenant with
 * every subscription, offer and seat count, classifies each subscription (license → re-provision,
 * R-CON-3; Azure usage → support migration, R-CON-6; suspended/deleted → nothing to do) and finds
 * per-customer blockers. Reads only; changes nothing in Partner Center.
 */
export async function planConsolidation(
  clients: PartnerCenterClientFactory,
  request: PlanRequest,
): Promise<Plan> {
  const { sources, target, only, busyCustomers, consolidatedAway } = request;
  const options = request.options ?? {};
  const rolesOf = callerRolesCache(clients);
  const waves: TransferWave[] = [];
  const targetClient = clients.forTenant(target.tenantId);
  const targetRegion = target.region ?? regionOf(target.country);
  const offersByCountry = new Map<string, Promise<OfferCatalog>>();
  const targetCatalog = (country: string) => {
    let offers = offersByCountry.get(country);
    if (!offers) {
      offers = listOffers(targetClient, country).then(offerCatalog);
      offersByCountry.set(country, offers);
    }
    return offers;
  };

  const items: NewItem[] = [];
  const blockers: NewBlocker[] = [];
  let customerCount = 0;
  let subscriptionCount = 0;

  for (const source of sources) {
    const client = clients.forTenant(source.tenantId);
    const listed = (await client.listAllCustomers()).filter(
      (c) => !only || only.has(`${source.tenantId}/${c.id}`),
    );
    const sourceGdap = request.sourceGdap?.forSource(source, listed.length);
    // Each customer is classified as soon as it is read, keeping only its items: holding every
    // customer's Partner Center records until the end took hundreds of MB at 5,000 customers.
    const classified = await mapLimit(listed, 8, async (c) =>
      classify(await client.getCustomer(c.id), await client.listSubscriptions(c.id)),
    );
    for (const one of classified) {
      customerCount += 1;
      subscriptionCount += one.subscriptionCount;
      items.push(...one.items);
      blockers.push(...one.blockers);
    }
    waves.push(...applyTransferWaves(items, blockers, source, options));

    async function classify(
      customer: PcCustomer,
      subscriptions: PcSubscription[],
    ): Promise<{ items: NewItem[]; blockers: NewBlocker[]; subscriptionCount: number }> {
      const items: NewItem[] = [];
      const country = countryOf(customer);
      const customerItemId = randomUUID();
      const customerBlockers: NewBlocker[] = [];
      /** Blockers of single subscriptions: they exclude that item, not the customer. */
      const itemBlockers: NewBlocker[] = [];
      const block = (code: BlockerCode, message: string, subject?: string) =>
        customerBlockers.push({
          code,
          message,
          itemId: customerItemId,
          customerTenantId: customer.id,
          partnerTenantId: source.tenantId,
          subject: subject ?? null,
        });
      const name = customer.companyProfile.companyName;

      if (customer.relationshipToPartner && customer.relationshipToPartner !== 'reseller') {
        block(
          'UNSUPPORTED_STATUS',
          `${name} has a ${customer.relationshipToPartner} relationship with the source tenant, not a reseller one.`,
        );
      }
      const customerRegion = regionOf(country);
      if (!customerRegion || customerRegion !== targetRegion) {
        // R-CHN-7: the partner must be in the same region as the customer tenant.
        block(
          'REGION_MISMATCH',
          `${name} is in ${country ?? 'an unknown country'} (${customerRegion ?? 'unknown region'}), outside the target tenant's region (${targetRegion ?? 'unknown'}).`,
        );
      }
      if (busyCustomers.has(customer.id)) {
        block(
          'ALREADY_IN_CONSOLIDATION',
          `${name} is already being consolidated by another workflow.`,
        );
      } else {
        // R-CON-7/8: the one guard of every write path; here the target orders and the source suspends.
        for (const [tenant, action] of [
          [target, `re-provision ${name} under ${target.name}`],
          [source, `consolidate ${name} away from ${source.name} again`],
        ] as const) {
          const ids = consolidatedAway
            .get(tenant.tenantId)
            ?.get(customer.id)
            ?.filter((id) => !request.waveSiblings?.has(id));
          if (ids && ids.length > 0) {
            const message = consolidatedSourceMessage(
              { partner: tenant, customerTenantId: customer.id, customerName: name, action },
              ids,
            );
            block(SOURCE_OF_CONSOLIDATION, message);
          }
        }
      }

      const children: NewItem[] = [];
      const legacyAzure = hasActiveLegacyAzure(subscriptions);
      for (const sub of subscriptions) {
        const status = sub.status.toLowerCase();
        const data: SubscriptionItemData = {
          companyName: name,
          sourceTenantId: source.tenantId,
          sourceSubscriptionId: sub.id,
          offerId: sub.offerId,
          offerName: sub.offerName ?? null,
          friendlyName: sub.friendlyName ?? null,
          seats: sub.quantity,
          status,
          billingType: sub.billingType ?? null,
          billingCycle: sub.billingCycle ?? null,
          partnerIdOnRecord: sub.partnerId ?? null,
          azureSubscriptionId: isAzureUsage(sub) ? (sub.entitlementId ?? sub.id) : null,
          commitmentEndDate: realDate(sub.commitmentEndDate)?.toISOString() ?? null,
        };
        const base = {
          id: randomUUID(),
          parentItemId: customerItemId,
          customerTenantId: customer.id,
          partnerTenantId: source.tenantId,
          subject: sub.id,
          data: data as unknown as Record<string, unknown>,
        };
        if (NOTHING_TO_DO_STATUSES.has(status)) {
          children.push({
            ...base,
            kind: NO_ACTION,
            state: status.toUpperCase(),
            step: 'none',
            status: 'SKIPPED',
            nextRunAt: null,
          });
          continue;
        }
        if (!ACTIONABLE_STATUSES.has(status)) {
          block(
            'UNSUPPORTED_STATUS',
            `Subscription ${sub.offerName ?? sub.offerId} of ${name} is ${status}; only active, suspended or deleted subscriptions can be consolidated.`,
            sub.id,
          );
          children.push({
            ...base,
            kind: NO_ACTION,
            state: status.toUpperCase(),
            step: 'none',
            status: 'SKIPPED',
            nextRunAt: null,
          });
          continue;
        }
        // Issue 15: the best path per subscription, with its reason (consolidation-paths.planner.ts).
        const chosen = choosePath(sub, { options, legacyAzure });
        // Into `data` itself (base.data is it): later steps of this loop add to it as well.
        Object.assign(data, {
          path: chosen.path,
          pathReason: chosen.reason,
          ...(chosen.productType
            ? { productType: chosen.productType, termDuration: sub.termDuration ?? null }
            : {}),
        });
        if (chosen.kind === SUBSCRIPTION_TRANSFER) {
          children.push({
            ...base,
            kind: SUBSCRIPTION_TRANSFER,
            state: 'PLANNED',
            step: 'await_transfer',
            nextRunAt: null,
          });
          continue;
        }
        if (chosen.kind === AZURE_SUPPORT_MIGRATION) {
          children.push({
            ...base,
            kind: AZURE_SUPPORT_MIGRATION,
            state: 'PLANNED',
            step: 'ready',
            nextRunAt: null,
          });
          continue;
        }
        if (country && customerRegion === targetRegion) {
          // R-CHN-6 per item: a discontinued offer gets its catalog successor; only an item with
          // none is blocked (that item, not the customer).
          const offer = itemOfferPlan(await targetCatalog(country), sub, {
            companyName: name,
            country,
            targetName: target.name,
          });
          if (!offer.ok) {
            itemBlockers.push({
              code: offer.code,
              message: offer.message,
              itemId: base.id,
              customerTenantId: customer.id,
              partnerTenantId: source.tenantId,
              subject: sub.id,
            });
            children.push({
              ...base,
              kind: LICENSE_REPROVISION,
              state: 'BLOCKED',
              step: 'order',
              status: 'BLOCKED',
              nextRunAt: null,
            });
            continue;
          }
          Object.assign(data, offer.proposed ?? {});
        }
        children.push({
          ...base,
          kind: LICENSE_REPROVISION,
          state: 'PLANNED',
          step: 'order',
          nextRunAt: null,
        });
      }
      children.push(
        ...(await transferPreflight(clients, rolesOf, {
          source,
          target,
          customer,
          customerItemId,
          children,
          block,
        })),
      );
      // Before anything is ordered at the target, the source must be able to suspend (20002).
      await sourceGdap?.(customer, children, block);
      if (customerBlockers.length === 0 && !children.some((c) => c.kind !== NO_ACTION)) {
        block('NOTHING_TO_MOVE', `${name} has no active subscription to move.`);
      } else if (
        customerBlockers.length === 0 &&
        !children.some((c) => c.kind !== NO_ACTION && c.status !== 'BLOCKED')
      ) {
        block(
          'NOTHING_TO_MOVE',
          `None of ${name}'s subscriptions can move to ${target.name} (see each subscription's blocker).`,
        );
      }

      const blocked = customerBlockers.length > 0;
      const customerData: CustomerItemData = {
        companyName: name,
        domain: customer.companyProfile.domain,
        country,
        sourceTenantId: source.tenantId,
      };
      items.push({
        id: customerItemId,
        kind: CUSTOMER,
        state: blocked ? 'BLOCKED' : 'PLANNED',
        step: 'invite',
        status: blocked ? 'BLOCKED' : 'PENDING',
        // Runnable once the workflow starts; the runner only looks at RUNNING/WAITING workflows.
        nextRunAt: blocked ? null : '1970-01-01T00:00:00.000Z',
        customerTenantId: customer.id,
        partnerTenantId: source.tenantId,
        subject: null,
        data: customerData as unknown as Record<string, unknown>,
      });
      for (const child of children) {
        items.push(
          blocked && child.kind !== NO_ACTION
            ? { ...child, status: 'BLOCKED', state: 'BLOCKED' }
            : child,
        );
      }
      return {
        items,
        blockers: [...customerBlockers, ...itemBlockers],
        subscriptionCount: subscriptions.length,
      };
    }
  }

  const azureCount = items.filter(
    (i) => i.kind === AZURE_SUPPORT_MIGRATION && i.status !== 'BLOCKED',
  ).length;
  if (azureCount > 0) {
    items.push({
      id: randomUUID(),
      kind: SUPPORT_REQUEST,
      state: 'PLANNED',
      step: 'collect',
      nextRunAt: '1970-01-01T00:00:00.000Z',
      data: { batches: [] },
    });
  }
  const movable = items.filter((i) => i.kind === CUSTOMER && i.status !== 'BLOCKED').length;
  if (movable === 0) {
    blockers.push({
      code: 'NOTHING_TO_CONSOLIDATE',
      message: 'No customer of the source tenants can be consolidated.',
    });
  }
  const events: NewEvent[] = [
    {
      type: 'PLANNED',
      message: `Inventoried ${customerCount} customer(s) and ${subscriptionCount} subscription(s) of ${sources.length} source tenant(s); ${movable} customer(s) can move to ${target.name}.`,
      data: { customers: customerCount, subscriptions: subscriptionCount, movable },
    },
  ];
  return { items, blockers, events, customerCount, subscriptionCount, waves };
}

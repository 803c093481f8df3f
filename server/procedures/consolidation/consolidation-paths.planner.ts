import { type BlockerCode } from '../../shared/error-codes.js';
import { randomUUID } from 'node:crypto';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { type PcSubscription } from '../../partner-center/contracts/subscriptions.js';
import { AZURE_PLAN_PRODUCT_ID, LEGACY_AZURE_OFFER_ID } from '../../partner-center/mapping.js';
import {
  listTransfers,
  OPEN_TRANSFER_STATUSES,
  transferStatus,
} from '../../partner-center/nce-transfer.operations.js';
import { emailSchema } from '../../shared/validation.js';
import { type NewBlocker, type NewItem } from '../../workflows/engine/engine.types.js';
import {
  AZURE_SUPPORT_MIGRATION,
  CUSTOMER,
  LICENSE_REPROVISION,
  NO_ACTION,
  type TenantRef,
} from './consolidation.model.js';
import {
  AZURE_PLAN_UPGRADE,
  type AzurePlanUpgradeData,
  type ConsolidationPath,
  type ConsolidationPlanOptions,
  SUBSCRIPTION_TRANSFER,
  TRANSFER_REQUEST,
  TRANSFER_SUBSCRIPTION_LIMIT,
  type TransferRequestData,
} from './consolidation-paths.model.js';

// Which path each subscription of a consolidation takes, and the pre-flights of the transfer path
// (issue 15). Microsoft's consolidation tutorial (partner-center-api.md §11) moves new-commerce
// license subscriptions and Azure plans by partner-to-partner transfer; the seed paths (R-CON-3/4
// re-provisioning, R-CON-6 support) remain for what a transfer cannot carry.

export interface ChosenPath {
  kind: string;
  path: ConsolidationPath;
  reason: string;
  productType?: 'OnlineServicesNCE' | 'AzureSubscription';
}

const isLegacyAzure = (s: PcSubscription) => s.offerId.toUpperCase() === LEGACY_AZURE_OFFER_ID;
const isAzurePlan = (s: PcSubscription) =>
  s.offerId.toUpperCase().startsWith(AZURE_PLAN_PRODUCT_ID);

/**
 * A new-commerce license subscription: its offer id is a catalog item `product:sku:availability`
 * (legacy license offers are one GUID-like id), as Partner Center's new-commerce subscriptions show.
 */
export function isNewCommerceLicense(s: PcSubscription): boolean {
  return s.offerId.split(':').length >= 2 && s.billingType?.toLowerCase() !== 'usage';
}

/** Whether the customer has an active legacy Azure subscription at this source (900131 refuses Azure transfers). */
export function hasActiveLegacyAzure(subscriptions: PcSubscription[]): boolean {
  return subscriptions.some((s) => isLegacyAzure(s) && s.status.toLowerCase() === 'active');
}

/** The path of one active source subscription, with the rule or Microsoft page behind it. */
export function choosePath(
  sub: PcSubscription,
  context: { options: ConsolidationPlanOptions; legacyAzure: boolean },
): ChosenPath {
  const { options, legacyAzure } = context;
  const azurePlanFirst = options.legacyAzure === 'AZURE_PLAN_THEN_TRANSFER';
  if (isLegacyAzure(sub)) {
    return azurePlanFirst
      ? {
          kind: SUBSCRIPTION_TRANSFER,
          path: 'AZURE_PLAN_THEN_TRANSFER',
          productType: 'AzureSubscription',
          reason:
            'Legacy Azure (MS-AZR-0145P) cannot be transferred (Partner Center 900131); as asked, it moves to the Azure plan at the source first (product upgrade, R-AZP-3/4), then by partner-to-partner transfer (§11).',
        }
      : {
          kind: AZURE_SUPPORT_MIGRATION,
          path: 'SUPPORT_MIGRATION',
          reason:
            'Legacy Azure (MS-AZR-0145P) cannot be transferred (Partner Center 900131): Microsoft support migrates it with its resources (R-CON-6). Plan with legacyAzure AZURE_PLAN_THEN_TRANSFER to move it to the Azure plan first and transfer it.',
        };
  }
  if (isAzurePlan(sub)) {
    if (legacyAzure && !azurePlanFirst) {
      return {
        kind: AZURE_SUPPORT_MIGRATION,
        path: 'SUPPORT_MIGRATION',
        reason:
          'Azure plan of a customer that still has legacy Azure: Partner Center refuses an Azure transfer until every 0145P subscription moved to the Azure plan (900131, "legacy Azure first"); Microsoft support migrates it (R-CON-6).',
      };
    }
    return {
      kind: SUBSCRIPTION_TRANSFER,
      path: 'TRANSFER',
      productType: 'AzureSubscription',
      reason:
        "Azure plan: moves by partner-to-partner transfer (Microsoft's consolidation tutorial, §11); its Azure subscriptions are re-billed through the target, with no re-provisioning and no overlap.",
    };
  }
  if (sub.billingType?.toLowerCase() === 'usage') {
    return {
      kind: AZURE_SUPPORT_MIGRATION,
      path: 'SUPPORT_MIGRATION',
      reason:
        'Usage-based subscription outside the Azure plan: moved by Microsoft support (R-CON-6).',
    };
  }
  if (isNewCommerceLicense(sub)) {
    if (options.forceReprovision) {
      return {
        kind: LICENSE_REPROVISION,
        path: 'REPROVISION',
        reason:
          'New-commerce license re-provisioned as the partner asked (forceReprovision): the source is suspended the same day (R-CON-3/4) but its term cannot be ended after the 7-day cancellation window, so it stays billed to term end.',
      };
    }
    return {
      kind: SUBSCRIPTION_TRANSFER,
      path: 'TRANSFER',
      productType: 'OnlineServicesNCE',
      reason:
        "New-commerce license: moves by partner-to-partner transfer with its seats, term end date and billing cycle (Microsoft's consolidation tutorial, §11); re-provisioning could not end the source's term.",
    };
  }
  return {
    kind: LICENSE_REPROVISION,
    path: 'REPROVISION',
    reason:
      'Legacy license offer: the transfer API moves only new-commerce subscriptions and Azure plans, so it is re-created under the target and suspended at the source the same day (R-CON-3/4).',
  };
}

/** Partner Center's Admin agent role as a token names it (§11: transfers need it on both sides). */
export function namesAdminAgent(roles: string[]): boolean {
  return roles
    .map((r) => r.replace(/[\s_-]/g, '').toLowerCase())
    .some((r) => ['adminagent', 'adminagents', 'globaladmin', 'globaladministrator'].includes(r));
}

/** Per-plan cache of the Partner Center roles our identity holds at each tenant. */
export function callerRolesCache(clients: PartnerCenterClientFactory) {
  const cache = new Map<string, Promise<string[] | null>>();
  return (tenantId: string) => {
    let roles = cache.get(tenantId);
    if (!roles) {
      roles = clients.forTenant(tenantId).callerRoles();
      cache.set(tenantId, roles);
    }
    return roles;
  };
}

/**
 * The transfer path's items and pre-flights for one customer of one source tenant: the caller's
 * Admin agent role at source and target, no transfer already open for the customer at the source,
 * then one TRANSFER_REQUEST (and, for AZURE_PLAN_THEN_TRANSFER, one AZURE_PLAN_UPGRADE) beside the
 * subscription items. Blockers go through `block`; the new items are returned (held until the
 * customer accepts).
 */
export async function transferPreflight(
  clients: PartnerCenterClientFactory,
  rolesOf: (tenantId: string) => Promise<string[] | null>,
  args: {
    source: TenantRef;
    target: TenantRef;
    customer: PcCustomer;
    customerItemId: string;
    children: NewItem[];
    block: (code: BlockerCode, message: string, subject?: string) => void;
  },
): Promise<NewItem[]> {
  const { source, target, customer, customerItemId, children, block } = args;
  const transfers = children.filter((c) => c.kind === SUBSCRIPTION_TRANSFER);
  if (transfers.length === 0) {
    return [];
  }
  const name = customer.companyProfile.companyName;
  for (const tenant of [source, target]) {
    const roles = await rolesOf(tenant.tenantId);
    if (roles && !namesAdminAgent(roles)) {
      block(
        'CALLER_NOT_ADMIN_AGENT',
        `Transferring ${transfers.length} subscription(s) of ${name} needs the Admin agent role in ${tenant.name} (Microsoft's consolidation tutorial, §11); this application's identity there has ${roles.join(', ') || 'no Partner Center role'}.`,
        tenant.tenantId,
      );
    }
  }
  // New-commerce transfers need the customer's Microsoft Customer Agreement (Partner Center 13605).
  if (
    transfers.some((c) => (c.data as { productType?: string }).productType === 'OnlineServicesNCE')
  ) {
    const mca = await clients
      .forTenant(source.tenantId)
      .listCustomerAgreements(customer.id, 'MicrosoftCustomerAgreement');
    if (!mca.some((a) => a.type.toLowerCase() === 'microsoftcustomeragreement')) {
      block(
        'MCA_NOT_ACCEPTED',
        `${name} has not accepted the Microsoft Customer Agreement: Partner Center refuses to transfer its new-commerce subscriptions (13605) until it does. Have the customer accept it, then plan again.`,
      );
    }
  }
  const open = (await listTransfers(clients.forTenant(source.tenantId), customer.id)).filter((t) =>
    OPEN_TRANSFER_STATUSES.has(transferStatus(t)),
  );
  for (const t of open) {
    block(
      'TRANSFER_ALREADY_PENDING',
      `${name} already has transfer ${t.id} (${t.status}, created ${t.createdTime ?? '?'}) between ${source.name} and ${t.targetPartnerTenantId === target.tenantId ? target.name : `partner ${t.targetPartnerTenantId ?? '?'}`}; Partner Center allows one open transfer at a time: cancel it or let it finish, then plan again.`,
      t.id,
    );
  }
  const upgrading = transfers.some(
    (c) => (c.data as { path?: string }).path === 'AZURE_PLAN_THEN_TRANSFER',
  );
  // The customer's billing contact receives Microsoft's transfer notice; Partner Center takes only
  // a plain address (an accented local part is refused with 800002), else the tenant's admin.
  const billingEmail = (customer.billingProfile as { email?: string | null } | null | undefined)
    ?.email;
  const email =
    billingEmail &&
    emailSchema.safeParse(billingEmail).success &&
    /^[\x21-\x7e]+$/.test(billingEmail)
      ? billingEmail
      : `admin@${customer.companyProfile.domain}`;
  const request: TransferRequestData = {
    companyName: name,
    sourceTenantId: source.tenantId,
    sourceName: source.name,
    customerEmail: email,
    subscriptionItemIds: transfers.map((c) => c.id),
    afterUpgrade: upgrading,
  };
  const base = {
    parentItemId: customerItemId,
    customerTenantId: customer.id,
    partnerTenantId: source.tenantId,
    nextRunAt: null,
  };
  const items: NewItem[] = [
    {
      ...base,
      id: randomUUID(),
      kind: TRANSFER_REQUEST,
      state: 'PLANNED',
      step: upgrading ? 'transfer_after_upgrade' : 'transfer_create',
      subject: null,
      data: request as unknown as Record<string, unknown>,
    },
  ];
  if (upgrading) {
    const upgrade: AzurePlanUpgradeData = { companyName: name, sourceTenantId: source.tenantId };
    items.push({
      ...base,
      id: randomUUID(),
      kind: AZURE_PLAN_UPGRADE,
      state: 'PLANNED',
      step: 'azure_plan_upgrade',
      subject: null,
      data: upgrade as unknown as Record<string, unknown>,
    });
  }
  return items;
}

export interface TransferWave {
  sourceTenantId: string;
  wave: number;
  customers: number;
  subscriptions: number;
}

/**
 * §11: at most 300 subscriptions per source tenant in one consolidation. Over the limit the
 * transfer subscriptions of that source are split into waves (whole customers where they fit, a
 * customer over the limit over consecutive waves). Without a `wave` option that is a blocker that
 * lists the waves; with one, the plan keeps that wave's subscriptions and lists the others as
 * later (SKIPPED, state `WAVE_n`). Mutates `items` in place; returns the waves.
 */
export function applyTransferWaves(
  items: NewItem[],
  blockers: NewBlocker[],
  source: TenantRef,
  options: ConsolidationPlanOptions,
): TransferWave[] {
  const candidates = items.filter(
    (i) =>
      i.partnerTenantId === source.tenantId &&
      i.kind === SUBSCRIPTION_TRANSFER &&
      i.status !== 'BLOCKED',
  );
  if (candidates.length <= TRANSFER_SUBSCRIPTION_LIMIT) {
    return [];
  }
  const byCustomer = new Map<string, NewItem[]>();
  for (const c of candidates) {
    const key = c.parentItemId ?? '';
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), c]);
  }
  const waveOf = new Map<string, number>();
  const waves: TransferWave[] = [];
  let wave = 1;
  let used = 0;
  const customersIn = new Map<number, Set<string>>();
  for (const [customer, subs] of byCustomer) {
    if (used > 0 && used + subs.length > TRANSFER_SUBSCRIPTION_LIMIT) {
      wave += 1;
      used = 0;
    }
    for (const s of subs) {
      if (used === TRANSFER_SUBSCRIPTION_LIMIT) {
        wave += 1;
        used = 0;
      }
      waveOf.set(s.id, wave);
      customersIn.set(wave, (customersIn.get(wave) ?? new Set()).add(customer));
      used += 1;
    }
  }
  for (let w = 1; w <= wave; w++) {
    waves.push({
      sourceTenantId: source.tenantId,
      wave: w,
      customers: customersIn.get(w)?.size ?? 0,
      subscriptions: [...waveOf.values()].filter((x) => x === w).length,
    });
  }
  const summary = waves
    .map((w) => `wave ${w.wave}: ${w.subscriptions} subscription(s) of ${w.customers} customer(s)`)
    .join('; ');
  for (const c of candidates) {
    c.data = { ...c.data, wave: waveOf.get(c.id) };
  }
  const chosen = options.wave ?? null;
  if (chosen === null || chosen > wave) {
    blockers.push({
      code: 'TRANSFER_WAVES_REQUIRED',
      message: `${source.name} has ${candidates.length} subscriptions to transfer; Microsoft allows ${TRANSFER_SUBSCRIPTION_LIMIT} per tenant in one consolidation (§11). Plan the waves one after the other with options.wave (${summary})${chosen !== null ? `; there is no wave ${chosen}` : ''}.`,
      partnerTenantId: source.tenantId,
      subject: source.tenantId,
    });
    return waves;
  }
  for (const c of candidates) {
    const w = waveOf.get(c.id) as number;
    if (w !== chosen) {
      c.kind = NO_ACTION;
      c.state = `WAVE_${w}`;
      c.status = 'SKIPPED';
      c.step = 'none';
      c.data = {
        ...c.data,
        pathReason: `${String(c.data.pathReason)} In transfer wave ${w} of ${wave}: plan it after this wave (§11: ${TRANSFER_SUBSCRIPTION_LIMIT} per tenant per consolidation).`,
      };
    }
  }
  // Each transfer request carries only this wave's subscriptions.
  const kept = new Set(candidates.filter((c) => waveOf.get(c.id) === chosen).map((c) => c.id));
  for (const r of items.filter(
    (i) => i.kind === TRANSFER_REQUEST && i.partnerTenantId === source.tenantId,
  )) {
    const d = r.data as unknown as TransferRequestData;
    const ids = d.subscriptionItemIds.filter((id) => kept.has(id));
    r.data = { ...r.data, subscriptionItemIds: ids };
    if (ids.length === 0) {
      r.status = 'SKIPPED';
      r.state = 'LATER_WAVE';
      r.step = 'none';
    }
  }
  // A customer with nothing left in this wave is not invited now: it waits for its own wave.
  for (const customer of items.filter(
    (i) => i.kind === CUSTOMER && i.partnerTenantId === source.tenantId && i.status !== 'BLOCKED',
  )) {
    const own = items.filter((i) => i.parentItemId === customer.id && i.kind !== TRANSFER_REQUEST);
    if (own.length > 0 && own.every((i) => i.status === 'SKIPPED')) {
      // State stays PLANNED (a contract enum value); the items say which wave (state WAVE_n).
      customer.status = 'SKIPPED';
      customer.nextRunAt = null;
      for (const r of items.filter((i) => i.parentItemId === customer.id)) {
        r.status = 'SKIPPED';
        r.nextRunAt = null;
      }
    }
  }
  return waves;
}

import type { CatalogOffer } from '../core/catalog.js';
import type { MigrationRecord } from '../core/commerce.model.js';
import { addDuration, DAY_MS } from '../core/duration.js';
import type { CustomerRecord, PartnerTenantRecord, SubscriptionRecord } from '../core/model.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { PcHttpError } from '../http/responses.js';
import { createSubscriptionRecords } from '../scenarios/build-scenario.js';
import { hasSignedMca } from './access.js';
import { systemActor, writeAudit } from './audit.js';
import { billingCyclesFor } from './commerce-terms.js';

/**
 * Legacy license → new-commerce migration (partner-center-api.md §9b). Validation errors carry
 * numeric codes; only code 5 ("equivalent offer not yet available") is documented, the others are
 * [guess]es listed in emulator/README.md. A migration is `Processing` until the clock reaches
 * `completesAt` (autopilot.commerce.migrationDuration), then `Completed`: the legacy subscription
 * is suspended (reason `Migrated`) and a new-commerce one carries its seats.
 */

export interface MigrationInput {
  currentSubscriptionId: string;
  termDuration?: string;
  billingCycle?: string;
  quantity?: number;
  purchaseFullTerm?: boolean;
  customTermEndDate?: string;
  externalReferenceId?: string;
}

export interface MigrationError {
  code: number;
  description: string;
}

export interface EvaluatedMigration {
  subscription: SubscriptionRecord;
  target: CatalogOffer | undefined;
  termDuration: string;
  billingCycle: string;
  quantity: number;
  purchaseFullTerm: boolean;
  customTermEndDate: string | null;
  errors: MigrationError[];
}

/** `Monthly`, `Annual`, `Triennial`: migration resources spell billing cycles as the examples do. */
export function wireCycle(cycle: string): string {
  return cycle.charAt(0).toUpperCase() + cycle.slice(1).toLowerCase();
}

export function nceEquivalent(
  rt: EmulatorRuntime,
  sub: SubscriptionRecord,
): CatalogOffer | undefined {
  const legacy = rt.catalog.find(sub.offerId);
  if (!legacy || legacy.discontinued) {
    return undefined;
  }
  return rt.catalog.offers.find((o) => o.kind === 'new_commerce' && o.name === legacy.name);
}

export function findLegacySubscription(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  subscriptionId: string,
): SubscriptionRecord {
  const sub = rt.store
    .subscriptionsOf(tenant.tenantId, customer.tenantId)
    .find((s) => s.id === subscriptionId.toLowerCase());
  if (!sub) {
    throw new PcHttpError(404, 20003, `Subscription ${subscriptionId} was not found.`);
  }
  return sub;
}

/** Open work on a subscription that blocks another migration (a running one or a live schedule). */
export function openMigrationWork(
  rt: EmulatorRuntime,
  subscriptionId: string,
  exceptScheduleId?: string,
): string | undefined {
  const c = rt.store.commerce;
  const running = [...c.migrations.values()].find(
    (m) => m.currentSubscriptionId === subscriptionId && m.status === 'Processing',
  );
  if (running) {
    return `migration ${running.id} is already in progress`;
  }
  const scheduled = [...c.migrationSchedules.values()].find(
    (s) =>
      s.currentSubscriptionId === subscriptionId &&
      s.status === 'Scheduled' &&
      s.id !== exceptScheduleId,
  );
  return scheduled ? `migration schedule ${scheduled.id} is pending` : undefined;
}

export function evaluateMigration(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  input: MigrationInput,
  exceptScheduleId?: string,
): EvaluatedMigration {
  const sub = findLegacySubscription(rt, tenant, customer, input.currentSubscriptionId);
  const errors: MigrationError[] = [];
  const termDuration = (input.termDuration ?? 'P1Y').toUpperCase();
  const billingCycle = (input.billingCycle ?? sub.billingCycle).toLowerCase();
  const quantity = input.quantity ?? sub.quantity;
  const target = sub.kind === 'license' ? nceEquivalent(rt, sub) : undefined;
  if (sub.kind !== 'license') {
    errors.push({
      code: 1,
      description: 'Only legacy license-based subscriptions can be migrated to new commerce.',
    });
  } else if (sub.status !== 'active') {
    errors.push({
      code: 2,
      description: `The subscription is ${sub.status}; only active subscriptions can be migrated.`,
    });
  }
  const open = openMigrationWork(rt, sub.id, exceptScheduleId);
  if (open) {
    errors.push({ code: 3, description: `The subscription can't be migrated now: ${open}.` });
  }
  if (sub.kind === 'license' && !target) {
    errors.push({
      code: 5,
      description: 'The equivalent offer is not yet available in New Commerce.',
    });
  }
  if (!(target?.termDurations ?? ['P1M', 'P1Y', 'P3Y']).includes(termDuration)) {
    errors.push({
      code: 6,
      description: `termDuration ${termDuration} is not offered (P1M, P1Y, P3Y).`,
    });
  } else if (!billingCyclesFor(termDuration).includes(billingCycle)) {
    errors.push({
      code: 7,
      description: `billingCycle ${billingCycle} is not available with a ${termDuration} term.`,
    });
  }
  const max = target?.maximumQuantity ?? 10_000_000;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > max) {
    errors.push({ code: 8, description: `quantity must be a whole number from 1 to ${max}.` });
  }
  let customTermEndDate: string | null = null;
  if (input.customTermEndDate) {
    const at = Date.parse(input.customTermEndDate);
    if (
      Number.isNaN(at) ||
      at <= rt.now().getTime() ||
      at > addDuration(rt.now(), termDuration).getTime()
    ) {
      errors.push({
        code: 9,
        description: 'customTermEndDate must be a future date within the new term.',
      });
    } else {
      customTermEndDate = new Date(at).toISOString().slice(0, 10) + 'T00:00:00Z';
    }
  }
  if (!hasSignedMca(rt, customer)) {
    errors.push({
      code: 10,
      description:
        'The customer has not accepted the Microsoft Customer Agreement, which new commerce requires.',
    });
  }
  return {
    subscription: sub,
    target,
    termDuration,
    billingCycle,
    quantity,
    purchaseFullTerm: input.purchaseFullTerm ?? false,
    customTermEndDate,
    errors,
  };
}

export function addMigrationEvent(
  rt: EmulatorRuntime,
  m: MigrationRecord,
  eventName: string,
): void {
  rt.store.commerce.migrationEvents.push({
    id: rt.newId(),
    newCommerceMigrationId: m.id,
    currentSubscriptionId: m.currentSubscriptionId,
    customerTenantId: m.customerTenantId,
    partnerTenantId: m.partnerTenantId,
    createdTime: rt.nowIso(),
    eventName,
  });
}

/** Starts a migration after a clean evaluation; throws 400/900215 with the errors otherwise. */
export function startMigration(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  ev: EvaluatedMigration,
  externalReferenceId: string | null,
): MigrationRecord {
  if (ev.errors.length > 0 || !ev.target) {
    throw new PcHttpError(
      400,
      900215,
      `The subscription can't be migrated to new commerce: ${ev.errors.map((e) => e.description).join(' ')}`,
      ev.errors,
    );
  }
  const now = rt.now();
  const m: MigrationRecord = {
    id: rt.newId(),
    partnerTenantId: tenant.tenantId,
    customerTenantId: customer.tenantId,
    currentSubscriptionId: ev.subscription.id,
    status: 'Processing',
    startedTime: now.toISOString(),
    completedTime: null,
    completesAt: addDuration(now, rt.store.autopilot.commerce.migrationDuration).toISOString(),
    catalogItemId: ev.target.id,
    newCommerceSubscriptionId: null,
    newCommerceOrderId: null,
    subscriptionEndDate: null,
    customTermEndDate: ev.customTermEndDate,
    quantity: ev.quantity,
    termDuration: ev.termDuration,
    billingCycle: ev.billingCycle,
    purchaseFullTerm: ev.purchaseFullTerm,
    externalReferenceId,
    errorCode: null,
    errorDescription: null,
  };
  rt.store.commerce.migrations.set(m.id, m);
  addMigrationEvent(rt, m, 'MigrationStarted');
  rt.schedule('migration.complete', { migrationId: m.id }, new Date(m.completesAt));
  writeAudit(rt, {
    actor,
    customer,
    resourceType: 'new_commerce_migration',
    operationType: 'create_new_commerce_migration',
    newValue: {
      id: m.id,
      currentSubscriptionId: m.currentSubscriptionId,
      catalogItemId: m.catalogItemId,
      quantity: m.quantity,
      termDuration: m.termDuration,
      billingCycle: m.billingCycle,
    },
    customizedData: { MigrationId: m.id, CurrentSubscriptionId: m.currentSubscriptionId },
  });
  return m;
}

/**
 * The new subscription's term end: the legacy term's end (aligned, the default) or a full new
 * term (`purchaseFullTerm`), unless a `customTermEndDate` was given. New commerce ends inclusive,
 * legacy exclusive (§5), hence the day's difference.
 */
function newTermEnd(m: MigrationRecord, legacy: SubscriptionRecord, now: Date): string {
  if (m.customTermEndDate) {
    return m.customTermEndDate;
  }
  const end = m.purchaseFullTerm
    ? new Date(addDuration(now, m.termDuration).getTime() - DAY_MS)
    : new Date(Date.parse(legacy.commitmentEndDate) - DAY_MS);
  return end.toISOString().slice(0, 10) + 'T00:00:00Z';
}

export function completeMigration(rt: EmulatorRuntime, migrationId: string): void {
  const m = rt.store.commerce.migrations.get(migrationId);
  if (!m || m.status !== 'Processing') {
    return;
  }
  const legacy = rt.store.subscriptions.get(m.currentSubscriptionId);
  const partner = rt.store.partners.get(m.partnerTenantId);
  const customer = rt.store.customers.get(m.customerTenantId);
  const offer = rt.catalog.find(m.catalogItemId);
  const now = rt.now();
  m.completedTime = now.toISOString();
  if (!legacy || !partner || !customer || !offer || legacy.status !== 'active') {
    m.status = 'Failed';
    m.errorCode = 2;
    m.errorDescription = 'The legacy subscription is no longer active.';
    addMigrationEvent(rt, m, 'MigrationFailed');
    return;
  }
  const created = createSubscriptionRecords(rt.store, {
    partner,
    customer,
    offer,
    quantity: m.quantity,
    status: 'active',
    partnerId: legacy.partnerId,
    friendlyName: legacy.friendlyName,
    id: undefined,
    entitlementId: undefined,
    billingCycle: m.billingCycle,
    created: now,
    now,
    orderId: undefined,
    termDuration: m.termDuration,
    commitmentEndDate: newTermEnd(m, legacy, now),
    orderTransactionType: 'SystemPurchase',
  });
  created.migratedFromSubscriptionId = legacy.id;
  const before = { status: legacy.status };
  legacy.status = 'suspended';
  legacy.suspensionReasons = ['Migrated'];
  legacy.autoRenewEnabled = false;
  legacy.etag = rt.newEtag();
  m.status = 'Completed';
  m.newCommerceSubscriptionId = created.id;
  m.newCommerceOrderId = created.orderId;
  m.subscriptionEndDate = created.commitmentEndDate;
  addMigrationEvent(rt, m, 'NewCommerceSubscriptionCreated');
  addMigrationEvent(rt, m, 'LegacySubscriptionSuspended');
  addMigrationEvent(rt, m, 'MigrationCompleted');
  const actor = systemActor(partner.tenantId, 'microsoft_support', rt.newId());
  writeAudit(rt, {
    actor,
    customer,
    resourceType: 'subscription',
    operationType: 'update_subscription',
    oldValue: { id: legacy.id, ...before },
    newValue: {
      id: legacy.id,
      status: 'suspended',
      suspensionReasons: ['Migrated'],
      migratedTo: created.id,
    },
  });
  writeAudit(rt, {
    actor,
    customer,
    resourceType: 'order',
    operationType: 'create_order',
    newValue: {
      subscriptionId: created.id,
      offerId: offer.id,
      quantity: m.quantity,
      migrationId: m.id,
    },
    customizedData: {
      OrderId: created.orderId,
      'OfferId-0': offer.id,
      'SubscriptionId-0': created.id,
      'Quantity-0': String(m.quantity),
    },
  });
}

export function migrationView(m: MigrationRecord): Record<string, unknown> {
  return {
    id: m.id,
    startedTime: m.startedTime,
    completedTime: m.completedTime,
    currentSubscriptionId: m.currentSubscriptionId,
    status: m.status,
    customerTenantId: m.customerTenantId,
    catalogItemId: m.catalogItemId,
    newCommerceSubscriptionId: m.newCommerceSubscriptionId,
    newCommerceOrderId: m.newCommerceOrderId,
    subscriptionEndDate: m.subscriptionEndDate,
    customTermEndDate: m.customTermEndDate,
    quantity: m.quantity,
    termDuration: m.termDuration,
    billingCycle: wireCycle(m.billingCycle),
    purchaseFullTerm: m.purchaseFullTerm,
    externalReferenceId: m.externalReferenceId,
    addOnMigrations: [],
    ...(m.errorCode !== null
      ? { errorCode: m.errorCode, errorDescription: m.errorDescription }
      : {}),
    attributes: { objectType: 'NewCommerceMigration' },
  };
}

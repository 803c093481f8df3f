import type { MigrationScheduleRecord } from '../core/commerce.model.js';
import { addDuration } from '../core/duration.js';
import type { CustomerRecord, PartnerTenantRecord } from '../core/model.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { errors, PcHttpError } from '../http/responses.js';
import { systemActor } from './audit.js';
import {
  evaluateMigration,
  startMigration,
  wireCycle,
  type MigrationInput,
} from './migrations.service.js';

/**
 * New-commerce migration schedules (§9b): a migration that runs at `targetDate` or at the legacy
 * subscription's renewal (`migrateOnRenewal`). Statuses are [guess]es: Scheduled → Completed (the
 * migration was created; `newCommerceMigrationId`) or Failed (`errorCode`, `errorDescription`);
 * Cancelled by `POST .../cancel`. `PUT .../schedules/{id}` updates one (sandbox-only in the real
 * API, served here anyway) while it is Scheduled.
 */

export interface ScheduleInput extends MigrationInput {
  targetDate?: string;
  migrateOnRenewal?: boolean;
}

function runAt(
  rt: EmulatorRuntime,
  input: ScheduleInput,
  commitmentEndDate: string,
): { targetDate: string | null; migrateOnRenewal: boolean; due: Date } {
  // The emulator does not rewrite renewal dates as terms roll over: take the next one from now.
  let renewal = new Date(commitmentEndDate);
  for (let guard = 0; guard < 100 && renewal.getTime() <= rt.now().getTime(); guard += 1) {
    renewal = addDuration(renewal, 'P1Y');
  }
  const onRenewal = input.migrateOnRenewal === true;
  if (onRenewal === (input.targetDate !== undefined)) {
    throw errors.invalidInput('Give either targetDate or migrateOnRenewal: true.', [
      'targetDate',
      'migrateOnRenewal',
    ]);
  }
  if (onRenewal) {
    return { targetDate: null, migrateOnRenewal: true, due: renewal };
  }
  const at = Date.parse(input.targetDate ?? '');
  if (Number.isNaN(at) || at <= rt.now().getTime() || at > renewal.getTime()) {
    throw errors.invalidInput(
      `targetDate must be in the future and no later than the subscription's renewal (${renewal.toISOString()}).`,
      ['targetDate'],
    );
  }
  return { targetDate: new Date(at).toISOString(), migrateOnRenewal: false, due: new Date(at) };
}

function evaluateOrThrow(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  input: ScheduleInput,
  exceptId?: string,
) {
  const ev = evaluateMigration(rt, tenant, customer, input, exceptId);
  if (ev.errors.length > 0 || !ev.target) {
    throw new PcHttpError(
      400,
      900215,
      `The migration can't be scheduled: ${ev.errors.map((e) => e.description).join(' ')}`,
      ev.errors,
    );
  }
  return { ev, target: ev.target };
}

function scheduleRun(rt: EmulatorRuntime, s: MigrationScheduleRecord, due: Date): void {
  rt.store.actions = rt.store.actions.filter(
    (a) => !(a.kind === 'migration_schedule.run' && a.target.scheduleId === s.id),
  );
  rt.schedule('migration_schedule.run', { scheduleId: s.id }, due);
}

export function createSchedule(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  input: ScheduleInput,
): MigrationScheduleRecord {
  const { ev, target } = evaluateOrThrow(rt, tenant, customer, input);
  const when = runAt(rt, input, ev.subscription.commitmentEndDate);
  const now = rt.nowIso();
  const s: MigrationScheduleRecord = {
    id: rt.newId(),
    partnerTenantId: tenant.tenantId,
    customerTenantId: customer.tenantId,
    currentSubscriptionId: ev.subscription.id,
    catalogItemId: target.id,
    quantity: ev.quantity,
    termDuration: ev.termDuration,
    billingCycle: ev.billingCycle,
    purchaseFullTerm: ev.purchaseFullTerm,
    customTermEndDate: ev.customTermEndDate,
    externalReferenceId: input.externalReferenceId ?? null,
    targetDate: when.targetDate,
    migrateOnRenewal: when.migrateOnRenewal,
    subscriptionEndDate: ev.subscription.commitmentEndDate,
    status: 'Scheduled',
    createdTime: now,
    lastModifiedTime: now,
    newCommerceMigrationId: null,
    errorCode: null,
    errorDescription: null,
  };
  rt.store.commerce.migrationSchedules.set(s.id, s);
  scheduleRun(rt, s, when.due);
  return s;
}

export function findSchedule(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  id: string,
): MigrationScheduleRecord {
  const s = rt.store.commerce.migrationSchedules.get(id.toLowerCase());
  if (!s || s.partnerTenantId !== tenant.tenantId || s.customerTenantId !== customer.tenantId) {
    throw errors.notFound(`Migration schedule ${id}`);
  }
  return s;
}

function requireScheduled(s: MigrationScheduleRecord, verb: string): void {
  if (s.status !== 'Scheduled') {
    throw new PcHttpError(
      400,
      900217,
      `The migration schedule is ${s.status} and can't be ${verb}.`,
    );
  }
}

export function updateSchedule(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  s: MigrationScheduleRecord,
  input: ScheduleInput,
): MigrationScheduleRecord {
  requireScheduled(s, 'updated');
  if (input.currentSubscriptionId.toLowerCase() !== s.currentSubscriptionId) {
    throw errors.invalidInput('currentSubscriptionId of a schedule cannot change.', [
      'currentSubscriptionId',
    ]);
  }
  const { ev, target } = evaluateOrThrow(rt, tenant, customer, input, s.id);
  const when = runAt(rt, input, ev.subscription.commitmentEndDate);
  Object.assign(s, {
    catalogItemId: target.id,
    quantity: ev.quantity,
    termDuration: ev.termDuration,
    billingCycle: ev.billingCycle,
    purchaseFullTerm: ev.purchaseFullTerm,
    customTermEndDate: ev.customTermEndDate,
    externalReferenceId: input.externalReferenceId ?? s.externalReferenceId,
    targetDate: when.targetDate,
    migrateOnRenewal: when.migrateOnRenewal,
    lastModifiedTime: rt.nowIso(),
  });
  scheduleRun(rt, s, when.due);
  return s;
}

export function cancelSchedule(
  rt: EmulatorRuntime,
  s: MigrationScheduleRecord,
): MigrationScheduleRecord {
  requireScheduled(s, 'cancelled');
  s.status = 'Cancelled';
  s.lastModifiedTime = rt.nowIso();
  rt.store.actions = rt.store.actions.filter(
    (a) => !(a.kind === 'migration_schedule.run' && a.target.scheduleId === s.id),
  );
  return s;
}

/** Clock: a due schedule starts its migration, or fails with the first validation error. */
export function runSchedule(rt: EmulatorRuntime, scheduleId: string): void {
  const s = rt.store.commerce.migrationSchedules.get(scheduleId);
  const tenant = s ? rt.store.partners.get(s.partnerTenantId) : undefined;
  const customer = s ? rt.store.customers.get(s.customerTenantId) : undefined;
  if (!s || s.status !== 'Scheduled' || !tenant || !customer) {
    return;
  }
  s.lastModifiedTime = rt.nowIso();
  const ev = evaluateMigration(
    rt,
    tenant,
    customer,
    {
      currentSubscriptionId: s.currentSubscriptionId,
      termDuration: s.termDuration,
      billingCycle: s.billingCycle,
      quantity: s.quantity,
      purchaseFullTerm: s.purchaseFullTerm,
      ...(s.customTermEndDate && Date.parse(s.customTermEndDate) > rt.now().getTime()
        ? { customTermEndDate: s.customTermEndDate }
        : {}),
    },
    s.id,
  );
  const first = ev.errors[0];
  if (first || !ev.target) {
    s.status = 'Failed';
    s.errorCode = first?.code ?? 5;
    s.errorDescription =
      first?.description ?? 'The equivalent offer is not yet available in New Commerce.';
    return;
  }
  const actor: Actor = systemActor(tenant.tenantId, 'microsoft_support', rt.newId());
  const m = startMigration(rt, actor, tenant, customer, ev, s.externalReferenceId);
  s.status = 'Completed';
  s.newCommerceMigrationId = m.id;
}

export function scheduleView(s: MigrationScheduleRecord): Record<string, unknown> {
  return {
    id: s.id,
    currentSubscriptionId: s.currentSubscriptionId,
    subscriptionEndDate: s.subscriptionEndDate,
    status: s.status,
    customerTenantId: s.customerTenantId,
    catalogItemId: s.catalogItemId,
    quantity: s.quantity,
    termDuration: s.termDuration,
    billingCycle: wireCycle(s.billingCycle),
    purchaseFullTerm: s.purchaseFullTerm,
    customTermEndDate: s.customTermEndDate,
    externalReferenceId: s.externalReferenceId,
    targetDate: s.targetDate,
    migrateOnRenewal: s.migrateOnRenewal,
    createdTime: s.createdTime,
    lastModifiedTime: s.lastModifiedTime,
    newCommerceMigrationId: s.newCommerceMigrationId,
    errorCode: s.errorCode,
    errorDescription: s.errorDescription,
    attributes: { objectType: 'NewCommerceMigrationSchedule' },
  };
}

import { z } from 'zod';
import { readableCustomer, transactableCustomer } from '../domain/access.js';
import {
  cancelSchedule,
  createSchedule,
  findSchedule,
  scheduleView,
  updateSchedule,
} from '../domain/migration-schedules.service.js';
import {
  evaluateMigration,
  migrationView,
  startMigration,
  wireCycle,
} from '../domain/migrations.service.js';
import { ciObject, numeric } from '../http/body.js';
import { errors, json } from '../http/responses.js';
import { requireAdminAgent } from '../http/roles.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const fields = {
  currentSubscriptionId: z.string().min(1),
  termDuration: z.string().optional(),
  billingCycle: z.string().optional(),
  quantity: numeric.optional(),
  purchaseFullTerm: z.boolean().optional(),
  customTermEndDate: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
  externalReferenceId: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
  addOnMigrations: z.array(z.unknown()).optional(),
};
const migrationSchema = ciObject(fields);
const scheduleSchema = ciObject({
  ...fields,
  targetDate: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
  migrateOnRenewal: z
    .boolean()
    .nullish()
    .transform((v) => v ?? undefined),
});

const customerOf = (req: PcRequest) =>
  transactableCustomer(req.rt, req.tenant, req.params.customerId ?? '').customer;

/** `POST .../migrations/newcommerce/validate` → eligibility with numeric error codes (§9b). */
function validate(req: PcRequest): Response {
  requireAdminAgent(req, 'Validating a new-commerce migration');
  const body = req.body(migrationSchema);
  const ev = evaluateMigration(req.rt, req.tenant, customerOf(req), body);
  return json({
    currentSubscriptionId: ev.subscription.id,
    isEligible: ev.errors.length === 0,
    catalogItemId: ev.target?.id ?? null,
    termDuration: ev.termDuration,
    billingCycle: wireCycle(ev.billingCycle),
    quantity: ev.quantity,
    purchaseFullTerm: ev.purchaseFullTerm,
    customTermEndDate: ev.customTermEndDate,
    errors: ev.errors,
    addOnMigrations: [],
    attributes: { objectType: 'NewCommerceEligibility' },
  });
}

function create(req: PcRequest): Response {
  requireAdminAgent(req, 'Creating a new-commerce migration');
  const body = req.body(migrationSchema);
  const customer = customerOf(req);
  const ev = evaluateMigration(req.rt, req.tenant, customer, body);
  const m = startMigration(
    req.rt,
    req.actor,
    req.tenant,
    customer,
    ev,
    body.externalReferenceId ?? null,
  );
  return json(migrationView(m), 201);
}

function getOne(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const m = req.rt.store.commerce.migrations.get((req.params.migrationId ?? '').toLowerCase());
  if (!m || m.partnerTenantId !== req.tenant.tenantId || m.customerTenantId !== customer.tenantId) {
    throw errors.notFound(`New-commerce migration ${req.params.migrationId ?? ''}`);
  }
  return json(migrationView(m));
}

/** `PageSize` at most 300 (SDK check, §10); the continuation token is an opaque offset. */
function page<T>(req: PcRequest, items: T[]): { items: T[]; continuationToken: string | null } {
  const raw = req.query('PageSize');
  const size = raw === null ? 100 : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > 300) {
    throw errors.invalidInput('PageSize must be a whole number from 1 to 300.', ['PageSize']);
  }
  const token = req.query('ContinuationToken') ?? req.header('MS-ContinuationToken');
  let offset = 0;
  if (token) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) {
      throw errors.invalidInput('The continuation token is not valid.', ['ContinuationToken']);
    }
    offset = decoded;
  }
  const next = offset + size;
  return {
    items: items.slice(offset, next),
    continuationToken: next < items.length ? Buffer.from(`o:${next}`).toString('base64url') : null,
  };
}

function filters(req: PcRequest) {
  const customer = req.query('CustomerTenantId')?.toLowerCase();
  const sub = req.query('CurrentSubscriptionId')?.toLowerCase();
  const ext = req.query('ExternalReferenceId');
  return (r: {
    partnerTenantId: string;
    customerTenantId: string;
    currentSubscriptionId: string;
    externalReferenceId: string | null;
  }) =>
    r.partnerTenantId === req.tenant.tenantId &&
    (!customer || r.customerTenantId === customer) &&
    (!sub || r.currentSubscriptionId === sub) &&
    (!ext || r.externalReferenceId === ext);
}

/** `GET /v1/migrations/newcommerce?...` → `{newCommerceMigrations, continuationToken}` (§9b). */
function list(req: PcRequest): Response {
  const all = [...req.rt.store.commerce.migrations.values()].filter(filters(req));
  const p = page(req, all);
  return json({
    newCommerceMigrations: p.items.map(migrationView),
    continuationToken: p.continuationToken,
  });
}

/** Events as a bare array (the SDK reads `IEnumerable<NewCommerceMigrationEvent>`). */
function events(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const migrationId = req.query('migration_id')?.toLowerCase();
  const subId = req.query('current_subscription_id')?.toLowerCase();
  return json(
    req.rt.store.commerce.migrationEvents
      .filter(
        (e) =>
          e.partnerTenantId === req.tenant.tenantId &&
          e.customerTenantId === customer.tenantId &&
          (!migrationId || e.newCommerceMigrationId === migrationId) &&
          (!subId || e.currentSubscriptionId === subId),
      )
      .map(({ partnerTenantId: _p, ...e }) => e),
  );
}

function scheduleCreate(req: PcRequest): Response {
  requireAdminAgent(req, 'Scheduling a new-commerce migration');
  const body = req.body(scheduleSchema);
  return json(scheduleView(createSchedule(req.rt, req.tenant, customerOf(req), body)), 201);
}

function scheduleGet(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  return json(
    scheduleView(findSchedule(req.rt, req.tenant, customer, req.params.scheduleId ?? '')),
  );
}

function scheduleUpdate(req: PcRequest): Response {
  requireAdminAgent(req, 'Updating a new-commerce migration schedule');
  const body = req.body(scheduleSchema);
  const customer = customerOf(req);
  const s = findSchedule(req.rt, req.tenant, customer, req.params.scheduleId ?? '');
  return json(scheduleView(updateSchedule(req.rt, req.tenant, customer, s, body)));
}

function scheduleCancel(req: PcRequest): Response {
  requireAdminAgent(req, 'Cancelling a new-commerce migration schedule');
  const customer = customerOf(req);
  const s = findSchedule(req.rt, req.tenant, customer, req.params.scheduleId ?? '');
  return json(scheduleView(cancelSchedule(req.rt, s)));
}

function scheduleList(req: PcRequest): Response {
  const all = [...req.rt.store.commerce.migrationSchedules.values()].filter(filters(req));
  const p = page(req, all);
  return json({
    newCommerceMigrationSchedules: p.items.map(scheduleView),
    continuationToken: p.continuationToken,
  });
}

export function migrationsHandlers(): PcRoute[] {
  const c = '/v1/customers/:customerId/migrations/newcommerce';
  const m = { family: 'migrations' as const, customerParam: 'customerId' };
  return [
    {
      method: 'POST',
      pattern: `${c}/validate`,
      family: 'migration_validate',
      customerParam: 'customerId',
      handle: validate,
    },
    { method: 'GET', pattern: `${c}/events`, ...m, handle: events },
    { method: 'POST', pattern: `${c}/schedules`, ...m, handle: scheduleCreate },
    { method: 'POST', pattern: `${c}/schedules/:scheduleId/cancel`, ...m, handle: scheduleCancel },
    { method: 'GET', pattern: `${c}/schedules/:scheduleId`, ...m, handle: scheduleGet },
    { method: 'PUT', pattern: `${c}/schedules/:scheduleId`, ...m, handle: scheduleUpdate },
    {
      method: 'POST',
      pattern: c,
      family: 'migration_create',
      customerParam: 'customerId',
      handle: create,
    },
    { method: 'GET', pattern: `${c}/:migrationId`, ...m, handle: getOne },
    {
      method: 'GET',
      pattern: '/v1/migrations/newcommerce/schedules',
      family: 'migrations',
      handle: scheduleList,
    },
    { method: 'GET', pattern: '/v1/migrations/newcommerce', family: 'migrations', handle: list },
  ];
}

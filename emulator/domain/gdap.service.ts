import { z } from 'zod';
import type {
  GdapRelationshipRecord,
  GdapRequestAction,
  GdapRequestRecord,
} from '../core/gdap.model.js';
import type { PartnerTenantRecord } from '../core/model.js';
import { addDuration, DAY_MS, parseDuration } from '../core/duration.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { graphErrors } from '../http/graph-responses.js';
import { auditGdap, isLive, openForApproval, ROLE, scheduleStep, touch } from './gdap-lifecycle.js';

export const rolesSchema = z
  .object({
    unifiedRoles: z
      .array(z.object({ roleDefinitionId: z.string().uuid() }).passthrough())
      .min(1, 'at least one unified role is required'),
  })
  .passthrough();

const customerSchema = z
  .object({ tenantId: z.string().uuid(), displayName: z.string().nullish() })
  .passthrough();

export const createRelationshipSchema = z
  .object({
    '@odata.type': z.string().optional(),
    displayName: z.string().trim().min(1).max(50),
    duration: z.string(),
    autoExtendDuration: z.string().optional(),
    customer: customerSchema.optional(),
    accessDetails: rolesSchema,
    /** Indirect variant: the reseller the indirect provider creates the relationship for (a guess). */
    resellerTenantId: z.string().uuid().optional(),
  })
  .passthrough();

export const updateRelationshipSchema = z
  .object({
    displayName: z.string().trim().min(1).max(50).optional(),
    duration: z.string().optional(),
    autoExtendDuration: z.string().optional(),
    customer: customerSchema.optional(),
    accessDetails: rolesSchema.optional(),
  })
  .passthrough();

export const requestSchema = z
  .object({ action: z.enum(['lockForApproval', 'approve', 'terminate', 'reject']) })
  .passthrough();

const AUTO_EXTEND = ['PT0S', 'P0D', 'P180D'];

function checkDuration(rt: EmulatorRuntime, duration: string): void {
  const parsed = parseDuration(duration);
  const now = rt.now();
  if (!parsed) {
    throw graphErrors.badRequest(`duration "${duration}" is not an ISO 8601 duration.`);
  }
  const end = addDuration(now, parsed).getTime();
  if (end < now.getTime() + DAY_MS || end > addDuration(now, 'P2Y').getTime()) {
    throw graphErrors.badRequest(
      `duration must be between P1D and P2Y inclusive, got ${duration}.`,
    );
  }
}

function checkAutoExtend(value: string, roles: string[]): void {
  if (!AUTO_EXTEND.includes(value.toUpperCase())) {
    throw graphErrors.badRequest(`autoExtendDuration must be one of ${AUTO_EXTEND.join(', ')}.`);
  }
  if (value.toUpperCase() === 'P180D' && roles.includes(ROLE.globalAdministrator)) {
    throw graphErrors.badRequest(
      'autoExtendDuration P180D is not allowed for a relationship that includes the Global Administrator role.',
    );
  }
}

function checkUniqueName(
  rt: EmulatorRuntime,
  partnerTenantId: string,
  name: string,
  except?: string,
): void {
  const lower = name.toLowerCase();
  const taken = [...rt.store.gdap.relationships.values()].some(
    (r) =>
      r.partnerTenantId === partnerTenantId &&
      r.id !== except &&
      r.displayName.toLowerCase() === lower,
  );
  if (taken) {
    throw graphErrors.conflict(
      `A delegated admin relationship named "${name}" already exists for this partner; displayName must be unique.`,
    );
  }
}

export const uniqueRoles = (body: z.output<typeof rolesSchema>): string[] => [
  ...new Set(body.unifiedRoles.map((r) => r.roleDefinitionId.toLowerCase())),
];

function customerParticipant(
  rt: EmulatorRuntime,
  input: z.output<typeof customerSchema> | undefined,
): GdapRelationshipRecord['customer'] {
  if (!input) {
    return null;
  }
  const tenantId = input.tenantId.toLowerCase();
  const known = rt.store.customers.get(tenantId);
  return { tenantId, displayName: input.displayName ?? known?.companyName ?? null };
}

/** Relationships the caller can see: its own, and those it created for a reseller. */
export function visibleRelationship(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  id: string,
): GdapRelationshipRecord {
  const rel = rt.store.gdap.relationships.get(id.toLowerCase());
  if (
    !rel ||
    (rel.partnerTenantId !== tenant.tenantId && rel.indirectProviderTenantId !== tenant.tenantId)
  ) {
    throw graphErrors.notFound(`Delegated admin relationship ${id}`);
  }
  return rel;
}

/** Graph's If-Match on updates and deletes: required, and must match the current ETag. */
export function checkIfMatch(ifMatch: string | null, current: string, weak: string): void {
  if (!ifMatch) {
    throw graphErrors.badRequest('The If-Match header is required for this operation.');
  }
  if (ifMatch !== '*' && ifMatch !== weak && ifMatch !== current) {
    throw graphErrors.preconditionFailed(
      'The If-Match ETag does not match the current version of the resource.',
    );
  }
}

export function createRelationship(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  body: z.output<typeof createRelationshipSchema>,
): GdapRelationshipRecord {
  const roles = uniqueRoles(body.accessDetails);
  const autoExtend = (body.autoExtendDuration ?? 'PT0S').toUpperCase();
  checkDuration(rt, body.duration);
  checkAutoExtend(autoExtend, roles);
  const isReseller =
    body['@odata.type']?.toLowerCase().endsWith('resellerdelegatedadminrelationship') ?? false;
  let owner = tenant;
  if (isReseller) {
    const reseller = body.resellerTenantId
      ? rt.store.partners.get(body.resellerTenantId.toLowerCase())
      : undefined;
    if (tenant.kind !== 'indirect_provider') {
      throw graphErrors.forbidden(
        'Only an indirect provider can create a resellerDelegatedAdminRelationship.',
      );
    }
    if (!reseller || !reseller.providerTenantIds.includes(tenant.tenantId)) {
      throw graphErrors.badRequest(
        'resellerTenantId must name an indirect reseller that buys through this indirect provider.',
      );
    }
    owner = reseller;
  }
  checkUniqueName(rt, owner.tenantId, body.displayName);
  const gdap = rt.store.gdap;
  const now = rt.nowIso();
  const rel: GdapRelationshipRecord = {
    id: `${gdap.rng.uuid()}-${gdap.rng.uuid()}`,
    partnerTenantId: owner.tenantId,
    kind: isReseller ? 'reseller' : 'direct',
    indirectProviderTenantId: isReseller ? tenant.tenantId : null,
    isPartnerConsentPending: isReseller,
    displayName: body.displayName,
    duration: body.duration.toUpperCase(),
    autoExtendDuration: autoExtend,
    customer: customerParticipant(rt, body.customer),
    roles,
    status: 'created',
    createdDateTime: now,
    lastModifiedDateTime: now,
    activatedDateTime: null,
    endDateTime: null,
    approvalExpiresAt: null,
    etag: gdap.rng.uuid(),
  };
  gdap.relationships.set(rel.id, rel);
  return rel;
}

/** PATCH: everything while `created`; only autoExtendDuration once active (Graph update page). */
export function updateRelationship(
  rt: EmulatorRuntime,
  rel: GdapRelationshipRecord,
  body: z.output<typeof updateRelationshipSchema>,
): void {
  const structural =
    body.displayName !== undefined ||
    body.duration !== undefined ||
    body.customer !== undefined ||
    body.accessDetails !== undefined;
  if (structural && rel.status !== 'created') {
    throw graphErrors.badRequest(
      `Relationship ${rel.id} is ${rel.status}; only a relationship in the created status can be updated.`,
    );
  }
  if (body.autoExtendDuration !== undefined && !['created', 'active'].includes(rel.status)) {
    throw graphErrors.badRequest(
      `autoExtendDuration can be changed only on a created or active relationship.`,
    );
  }
  const roles = body.accessDetails ? uniqueRoles(body.accessDetails) : rel.roles;
  const autoExtend = (body.autoExtendDuration ?? rel.autoExtendDuration).toUpperCase();
  checkAutoExtend(autoExtend, roles);
  if (body.duration !== undefined) {
    checkDuration(rt, body.duration);
  }
  if (body.displayName !== undefined) {
    checkUniqueName(rt, rel.partnerTenantId, body.displayName, rel.id);
    rel.displayName = body.displayName;
  }
  rel.duration = body.duration?.toUpperCase() ?? rel.duration;
  rel.roles = roles;
  rel.autoExtendDuration = autoExtend;
  if (body.customer) {
    rel.customer = customerParticipant(rt, body.customer);
  }
  touch(rt, rel);
}

export function deleteRelationship(rt: EmulatorRuntime, rel: GdapRelationshipRecord): void {
  if (rel.status !== 'created') {
    throw graphErrors.badRequest(
      `Relationship ${rel.id} is ${rel.status}; only a relationship in the created status can be deleted (terminate it instead).`,
    );
  }
  const gdap = rt.store.gdap;
  gdap.relationships.delete(rel.id);
  for (const [id, r] of gdap.requests) {
    if (r.relationshipId === rel.id) {
      gdap.requests.delete(id);
    }
  }
}

function newRequest(
  rt: EmulatorRuntime,
  rel: GdapRelationshipRecord,
  action: GdapRequestAction,
  status: GdapRequestRecord['status'],
): GdapRequestRecord {
  const now = rt.nowIso();
  const req: GdapRequestRecord = {
    id: rt.store.gdap.rng.uuid(),
    relationshipId: rel.id,
    action,
    status,
    createdDateTime: now,
    lastModifiedDateTime: now,
  };
  rt.store.gdap.requests.set(req.id, req);
  return req;
}

/**
 * `POST .../{id}/requests`: lockForApproval and terminate by the partner; approve and reject by
 * the indirect reseller of a resellerDelegatedAdminRelationship (§11). The response shows the
 * request `created`; reading it back shows `succeeded` (or `pending` while a termination runs).
 */
export function createRequest(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  rel: GdapRelationshipRecord,
  action: GdapRequestAction,
): GdapRequestRecord {
  const gdap = rt.store.gdap;
  const busy = [...gdap.requests.values()].some(
    (r) => r.relationshipId === rel.id && r.status === 'pending',
  );
  if (busy) {
    throw graphErrors.conflict(`Another request on relationship ${rel.id} is still in progress.`);
  }
  const isProvider = rel.indirectProviderTenantId === tenant.tenantId;
  const isOwner = rel.partnerTenantId === tenant.tenantId;
  switch (action) {
    case 'lockForApproval': {
      if (rel.kind === 'reseller') {
        throw graphErrors.badRequest(
          'A resellerDelegatedAdminRelationship goes to the customer when the indirect reseller approves it.',
        );
      }
      if (rel.status !== 'created') {
        throw graphErrors.badRequest(
          `Relationship ${rel.id} is ${rel.status}; lockForApproval needs the created status.`,
        );
      }
      const req = newRequest(rt, rel, action, 'succeeded');
      openForApproval(rt, rel);
      return { ...req, status: 'created' };
    }
    case 'approve':
    case 'reject': {
      if (rel.kind !== 'reseller' || !isOwner) {
        throw graphErrors.badRequest(
          `${action} is for the indirect reseller of a resellerDelegatedAdminRelationship; customers approve in the Microsoft 365 admin center.`,
        );
      }
      if (!rel.isPartnerConsentPending || rel.status !== 'created') {
        throw graphErrors.badRequest(`Relationship ${rel.id} is not waiting for the reseller.`);
      }
      const req = newRequest(rt, rel, action, 'succeeded');
      rel.isPartnerConsentPending = false;
      if (action === 'approve') {
        openForApproval(rt, rel);
        auditGdap(rt, actor, rel, 'granular_admin_relationship_approved', undefined, {
          ApprovedBy: 'IndirectReseller',
        });
      } else {
        rel.status = 'terminated';
        rel.endDateTime = rt.nowIso();
        touch(rt, rel);
        auditGdap(rt, actor, rel, 'granular_admin_relationship_terminated', undefined, {
          Reason: 'RejectedByIndirectReseller',
        });
      }
      return { ...req, status: 'created' };
    }
    case 'terminate': {
      if (!isOwner && !isProvider) {
        throw graphErrors.forbidden('Only the partner of the relationship can terminate it.');
      }
      if (!isLive(rel)) {
        throw graphErrors.badRequest(
          `Relationship ${rel.id} is ${rel.status}; only an active relationship can be terminated.`,
        );
      }
      const req = newRequest(rt, rel, action, 'pending');
      rel.status = 'terminationRequested';
      touch(rt, rel);
      auditGdap(rt, actor, rel, 'granular_admin_relationship_termination_requested');
      scheduleStep(rt, 'terminate', rel.id, addDuration(rt.now(), gdap.settings.terminationDelay));
      return { ...req, status: 'created' };
    }
  }
}

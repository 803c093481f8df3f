import type { GdapRelationshipRecord } from '../core/gdap.model.js';
import type { CustomerRecord, PartnerTenantRecord } from '../core/model.js';
import { addDuration, HOUR_MS } from '../core/duration.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { PcHttpError } from '../http/responses.js';
import { systemActor, writeAudit } from './audit.js';

/** Entra built-in role ids the emulator reasons about (the rest are accepted as opaque GUIDs). */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  billingAdministrator: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  serviceSupportAdministrator: 'f023fd81-a637-4b56-95fd-791ac0226033',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
} as const;

/**
 * With `requireGdap` on, which GDAP roles let a partner act for the customer (a guess: Partner
 * Center documents the Admin agent partner role, Entra documents what each role can do).
 */
export const ROLES_FOR: Record<'commerce' | 'support', string[]> = {
  commerce: [ROLE.globalAdministrator, ROLE.licenseAdministrator, ROLE.billingAdministrator],
  support: [ROLE.globalAdministrator, ROLE.serviceSupportAdministrator, ROLE.helpdeskAdministrator],
};

export type GdapStep =
  | 'customer_approve'
  | 'customer_reject'
  | 'approval_expire'
  | 'expiring'
  | 'end'
  | 'terminate'
  | 'assignment'
  | 'assignment_delete'
  | 'operation';

export function scheduleStep(rt: EmulatorRuntime, step: GdapStep, id: string, at: Date): void {
  rt.schedule('gdap.step', { step, id }, at);
}

export function touch(rt: EmulatorRuntime, rel: GdapRelationshipRecord): void {
  rel.lastModifiedDateTime = rt.nowIso();
  rel.etag = rt.store.gdap.rng.uuid();
}

export function isLive(rel: GdapRelationshipRecord): boolean {
  return rel.status === 'active' || rel.status === 'expiring';
}

/** P180D auto-extension is refused with Global Administrator among the roles (§11). */
export function autoExtends(rel: GdapRelationshipRecord): boolean {
  return rel.autoExtendDuration === 'P180D' && !rel.roles.includes(ROLE.globalAdministrator);
}

function customerOf(rt: EmulatorRuntime, rel: GdapRelationshipRecord): CustomerRecord | null {
  return rel.customer
    ? (rt.store.customers.get(rel.customer.tenantId.toLowerCase()) ?? null)
    : null;
}

/** Writes a `granular_admin_*` record to the owner's log (and the indirect provider's). */
export function auditGdap(
  rt: EmulatorRuntime,
  actor: Actor,
  rel: GdapRelationshipRecord,
  operationType: string,
  resourceType = 'granular_admin_relationship',
  extra: Record<string, string> = {},
): void {
  const logs = [rel.partnerTenantId];
  if (rel.indirectProviderTenantId) {
    logs.push(rel.indirectProviderTenantId);
  }
  for (const partnerTenantId of logs) {
    writeAudit(rt, {
      actor: { ...actor, partnerTenantId },
      customer: customerOf(rt, rel),
      resourceType,
      operationType,
      newValue: {
        id: rel.id,
        displayName: rel.displayName,
        status: rel.status,
        endDateTime: rel.endDateTime,
      },
      customizedData: { RelationshipId: rel.id, ...extra },
    });
  }
}

function customerActor(rel: GdapRelationshipRecord): Actor {
  return systemActor(rel.partnerTenantId, 'customer', `gdap-${rel.id}`);
}

/** After lockForApproval (or a reseller's consent): the request lapses in 90 days; the customer decides. */
export function openForApproval(rt: EmulatorRuntime, rel: GdapRelationshipRecord): void {
  const { settings, decisions } = rt.store.gdap;
  rel.status = 'approvalPending';
  rel.approvalExpiresAt = addDuration(rt.now(), settings.requestExpiry).toISOString();
  touch(rt, rel);
  scheduleStep(rt, 'approval_expire', rel.id, new Date(rel.approvalExpiresAt));
  const customer = customerOf(rt, rel);
  if (!rt.store.autopilot.enabled || !customer) {
    return;
  }
  const decision = decisions.get(customer.tenantId) ?? { mode: 'default' };
  if (decision.mode === 'never') {
    return;
  }
  const hours = decision.mode === 'default' ? settings.approvalHours : decision.hours;
  scheduleStep(
    rt,
    decision.mode === 'reject' ? 'customer_reject' : 'customer_approve',
    rel.id,
    new Date(rt.now().getTime() + hours * HOUR_MS),
  );
}

/** Schedules `expiring` and the end of an active relationship. */
function scheduleEnd(rt: EmulatorRuntime, rel: GdapRelationshipRecord): void {
  if (!rel.endDateTime) {
    return;
  }
  const end = new Date(rel.endDateTime);
  scheduleStep(rt, 'end', rel.id, end);
  if (!autoExtends(rel)) {
    // Never `expiring` for more than half its life, so a P1D relationship is `active` first.
    const start = new Date(rel.activatedDateTime ?? rt.nowIso()).getTime();
    const noticeMs = addDuration(new Date(0), rt.store.gdap.settings.expiringNotice).getTime();
    const at = Math.max(end.getTime() - noticeMs, start + (end.getTime() - start) / 2);
    scheduleStep(rt, 'expiring', rel.id, new Date(at));
  }
}

/** The customer approves through the invitation link: the relationship becomes active. */
export function approveByCustomer(
  rt: EmulatorRuntime,
  rel: GdapRelationshipRecord,
  customer: CustomerRecord,
): void {
  if (rel.status !== 'approvalPending') {
    throw new PcHttpError(
      409,
      'Conflict',
      `Relationship ${rel.id} is ${rel.status}; only approvalPending relationships can be approved.`,
    );
  }
  if (rel.customer && rel.customer.tenantId.toLowerCase() !== customer.tenantId) {
    throw new PcHttpError(
      403,
      'Forbidden',
      `Relationship ${rel.id} was created for customer ${rel.customer.tenantId}.`,
    );
  }
  const now = rt.now();
  rel.customer = { tenantId: customer.tenantId, displayName: customer.companyName };
  rel.status = 'active';
  rel.activatedDateTime = now.toISOString();
  rel.endDateTime = addDuration(now, rel.duration).toISOString();
  rel.approvalExpiresAt = null;
  touch(rt, rel);
  const actor = customerActor(rel);
  auditGdap(rt, actor, rel, 'granular_admin_relationship_approved');
  auditGdap(rt, actor, rel, 'granular_admin_relationship_activated');
  scheduleEnd(rt, rel);
}

/** The customer declines (a guess: the relationship ends `terminated`). */
export function rejectByCustomer(
  rt: EmulatorRuntime,
  rel: GdapRelationshipRecord,
  customer: CustomerRecord,
): void {
  if (rel.status !== 'approvalPending') {
    throw new PcHttpError(
      409,
      'Conflict',
      `Relationship ${rel.id} is ${rel.status}; only approvalPending relationships can be rejected.`,
    );
  }
  rel.status = 'terminated';
  rel.endDateTime = rt.nowIso();
  rel.approvalExpiresAt = null;
  touch(rt, rel);
  auditGdap(rt, customerActor(rel), rel, 'granular_admin_relationship_terminated', undefined, {
    Reason: 'RejectedByCustomer',
    CustomerTenantId: customer.tenantId,
  });
}

function endAssignments(rt: EmulatorRuntime, rel: GdapRelationshipRecord): void {
  for (const a of rt.store.gdap.accessAssignments.values()) {
    if (a.relationshipId === rel.id && a.status !== 'deleted') {
      a.status = 'deleted';
      a.lastModifiedDateTime = rt.nowIso();
    }
  }
}

function finishRequests(rt: EmulatorRuntime, relId: string, action: string): void {
  for (const r of rt.store.gdap.requests.values()) {
    if (r.relationshipId === relId && r.action === action && r.status === 'pending') {
      r.status = 'succeeded';
      r.lastModifiedDateTime = rt.nowIso();
    }
  }
}

/** Runs one scheduled GDAP step; each re-checks the state, so stale steps do nothing. */
export function runGdapStep(rt: EmulatorRuntime, target: Record<string, string>): void {
  const gdap = rt.store.gdap;
  const id = target.id ?? '';
  const now = rt.now().getTime();
  const rel = gdap.relationships.get(id);
  const system = systemActor(rel?.partnerTenantId ?? '', 'microsoft_support', `gdap-${id}`);
  switch (target.step as GdapStep) {
    case 'customer_approve':
    case 'customer_reject': {
      const customer = rel ? customerOf(rt, rel) : null;
      if (rt.store.autopilot.enabled && rel && customer && rel.status === 'approvalPending') {
        (target.step === 'customer_approve' ? approveByCustomer : rejectByCustomer)(
          rt,
          rel,
          customer,
        );
      }
      return;
    }
    case 'approval_expire':
      if (
        rel?.status === 'approvalPending' &&
        rel.approvalExpiresAt &&
        Date.parse(rel.approvalExpiresAt) <= now
      ) {
        rel.status = 'expired';
        rel.approvalExpiresAt = null;
        touch(rt, rel);
        auditGdap(rt, system, rel, 'granular_admin_relationship_expired', undefined, {
          Reason: 'ApprovalRequestExpired',
        });
      }
      return;
    case 'expiring':
      if (rel?.status === 'active' && !autoExtends(rel)) {
        rel.status = 'expiring';
        touch(rt, rel);
      }
      return;
    case 'end':
      if (rel && isLive(rel) && rel.endDateTime && Date.parse(rel.endDateTime) <= now) {
        if (autoExtends(rel)) {
          rel.endDateTime = addDuration(new Date(rel.endDateTime), 'P180D').toISOString();
          rel.status = 'active';
          touch(rt, rel);
          auditGdap(rt, system, rel, 'extend_relationship', undefined, { Extension: 'P180D' });
          scheduleEnd(rt, rel);
        } else {
          rel.status = 'expired';
          touch(rt, rel);
          endAssignments(rt, rel);
          auditGdap(rt, system, rel, 'granular_admin_relationship_expired');
        }
      }
      return;
    case 'terminate':
      if (rel?.status === 'terminationRequested') {
        rel.status = 'terminated';
        rel.endDateTime = rt.nowIso();
        touch(rt, rel);
        endAssignments(rt, rel);
        finishRequests(rt, rel.id, 'terminate');
        auditGdap(rt, system, rel, 'granular_admin_relationship_terminated');
      }
      return;
    case 'assignment': {
      const a = gdap.accessAssignments.get(id);
      const owner = a ? gdap.relationships.get(a.relationshipId) : undefined;
      if (a?.status === 'pending' && owner) {
        a.status = isLive(owner) ? 'active' : 'error';
        a.lastModifiedDateTime = rt.nowIso();
        a.etag = gdap.rng.uuid();
        if (a.status === 'active') {
          auditGdap(
            rt,
            system,
            owner,
            'granular_admin_access_assignment_activated',
            'granular_admin_access_assignment',
            { AccessAssignmentId: a.id, SecurityGroupId: a.accessContainerId },
          );
        }
      }
      return;
    }
    case 'assignment_delete': {
      const a = gdap.accessAssignments.get(id);
      if (a?.status === 'deleting') {
        a.status = 'deleted';
        a.lastModifiedDateTime = rt.nowIso();
      }
      return;
    }
    case 'operation': {
      const op = gdap.operations.get(id);
      if (op?.status !== 'running') {
        return;
      }
      const change = JSON.parse(op.data) as { accessAssignmentId: string; roles: string[] };
      const a = gdap.accessAssignments.get(change.accessAssignmentId);
      const owner = gdap.relationships.get(op.relationshipId);
      op.lastModifiedDateTime = rt.nowIso();
      if (!a || !owner || !isLive(owner) || a.status === 'deleted' || a.status === 'deleting') {
        op.status = 'failed';
        return;
      }
      a.roles = change.roles;
      a.status = 'active';
      a.lastModifiedDateTime = rt.nowIso();
      a.etag = gdap.rng.uuid();
      op.status = 'succeeded';
      auditGdap(
        rt,
        system,
        owner,
        'granular_admin_access_assignment_updated',
        'granular_admin_access_assignment',
        { AccessAssignmentId: a.id },
      );
      return;
    }
  }
}

/**
 * `requireGdap` (scenario setting, default off): acting for a customer needs an active GDAP
 * relationship holding one of the roles for that purpose, instead of DAP. Refused with 403/20002
 * and a description naming the roles (a guess; README "Where we guessed").
 */
export function requireAdminAccess(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customerTenantId: string,
  purpose: 'commerce' | 'support',
): void {
  const gdap = rt.store.gdap;
  if (!gdap.settings.requireGdap) {
    return;
  }
  const customerId = customerTenantId.toLowerCase();
  const roles = ROLES_FOR[purpose];
  const ok = [...gdap.relationships.values()].some(
    (r) =>
      r.partnerTenantId === tenant.tenantId &&
      r.customer?.tenantId.toLowerCase() === customerId &&
      isLive(r) &&
      r.roles.some((role) => roles.includes(role)),
  );
  if (!ok) {
    throw new PcHttpError(
      403,
      20002,
      `The partner has no active granular delegated admin (GDAP) relationship with customer ${customerTenantId} granting one of the roles ${roles.join(', ')}; DAP is not accepted.`,
    );
  }
}

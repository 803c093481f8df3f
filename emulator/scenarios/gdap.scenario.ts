import { z } from 'zod';
import type {
  GdapDecision,
  GdapRelationshipRecord,
  GdapSettings,
  GdapStatus,
} from '../core/gdap.model.js';
import type { CustomerRecord, PartnerTenantRecord } from '../core/model.js';
import { addDuration, DAY_MS } from '../core/duration.js';
import type { Store } from '../core/store.js';
import { ROLE } from '../domain/gdap-lifecycle.js';

/** Scenario-file aliases for the Entra roles GDAP relationships usually carry. */
export const ROLE_ALIASES: Record<string, string> = {
  'global-admin': ROLE.globalAdministrator,
  'license-admin': ROLE.licenseAdministrator,
  'billing-admin': ROLE.billingAdministrator,
  'user-admin': ROLE.userAdministrator,
  'helpdesk-admin': ROLE.helpdeskAdministrator,
  'service-support-admin': ROLE.serviceSupportAdministrator,
  'directory-readers': ROLE.directoryReaders,
};

const DEFAULT_ROLES = [
  'directory-readers',
  'license-admin',
  'helpdesk-admin',
  'service-support-admin',
];

/** What a customer does with a GDAP invitation: hours until it approves, `never`, or a rejection. */
export const gdapDecisionSchema = z.union([
  z.literal('never'),
  z.literal('default'),
  z.literal('reject'),
  z.number().nonnegative(),
  z.object({ afterHours: z.number().nonnegative() }).strict(),
  z.object({ rejectAfterHours: z.number().nonnegative() }).strict(),
]);

export type GdapDecisionInput = z.infer<typeof gdapDecisionSchema>;

export function toGdapDecision(input: GdapDecisionInput | undefined): GdapDecision {
  if (input === undefined || input === 'default') {
    return { mode: 'default' };
  }
  if (input === 'never') {
    return { mode: 'never' };
  }
  if (input === 'reject') {
    return { mode: 'reject', hours: 0 };
  }
  if (typeof input === 'number') {
    return { mode: 'approve', hours: input };
  }
  return 'afterHours' in input
    ? { mode: 'approve', hours: input.afterHours }
    : { mode: 'reject', hours: input.rejectAfterHours };
}

const relationshipInput = z
  .object({
    partner: z.string(),
    displayName: z.string().max(50).optional(),
    /** Role aliases (`license-admin`, ...) or role definition GUIDs. */
    roles: z.array(z.string()).min(1).optional(),
    status: z
      .enum(['active', 'approvalPending', 'created', 'expired', 'terminated'])
      .default('active'),
    duration: z.string().default('P730D'),
    autoExtend: z.boolean().default(false),
    /** Days since activation (active) or since lockForApproval (approvalPending). */
    daysAgo: z.number().int().nonnegative().optional(),
  })
  .strict();

/** A customer's `gdap` entry in a scenario file. */
export const customerGdapSchema = z
  .object({
    decision: gdapDecisionSchema.optional(),
    relationships: z.array(relationshipInput).default([]),
  })
  .strict();

/** The scenario's top-level `gdap` settings. */
export const gdapSettingsSchema = z
  .object({
    requireGdap: z.boolean().optional(),
    approvalHours: z.number().nonnegative().optional(),
    requestExpiry: z.string().optional(),
    expiringNotice: z.string().optional(),
    assignmentDelay: z.string().optional(),
    terminationDelay: z.string().optional(),
  })
  .strict();

export type CustomerGdapInput = z.output<typeof customerGdapSchema>;

export function resolveRole(alias: string): string {
  const id = ROLE_ALIASES[alias.toLowerCase()] ?? alias.toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new Error(`Scenario GDAP role "${alias}" is neither a known alias nor a GUID`);
  }
  return id;
}

export function applyGdapSettings(
  store: Store,
  patch: z.output<typeof gdapSettingsSchema> | undefined,
): void {
  if (patch) {
    store.gdap.settings = { ...store.gdap.settings, ...patch } as GdapSettings;
  }
}

function pushStep(store: Store, step: string, id: string, at: Date, now: Date): void {
  store.actions.push({
    id: `gdap.step-scenario-${store.actions.length}-${store.gdap.rng.int(0, 1e9)}`,
    dueAt: at.toISOString(),
    kind: 'gdap.step',
    target: { step, id },
    createdAt: now.toISOString(),
  });
}

/** Adds a scenario customer's GDAP decision and existing relationships (with their clock steps). */
export function applyCustomerGdap(
  store: Store,
  customer: CustomerRecord,
  input: CustomerGdapInput | undefined,
  partnerOf: (key: string) => PartnerTenantRecord,
  now: Date,
): void {
  if (!input) {
    return;
  }
  const gdap = store.gdap;
  if (input.decision !== undefined) {
    gdap.decisions.set(customer.tenantId, toGdapDecision(input.decision));
  }
  input.relationships.forEach((r, i) => {
    const partner = partnerOf(r.partner);
    const roles = [...new Set((r.roles ?? DEFAULT_ROLES).map(resolveRole))];
    const daysAgo = r.daysAgo ?? gdap.rng.int(20, 300);
    const since = new Date(Math.floor((now.getTime() - daysAgo * DAY_MS) / 1000) * 1000);
    const autoExtend = r.autoExtend && !roles.includes(ROLE.globalAdministrator);
    let status: GdapStatus = r.status;
    let end = r.status === 'active' ? addDuration(since, r.duration) : null;
    if (status === 'active' && end && end.getTime() <= now.getTime() && !autoExtend) {
      status = 'expired';
    }
    while (status === 'active' && end && autoExtend && end.getTime() <= now.getTime()) {
      end = addDuration(end, 'P180D');
    }
    const rel: GdapRelationshipRecord = {
      id: `${gdap.rng.uuid()}-${gdap.rng.uuid()}`,
      partnerTenantId: partner.tenantId,
      kind: 'direct',
      indirectProviderTenantId: null,
      isPartnerConsentPending: false,
      displayName: r.displayName ?? `${partner.name.slice(0, 30)} GDAP ${i + 1}`.slice(0, 50),
      duration: r.duration,
      autoExtendDuration: autoExtend ? 'P180D' : 'PT0S',
      customer: { tenantId: customer.tenantId, displayName: customer.companyName },
      roles,
      status,
      createdDateTime: new Date(since.getTime() - DAY_MS).toISOString(),
      lastModifiedDateTime: since.toISOString(),
      activatedDateTime: r.status === 'active' ? since.toISOString() : null,
      endDateTime: end ? end.toISOString() : null,
      approvalExpiresAt:
        status === 'approvalPending'
          ? addDuration(since, gdap.settings.requestExpiry).toISOString()
          : null,
      etag: gdap.rng.uuid(),
    };
    gdap.relationships.set(rel.id, rel);
    if (status === 'active' && end) {
      pushStep(store, 'end', rel.id, end, now);
      if (!autoExtend) {
        pushStep(store, 'expiring', rel.id, new Date(end.getTime() - 30 * DAY_MS), now);
      }
      // The partner's Admin Agents group holds the relationship's roles (usual setup).
      const a = gdap.rng.uuid();
      gdap.accessAssignments.set(a, {
        id: a,
        relationshipId: rel.id,
        accessContainerId: partner.adminAgentsGroupId,
        accessContainerType: 'securityGroup',
        roles,
        status: 'active',
        createdDateTime: since.toISOString(),
        lastModifiedDateTime: since.toISOString(),
        etag: gdap.rng.uuid(),
      });
    }
    if (status === 'approvalPending' && rel.approvalExpiresAt) {
      pushStep(store, 'approval_expire', rel.id, new Date(rel.approvalExpiresAt), now);
      const decision = gdap.decisions.get(customer.tenantId) ?? { mode: 'default' };
      if (decision.mode !== 'never') {
        const hours = decision.mode === 'default' ? gdap.settings.approvalHours : decision.hours;
        pushStep(
          store,
          decision.mode === 'reject' ? 'customer_reject' : 'customer_approve',
          rel.id,
          new Date(now.getTime() + hours * 3_600_000),
          now,
        );
      }
    }
  });
}

import { type GdapClientFactory } from '../../graph/gdap.client.js';
import { type GdapRelationship } from '../../graph/gdap.contracts.js';
import {
  DEFAULT_GDAP_ROLE_TEMPLATE,
  type GdapRoleTemplate,
  type GdapRoleTemplateInput,
  validateGdapRoleTemplate,
} from '../../graph/gdap-role-template.js';
import { requireUpstream } from '../../partner-center/upstream.js';
import { type Clock } from '../../shared/clock.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { err, ok, type DomainError, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { ActivityRecorder } from '../activity-log/activity-recorder.js';
import { type OrganizationService } from '../organizations/organization.service.js';
import {
  findGdapRoleTemplate,
  saveGdapRoleTemplate,
  type StoredGdapRoleTemplate,
} from './gdap-template.repository.js';

const DAY_MS = 86_400_000;
export const MAX_EXPIRY_WINDOW_DAYS = 730;

export interface GdapTemplateView {
  template: GdapRoleTemplate;
  isDefault: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

/**
 * The organization's GDAP role template (set through GraphQL, kept in the database, in the
 * activity log) and the GDAP reads of the API: relationships per customer and those expiring.
 */
export class GdapService {
  private readonly recorder: ActivityRecorder;

  constructor(
    private readonly deps: {
      db: EngineDb;
      graph: GdapClientFactory;
      organizations: OrganizationService;
      clock: Clock;
    },
  ) {
    this.recorder = new ActivityRecorder(deps.db);
  }

  async template(scope: RequestScope): Promise<GdapTemplateView> {
    const stored = await findGdapRoleTemplate(this.deps.db, scope.actor.organizationId);
    if (stored) {
      return {
        template: stored.template,
        isDefault: false,
        updatedAt: stored.updatedAt,
        updatedBy: stored.updatedBy,
      };
    }
    const checked = validateGdapRoleTemplate(DEFAULT_GDAP_ROLE_TEMPLATE);
    if (!checked.ok) {
      throw new Error('the default GDAP role template does not validate');
    }
    return { template: checked.value, isDefault: true, updatedAt: null, updatedBy: null };
  }

  /** Validates and stores the template; bad input changes nothing (every error names its field). */
  async setTemplate(
    scope: RequestScope,
    input: GdapRoleTemplateInput,
  ): Promise<Result<GdapTemplateView, DomainError[]>> {
    const checked = validateGdapRoleTemplate(input);
    if (!checked.ok) {
      return err(checked.error);
    }
    const at = this.deps.clock.now().toISOString();
    const stored: StoredGdapRoleTemplate = {
      template: checked.value,
      updatedAt: at,
      updatedBy: scope.actor.userId,
    };
    await saveGdapRoleTemplate(this.deps.db, scope.actor.organizationId, stored);
    const t = checked.value;
    await this.recorder.record({
      organizationId: scope.actor.organizationId,
      at,
      actor: scope.actor.name ?? scope.actor.userId,
      operation: 'set_gdap_role_template',
      source: 'PRODUCT',
      details: `GDAP role template set: ${t.roleIds.length} role(s) (${t.roleIds.join(', ')}), ${t.duration}, ${t.autoExtend ? 'auto-extends' : 'no auto-extension'}, ${t.accessAssignments.length} security group(s).`,
    });
    return ok({ template: t, isDefault: false, updatedAt: at, updatedBy: scope.actor.userId });
  }

  /** A customer's GDAP relationships with one partner tenant of the caller (live from Graph). */
  async relationshipsOf(
    scope: RequestScope,
    partnerTenantId: string,
    customerTenantId: string,
  ): Promise<GdapRelationship[]> {
    const tenant = await this.deps.organizations.tenantForActor(scope, partnerTenantId);
    if (!tenant) {
      return [];
    }
    const rels = await requireUpstream(() =>
      this.deps.graph.forTenant(tenant.tenantId).listRelationships({ customerTenantId }),
    );
    return rels.sort((a, b) => (a.createdDateTime ?? '').localeCompare(b.createdDateTime ?? ''));
  }

  /**
   * Active relationships of a partner tenant that end within `withinDays` and do not auto-extend
   * (those that do renew themselves), soonest first; null when the tenant is not the caller's.
   */
  async expiring(
    scope: RequestScope,
    partnerTenantId: string,
    withinDays: number,
  ): Promise<GdapRelationship[] | null> {
    const tenant = await this.deps.organizations.tenantForActor(scope, partnerTenantId);
    if (!tenant) {
      return null;
    }
    const now = this.deps.clock.now().getTime();
    const until = now + withinDays * DAY_MS;
    const rels = await requireUpstream(() =>
      this.deps.graph.forTenant(tenant.tenantId).listRelationships(),
    );
    return rels
      .filter((r) => {
        const end = r.endDateTime ? Date.parse(r.endDateTime) : NaN;
        return (
          ['active', 'expiring'].includes(r.status) &&
          (r.autoExtendDuration ?? 'PT0S').toUpperCase() !== 'P180D' &&
          end >= now &&
          end <= until
        );
      })
      .sort((a, b) => Date.parse(a.endDateTime ?? '') - Date.parse(b.endDateTime ?? ''));
  }
}

import { type RequestScope } from '../../shared/request-scope.js';
import {
  type OrganizationService,
  type TenantRecord,
} from '../../modules/organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { checkGlobalId, CUSTOMER_ID, PARTNER_TENANT_ID } from '../../shared/input-validation.js';
import { err, ok, type DomainError, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import * as repo from '../../workflows/engine/workflow.repository.js';
import { type WorkflowService } from '../../workflows/workflow.service.js';
import { type Clock } from '../../shared/clock.js';
import { type GdapPlanner } from '../shared/gdap/gdap-planner.js';
import { CONSOLIDATION_GDAP_ROUTE } from './steps/gdap.steps.js';
import { CUSTOMER, type ConsolidationData, type TenantRef } from './consolidation.model.js';
import { TRANSFER_SUBSCRIPTION_LIMIT } from './consolidation-paths.model.js';
import { planConsolidation } from './consolidation.planner.js';
import { customersConsolidatedAwayFrom } from './consolidation.repository.js';
import { type ConsolidationExportService } from './consolidation-export.service.js';
import { type ConsolidationViewService } from './consolidation-view.service.js';
import { planOptions, type PlanOptionsInput, waveSiblings } from './consolidation-paths.service.js';
import { SourceGdapPreflight } from './consolidation-source-gdap.js';
import { GraphError, type GdapClientFactory } from '../../graph/gdap.client.js';
import { type GdapMode } from '../procedure-module.js';

export interface PlanTenantConsolidationInput {
  sourcePartnerTenantIds: string[];
  targetPartnerTenantId: string;
  customerIds?: string[] | null;
  options?: PlanOptionsInput | null;
  idempotencyKey?: string | null;
}

const toRef = (t: TenantRecord): TenantRef => ({
  tenantId: t.tenantId,
  name: t.name,
  mpnId: t.mpnId,
  country: t.country,
  region: t.region,
});

/** planTenantConsolidation: validates the input, inventories the sources and stores a DRAFT. */
export class ConsolidationService {
  constructor(
    private readonly deps: {
      db: EngineDb;
      organizations: OrganizationService;
      workflows: WorkflowService;
      clients: PartnerCenterClientFactory;
      clock?: Clock;
      /** GDAP for the target (issue 15 item 2); absent or off: no GDAP step. */
      gdap?: GdapPlanner;
      /** The source tenants' GDAP pre-flight (SOURCE_GDAP_MISSING); absent or off: none. */
      sourceGdap?: { graph: GdapClientFactory; mode: GdapMode };
    },
  ) {}

  async plan(
    scope: RequestScope,
    input: PlanTenantConsolidationInput,
  ): Promise<Result<WorkflowRow>> {
    const resolved = await this.resolveInput(scope, input);
    if (!resolved.ok) {
      return resolved;
    }
    const { sources, target, only } = resolved.value;
    const options = planOptions(input.options);
    if (!options.ok) {
      return options;
    }
    return this.deps.workflows.createPlanned(
      scope.actor,
      'TENANT_CONSOLIDATION',
      {
        value: {
          sources: sources.map((s) => s.tenantId).sort(),
          target: target.tenantId,
          customers: only ? [...only].sort() : null,
          ...(Object.keys(options.value).length > 0 ? { options: options.value } : {}),
        },
        idempotencyKey: input.idempotencyKey ?? null,
      },
      async () => {
        const busy = await this.busyCustomers(scope.actor.organizationId);
        const consolidatedAway = new Map<string, Map<string, string[]>>();
        for (const tenant of [...sources, target]) {
          consolidatedAway.set(
            tenant.tenantId,
            await customersConsolidatedAwayFrom(
              this.deps.db,
              scope.actor.organizationId,
              tenant.tenantId,
            ),
          );
        }
        const sourceGdap =
          this.deps.sourceGdap && this.deps.sourceGdap.mode !== 'off'
            ? new SourceGdapPreflight({
                ...this.deps.sourceGdap,
                now: this.deps.clock?.now() ?? new Date(),
              })
            : undefined;
        let plan;
        try {
          plan = await planConsolidation(this.deps.clients, {
            ...(sourceGdap ? { sourceGdap } : {}),
            sources: sources.map(toRef),
            target: toRef(target),
            only,
            busyCustomers: busy,
            consolidatedAway,
            options: options.value,
            waveSiblings: await waveSiblings(this.deps.db, target.tenantId, [
              ...consolidatedAway.values(),
            ]),
          });
        } catch (error) {
          if (error instanceof GraphError) {
            return err({
              code: 'GRAPH_ERROR',
              message: `Microsoft Graph refused the source tenants' GDAP read (${error.message}); nothing was planned.`,
            });
          }
          // The inventory could not be read: nothing is stored, the caller may simply try again.
          if (error instanceof PartnerCenterError) {
            return err({
              code: 'PARTNER_CENTER_ERROR',
              message: `Partner Center refused the inventory (${error.operation}: ${error.status} ${error.code} ${error.description}); nothing was planned.`,
            });
          }
          throw error;
        }
        const checked = sourceGdap?.event();
        if (checked) {
          plan.events.push(checked);
        }
        if (options.value.wave !== undefined && plan.waves.length === 0) {
          return err({
            code: 'WAVE_NOT_NEEDED',
            message: `options.wave ${options.value.wave} was given, but no source tenant has more than ${TRANSFER_SUBSCRIPTION_LIMIT} subscriptions to transfer, so this plan has no waves (what remains fits in one consolidation, §11). Plan again without options.wave; nothing was planned.`,
            field: ['input', 'options', 'wave'],
          });
        }
        const data: ConsolidationData = {
          sources: sources.map(toRef),
          target: toRef(target),
          ...(Object.keys(options.value).length > 0 ? { options: options.value } : {}),
        };
        // R-CON-2 with GDAP: per customer, what the target reuses, extends or creates.
        const gdap = await this.deps.gdap?.planFor(
          scope.actor.organizationId,
          [target.tenantId],
          plan.items,
          (item) =>
            item.kind === CUSTOMER && item.customerTenantId
              ? {
                  partnerTenantId: target.tenantId,
                  partnerName: target.name,
                  customerTenantId: item.customerTenantId,
                  companyName: (item.data as { companyName?: string }).companyName ?? '',
                  ...CONSOLIDATION_GDAP_ROUTE,
                }
              : null,
          this.deps.clock?.now() ?? new Date(),
        );
        if (gdap && !gdap.ok) {
          return gdap;
        }
        if (gdap?.value) {
          data.gdap = gdap.value.plan;
          plan.events.push(gdap.value.event);
        }
        return ok({
          data: data as unknown as Record<string, unknown>,
          items: plan.items,
          blockers: plan.blockers,
          events: plan.events,
        });
      },
    );
  }

  /** Customers with an unfinished customer item in a running consolidation of the organization. */
  async busyCustomers(organizationId: string, excludeWorkflowId?: string): Promise<Set<string>> {
    const { db } = this.deps;
    const rows = await repo.openItemsOfKind(db, organizationId, 'TENANT_CONSOLIDATION', CUSTOMER);
    return new Set(
      rows
        .filter((r) => r.workflowId !== excludeWorkflowId && r.customerTenantId)
        .map((r) => r.customerTenantId as string),
    );
  }

  private async resolveInput(
    scope: RequestScope,
    input: PlanTenantConsolidationInput,
  ): Promise<Result<{ sources: TenantRecord[]; target: TenantRecord; only: Set<string> | null }>> {
    const { organizations } = this.deps;
    const fail = (error: DomainError) => err(error);
    if (input.sourcePartnerTenantIds.length === 0) {
      return fail({
        code: 'REQUIRED',
        message: 'Name at least one source ("transition from") partner tenant.',
        field: ['input', 'sourcePartnerTenantIds'],
      });
    }
    // A decoded id is still input: its key parts must be GUIDs before they reach a Partner Center path.
    const tenantOf = async (id: string) => {
      const checked = checkGlobalId(id, [], PARTNER_TENANT_ID);
      return checked.ok
        ? organizations.tenantForActor(scope, checked.value.parts[0] as string)
        : null;
    };
    const sources: TenantRecord[] = [];
    for (const [index, id] of input.sourcePartnerTenantIds.entries()) {
      const tenant = await tenantOf(id);
      if (!tenant) {
        return fail({
          code: 'NOT_FOUND',
          message: 'No partner tenant of your organization has this id.',
          field: ['input', 'sourcePartnerTenantIds', String(index)],
        });
      }
      if (sources.some((s) => s.tenantId === tenant.tenantId)) {
        return fail({
          code: 'DUPLICATE',
          message: `Source tenant ${tenant.name} is listed twice.`,
          field: ['input', 'sourcePartnerTenantIds', String(index)],
        });
      }
      sources.push(tenant);
    }
    const target = await tenantOf(input.targetPartnerTenantId);
    if (!target) {
      return fail({
        code: 'NOT_FOUND',
        message: 'No partner tenant of your organization has this id.',
        field: ['input', 'targetPartnerTenantId'],
      });
    }
    if (sources.some((s) => s.tenantId === target.tenantId)) {
      return fail({
        code: 'INVALID_TARGET',
        message: 'The target ("transition to") tenant cannot also be a source.',
        field: ['input', 'targetPartnerTenantId'],
      });
    }
    let only: Set<string> | null = null;
    if (input.customerIds) {
      only = new Set();
      for (const [index, id] of input.customerIds.entries()) {
        const checked = checkGlobalId(id, [], CUSTOMER_ID);
        const [tenantId, customerId] = checked.ok ? checked.value.parts : [];
        if (!tenantId || !customerId || !sources.some((s) => s.tenantId === tenantId)) {
          return fail({
            code: 'NOT_FOUND',
            message: 'No customer of the source tenants has this id.',
            field: ['input', 'customerIds', String(index)],
          });
        }
        only.add(`${tenantId}/${customerId}`);
      }
      if (only.size === 0) {
        return fail({
          code: 'REQUIRED',
          message: 'customerIds, when given, must name at least one customer.',
          field: ['input', 'customerIds'],
        });
      }
    }
    return ok({ sources, target, only });
  }
}

/**
 * Refuses to start a consolidation whose customers another running consolidation already moves:
 * two would order every subscription twice. Planned drafts do not hold customers; started ones do.
 */
export function consolidationStartGuard(db: EngineDb) {
  return async (row: WorkflowRow): Promise<Result<void>> => {
    const open = await repo.openItemsOfKind(
      db,
      row.organizationId,
      'TENANT_CONSOLIDATION',
      CUSTOMER,
    );
    const busy = new Set(
      open.filter((o) => o.workflowId !== row.id).map((o) => o.customerTenantId),
    );
    if (busy.size === 0) {
      return ok(undefined);
    }
    // Only the customer items: a 5,000-customer draft holds 55,001 items, and reading them all
    // here was the API's largest allocation at start (issue 20).
    const mine = (await repo.itemsOfKind(db, row.id, CUSTOMER)).filter(
      (i) => i.status !== 'BLOCKED' && busy.has(i.customerTenantId),
    );
    if (mine.length === 0) {
      return ok(undefined);
    }
    const names = mine.map(
      (i) => (JSON.parse(i.dataJson) as { companyName?: string }).companyName ?? i.customerTenantId,
    );
    return err({
      code: 'ALREADY_IN_CONSOLIDATION',
      message: `Another running consolidation already moves ${names.join(', ')}; plan again to exclude them.`,
      field: ['input', 'id'],
    });
  };
}

/** The consolidation's services in the request context. */
export interface ConsolidationServices {
  consolidations: ConsolidationService;
  consolidationViews: ConsolidationViewService;
  consolidationExports: ConsolidationExportService;
}

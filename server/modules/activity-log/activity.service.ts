import { checkText } from '../../shared/input-validation.js';
import { type Actor } from '../../shared/actor.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { getWorkflowsByIds } from '../../workflows/engine/workflow.repository.js';
import { type OrganizationService } from '../organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type PcAuditRecord } from '../../partner-center/contracts/audit-records.js';
import { listAuditRecords } from '../../partner-center/operations.js';
import { type Clock } from '../../shared/clock.js';
import {
  type ConnectionPage,
  connectionFromSlice,
  decodeCursor,
  encodeCursor,
  resolveFirst,
  type PageArgs,
} from '../../shared/pagination.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { BadUserInputError } from '../../shared/errors.js';
import { type DomainError } from '../../shared/result.js';
import { TEXT_LIMITS } from '../../shared/validation.js';
import {
  getActivityEntry,
  getAuditCursor,
  insertActivityEntries,
  listActivityEntries,
  setAuditCursor,
  type ActivityEntryRow,
  type ActivityQuery,
  type NewActivityEntry,
} from './activity.repository.js';

export type { ActivityEntryRow } from './activity.repository.js';

const DAY_MS = 86_400_000;
/** Partner Center keeps audit records 90 days; a start date further back is refused (reference §8). */
const AUDIT_RETENTION_DAYS = 90;
/** With no dates Partner Center returns the last 30 days; our first read does the same. */
const FIRST_READ_DAYS = 30;

export interface ActivityFilter {
  from?: string | null;
  to?: string | null;
  customerSearch?: string | null;
  workflowId?: string | null;
}

/** Input checks of an activity filter (issue 8): a bounded search, a date range that is one. */
export function activityFilterProblem(filter: ActivityFilter, field: string[]): DomainError | null {
  const search = checkText(filter.customerSearch, [...field, 'customerSearch'], {
    label: 'The customer search',
    max: TEXT_LIMITS.search,
  });
  if (!search.ok) {
    return search.error;
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    return {
      code: 'INVALID_DATE_RANGE',
      message: '"from" is after "to".',
      field: [...field, 'to'],
    };
  }
  return null;
}

function subscriptionOf(record: PcAuditRecord): string | null {
  const data = record.customizedData ?? [];
  const found = data.find((d) => /^subscriptionid(-0)?$/i.test(d.key));
  return found?.value ?? null;
}

/**
 * The activity log (R-CON-9): entries we write for every change we make, plus the Partner Center
 * audit records of the organization's tenants, read incrementally and kept without the 90-day limit.
 */
export class ActivityService {
  private readonly lastSync = new Map<string, number>();

  constructor(
    private readonly deps: {
      db: EngineDb;
      clients: PartnerCenterClientFactory;
      clock: Clock;
      organizations: OrganizationService;
      /** Told when an audit read fails; the log then shows what it already has. */
      onSyncError?: (error: unknown) => void;
      /** Minimum wall time between two audit reads of one organization. */
      auditSyncIntervalMs?: number;
    },
  ) {}

  /**
   * Reads new Partner Center audit records of the tenants into the log. Each tenant's window
   * restarts at the last day read (records are de-duplicated by id), never before the 90-day limit.
   */
  async syncAuditRecords(
    organizationId: string,
    tenantIds: string[],
    force = false,
  ): Promise<number> {
    const interval = this.deps.auditSyncIntervalMs ?? 30_000;
    const last = this.lastSync.get(organizationId) ?? 0;
    if (!force && Date.now() - last < interval) {
      return 0;
    }
    this.lastSync.set(organizationId, Date.now());
    const now = this.deps.clock.now();
    const oldest = new Date(now.getTime() - (AUDIT_RETENTION_DAYS - 1) * DAY_MS)
      .toISOString()
      .slice(0, 10);
    let inserted = 0;
    for (const tenantId of tenantIds) {
      const cursor = await getAuditCursor(this.deps.db, tenantId);
      const fallback = new Date(now.getTime() - FIRST_READ_DAYS * DAY_MS)
        .toISOString()
        .slice(0, 10);
      const startDate = [cursor ?? fallback, oldest].sort().at(-1) as string;
      const records = await listAuditRecords(this.deps.clients.forTenant(tenantId), {
        startDate,
        endDate: now.toISOString().slice(0, 10),
      });
      // Anyone's change shows up here (a customer accepting, Microsoft support moving a subscription).
      this.deps.clients.readCache?.invalidateForAuditRecords(tenantId, records);
      const entries: NewActivityEntry[] = records.map((r) => ({
        organizationId,
        at: new Date(r.operationDate).toISOString(),
        actor: r.userPrincipalName ?? 'Partner Center',
        operation: r.operationType,
        source: 'PARTNER_CENTER_AUDIT',
        partnerTenantId: tenantId,
        customerTenantId: r.customerId ?? null,
        customerName: r.customerName ?? null,
        workflowId: null,
        subscriptionId: subscriptionOf(r),
        details: [r.resourceType, r.operationStatus].filter(Boolean).join(' ') || null,
        externalId: `pc:${tenantId}:${r.id}`,
      }));
      await insertActivityEntries(this.deps.db, entries);
      inserted += entries.length;
      await setAuditCursor(this.deps.db, tenantId, now.toISOString().slice(0, 10));
    }
    return inserted;
  }

  /** Reads the audit records of the caller's tenants (throttled; a Partner Center failure is logged, not thrown). */
  async syncForActor(scope: RequestScope): Promise<void> {
    const tenants = await this.deps.organizations.tenantsOfOrganization(
      scope,
      scope.actor.organizationId,
    );
    try {
      await this.syncAuditRecords(
        scope.actor.organizationId,
        tenants.map((t) => t.tenantId),
      );
    } catch (error) {
      this.lastSync.delete(scope.actor.organizationId);
      this.deps.onSyncError?.(error);
    }
  }

  /** Kinds of the named workflows (to build their global ids). */
  async workflowKinds(ids: Array<string | null>): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
    const rows = await getWorkflowsByIds(this.deps.db, unique);
    return new Map(rows.map((r) => [r.id, r.kind]));
  }

  async list(
    actor: Actor,
    filter: ActivityFilter,
    args: PageArgs,
  ): Promise<ConnectionPage<ActivityEntryRow>> {
    const first = resolveFirst(args.first);
    const problem = activityFilterProblem(filter, ['filter']);
    if (problem) {
      throw new BadUserInputError(problem.message, problem.field?.join('.'));
    }
    const scope = 'activity';
    const after = args.after ? decodeCursor(scope, args.after) : null;
    const query: ActivityQuery = { organizationId: actor.organizationId, ...filter };
    const { rows, totalCount } = await listActivityEntries(this.deps.db, query, {
      limit: first + 1,
      after: after ? { at: String(after[0]), id: Number(after[1]) } : null,
    });
    const page = rows.slice(0, first);
    return connectionFromSlice(
      page.map((row) => ({ node: row, cursor: encodeCursor(scope, [row.at, row.id]) })),
      { hasNextPage: rows.length > first, hasPreviousPage: after !== null, totalCount },
    );
  }

  /** One entry of the caller's organization, or undefined. */
  async get(actor: Actor, id: number): Promise<ActivityEntryRow | undefined> {
    if (!Number.isSafeInteger(id)) {
      return undefined;
    }
    const row = await getActivityEntry(this.deps.db, id);
    return row?.organizationId === actor.organizationId ? row : undefined;
  }

  /** Every entry matching the filter (for exports), oldest first. */
  async all(actor: Actor, filter: ActivityFilter): Promise<ActivityEntryRow[]> {
    const out: ActivityEntryRow[] = [];
    let after: { at: string; id: number } | null = null;
    for (;;) {
      const { rows } = await listActivityEntries(
        this.deps.db,
        { organizationId: actor.organizationId, ...filter },
        { limit: 1000, after },
      );
      out.push(...rows);
      const last = rows.at(-1);
      if (!last || rows.length < 1000) {
        return out;
      }
      after = { at: last.at, id: last.id };
    }
  }
}

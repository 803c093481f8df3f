import { storeExport } from '../../modules/exports/export-store.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { type ExportFormat, type Table } from '../../modules/exports/export-format.js';
import { type OrganizationService } from '../../modules/organizations/organization.service.js';
import { listCustomerAuditRecords } from '../../partner-center/azure-plan.operations.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type PcAuditRecord } from '../../partner-center/contracts/audit-records.js';
import { type PcSubscription } from '../../partner-center/contracts/subscriptions.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { mapProductFamily, mapSubscriptionStatus } from '../../partner-center/mapping.js';
import { type Clock } from '../../shared/clock.js';
import { ProductFamily, type SubscriptionStatus } from '../../shared/enums.js';
import { checkGlobalId, CUSTOMER_ID } from '../../shared/input-validation.js';
import { err, ok, type Result } from '../../shared/result.js';
import { upstreamError } from '../../partner-center/upstream.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { activityOfSubscriptions } from './azure-plan.repository.js';

const DAY_MS = 86_400_000;
/** Partner Center keeps audit records 90 days; an older start date is refused (reference §8). */
const AUDIT_DAYS = 89;

export interface AzureHistoryEntry {
  at: string;
  /** The commerce subscription's status after this change, when the record says it. */
  status: SubscriptionStatus | null;
  operation: string;
  /** PARTNER_CENTER (subscription or audit record) or PRODUCT (a change this API made). */
  source: 'PARTNER_CENTER' | 'PRODUCT';
  details: string | null;
}

/** One legacy "Microsoft Azure" (0145P) subscription, both parts and its history (R-AZP-8). */
export interface AzureReconciliationRow {
  commerceSubscriptionId: string;
  azureSubscriptionId: string;
  /** Equal at purchase; different after a partner transfer or billing-ownership change. */
  idsDiffer: boolean;
  friendlyName: string | null;
  resellerMpnId: string | null;
  status: SubscriptionStatus;
  entitlementStatus: SubscriptionStatus | null;
  azurePlanSubscriptionId: string | null;
  purchasedAt: string | null;
  history: AzureHistoryEntry[];
}

export interface AzureReconciliation {
  partnerTenantId: string;
  customerTenantId: string;
  companyName: string;
  domain: string;
  country: string | null;
  generatedAt: string;
  rows: AzureReconciliationRow[];
}

const isFamily = (s: PcSubscription, family: ProductFamily) =>
  mapProductFamily(s.offerId, s.offerName) === family;

/** resourceNewValue is a JSON string in PascalCase; read its keys case-insensitively. */
function newValueOf(record: PcAuditRecord): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(record.resourceNewValue ?? 'null');
    if (!parsed || typeof parsed !== 'object') {
      return {};
    }
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]),
    );
  } catch {
    return {};
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/**
 * The 0145P reconciliation view of one customer (R-AZP-8): for each legacy Azure subscription its
 * commerce id and Azure subscription (entitlement) id, reseller of record, status, the Azure plan
 * it is attached to after the transition, and its history from Partner Center's audit records
 * (90 days) and our own activity log (kept longer). Read live; exportable as CSV/XLSX.
 */
export class AzureReconciliationService {
  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      organizations: OrganizationService;
      clients: PartnerCenterClientFactory;
      publicUrl: string;
    },
  ) {}

  async reconcile(scope: RequestScope, customerId: string): Promise<AzureReconciliation | null> {
    // A decoded id is still input: both parts must be GUIDs before they reach a Partner Center path.
    const checked = checkGlobalId(customerId, ['input', 'customerId'], CUSTOMER_ID);
    const [tenantId, customerTenantId] = checked.ok ? checked.value.parts : [];
    const tenant =
      tenantId && customerTenantId
        ? await this.deps.organizations.tenantForActor(scope, tenantId)
        : null;
    if (!tenant || !customerTenantId) {
      return null;
    }
    const client = this.deps.clients.forTenant(tenant.tenantId);
    try {
      const now = this.deps.clock.now();
      const [customer, subscriptions, audit] = await Promise.all([
        client.getCustomer(customerTenantId),
        client.listSubscriptions(customerTenantId),
        listCustomerAuditRecords(client, customerTenantId, {
          startDate: new Date(now.getTime() - AUDIT_DAYS * DAY_MS).toISOString().slice(0, 10),
          endDate: now.toISOString().slice(0, 10),
        }),
      ]);
      const legacy = subscriptions.filter((s) => isFamily(s, ProductFamily.AZURE_LEGACY));
      const plans = subscriptions.filter(
        (s) => isFamily(s, ProductFamily.AZURE_PLAN) && s.status !== 'deleted',
      );
      const entitlements = new Map(
        await Promise.all(
          [...plans, ...legacy].map(
            async (s) =>
              [s.id, await client.listAzureEntitlements(customerTenantId, s.id)] as const,
          ),
        ),
      );
      const ours = await activityOfSubscriptions(
        this.deps.db,
        scope.actor.organizationId,
        customerTenantId,
        legacy.map((s) => s.id),
      );
      const rows = legacy.map((s): AzureReconciliationRow => {
        const azureId = s.entitlementId ?? s.id;
        const lower = azureId.toLowerCase();
        const plan = plans.find((p) =>
          (entitlements.get(p.id) ?? []).some((e) => e.id.toLowerCase() === lower),
        );
        const link =
          (plan ? entitlements.get(plan.id) : entitlements.get(s.id))?.find(
            (e) => e.id.toLowerCase() === lower,
          ) ?? null;
        const history: AzureHistoryEntry[] = [];
        if (s.creationDate) {
          history.push({
            at: new Date(s.creationDate).toISOString(),
            status: mapSubscriptionStatus('active'),
            operation: 'purchased',
            source: 'PARTNER_CENTER',
            details: `Bought ${s.offerName ?? s.offerId}${s.partnerId ? ` through reseller ${s.partnerId}` : ''}.`,
          });
        }
        for (const record of audit) {
          const value = newValueOf(record);
          const ids = [value.id, value.subscriptionid, value.azuresubscriptionid].map(str);
          const ordered = (record.customizedData ?? []).some(
            (d) => /^subscriptionid(-\d+)?$/i.test(d.key) && d.value === s.id,
          );
          if (!ids.includes(s.id) && !ids.includes(azureId) && !ordered) {
            continue;
          }
          const status = str(value.status);
          const planId = str(value.azureplansubscriptionid);
          history.push({
            at: new Date(record.operationDate).toISOString(),
            status: status ? mapSubscriptionStatus(status) : null,
            operation: record.operationType,
            source: 'PARTNER_CENTER',
            details:
              [
                status ? `status ${status}` : null,
                planId ? `Azure plan ${planId}` : null,
                record.userPrincipalName ? `by ${record.userPrincipalName}` : null,
              ]
                .filter(Boolean)
                .join(', ') || null,
          });
        }
        for (const entry of ours.filter((e) => e.subscriptionId === s.id)) {
          history.push({
            at: entry.at,
            status: null,
            operation: entry.operation,
            source: 'PRODUCT',
            details: entry.details,
          });
        }
        history.sort((a, b) => a.at.localeCompare(b.at));
        return {
          commerceSubscriptionId: s.id,
          azureSubscriptionId: azureId,
          idsDiffer: azureId.toLowerCase() !== s.id.toLowerCase(),
          friendlyName: s.friendlyName ?? null,
          resellerMpnId: s.partnerId || null,
          status: mapSubscriptionStatus(s.status),
          entitlementStatus: link ? mapSubscriptionStatus(link.status) : null,
          azurePlanSubscriptionId: plan?.id ?? null,
          purchasedAt: s.creationDate ? new Date(s.creationDate).toISOString() : null,
          history,
        };
      });
      return {
        partnerTenantId: tenant.tenantId,
        customerTenantId,
        companyName: customer.companyProfile.companyName,
        domain: customer.companyProfile.domain,
        country:
          customer.billingProfile?.defaultAddress?.country ??
          customer.companyProfile.address?.country ??
          null,
        generatedAt: now.toISOString(),
        rows,
      };
    } catch (error) {
      if (error instanceof PartnerCenterError) {
        if (error.isNotFound) {
          return null;
        }
        throw upstreamError(error);
      }
      throw error;
    }
  }

  /** The reconciliation as a file: one row per history entry of each 0145P subscription. */
  async export(
    scope: RequestScope,
    input: { customerId: string; format: ExportFormat },
  ): Promise<Result<{ fileName: string; contentType: string; rowCount: number; url: string }>> {
    const view = await this.reconcile(scope, input.customerId);
    if (!view) {
      return err({
        code: 'NOT_FOUND',
        message: 'No customer of your partner tenants has this id.',
        field: ['input', 'customerId'],
      });
    }
    const table: Table = {
      sheetName: 'Azure 0145P reconciliation',
      columns: [
        { key: 'commerceSubscriptionId', header: 'Commerce subscription id', width: 38 },
        { key: 'azureSubscriptionId', header: 'Azure subscription (entitlement) id', width: 38 },
        { key: 'idsDiffer', header: 'Ids differ' },
        { key: 'resellerMpnId', header: 'Reseller of record (MPN id)' },
        { key: 'currentStatus', header: 'Current status' },
        { key: 'azurePlanSubscriptionId', header: 'Azure plan subscription id', width: 38 },
        { key: 'at', header: 'Date (UTC)', width: 26, type: 'date' },
        { key: 'status', header: 'Status after change' },
        { key: 'operation', header: 'Operation', width: 30 },
        { key: 'source', header: 'Source' },
        { key: 'details', header: 'Details', width: 60 },
      ],
      rows: view.rows.flatMap((r) =>
        (r.history.length > 0 ? r.history : [null]).map((h) => ({
          commerceSubscriptionId: r.commerceSubscriptionId,
          azureSubscriptionId: r.azureSubscriptionId,
          idsDiffer: r.idsDiffer,
          resellerMpnId: r.resellerMpnId,
          currentStatus: r.status,
          azurePlanSubscriptionId: r.azurePlanSubscriptionId,
          at: h?.at ?? null,
          status: h?.status ?? null,
          operation: h?.operation ?? null,
          source: h?.source ?? null,
          details: h?.details ?? null,
        })),
      ),
    };
    return ok(
      await storeExport(
        this.deps,
        scope,
        `azure-reconciliation-${view.customerTenantId}`,
        table,
        input.format,
      ),
    );
  }
}

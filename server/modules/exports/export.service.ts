import { fileSlug, storeExport, type ExportResult } from './export-store.js';

export type { ExportResult } from './export-store.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { type Actor, canReadCustomerData } from '../../shared/actor.js';
import { type Clock } from '../../shared/clock.js';
import { mapLimit } from '../../shared/concurrency.js';
import { checkGlobalId, CUSTOMER_ID, PARTNER_TENANT_ID } from '../../shared/input-validation.js';
import { err, ok, type DomainError, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import {
  activityFilterProblem,
  type ActivityFilter,
  type ActivityService,
} from '../activity-log/activity.service.js';
import { type CustomerRecord, type CustomerService } from '../customers/customer.service.js';
import { type OrganizationService } from '../organizations/organization.service.js';
import {
  type SubscriptionRecord,
  type SubscriptionService,
} from '../subscriptions/subscription.service.js';
import { BillingType, SubscriptionStatus } from '../../shared/enums.js';
import { type ExportFormat, type Table } from './export-format.js';
import { getExportFile, type ExportFileRow } from './export.repository.js';

/** File-name stem of activity-log exports: the one export that is not customer data. */
export const ACTIVITY_LOG_EXPORT_NAME = 'activity-log';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const TENANT_NOT_FOUND: DomainError = {
  code: 'NOT_FOUND',
  message: 'No partner tenant of your organization has this id.',
  field: ['input', 'partnerTenantId'],
};

/** The customer list's columns (documented in README.md and the mutation's description). */
export const CUSTOMER_COLUMNS: Table['columns'] = [
  { key: 'customer', header: 'Customer', width: 30 },
  { key: 'customerTenantId', header: 'Customer tenant id', width: 38 },
  { key: 'domain', header: 'Domain', width: 30 },
  { key: 'country', header: 'Country', width: 8 },
  { key: 'relationship', header: 'Relationship', width: 12 },
  { key: 'partnerTenant', header: 'Partner tenant', width: 25 },
  { key: 'mcaSigned', header: 'Microsoft Customer Agreement signed', width: 12 },
  { key: 'subscriptions', header: 'Subscriptions', width: 12 },
  { key: 'active', header: 'Active', width: 8 },
  { key: 'suspended', header: 'Suspended', width: 10 },
  { key: 'deleted', header: 'Deleted', width: 8 },
  { key: 'seats', header: 'Active license seats', width: 10 },
];

/** A download: the file, or `forbidden` when the caller lacks the roles for its data. */
export type ExportDownload =
  { file: ExportFileRow; forbidden?: never } | { forbidden: true; file?: never };

/** CSV/XLSX exports (R-CON-1, R-CON-9): generated at request, stored, downloaded with a bearer token. */
export class ExportService {
  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      organizations: OrganizationService;
      customers: CustomerService;
      subscriptions: SubscriptionService;
      activity: ActivityService;
      /** Absolute base URL of this API, for download links. */
      publicUrl: string;
      ttlMs?: number;
    },
  ) {}

  private store(
    scope: RequestScope,
    baseName: string,
    table: Table,
    format: ExportFormat,
  ): Promise<ExportResult> {
    return storeExport(this.deps, scope, baseName, table, format);
  }

  private async tenantOf(scope: RequestScope, partnerTenantId: string) {
    // A decoded id is still input: its part is re-checked as a GUID (issue 17).
    const checked = checkGlobalId(partnerTenantId, ['input', 'partnerTenantId'], PARTNER_TENANT_ID);
    return checked.ok
      ? await this.deps.organizations.tenantForActor(scope, checked.value.parts[0] as string)
      : null;
  }

  private async allCustomers(scope: RequestScope, tenantId: string): Promise<CustomerRecord[]> {
    const customers: CustomerRecord[] = [];
    let after: string | null = null;
    do {
      const page = await this.deps.customers.listCustomersOfTenant(scope, tenantId, {
        first: 100,
        after,
      });
      customers.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return customers;
  }

  private async allSubscriptions(
    scope: RequestScope,
    customer: CustomerRecord,
  ): Promise<SubscriptionRecord[]> {
    const subscriptions: SubscriptionRecord[] = [];
    let after: string | null = null;
    do {
      const page = await this.deps.subscriptions.listSubscriptions(scope, customer, {
        first: 100,
        after,
      });
      subscriptions.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return subscriptions;
  }

  /**
   * Every customer of a partner tenant, one row each, those without any subscription included
   * (R-CON-9): the list a partner checks a consolidation or a transfer against.
   */
  async exportCustomers(
    scope: RequestScope,
    input: { partnerTenantId: string; format: ExportFormat },
  ): Promise<Result<ExportResult>> {
    const tenant = await this.tenantOf(scope, input.partnerTenantId);
    if (!tenant) {
      return err(TENANT_NOT_FOUND);
    }
    const customers = await this.allCustomers(scope, tenant.tenantId);
    const rows = await mapLimit(customers, 8, async (customer) => {
      const [subscriptions, country, mcaSigned] = await Promise.all([
        this.allSubscriptions(scope, customer),
        this.deps.customers.country(scope, customer),
        this.deps.customers.customerAgreementSigned(scope, customer),
      ]);
      const count = (status: SubscriptionStatus) =>
        subscriptions.filter((s) => s.status === status).length;
      return {
        customer: customer.companyName,
        customerTenantId: customer.tenantId,
        domain: customer.domain,
        country: country || null,
        relationship: customer.relationship,
        partnerTenant: tenant.name,
        mcaSigned,
        subscriptions: subscriptions.length,
        active: count(SubscriptionStatus.ACTIVE),
        suspended: count(SubscriptionStatus.SUSPENDED),
        deleted: count(SubscriptionStatus.DELETED),
        seats: subscriptions
          .filter(
            (s) => s.status === SubscriptionStatus.ACTIVE && s.billingType === BillingType.LICENSE,
          )
          .reduce((sum, s) => sum + s.quantity, 0),
      };
    });
    const table: Table = {
      sheetName: 'Customers',
      columns: CUSTOMER_COLUMNS,
      rows,
    };
    return ok(await this.store(scope, `customers-${fileSlug(tenant.name)}`, table, input.format));
  }

  /** A tenant's customers and their subscriptions (the portal's "export to Excel", R-CON-1). */
  async exportSubscriptions(
    scope: RequestScope,
    input: { partnerTenantId: string; customerId?: string | null; format: ExportFormat },
  ): Promise<Result<ExportResult>> {
    const tenant = await this.tenantOf(scope, input.partnerTenantId);
    if (!tenant) {
      return err(TENANT_NOT_FOUND);
    }
    let customers: CustomerRecord[] = [];
    // An empty id is not "no customer": only null or absent exports every customer.
    if (input.customerId !== null && input.customerId !== undefined) {
      const key = checkGlobalId(input.customerId, ['input', 'customerId'], CUSTOMER_ID);
      const customer =
        key.ok && key.value.parts[0] === tenant.tenantId
          ? await this.deps.customers.getCustomer(
              scope,
              tenant.tenantId,
              key.value.parts[1] as string,
            )
          : null;
      if (!customer) {
        return err({
          code: 'NOT_FOUND',
          message: 'No customer of this partner tenant has this id.',
          field: ['input', 'customerId'],
        });
      }
      customers = [customer];
    } else {
      customers = await this.allCustomers(scope, tenant.tenantId);
    }
    const perCustomer = await mapLimit(customers, 8, async (customer) =>
      (await this.allSubscriptions(scope, customer)).map((s) => ({
        customer: customer.companyName,
        customerTenantId: customer.tenantId,
        domain: customer.domain,
        partnerTenant: tenant.name,
        subscriptionId: s.subscriptionId,
        offerId: s.offerId,
        offerName: s.offerName,
        friendlyName: s.friendlyName,
        seats: s.quantity,
        status: s.status,
        billingType: s.billingType,
        productFamily: s.productFamily,
        reseller: s.resellerMpnId,
        azureSubscriptionId: s.entitlementId,
        commitmentEndDate: iso(s.commitmentEndDate),
      })),
    );
    const table: Table = {
      sheetName: 'Subscriptions',
      columns: [
        { key: 'customer', header: 'Customer', width: 30 },
        { key: 'customerTenantId', header: 'Customer tenant id', width: 38 },
        { key: 'domain', header: 'Domain', width: 30 },
        { key: 'partnerTenant', header: 'Partner tenant', width: 25 },
        { key: 'subscriptionId', header: 'Subscription id', width: 38 },
        { key: 'offerId', header: 'Offer id', width: 38 },
        { key: 'offerName', header: 'Offer', width: 30 },
        { key: 'friendlyName', header: 'Friendly name', width: 25 },
        { key: 'seats', header: 'Seats', width: 8 },
        { key: 'status', header: 'Status', width: 12 },
        { key: 'billingType', header: 'Billing', width: 10 },
        { key: 'productFamily', header: 'Product family', width: 15 },
        { key: 'reseller', header: 'Reseller of record (MPN id)', width: 20 },
        { key: 'azureSubscriptionId', header: 'Azure subscription id', width: 38 },
        { key: 'commitmentEndDate', header: 'Commitment end (UTC)', width: 25, type: 'date' },
      ],
      rows: perCustomer.flat(),
    };
    return ok(
      await this.store(scope, `subscriptions-${fileSlug(tenant.name)}`, table, input.format),
    );
  }

  /** The activity log with a filter (R-CON-9: by date range and customer). */
  async exportActivityLog(
    scope: RequestScope,
    input: { filter: ActivityFilter; format: ExportFormat },
  ): Promise<Result<ExportResult>> {
    const problem = activityFilterProblem(input.filter, ['input', 'filter']);
    if (problem) {
      return err(problem);
    }
    const rows = await this.deps.activity.all(scope.actor, input.filter);
    const table: Table = {
      sheetName: 'Activity log',
      columns: [
        { key: 'at', header: 'When (UTC)', width: 25, type: 'date' },
        { key: 'actor', header: 'Who', width: 30 },
        { key: 'operation', header: 'Operation', width: 28 },
        { key: 'customer', header: 'Customer', width: 30 },
        { key: 'customerTenantId', header: 'Customer tenant id', width: 38 },
        { key: 'subscriptionId', header: 'Subscription id', width: 38 },
        { key: 'workflowId', header: 'Workflow', width: 38 },
        { key: 'source', header: 'Source', width: 22 },
        { key: 'details', header: 'Details', width: 80 },
      ],
      rows: rows.map((r) => ({
        at: r.at,
        actor: r.actor,
        operation: r.operation,
        customer: r.customerName,
        customerTenantId: r.customerTenantId,
        subscriptionId: r.subscriptionId,
        workflowId: r.workflowId,
        source: r.source,
        details: r.details,
      })),
    };
    return ok(await this.store(scope, ACTIVITY_LOG_EXPORT_NAME, table, input.format));
  }

  /**
   * A stored export for a download by its organization (anyone else: undefined, as if absent).
   * The caller's roles are re-checked at download (issue 17): every export but the activity log
   * holds customer and subscription data, which needs the roles `customers` needs, whoever made it.
   */
  async download(actor: Actor, id: string): Promise<ExportDownload | undefined> {
    const row = await getExportFile(this.deps.db, actor.organizationId, id);
    if (!row || row.expiresAt <= this.deps.clock.now().toISOString()) {
      return undefined;
    }
    const activityLog = row.fileName.startsWith(`${ACTIVITY_LOG_EXPORT_NAME}-`);
    return activityLog || canReadCustomerData(actor) ? { file: row } : { forbidden: true };
  }
}

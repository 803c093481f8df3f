import { type RequestScope } from '../../shared/request-scope.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { mapRelationship } from '../../partner-center/mapping.js';
import { type CustomerRelationship } from '../../shared/enums.js';
import { BadUserInputError, NotFoundError } from '../../shared/errors.js';
import { TEXT_LIMITS } from '../../shared/validation.js';
import {
  compareSortKeys,
  type ConnectionPage,
  type PageArgs,
  paginateInMemory,
  type SortKey,
} from '../../shared/pagination.js';
import { readUpstream, requireUpstream } from '../../partner-center/upstream.js';
import { type OrganizationService } from '../organizations/organization.service.js';
import { customerKey } from './customer.loaders.js';

/** A customer of one partner tenant (one customer tenant can be served by several partner tenants). */
export interface CustomerRecord {
  partnerTenantId: string;
  tenantId: string;
  companyName: string;
  domain: string;
  /** Null when the list entry did not carry it; {@link CustomerService.country} then reads the customer. */
  country: string | null;
  relationship: CustomerRelationship;
}

export interface CustomerSearchArgs extends PageArgs {
  search?: string | null;
}

const customerSortKey = (c: CustomerRecord): SortKey => [c.companyName.toLowerCase(), c.tenantId];

function toRecord(partnerTenantId: string, c: PcCustomer): CustomerRecord {
  return {
    partnerTenantId,
    tenantId: c.companyProfile.tenantId || c.id,
    companyName: c.companyProfile.companyName,
    domain: c.companyProfile.domain,
    country: c.billingProfile?.defaultAddress?.country ?? c.companyProfile.address?.country ?? null,
    relationship: mapRelationship(c.relationshipToPartner),
  };
}

/** Customers, read live from Partner Center. */
export class CustomerService {
  /**
   * Records per Partner Center list, sorted: the read cache hands out the same list object while it
   * is fresh, so a page request does not map and sort the tenant's whole list again.
   */
  private readonly sorted = new WeakMap<PcCustomer[], CustomerRecord[]>();

  constructor(private readonly deps: { organizations: OrganizationService }) {}

  private records(partnerTenantId: string, all: PcCustomer[]): CustomerRecord[] {
    let records = this.sorted.get(all);
    if (!records) {
      records = all
        .map((c) => toRecord(partnerTenantId, c))
        .sort((a, b) => compareSortKeys(customerSortKey(a), customerSortKey(b)));
      this.sorted.set(all, records);
    }
    return records;
  }

  /**
   * A page of the tenant's customers. Partner Center's list has seek paging and no total, so the
   * full list is read once per request (following continuation tokens), then searched
   * (case-insensitive substring of company name or domain) and keyset-paginated here, sorted by
   * company name then customer tenant id.
   */
  async listCustomers(
    scope: RequestScope,
    partnerTenantId: string,
    args: CustomerSearchArgs,
  ): Promise<ConnectionPage<CustomerRecord>> {
    if ((args.search ?? '').length > TEXT_LIMITS.search) {
      // Checked before anything is read (issue 8).
      throw new BadUserInputError(
        `"search" is at most ${TEXT_LIMITS.search} characters.`,
        'search',
      );
    }
    const tenant = await this.deps.organizations.tenantForActor(scope, partnerTenantId);
    if (!tenant) {
      throw new NotFoundError('No partner tenant with this id.');
    }
    return this.listCustomersOfTenant(scope, tenant.tenantId, args);
  }

  /** Same as {@link listCustomers} for a tenant already checked to be the caller's. */
  async listCustomersOfTenant(
    scope: RequestScope,
    partnerTenantId: string,
    args: CustomerSearchArgs,
  ): Promise<ConnectionPage<CustomerRecord>> {
    const all = await requireUpstream(() =>
      scope.loaders.customers.customersByTenant.load(partnerTenantId),
    );
    const needle = args.search?.trim().toLowerCase();
    const sorted = this.records(partnerTenantId, all);
    const records = needle
      ? sorted.filter(
          (c) =>
            c.companyName.toLowerCase().includes(needle) || c.domain.toLowerCase().includes(needle),
        )
      : sorted;
    return paginateInMemory(records, args, {
      scope: `customers:${partnerTenantId}`,
      sortKey: customerSortKey,
      presorted: true,
    });
  }

  /** One customer of one of the caller's tenants, or null (unknown tenant, other organization, no relationship). */
  async getCustomer(
    scope: RequestScope,
    partnerTenantId: string,
    customerTenantId: string,
  ): Promise<CustomerRecord | null> {
    const tenant = await this.deps.organizations.tenantForActor(scope, partnerTenantId);
    if (!tenant) {
      return null;
    }
    const customer = await readUpstream(() =>
      scope.loaders.customers.customerById.load(customerKey(partnerTenantId, customerTenantId)),
    );
    return customer ? toRecord(partnerTenantId, customer) : null;
  }

  /** The customer's country; reads the full customer when the list entry lacked it. */
  async country(scope: RequestScope, customer: CustomerRecord): Promise<string> {
    if (customer.country !== null) {
      return customer.country;
    }
    const full = await readUpstream(() =>
      scope.loaders.customers.customerById.load(
        customerKey(customer.partnerTenantId, customer.tenantId),
      ),
    );
    return full ? (toRecord(customer.partnerTenantId, full).country ?? '') : '';
  }

  /** Whether the customer signed the Microsoft Customer Agreement (agreements API, R-AZP-1). */
  async customerAgreementSigned(scope: RequestScope, customer: CustomerRecord): Promise<boolean> {
    const signed = await readUpstream(() =>
      scope.loaders.customers.mcaSigned.load(
        customerKey(customer.partnerTenantId, customer.tenantId),
      ),
    );
    return signed ?? false;
  }
}

import {
  AZURE_PLAN_OFFER_ID,
  MCA_LINK,
  MCA_TEMPLATE_ID,
  type Catalog,
  type CatalogOffer,
} from '../core/catalog.js';
import { DAY_MS } from '../core/duration.js';
import { termDates } from '../domain/commerce-terms.js';
import type {
  ActorBehaviour,
  CustomerRecord,
  PartnerTenantRecord,
  SubscriptionRecord,
  SubscriptionStatus,
} from '../core/model.js';
import { countryInfo } from '../core/regions.js';
import type { Store } from '../core/store.js';
import { applyCustomerGdap } from './gdap.scenario.js';
import { addScenarioTransfers, toTransferBehaviour } from './build-commerce.js';
import type { BehaviourInput, ParsedCustomer, ParsedScenario } from './scenario.schema.js';

/** Owner, the role CSP's admin-on-behalf-of foreign principal holds on a legacy Azure subscription. */
export const OWNER_ROLE_DEFINITION_GUID = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 24);
}

function toBehaviour(input: BehaviourInput | undefined): ActorBehaviour {
  if (input === undefined || input === 'default') {
    return { mode: 'default' };
  }
  if (input === 'never') {
    return { mode: 'never' };
  }
  return { mode: 'after', hours: typeof input === 'number' ? input : input.afterHours };
}

const FIRST_NAMES = [
  'Camille',
  'Lukas',
  'Lucía',
  'Giulia',
  'Noah',
  'Emma',
  'Hugo',
  'Mia',
  'Mateo',
  'Sofia',
  'Liam',
  'Anna',
];
const LAST_NAMES = [
  'Martin',
  'Müller',
  'García',
  'Rossi',
  'Dubois',
  'Schmidt',
  'López',
  'Bianchi',
  'Smith',
  'Murphy',
];
const CITIES: Record<string, string[]> = {
  FR: ['Paris', 'Lyon', 'Marseille', 'Toulouse'],
  DE: ['Berlin', 'München', 'Hamburg', 'Köln'],
  ES: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla'],
  IT: ['Milano', 'Roma', 'Torino', 'Napoli'],
  IE: ['Dublin', 'Cork'],
  GB: ['London', 'Manchester', 'Leeds'],
  MA: ['Casablanca', 'Rabat'],
  CA: ['Toronto', 'Vancouver'],
  US: ['Seattle', 'Austin'],
};

/** Adds a parsed scenario's organizations, partners and customers to a store. */
export class ScenarioBuilder {
  private readonly partnerByKey = new Map<string, PartnerTenantRecord>();
  private readonly customerByKey = new Map<string, CustomerRecord>();

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly now: Date,
  ) {
    for (const p of store.partners.values()) {
      this.partnerByKey.set(p.tenantId, p);
    }
  }

  private get rng() {
    return this.store.rng;
  }

  private iso(daysAgo: number): string {
    return new Date(
      Math.floor((this.now.getTime() - daysAgo * DAY_MS) / 1000) * 1000,
    ).toISOString();
  }

  partner(key: string): PartnerTenantRecord {
    const p = this.partnerByKey.get(key) ?? this.store.partners.get(key);
    if (!p) {
      throw new Error(`Scenario refers to unknown partner "${key}"`);
    }
    return p;
  }

  private addPartner(
    key: string,
    input: {
      name: string;
      country: string;
      kind: PartnerTenantRecord['kind'];
      labels: string[];
      tenantId?: string;
      mpnId?: string;
      domain?: string;
    },
    organizationId: string,
  ): PartnerTenantRecord {
    const existing = this.partnerByKey.get(key);
    if (existing) {
      return existing;
    }
    const country = input.country.toUpperCase();
    const p: PartnerTenantRecord = {
      tenantId: (input.tenantId ?? this.rng.uuid()).toLowerCase(),
      organizationId,
      name: input.name,
      mpnId: input.mpnId ?? this.rng.digits(7),
      country,
      region: countryInfo(country).region,
      kind: input.kind,
      labels: input.labels,
      providerTenantIds: [],
      adminAgentsGroupId: this.rng.uuid(),
      domain: input.domain ?? `${slug(input.name)}.onmicrosoft.com`,
    };
    this.store.addPartner(p);
    this.partnerByKey.set(key, p);
    return p;
  }

  build(scenario: ParsedScenario): void {
    for (const org of scenario.organizations) {
      const orgId = org.id ?? this.rng.uuid();
      this.store.addOrganization({ id: orgId, name: org.name });
      for (const t of org.tenants) {
        const tenant = this.addPartner(t.key, t, orgId);
        if (t.autopilot?.acceptTransfers !== undefined) {
          this.store.commerce.partnerActors.set(tenant.tenantId, {
            partnerTenantId: tenant.tenantId,
            acceptTransfers: toTransferBehaviour(t.autopilot.acceptTransfers),
          });
        }
        for (const r of t.resellers) {
          let reseller = this.partnerByKey.get(r.key);
          if (!reseller) {
            const resellerOrg = this.rng.uuid();
            const name = r.name ?? r.key;
            this.store.addOrganization({ id: resellerOrg, name });
            reseller = this.addPartner(
              r.key,
              {
                name,
                country: r.country ?? t.country,
                kind: 'indirect_reseller',
                labels: r.labels ?? [],
                tenantId: r.tenantId,
                mpnId: r.mpnId,
              },
              resellerOrg,
            );
          }
          if (!reseller.providerTenantIds.includes(tenant.tenantId)) {
            reseller.providerTenantIds.push(tenant.tenantId);
          }
        }
      }
    }
    for (const c of scenario.customers) {
      this.customerByKey.set(c.key, this.addCustomer(c));
    }
    addScenarioTransfers(this.store, scenario.transfers, this.now, {
      partner: (key) => this.partner(key),
      customer: (key) => {
        const found = this.customerByKey.get(key) ?? this.store.customers.get(key);
        if (!found) {
          throw new Error(`Scenario refers to unknown customer "${key}"`);
        }
        return found;
      },
    });
  }

  addCustomer(c: ParsedCustomer): CustomerRecord {
    const country = c.country.toUpperCase();
    const info = countryInfo(country);
    const first = this.rng.pick(FIRST_NAMES);
    const last = this.rng.pick(LAST_NAMES);
    const domain = c.domain ?? `${slug(c.companyName)}.onmicrosoft.com`;
    const customer: CustomerRecord = {
      tenantId: (c.tenantId ?? this.rng.uuid()).toLowerCase(),
      commerceId: this.rng.uuid(),
      companyName: c.companyName,
      domain,
      country,
      region: info.region,
      currency: info.currency,
      culture: info.culture,
      language: info.language,
      labels: c.labels,
      address: {
        country,
        city: this.rng.pick(CITIES[country] ?? ['Capital City']),
        addressLine1: `${this.rng.int(1, 200)} ${this.rng.pick(['Main Street', 'Rue de la Paix', 'Hauptstraße', 'Calle Mayor', 'Via Roma'])}`,
        postalCode: this.rng.digits(5),
        firstName: first,
        lastName: last,
        phoneNumber: `+${this.rng.digits(11)}`,
      },
      email: `${first.toLowerCase()}.${slug(last)}@${domain}`,
      billingProfileId: this.rng.uuid(),
      billingEtag: this.rng.uuid(),
      createdAt: this.iso(this.rng.int(400, 2000)),
      azurePlanTransitioned: c.azurePlan,
      directSignedMca: c.mca === 'direct',
      usageBudget: c.usageBudget ?? null,
      autopilot: {
        acceptInvitation: toBehaviour(c.autopilot.acceptInvitation),
        signMca: toBehaviour(c.autopilot.signMca),
        signTransferForm: toBehaviour(c.autopilot.signTransferForm),
        acceptsFrom: Array.isArray(c.autopilot.acceptsFrom)
          ? c.autopilot.acceptsFrom.map((k) => this.partner(k).tenantId)
          : (c.autopilot.acceptsFrom ?? (c.labels.includes('prospect') ? 'invited' : 'related')),
      },
    };
    this.store.addCustomer(customer);
    for (const r of c.relationships) {
      const partner = this.partner(r.partner);
      this.store.addRelationship({
        partnerTenantId: partner.tenantId,
        customerTenantId: customer.tenantId,
        relationshipToPartner: r.relationship,
        allowDelegatedAccess: r.delegatedAdmin,
        createdAt: this.iso(this.rng.int(200, 1500)),
        indirectProviderTenantId: null,
      });
    }
    if (c.mca === true) {
      const attester = c.relationships[0] ? this.partner(c.relationships[0].partner) : undefined;
      this.store.addAgreement({
        id: this.rng.uuid(),
        customerTenantId: customer.tenantId,
        partnerTenantId: attester?.tenantId ?? null,
        type: 'MicrosoftCustomerAgreement',
        templateId: MCA_TEMPLATE_ID,
        dateAgreed: this.iso(this.rng.int(100, 700)).slice(0, 10) + 'T00:00:00Z',
        userId: this.rng.uuid(),
        primaryContact: {
          firstName: first,
          lastName: last,
          email: customer.email,
          phoneNumber: customer.address.phoneNumber,
        },
        agreementLink: MCA_LINK,
      });
    }
    for (const s of c.subscriptions) {
      this.addSubscription(customer, s);
    }
    applyCustomerGdap(this.store, customer, c.gdap, (k) => this.partner(k), this.now);
    return customer;
  }

  private addSubscription(
    customer: CustomerRecord,
    s: ParsedCustomer['subscriptions'][number],
  ): SubscriptionRecord {
    const partner = this.partner(s.partner);
    const offer = this.catalog.find(s.offer);
    if (!offer) {
      throw new Error(`Scenario refers to unknown offer "${s.offer}"`);
    }
    if (!this.store.relationship(partner.tenantId, customer.tenantId)) {
      this.store.addRelationship({
        partnerTenantId: partner.tenantId,
        customerTenantId: customer.tenantId,
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: true,
        createdAt: this.iso(this.rng.int(200, 1500)),
        indirectProviderTenantId: null,
      });
    }
    let partnerId: string | null = null;
    if (s.resellerOfRecord) {
      const reseller = this.partner(s.resellerOfRecord);
      partnerId = reseller.mpnId;
      if (!this.store.relationship(reseller.tenantId, customer.tenantId)) {
        this.store.addRelationship({
          partnerTenantId: reseller.tenantId,
          customerTenantId: customer.tenantId,
          relationshipToPartner: 'reseller',
          allowDelegatedAccess: false,
          createdAt: this.iso(this.rng.int(200, 1500)),
          indirectProviderTenantId: partner.tenantId,
        });
      }
    }
    const createdDaysAgo = s.createdDaysAgo ?? this.rng.int(30, 900);
    return createSubscriptionRecords(this.store, {
      partner,
      customer,
      offer,
      quantity: s.quantity ?? (offer.maximumQuantity === 1 ? 1 : this.rng.int(5, 120)),
      status: s.status,
      partnerId,
      friendlyName: s.friendlyName,
      id: s.id,
      entitlementId: s.entitlementId,
      billingCycle:
        s.billingCycle ??
        (offer.kind === 'azure_plan'
          ? 'one_time'
          : offer.billing === 'usage'
            ? 'monthly'
            : this.rng.pick(['monthly', 'annual'])),
      created: new Date(Math.floor((this.now.getTime() - createdDaysAgo * DAY_MS) / 1000) * 1000),
      now: this.now,
      orderId: undefined,
      termDuration: s.termDuration,
      commitmentEndDate: s.commitmentEndDate,
      cancellationAllowedUntilDate: s.cancellationAllowedUntilDate,
    });
  }
}

export interface NewSubscriptionInput {
  partner: PartnerTenantRecord;
  customer: CustomerRecord;
  offer: CatalogOffer;
  quantity: number;
  status: SubscriptionStatus;
  partnerId: string | null;
  friendlyName: string | undefined;
  id: string | undefined;
  entitlementId: string | undefined;
  billingCycle: string;
  created: Date;
  now: Date;
  orderId: string | undefined;
  termDuration?: string | null;
  /** Overrides the computed renewal date (scenario files; transfers keep the source's). */
  commitmentEndDate?: string;
  /** Overrides the computed cancellation window end (`null`: none). */
  cancellationAllowedUntilDate?: string | null;
  /** Overrides the start of the current term (transfers keep the source's). */
  effectiveStartDate?: string;
  /** The transfer that created this subscription (§9d). */
  transferId?: string | null;
  /** Give the partner's Admin Agents group Owner on a new/moved Azure subscription (default true). */
  grantOwner?: boolean;
  /** Azure plan: also create its first Azure usage subscription (default true; product upgrades pass false). */
  createUsageSubscription?: boolean;
  /** Transaction type of the implicit order (default UserPurchase). */
  orderTransactionType?: 'UserPurchase' | 'SystemPurchase';
}

/**
 * Creates a subscription and, for Azure, its Azure subscription, entitlement link and the partner's
 * AOBO role assignment. Used by scenario building and by orders. When an order is not given, a
 * completed historical order is created for it.
 */
export function createSubscriptionRecords(
  store: Store,
  input: NewSubscriptionInput,
): SubscriptionRecord {
  const { offer, customer, partner } = input;
  const rng = store.rng;
  const id = (input.id ?? rng.uuid()).toLowerCase();
  const created = input.created.toISOString();
  let orderId = input.orderId;
  if (!orderId) {
    orderId = rng.uuid();
    const currency = countryInfo(customer.country);
    store.addOrder({
      id: orderId,
      alternateId: rng.uuid().replace(/-/g, '').slice(0, 12),
      partnerTenantId: partner.tenantId,
      customerTenantId: customer.tenantId,
      billingCycle: input.billingCycle,
      currencyCode: currency.currency,
      currencySymbol: currency.currencySymbol,
      creationDate: created,
      status: 'completed',
      transactionType: input.orderTransactionType ?? 'UserPurchase',
      lineItems: [
        {
          lineItemNumber: 0,
          offerId: offer.id,
          subscriptionId: id,
          quantity: input.quantity,
          friendlyName: input.friendlyName ?? offer.name,
          partnerIdOnRecord: input.partnerId,
          termDuration: input.termDuration ?? null,
          transactionType: 'new',
        },
      ],
      completesAt: created,
      visibleAt: created,
      etag: rng.uuid(),
    });
  }
  // Legacy licenses are annual commitments whatever the billing cycle; new commerce defaults to P1Y.
  const termDuration =
    input.termDuration ??
    (offer.kind === 'new_commerce' || offer.kind === 'license' ? 'P1Y' : null);
  const term = termDates(offer.kind, input.created, termDuration, input.now);
  const sub: SubscriptionRecord = {
    id,
    partnerTenantId: partner.tenantId,
    customerTenantId: customer.tenantId,
    kind: offer.kind,
    offerId: offer.id,
    offerName: offer.name,
    friendlyName: input.friendlyName ?? offer.name,
    quantity: input.quantity,
    unitType: offer.unitType,
    status: input.status,
    autoRenewEnabled: offer.isAutoRenewable,
    billingType: offer.billing,
    billingCycle: input.billingCycle,
    termDuration,
    creationDate: created,
    effectiveStartDate: input.effectiveStartDate ?? term.termStart.toISOString(),
    commitmentEndDate: input.commitmentEndDate ?? term.commitmentEndDate,
    cancellationAllowedUntilDate:
      input.cancellationAllowedUntilDate !== undefined
        ? input.cancellationAllowedUntilDate
        : term.cancellationAllowedUntilDate,
    orderId,
    partnerId: input.partnerId,
    entitlementId: null,
    productTypeId: offer.productTypeId,
    productTypeName: offer.productTypeName,
    suspensionReasons: input.status === 'suspended' ? ['CustomerRequest'] : [],
    migratedFromSubscriptionId: null,
    transferId: input.transferId ?? null,
    etag: rng.uuid(),
  };
  store.addSubscription(sub);
  if (offer.kind === 'azure_legacy') {
    // R-AZP-8: bought in CSP, commerce subscription and Azure subscription carry the same id.
    const azureId =
      input.entitlementId === 'different' ? rng.uuid() : (input.entitlementId ?? id).toLowerCase();
    sub.entitlementId = azureId;
    addAzureSubscription(
      store,
      customer,
      partner,
      azureId,
      sub.id,
      input.friendlyName ?? `Azure ${customer.companyName}`,
      created,
      input.status === 'active' ? 'active' : 'suspended',
      input.grantOwner ?? true,
    );
  } else if (
    offer.kind === 'azure_plan' &&
    offer.id === AZURE_PLAN_OFFER_ID &&
    (input.createUsageSubscription ?? true)
  ) {
    // Creating the plan also creates one Azure usage subscription (§5).
    addAzureSubscription(
      store,
      customer,
      partner,
      rng.uuid(),
      sub.id,
      `Azure plan ${customer.companyName}`,
      created,
      input.status === 'active' ? 'active' : 'suspended',
      input.grantOwner ?? true,
    );
  }
  return sub;
}

function addAzureSubscription(
  store: Store,
  customer: CustomerRecord,
  partner: PartnerTenantRecord,
  azureId: string,
  subscriptionId: string,
  friendlyName: string,
  created: string,
  status: 'active' | 'suspended',
  grantOwner: boolean,
): void {
  if (!store.azureSubscriptions.has(azureId)) {
    store.addAzureSubscription({
      id: azureId,
      customerTenantId: customer.tenantId,
      friendlyName,
      createdAt: created,
    });
  }
  store.addEntitlementLink({
    azureSubscriptionId: azureId,
    subscriptionId,
    status,
    linkedAt: created,
  });
  if (grantOwner) {
    addOwnerAssignment(store, azureId, partner, created);
  }
}

/** Gives a partner's Admin Agents group Owner on an Azure subscription (admin on behalf of). */
export function addOwnerAssignment(
  store: Store,
  azureId: string,
  partner: PartnerTenantRecord,
  at: string,
): void {
  const exists = store
    .assignmentsFor(azureId)
    .some((r) => r.principalId === partner.adminAgentsGroupId);
  if (exists) {
    return;
  }
  store.addRoleAssignment({
    name: store.rng.uuid(),
    azureSubscriptionId: azureId,
    roleDefinitionId: `/subscriptions/${azureId}/providers/Microsoft.Authorization/roleDefinitions/${OWNER_ROLE_DEFINITION_GUID}`,
    principalId: partner.adminAgentsGroupId,
    principalType: 'ForeignGroup',
    createdOn: at,
    updatedOn: at,
    createdBy: partner.adminAgentsGroupId,
  });
}

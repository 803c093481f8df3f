import { z } from 'zod';
import type { CustomerUserRecord } from '../core/gdap.model.js';
import type { CustomerRecord, PartnerTenantRecord } from '../core/model.js';
import { addDuration } from '../core/duration.js';
import { countryInfo, knownCountryCodes } from '../core/regions.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { ciObject } from '../http/body.js';
import { errors, PcHttpError } from '../http/responses.js';
import { writeAudit } from './audit.js';
import { ROLE } from './gdap-lifecycle.js';

const addressSchema = ciObject({
  country: z.string().length(2),
  region: z.string().nullish(),
  state: z.string().nullish(),
  city: z.string().min(1),
  addressLine1: z.string().min(1),
  addressLine2: z.string().nullish(),
  postalCode: z.string().min(1),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  phoneNumber: z.string().nullish(),
});

/** `POST /v1/customers` body (§2; PascalCase works, like every Partner Center body). */
export const createCustomerSchema = ciObject({
  enableGDAPByDefault: z.boolean().nullish(),
  companyProfile: ciObject({ domain: z.string().min(1) }),
  billingProfile: ciObject({
    culture: z.string().min(2),
    email: z.string().email(),
    language: z.string().min(2),
    companyName: z.string().min(1).max(256),
    defaultAddress: addressSchema,
  }),
});

/** `contoso` or `contoso.onmicrosoft.com` → `contoso.onmicrosoft.com` (the initial domain). */
export function initialDomain(raw: string): string {
  const lower = raw.trim().toLowerCase();
  const prefix = lower.endsWith('.onmicrosoft.com')
    ? lower.slice(0, -'.onmicrosoft.com'.length)
    : lower;
  if (!/^[a-z0-9](?:[a-z0-9-]{0,25}[a-z0-9])?$/.test(prefix)) {
    throw errors.invalidInput(
      `"${raw}" is not a valid domain prefix (letters and digits, up to 27 characters).`,
    );
  }
  return `${prefix}.onmicrosoft.com`;
}

export function domainTaken(rt: EmulatorRuntime, domain: string): boolean {
  const lower = domain.toLowerCase();
  for (const c of rt.store.customers.values()) {
    if (c.domain.toLowerCase() === lower) {
      return true;
    }
  }
  return [...rt.store.partners.values()].some((p) => p.domain.toLowerCase() === lower);
}

/** The default GDAP roles of a customer created with `enableGDAPByDefault` (a guess). */
const DEFAULT_GDAP_ROLES = [
  ROLE.directoryReaders,
  ROLE.licenseAdministrator,
  ROLE.userAdministrator,
  ROLE.helpdeskAdministrator,
  ROLE.serviceSupportAdministrator,
];

/**
 * Creates a customer tenant with a reseller relationship to the caller and an `admin@` user whose
 * one-time password is returned once (`userCredentials`). A taken initial domain is 409.
 */
export function createCustomer(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  body: z.output<typeof createCustomerSchema>,
): { customer: CustomerRecord; password: string } {
  const domain = initialDomain(body.companyProfile.domain);
  if (domainTaken(rt, domain)) {
    throw new PcHttpError(
      409,
      800007,
      `The domain ${domain} is already in use by another tenant.`,
      [domain],
    );
  }
  const billing = body.billingProfile;
  const address = billing.defaultAddress;
  const country = address.country.toUpperCase();
  if (!knownCountryCodes().includes(country)) {
    throw errors.invalidInput(`Country ${address.country} is not supported.`, ['country']);
  }
  const info = countryInfo(country);
  if (info.region !== tenant.region) {
    throw new PcHttpError(
      403,
      2030,
      `The partner is not onboarded to sell in ${country} (region ${info.region}); its region is ${tenant.region}.`,
    );
  }
  const data = rt.store.tenantData;
  const rng = data.rng;
  const now = rt.nowIso();
  const customer: CustomerRecord = {
    tenantId: rng.uuid(),
    commerceId: rng.uuid(),
    companyName: billing.companyName,
    domain,
    country,
    region: info.region,
    currency: info.currency,
    culture: billing.culture,
    language: billing.language,
    labels: [],
    address: {
      country,
      region: address.region ?? address.state ?? undefined,
      city: address.city,
      addressLine1: address.addressLine1,
      postalCode: address.postalCode,
      firstName: address.firstName,
      lastName: address.lastName,
      phoneNumber: address.phoneNumber ?? '',
    },
    email: billing.email,
    billingProfileId: rng.uuid(),
    billingEtag: rng.uuid(),
    createdAt: now,
    azurePlanTransitioned: false,
    directSignedMca: false,
    usageBudget: null,
    autopilot: {
      acceptInvitation: { mode: 'default' },
      signMca: { mode: 'default' },
      signTransferForm: { mode: 'default' },
      acceptsFrom: 'any',
    },
  };
  rt.store.addCustomer(customer);
  // DAP is retired: new customers get the reseller relationship without delegated admin.
  rt.store.addRelationship({
    partnerTenantId: tenant.tenantId,
    customerTenantId: customer.tenantId,
    relationshipToPartner: 'reseller',
    allowDelegatedAccess: false,
    createdAt: now,
    indirectProviderTenantId: null,
  });
  data.addUser({
    id: rng.uuid(),
    customerTenantId: customer.tenantId,
    userPrincipalName: `admin@${domain}`,
    firstName: address.firstName,
    lastName: address.lastName,
    displayName: `${address.firstName} ${address.lastName}`,
    usageLocation: country,
    createdAt: now,
    licenses: [],
  });
  data.seededCustomers.add(customer.tenantId);
  if (body.enableGDAPByDefault) {
    const gdap = rt.store.gdap;
    const id = `${gdap.rng.uuid()}-${gdap.rng.uuid()}`;
    gdap.relationships.set(id, {
      id,
      partnerTenantId: tenant.tenantId,
      kind: 'direct',
      indirectProviderTenantId: null,
      isPartnerConsentPending: false,
      displayName: `Default_${tenant.name}_${customer.companyName}`.slice(0, 50),
      duration: 'P730D',
      autoExtendDuration: 'PT0S',
      customer: { tenantId: customer.tenantId, displayName: customer.companyName },
      roles: DEFAULT_GDAP_ROLES,
      status: 'active',
      createdDateTime: now,
      lastModifiedDateTime: now,
      activatedDateTime: now,
      endDateTime: addDuration(rt.now(), 'P730D').toISOString(),
      approvalExpiresAt: null,
      etag: gdap.rng.uuid(),
    });
    rt.schedule('gdap.step', { step: 'end', id }, addDuration(rt.now(), 'P730D'));
    rt.schedule('gdap.step', { step: 'expiring', id }, addDuration(rt.now(), 'P700D'));
  }
  writeAudit(rt, {
    actor,
    customer,
    resourceType: 'customer',
    operationType: 'add_customer',
    newValue: { companyName: customer.companyName, domain, country },
  });
  const password = `${rng.uuid().replace(/-/g, '').slice(0, 10)}A!9`;
  return { customer, password };
}

const LICENSED_KINDS = new Set(['license', 'new_commerce']);

/**
 * The customer's users. Customers from a scenario get users generated the first time they are
 * read: enough users to consume 60–100 % of each licence's active seats (deterministic per seed).
 */
export function usersOf(rt: EmulatorRuntime, customer: CustomerRecord): CustomerUserRecord[] {
  const data = rt.store.tenantData;
  if (!data.seededCustomers.has(customer.tenantId)) {
    data.seededCustomers.add(customer.tenantId);
    const seats = new Map<string, number>();
    for (const s of rt.store.subscriptionsByCustomer.get(customer.tenantId) ?? []) {
      if (LICENSED_KINDS.has(s.kind) && s.status === 'active') {
        seats.set(s.offerId, (seats.get(s.offerId) ?? 0) + s.quantity);
      }
    }
    const consumed = [...seats].map(
      ([offerId, qty]) => [offerId, Math.ceil((qty * data.rng.int(60, 100)) / 100)] as const,
    );
    const count = Math.max(1, ...consumed.map(([, n]) => n));
    const first = [
      'Ana',
      'Ben',
      'Chloé',
      'David',
      'Elif',
      'Finn',
      'Greta',
      'Hugo',
      'Inès',
      'Jonas',
    ];
    const last = ['Moreau', 'Weber', 'Ruiz', 'Conti', 'Walsh', 'Novak', 'Berg', 'Costa'];
    for (let i = 0; i < count; i += 1) {
      const fn = data.rng.pick(first);
      const ln = data.rng.pick(last);
      data.addUser({
        id: data.rng.uuid(),
        customerTenantId: customer.tenantId,
        userPrincipalName:
          i === 0
            ? `admin@${customer.domain}`
            : `${fn
                .normalize('NFD')
                .replace(/[\u0300-\u036f]/g, '')
                .toLowerCase()}.${ln.toLowerCase()}${i}@${customer.domain}`,
        firstName: fn,
        lastName: ln,
        displayName: `${fn} ${ln}`,
        usageLocation: customer.country,
        createdAt: customer.createdAt,
        licenses: consumed.filter(([, n]) => i < n).map(([offerId]) => offerId),
      });
    }
  }
  return data.usersByCustomer.get(customer.tenantId) ?? [];
}

/** `GET .../subscribedskus`: seats per licence SKU across every partner serving the customer. */
export function subscribedSkus(
  rt: EmulatorRuntime,
  customer: CustomerRecord,
): Record<string, unknown>[] {
  const users = usersOf(rt, customer);
  const bySku = new Map<
    string,
    { active: number; suspended: number; name: string; alias: string }
  >();
  for (const s of rt.store.subscriptionsByCustomer.get(customer.tenantId) ?? []) {
    if (!LICENSED_KINDS.has(s.kind) || s.status === 'deleted') {
      continue;
    }
    const offer = rt.catalog.find(s.offerId);
    const row = bySku.get(s.offerId) ?? {
      active: 0,
      suspended: 0,
      name: s.offerName,
      alias: offer?.alias ?? s.offerId,
    };
    if (s.status === 'active') {
      row.active += s.quantity;
    } else if (s.status === 'suspended') {
      row.suspended += s.quantity;
    }
    bySku.set(s.offerId, row);
  }
  return [...bySku].map(([offerId, row]) => {
    const consumed = users.filter((u) => u.licenses.includes(offerId)).length;
    return {
      availableUnits: Math.max(0, row.active - consumed),
      activeUnits: row.active,
      consumedUnits: consumed,
      suspendedUnits: row.suspended,
      totalUnits: row.active + row.suspended,
      warningUnits: 0,
      productSku: {
        id: offerId,
        name: row.name,
        skuPartNumber: row.alias.toUpperCase().replace(/-/g, '_'),
        targetType: 'User',
        licenseGroupId: 'Group1',
      },
      servicePlans: [],
      capabilityStatus: row.active > 0 ? 'Enabled' : 'Suspended',
      attributes: { objectType: 'SubscribedSku' },
    };
  });
}

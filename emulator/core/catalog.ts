import { knownCountryCodes } from './regions.js';
import type { SubscriptionKind } from './model.js';

/**
 * The offer catalog. Legacy license offers use GUID offer ids; new-commerce items use
 * `{productId}:{skuId}:{availabilityId}` catalog item ids (partner-center-api.md §6). Legacy Azure is
 * `MS-AZR-0145P`; the Azure plan is `DZH318Z0BPS6:0001:DZH318Z0BML6` (§5). Some GUIDs are the real
 * public ones (Office 365 E1/E3); the rest are stable made-up ids.
 */
export interface CatalogOffer {
  id: string;
  /** Short human name used in scenario files (`"offer": "office365-e3"`). */
  alias: string;
  name: string;
  description: string;
  family: 'office365' | 'microsoft365' | 'dynamics365' | 'ems' | 'azure';
  kind: SubscriptionKind;
  minimumQuantity: number;
  maximumQuantity: number;
  billing: 'license' | 'usage';
  supportedBillingCycles: string[];
  isAutoRenewable: boolean;
  unitType: string;
  productId: string;
  productName: string;
  /** Partner Center productType.id (`OnlineServices`, `Azure`). */
  productTypeId: string;
  productTypeName: string;
  /** ISO country codes where the offer can be bought; `null` = every country the emulator knows. */
  countries: string[] | null;
  discontinued: boolean;
  successorOfferId: string | null;
  /** Purchases need a signed MCA (403/13605): Azure plan and new-commerce items. */
  requiresMca: boolean;
  termDurations: string[];
  categoryId: string;
  categoryName: string;
}

export const LEGACY_AZURE_OFFER_ID = 'MS-AZR-0145P';
export const AZURE_PLAN_PRODUCT_ID = 'DZH318Z0BPS6';
export const AZURE_PLAN_SKU_ID = '0001';
export const AZURE_PLAN_AVAILABILITY_ID = 'DZH318Z0BML6';
export const AZURE_PLAN_OFFER_ID = `${AZURE_PLAN_PRODUCT_ID}:${AZURE_PLAN_SKU_ID}:${AZURE_PLAN_AVAILABILITY_ID}`;
export const MCA_TEMPLATE_ID = '117a77b0-9360-443b-8795-c6dedc750cf9';
export const MCA_LINK = 'https://aka.ms/customeragreement';

interface LicenseSpec {
  id: string;
  alias: string;
  name: string;
  family: CatalogOffer['family'];
  max?: number;
  countries?: string[];
  discontinued?: boolean;
  successor?: string;
  productId: string;
}

const LICENSE_OFFERS: LicenseSpec[] = [
  {
    id: '91FD106F-4B2C-4938-95AC-F54F74E9A239',
    alias: 'office365-e1',
    name: 'Office 365 E1',
    family: 'office365',
    productId: 'OFFICE365E1',
  },
  {
    id: '796B6B5F-613C-4E24-A17C-EBA730D49C02',
    alias: 'office365-e3',
    name: 'Office 365 E3',
    family: 'office365',
    productId: 'OFFICE365E3',
  },
  {
    id: 'A044B16A-1861-4308-8086-A3A3B506BAC2',
    alias: 'office365-e5',
    name: 'Office 365 E5',
    family: 'office365',
    productId: 'OFFICE365E5',
  },
  {
    id: '5C9FD4CC-EDCE-44A8-8E91-07DF09744609',
    alias: 'microsoft365-business-standard',
    name: 'Microsoft 365 Business Standard',
    family: 'microsoft365',
    max: 300,
    productId: 'M365BUSINESSSTANDARD',
  },
  {
    id: '3E9D2A11-8F21-4C67-9E5B-0F4A2B6C7D81',
    alias: 'microsoft365-business-premium',
    name: 'Microsoft 365 Business Premium',
    family: 'microsoft365',
    max: 300,
    productId: 'M365BUSINESSPREMIUM',
  },
  {
    id: '031C9E47-4802-4248-838E-778FB1D2CC05',
    alias: 'office365-business-premium',
    name: 'Office 365 Business Premium',
    family: 'office365',
    max: 300,
    discontinued: true,
    successor: '5C9FD4CC-EDCE-44A8-8E91-07DF09744609',
    productId: 'O365BUSINESSPREMIUM',
  },
  {
    id: 'BD938F12-058F-4927-BBA3-AE36B1D2501C',
    alias: 'dynamics365-sales-enterprise',
    name: 'Dynamics 365 Sales Enterprise',
    family: 'dynamics365',
    productId: 'D365SALESENT',
  },
  {
    id: '1A6E1A5E-7C1D-4B8B-9E57-5A4C3B2D1E0F',
    alias: 'dynamics-crm-online-professional',
    name: 'Dynamics CRM Online Professional',
    family: 'dynamics365',
    discontinued: true,
    successor: 'BD938F12-058F-4927-BBA3-AE36B1D2501C',
    productId: 'CRMONLINEPRO',
  },
  {
    id: '7E3B0C4D-2A5F-4E8B-B1C6-9D0E2F3A4B5C',
    alias: 'dynamics365-business-central-essentials',
    name: 'Dynamics 365 Business Central Essentials',
    family: 'dynamics365',
    // Business Central is sold only in listed countries: not in Morocco here, to exercise 800070.
    countries: [
      'FR',
      'DE',
      'ES',
      'IT',
      'NL',
      'BE',
      'IE',
      'PT',
      'GB',
      'CH',
      'PL',
      'SE',
      'US',
      'CA',
      'AU',
      'JP',
      'SG',
      'IN',
      'BR',
      'MX',
    ],
    productId: 'D365BCESSENTIALS',
  },
  {
    id: 'EEF3C7A2-5D8B-4C1E-9F60-7A8B9C0D1E2F',
    alias: 'ems-e3',
    name: 'Enterprise Mobility + Security E3',
    family: 'ems',
    productId: 'EMSE3',
  },
  {
    id: 'F1A2B3C4-D5E6-4F70-8192-A3B4C5D6E7F8',
    alias: 'ems-e5',
    name: 'Enterprise Mobility + Security E5',
    family: 'ems',
    productId: 'EMSE5',
  },
  {
    // Retired with no catalog successor (Teams replaced it as a feature, not as an offer): the
    // "no equivalent offer" case of R-CHN-6. A plausible guess at a real retirement, for tests.
    id: '2E5B7C9D-4F61-4A83-9B0C-D1E2F3A4B5C6',
    alias: 'skype-for-business-online-plan2',
    name: 'Skype for Business Online (Plan 2)',
    family: 'office365',
    discontinued: true,
    productId: 'SKYPEBUSINESSPLAN2',
  },
];

function license(spec: LicenseSpec): CatalogOffer {
  return {
    id: spec.id,
    alias: spec.alias,
    name: spec.name,
    description: `${spec.name} (legacy CSP license offer).`,
    family: spec.family,
    kind: 'license',
    minimumQuantity: 1,
    maximumQuantity: spec.max ?? 10_000_000,
    billing: 'license',
    supportedBillingCycles: ['monthly', 'annual'],
    isAutoRenewable: true,
    unitType: 'Licenses',
    productId: spec.productId,
    productName: spec.name,
    productTypeId: 'OnlineServices',
    productTypeName: 'OnlineServices',
    countries: spec.countries ?? null,
    discontinued: spec.discontinued ?? false,
    successorOfferId: spec.successor ?? null,
    requiresMca: false,
    termDurations: ['P1M', 'P1Y'],
    categoryId: spec.family === 'dynamics365' ? 'Dynamics' : 'Office',
    categoryName: spec.family === 'dynamics365' ? 'Dynamics' : 'Office',
  };
}

function newCommerce(
  alias: string,
  name: string,
  productId: string,
  skuId: string,
  availabilityId: string,
  max = 10_000_000,
  family?: CatalogOffer['family'],
): CatalogOffer {
  const fam = family ?? (name.startsWith('Office') ? 'office365' : 'microsoft365');
  return {
    id: `${productId}:${skuId}:${availabilityId}`,
    alias,
    name,
    description: `${name} (new commerce).`,
    family: fam,
    kind: 'new_commerce',
    minimumQuantity: 1,
    maximumQuantity: max,
    billing: 'license',
    supportedBillingCycles: ['monthly', 'annual'],
    isAutoRenewable: true,
    unitType: 'Licenses',
    productId,
    productName: name,
    productTypeId: 'OnlineServices',
    productTypeName: 'OnlineServices',
    countries: null,
    discontinued: false,
    successorOfferId: null,
    requiresMca: true,
    termDurations: ['P1M', 'P1Y', 'P3Y'],
    categoryId: fam === 'dynamics365' ? 'Dynamics' : 'Office',
    categoryName: fam === 'dynamics365' ? 'Dynamics' : 'Office',
  };
}

/** Builds the catalog; pure and cheap, so each emulator can hold its own copy. */
export function buildCatalog(): CatalogOffer[] {
  return [
    ...LICENSE_OFFERS.map(license),
    newCommerce('office365-e3-nce', 'Office 365 E3', 'CFQ7TTC0LF8Q', '0001', 'CFQ7TTC0K39X'),
    newCommerce(
      'microsoft365-business-premium-nce',
      'Microsoft 365 Business Premium',
      'CFQ7TTC0LCHC',
      '0002',
      'CFQ7TTC0K6QW',
      300,
    ),
    // New-commerce equivalents of the legacy license offers (targets of §9b migrations; made-up ids
    // in Microsoft's CFQ7TTC0 style). Discontinued legacy offers have none (validate error code 5).
    newCommerce('office365-e1-nce', 'Office 365 E1', 'CFQ7TTC0LF8R', '0001', 'CFQ7TTC0K3B1'),
    newCommerce('office365-e5-nce', 'Office 365 E5', 'CFQ7TTC0LF8S', '0001', 'CFQ7TTC0K3C2'),
    newCommerce(
      'microsoft365-business-standard-nce',
      'Microsoft 365 Business Standard',
      'CFQ7TTC0LDPB',
      '0001',
      'CFQ7TTC0K5D3',
      300,
    ),
    newCommerce(
      'dynamics365-sales-enterprise-nce',
      'Dynamics 365 Sales Enterprise',
      'CFQ7TTC0LH3N',
      '0001',
      'CFQ7TTC0K7E4',
      10_000_000,
      'dynamics365',
    ),
    newCommerce(
      'dynamics365-business-central-essentials-nce',
      'Dynamics 365 Business Central Essentials',
      'CFQ7TTC0LH4N',
      '0001',
      'CFQ7TTC0K8F5',
      10_000_000,
      'dynamics365',
    ),
    newCommerce(
      'ems-e3-nce',
      'Enterprise Mobility + Security E3',
      'CFQ7TTC0LFK5',
      '0001',
      'CFQ7TTC0K9G6',
      10_000_000,
      'ems',
    ),
    newCommerce(
      'ems-e5-nce',
      'Enterprise Mobility + Security E5',
      'CFQ7TTC0LFK4',
      '0001',
      'CFQ7TTC0KAH7',
      10_000_000,
      'ems',
    ),
    {
      id: LEGACY_AZURE_OFFER_ID,
      alias: 'azure-legacy',
      name: 'Microsoft Azure',
      description: 'Legacy Azure CSP offer (MS-AZR-0145P), usage based.',
      family: 'azure',
      kind: 'azure_legacy',
      minimumQuantity: 1,
      maximumQuantity: 1,
      billing: 'usage',
      supportedBillingCycles: ['monthly'],
      isAutoRenewable: false,
      unitType: 'Usage-based',
      productId: LEGACY_AZURE_OFFER_ID,
      productName: 'Microsoft Azure',
      productTypeId: 'Azure',
      productTypeName: 'Azure',
      countries: null,
      discontinued: false,
      successorOfferId: AZURE_PLAN_OFFER_ID,
      requiresMca: false,
      termDurations: [],
      categoryId: 'Azure',
      categoryName: 'Azure',
    },
    {
      id: AZURE_PLAN_OFFER_ID,
      alias: 'azure-plan',
      name: 'Microsoft Azure plan',
      description: 'Microsoft Azure plan. Offer MS-AZR-0017G.',
      family: 'azure',
      kind: 'azure_plan',
      minimumQuantity: 1,
      maximumQuantity: 1,
      billing: 'usage',
      supportedBillingCycles: ['one_time'],
      isAutoRenewable: false,
      unitType: 'Usage-based',
      productId: AZURE_PLAN_PRODUCT_ID,
      productName: 'Microsoft Azure plan',
      productTypeId: 'Azure',
      productTypeName: 'Azure',
      countries: null,
      discontinued: false,
      successorOfferId: null,
      requiresMca: true,
      termDurations: [],
      categoryId: 'Azure',
      categoryName: 'Azure',
    },
  ];
}

/** Index over a catalog: by id (case-insensitive) and by alias. */
export class Catalog {
  private readonly byKey = new Map<string, CatalogOffer>();

  constructor(readonly offers: CatalogOffer[]) {
    for (const o of offers) {
      this.byKey.set(o.id.toLowerCase(), o);
      this.byKey.set(o.alias.toLowerCase(), o);
    }
  }

  find(idOrAlias: string): CatalogOffer | undefined {
    return this.byKey.get(idOrAlias.toLowerCase());
  }

  availableIn(offer: CatalogOffer, country: string): boolean {
    const countries = offer.countries ?? knownCountryCodes();
    return countries.includes(country.toUpperCase());
  }

  forCountry(country: string): CatalogOffer[] {
    return this.offers.filter((o) => this.availableIn(o, country));
  }
}

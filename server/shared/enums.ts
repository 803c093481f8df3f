// The contract's enums as TypeScript enums (values = GraphQL names). Registered with type-graphql in
// the *.type.ts files; mapped from Partner Center spellings only in partner-center/mapping.ts.

export enum PartnerRole {
  GLOBAL_ADMIN = 'GLOBAL_ADMIN',
  ADMIN_AGENT = 'ADMIN_AGENT',
  SALES_AGENT = 'SALES_AGENT',
  BILLING_ADMIN = 'BILLING_ADMIN',
}

export enum CustomerRelationship {
  NONE = 'NONE',
  RESELLER = 'RESELLER',
  ADVISOR = 'ADVISOR',
}

export enum SubscriptionStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  DELETED = 'DELETED',
  EXPIRED = 'EXPIRED',
  PENDING = 'PENDING',
  DISABLED = 'DISABLED',
}

export enum BillingType {
  LICENSE = 'LICENSE',
  USAGE = 'USAGE',
}

export enum ProductFamily {
  OFFICE365 = 'OFFICE365',
  DYNAMICS = 'DYNAMICS',
  EMS = 'EMS',
  AZURE_LEGACY = 'AZURE_LEGACY',
  AZURE_PLAN = 'AZURE_PLAN',
  OTHER = 'OTHER',
}

/** The CSP models of a partner tenant as the directory spells them (config, emulator listing). */
export const PARTNER_TENANT_KINDS = ['direct', 'indirect_provider', 'indirect_reseller'] as const;

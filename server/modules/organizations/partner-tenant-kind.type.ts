import { registerEnumType } from 'type-graphql';
import { PARTNER_TENANT_KINDS } from '../../shared/enums.js';

/** The CSP model of a partner tenant (`PartnerTenant.kindEnum`). */
export enum PartnerTenantKind {
  DIRECT = 'DIRECT',
  INDIRECT_PROVIDER = 'INDIRECT_PROVIDER',
  INDIRECT_RESELLER = 'INDIRECT_RESELLER',
}

/**
 * The enum value of a directory kind. The directory sources validate kinds on load (config/env.ts,
 * directory-source.ts), so another value is a defect: it fails here, visibly, rather than passing
 * as a kind it is not.
 */
export function partnerTenantKindOf(kind: string): PartnerTenantKind {
  if (!(PARTNER_TENANT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`unknown partner tenant kind "${kind}"`);
  }
  return kind.toUpperCase() as PartnerTenantKind;
}

registerEnumType(PartnerTenantKind, {
  name: 'PartnerTenantKind',
  description: 'The CSP model of a partner tenant.',
  valuesConfig: {
    DIRECT: { description: 'Direct-bill partner: buys from Microsoft and sells to its customers.' },
    INDIRECT_PROVIDER: {
      description: 'Indirect provider (distributor): buys from Microsoft, sells through resellers.',
    },
    INDIRECT_RESELLER: {
      description:
        'Indirect reseller: sells through an indirect provider, which holds the reseller relationship.',
    },
  },
});

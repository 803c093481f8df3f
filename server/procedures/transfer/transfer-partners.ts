import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { getOrganizationProfile } from '../../partner-center/transfer.operations.js';
import { type Contact, type TransferData } from './transfer.model.js';

/** R-TRF-4: contact, Microsoft ID, organization name and address from the organization profile. */
export async function currentPartner(
  deps: { clients: PartnerCenterClientFactory },
  tenant: { tenantId: string; name: string; mpnId: string; country: string },
  admins: Contact[],
): Promise<TransferData['currentPartner']> {
  const base = {
    tenantId: tenant.tenantId,
    microsoftId: tenant.tenantId,
    name: tenant.name,
    mpnId: tenant.mpnId,
    country: tenant.country,
  };
  try {
    const profile = await getOrganizationProfile(deps.clients.forTenant(tenant.tenantId));
    const a = profile.defaultAddress;
    const contactName = [a?.firstName, a?.lastName].filter(Boolean).join(' ');
    return {
      ...base,
      microsoftId: profile.tenantId ?? tenant.tenantId,
      organizationName: profile.companyName ?? tenant.name,
      address: a
        ? {
            addressLine1: a.addressLine1 ?? null,
            addressLine2: a.addressLine2 ?? null,
            city: a.city ?? null,
            postalCode: a.postalCode ?? null,
            region: a.region ?? a.state ?? null,
            country: a.country ?? tenant.country,
          }
        : null,
      contact:
        contactName || profile.email
          ? {
              name: contactName || tenant.name,
              email: profile.email ?? admins[0]!.email,
              phone: a?.phoneNumber ?? null,
            }
          : admins[0]!,
      profileSource: 'PARTNER_CENTER',
    };
  } catch (error) {
    if (!(error instanceof PartnerCenterError) || error.retryable) {
      throw error;
    }
    // No organization profile (e.g. an environment without the profiles API): our own records.
    return {
      ...base,
      organizationName: tenant.name,
      address: null,
      contact: admins[0]!,
      profileSource: 'DIRECTORY',
    };
  }
}

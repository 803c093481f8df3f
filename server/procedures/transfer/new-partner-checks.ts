import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { type BlockerCode } from '../../shared/error-codes.js';

/**
 * Checks of a new partner this server serves, shared by both transfer paths: R-TRF-6 (a reseller
 * relationship with the customer, read with the new partner's credentials) and its Partner ID.
 */
export async function checkServedNewPartner(args: {
  clients: PartnerCenterClientFactory;
  served: { name: string; mpnId: string | null };
  newPartnerTenantId: string;
  newPartnerMpnId: string;
  customerTenantId: string;
  customerName: string;
  block: (code: BlockerCode, message: string) => void;
}): Promise<void> {
  const { served, customerName: name, block } = args;
  try {
    const seen = await args.clients
      .forTenant(args.newPartnerTenantId)
      .getCustomer(args.customerTenantId);
    if (seen.relationshipToPartner !== 'reseller') {
      block(
        'NO_RESELLER_RELATIONSHIP',
        `${served.name} has a ${seen.relationshipToPartner ?? 'no'} relationship with ${name}, not a reseller one; it must establish one before the transfer (R-TRF-6).`,
      );
    }
  } catch (error) {
    if (!(error instanceof PartnerCenterError && error.isNotFound)) {
      throw error;
    }
    block(
      'NO_RESELLER_RELATIONSHIP',
      `${served.name} has no reseller relationship with ${name} in Partner Center; it must establish one before the transfer (R-TRF-6).`,
    );
  }
  if (served.mpnId && served.mpnId !== args.newPartnerMpnId) {
    block(
      'NEW_PARTNER_MPN_MISMATCH',
      `Partner ID ${args.newPartnerMpnId} is not the Partner ID of tenant ${args.newPartnerTenantId} (${served.mpnId}).`,
    );
  }
}

import { organizationProfileView } from '../domain/organization-profile.js';
import { json } from '../http/responses.js';
import type { PcRoute } from '../http/router.js';

/**
 * The partner's own profiles: Microsoft's "Get an organization profile"
 * (learn.microsoft.com/partner-center/developer/get-an-organization-profile), an
 * `OrganizationProfile` for the tenant of the token.
 */
export function profilesHandlers(): PcRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/profiles/organization',
      family: 'none',
      handle: (req) => json(organizationProfileView(req.tenant)),
    },
  ];
}

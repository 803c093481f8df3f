import { z } from 'zod';
import { type PartnerDirectoryConfig } from '../../config/env.js';
import { type DirectoryOrganization } from './organization.repository.js';
import { PARTNER_TENANT_KINDS } from '../../shared/enums.js';

/** Where the server's partner organizations and tenants come from. */
export interface DirectorySource {
  kind: 'emulator' | 'config';
  load(): Promise<DirectoryOrganization[]>;
}

const emulatorPartnersSchema = z.array(
  z
    .object({
      organizationId: z.string(),
      organizationName: z.string(),
      tenantId: z.string(),
      name: z.string(),
      mpnId: z.string().nullish(),
      country: z.string().nullish(),
      region: z.string().nullish(),
      kind: z.enum(PARTNER_TENANT_KINDS).nullish(),
      labels: z.array(z.string()).nullish(),
      adminAgentsGroupId: z.string().nullish(),
    })
    .passthrough(),
);

/** Groups the flat partner listing of the emulator (`GET /_emulator/partners`) by organization. */
export function organizationsFromPartnerListing(listing: unknown): DirectoryOrganization[] {
  const partners = emulatorPartnersSchema.parse(listing);
  const byOrg = new Map<string, DirectoryOrganization>();
  for (const p of partners) {
    let org = byOrg.get(p.organizationId);
    if (!org) {
      org = { id: p.organizationId, name: p.organizationName, tenants: [] };
      byOrg.set(p.organizationId, org);
    }
    org.tenants.push({
      tenantId: p.tenantId,
      name: p.name,
      mpnId: p.mpnId ?? '',
      country: p.country ?? '',
      region: p.region ?? null,
      kind: p.kind ?? 'direct',
      labels: p.labels ?? [],
      adminAgentsGroupId: p.adminAgentsGroupId ?? null,
    });
  }
  return [...byOrg.values()];
}

/** The emulator's partner listing over HTTP (the API talks to the emulator as to Partner Center). */
export function emulatorDirectorySource(options: {
  emulatorUrl: string;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}): DirectorySource {
  return {
    kind: 'emulator',
    async load() {
      const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
      const response = await doFetch(
        `${options.emulatorUrl.replace(/\/+$/, '')}/_emulator/partners`,
        {
          headers: { accept: 'application/json' },
        },
      );
      if (!response.ok) {
        throw new Error(`emulator partner listing failed with ${response.status}`);
      }
      return organizationsFromPartnerListing(await response.json());
    },
  };
}

/** The directory from configuration (`PARTNER_DIRECTORY` / `PARTNER_DIRECTORY_FILE`). */
export function configDirectorySource(directory: PartnerDirectoryConfig): DirectorySource {
  return {
    kind: 'config',
    async load() {
      return directory.map((org) => ({
        id: org.organizationId,
        name: org.organizationName,
        tenants: org.tenants.map((t) => ({
          tenantId: t.tenantId,
          name: t.name,
          mpnId: t.mpnId,
          country: t.country,
          region: t.region ?? null,
          kind: t.kind,
          labels: [],
          adminAgentsGroupId: t.adminAgentsGroupId ?? null,
        })),
      }));
    },
  };
}

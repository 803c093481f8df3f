import { z } from 'zod';
import { type PartnerCenterClient } from './client.js';
import { pcServiceRequestSchema, type PcServiceRequest } from './contracts/service-requests.js';

// Partner Center calls of the Azure subscription transfer (R-TRF-3/4/7) that operations.ts lacks.

const enc = encodeURIComponent;

/** `GET /v1/profiles/organization` (Account settings → Organization profile, R-TRF-4). */
export const pcOrganizationProfileSchema = z
  .object({
    id: z.string().nullish(),
    tenantId: z.string().nullish(),
    companyName: z.string().nullish(),
    email: z.string().nullish(),
    defaultAddress: z
      .object({
        country: z.string().nullish(),
        region: z.string().nullish(),
        state: z.string().nullish(),
        city: z.string().nullish(),
        addressLine1: z.string().nullish(),
        addressLine2: z.string().nullish(),
        postalCode: z.string().nullish(),
        firstName: z.string().nullish(),
        lastName: z.string().nullish(),
        phoneNumber: z.string().nullish(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();
export type PcOrganizationProfile = z.infer<typeof pcOrganizationProfileSchema>;

export async function getOrganizationProfile(
  client: PartnerCenterClient,
): Promise<PcOrganizationProfile> {
  const response = await client.request({
    method: 'GET',
    path: '/profiles/organization',
    schema: pcOrganizationProfileSchema,
  });
  return response.data;
}

/**
 * `PATCH /v1/servicerequests/{id}`: appends a note (`newNote` is write-only) and/or file links
 * (the "file upload" of R-TRF-7 is a link to the file, `{fileName, fileLink}`), and/or sets the
 * status (`closed` closes it).
 */
export async function updateServiceRequest(
  client: PartnerCenterClient,
  id: string,
  patch: {
    note?: string;
    fileLinks?: Array<{ fileName: string; fileLink: string }>;
    /** `closed` closes the ticket (e.g. the transfer was canceled). */
    status?: 'open' | 'closed';
  },
  requestId: string,
): Promise<PcServiceRequest> {
  const response = await client.request({
    method: 'PATCH',
    path: `/servicerequests/${enc(id)}`,
    body: {
      ...(patch.note ? { newNote: { text: patch.note } } : {}),
      ...(patch.fileLinks ? { fileLinks: patch.fileLinks } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      attributes: { objectType: 'ServiceRequest' },
    },
    requestId,
    schema: pcServiceRequestSchema,
  });
  return response.data;
}

import { z } from 'zod';
import { type PartnerCenterClient } from './client.js';

// New-commerce / Azure plan partner-to-partner transfers (partner-center-api.md §9d, §11): the
// target creates (Pending), the source accepts with line items (InProgress), Microsoft completes
// (Complete). Statuses are PascalCase on the wire and read case-insensitively here.

const enc = encodeURIComponent;

export const pcTransferLineItemSchema = z
  .object({
    id: z.union([z.number(), z.string()]).nullish(),
    subscriptionId: z.string(),
    offerId: z.string().nullish(),
    quantity: z.number().nullish(),
    billingCycle: z.string().nullish(),
    productType: z.string().nullish(),
    status: z.string().nullish(),
    transferError: z
      .object({
        code: z.union([z.number(), z.string()]).nullish(),
        description: z.string().nullish(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();

export const pcTransferSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    customerTenantId: z.string().nullish(),
    sourcePartnerTenantId: z.string().nullish(),
    targetPartnerTenantId: z.string().nullish(),
    transferType: z.union([z.number(), z.string()]).nullish(),
    targetProductTypes: z.array(z.string()).nullish(),
    createdTime: z.string().nullish(),
    expirationTime: z.string().nullish(),
    completedTime: z.string().nullish(),
    lineItems: z.array(pcTransferLineItemSchema).nullish(),
  })
  .passthrough();
export type PcTransfer = z.infer<typeof pcTransferSchema>;

/** Lower-case status: pending, active, inprogress, complete, cancel, expired, failed, reject. */
export function transferStatus(t: Pick<PcTransfer, 'status'>): string {
  const s = t.status.trim().toLowerCase().replace(/[\s_]/g, '');
  return s === 'completed' ? 'complete' : s === 'canceled' || s === 'cancelled' ? 'cancel' : s;
}

/** Still open: the same source/target pair cannot have a second one (409/900101). */
export const OPEN_TRANSFER_STATUSES = new Set(['pending', 'active', 'inprogress']);

/** Product types of `targetProductTypes` and of a line item (§11). */
export type TransferProductType = 'OnlineServicesNCE' | 'AzureSubscription';

export interface CreateTransferInput {
  sourcePartnerTenantId: string;
  sourcePartnerName: string;
  customerEmailId: string;
  customerName: string;
  targetProductTypes: TransferProductType[];
}

/** `POST /v1/customers/{cid}/transfers` as the target (new) partner; `transferType` 5 (§11: standardise on 5). */
export async function createNceTransfer(
  client: PartnerCenterClient,
  customerTenantId: string,
  input: CreateTransferInput,
  requestId: string,
): Promise<PcTransfer> {
  const response = await client.request({
    method: 'POST',
    path: `/customers/${enc(customerTenantId)}/transfers`,
    body: { ...input, targetPartnerTenantId: client.partnerTenantId, transferType: 5 },
    requestId,
    schema: pcTransferSchema,
  });
  return response.data;
}

/** `GET /v1/customers/{cid}/transfers` (a bare array, §1 exception), the caller's side only. */
export async function listTransfers(
  client: PartnerCenterClient,
  customerTenantId: string,
): Promise<PcTransfer[]> {
  const response = await client.request({
    method: 'GET',
    path: `/customers/${enc(customerTenantId)}/transfers`,
    schema: z.union([z.array(pcTransferSchema), z.object({ items: z.array(pcTransferSchema) })]),
  });
  return Array.isArray(response.data) ? response.data : response.data.items;
}

export async function getTransfer(
  client: PartnerCenterClient,
  customerTenantId: string,
  transferId: string,
): Promise<PcTransfer> {
  const response = await client.request({
    method: 'GET',
    path: `/customers/${enc(customerTenantId)}/transfers/${enc(transferId)}`,
    schema: pcTransferSchema,
  });
  return response.data;
}

export interface AcceptLine {
  subscriptionId: string;
  quantity: number;
  billingCycle: string | null;
  productType: TransferProductType;
}

/** `PATCH .../transfers/{tid}` as the source (old) partner: accepts with the chosen line items. */
export async function acceptNceTransfer(
  client: PartnerCenterClient,
  customerTenantId: string,
  transferId: string,
  lines: AcceptLine[],
  requestId: string,
): Promise<PcTransfer> {
  const response = await client.request({
    method: 'PATCH',
    path: `/customers/${enc(customerTenantId)}/transfers/${enc(transferId)}`,
    body: {
      id: transferId,
      status: 'Active',
      lineItems: lines.map((l, i) => ({
        id: i,
        subscriptionId: l.subscriptionId,
        quantity: l.quantity,
        ...(l.billingCycle ? { billingCycle: l.billingCycle } : {}),
        productType: l.productType,
      })),
    },
    requestId,
    schema: pcTransferSchema,
  });
  return response.data;
}

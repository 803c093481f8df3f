import type { InvoiceLineItemRecord, InvoiceRecord } from '../core/gdap.model.js';
import { ensureInvoices, invoiceTotalCents, money } from '../domain/invoices.service.js';
import { decodeToken, pageSize, seekPage } from '../http/paging.js';
import { collection, errors, json, link } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

/** Invoices (`GET /v1/invoices`, one invoice, its line items), built in invoices.service.ts. */
function invoiceView(i: InvoiceRecord): Record<string, unknown> {
  const total = money(invoiceTotalCents(i));
  return {
    id: i.id,
    invoiceDate: i.invoiceDate,
    billingPeriodStartDate: i.billingPeriodStartDate,
    billingPeriodEndDate: i.billingPeriodEndDate,
    totalCharges: total,
    paidAmount: 0,
    currencyCode: i.currencyCode,
    currencySymbol: i.currencySymbol,
    documentType: 'invoice',
    invoiceType: 'Recurring',
    pdfDownloadLink: `/invoices/${i.id}/documents/statement`,
    amendments: [],
    invoiceDetails: [
      {
        invoiceLineItemType: 'billing_line_items',
        billingProvider: 'office',
        links: { self: link(`/invoices/${i.id}/lineitems/office/billinglineitems`) },
        attributes: { objectType: 'InvoiceDetail' },
      },
    ],
    links: { self: link(`/invoices/${i.id}`) },
    attributes: { objectType: 'Invoice' },
  };
}

function lineItemView(
  req: PcRequest,
  i: InvoiceRecord,
  li: InvoiceLineItemRecord,
): Record<string, unknown> {
  const sub = req.rt.store.subscriptions.get(li.subscriptionId);
  return {
    partnerId: req.tenant.tenantId,
    mpnId: Number(req.tenant.mpnId),
    customerId: li.customerId,
    customerName: li.customerName,
    orderId: li.orderId,
    subscriptionId: li.subscriptionId,
    offerId: li.offerId,
    durableOfferId: li.offerId,
    offerName: li.offerName,
    subscriptionStartDate: sub?.effectiveStartDate ?? null,
    subscriptionEndDate: sub?.commitmentEndDate ?? null,
    chargeStartDate: li.chargeStartDate,
    chargeEndDate: li.chargeEndDate,
    chargeType: li.chargeType,
    billingCycleType: li.billingCycle,
    unitPrice: money(li.unitPriceCents),
    quantity: li.quantity,
    amount: money(li.subtotalCents),
    totalOtherDiscount: 0,
    subtotal: money(li.subtotalCents),
    tax: money(li.taxCents),
    totalForCustomer: money(li.totalCents),
    currency: i.currencyCode,
    invoiceNumber: i.id,
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'office',
    attributes: { objectType: 'LicenseBasedLineItem' },
  };
}

function findInvoice(req: PcRequest): InvoiceRecord {
  const id = (req.params.invoiceId ?? '').toUpperCase();
  const invoice = ensureInvoices(req.rt, req.tenant).find((i) => i.id === id);
  if (!invoice) {
    throw errors.notFound(`Invoice ${req.params.invoiceId ?? ''}`);
  }
  return invoice;
}

function list(req: PcRequest): Response {
  const all = ensureInvoices(req.rt, req.tenant);
  const size = pageSize(req.query('size'), 100, 1000);
  const offset = Number(req.query('offset') ?? '0');
  if (!Number.isInteger(offset) || offset < 0) {
    throw errors.invalidInput('offset must be a non-negative integer.');
  }
  const page = all.slice(offset, offset + size);
  return json(
    collection(page.map(invoiceView), {
      selfUri: `/invoices?size=${size}&offset=${offset}`,
      next:
        offset + size < all.length
          ? link(`/invoices?size=${size}&offset=${offset + size}`)
          : undefined,
    }),
  );
}

function lineItems(req: PcRequest, provider: string, type: string): Response {
  const invoice = findInvoice(req);
  const p = provider.toLowerCase();
  const t = type.toLowerCase().replace(/_/g, '');
  if (!['office', 'azure', 'onetime', 'all'].includes(p)) {
    throw errors.invalidInput(`Unknown provider "${provider}" (office, azure, onetime or all).`);
  }
  if (!['billinglineitems', 'usagelineitems'].includes(t)) {
    throw errors.invalidInput(
      `Unknown invoicelineitemtype "${type}" (billinglineitems or usagelineitems).`,
    );
  }
  // Only licence charges are emulated: Azure usage and one-time items are empty here.
  const items =
    p === 'office' || p === 'all' ? (t === 'billinglineitems' ? invoice.lineItems : []) : [];
  const size = pageSize(req.query('size'), 2000, 2000);
  const fingerprint = `invoice|${invoice.id}|${p}|${t}`;
  const token = req.header('MS-ContinuationToken');
  const key = (li: InvoiceLineItemRecord): string => String(li.lineItemNumber).padStart(8, '0');
  const page = seekPage(
    items,
    key,
    size,
    token ? decodeToken(token, fingerprint) : undefined,
    fingerprint,
  );
  const base = `/invoices/${invoice.id}/lineitems?provider=${p}&invoicelineitemtype=${t}&size=${size}`;
  return json(
    collection(
      page.items.map((li) => lineItemView(req, invoice, li)),
      {
        selfUri: base,
        next: page.nextToken
          ? link(`${base}&seekOperation=Next`, 'GET', [
              { key: 'MS-ContinuationToken', value: page.nextToken },
            ])
          : undefined,
        continuationToken: page.nextToken,
      },
    ),
  );
}

export function invoicesHandlers(): PcRoute[] {
  const f = { family: 'invoices' as const };
  return [
    { method: 'GET', pattern: '/v1/invoices', ...f, handle: list },
    {
      method: 'GET',
      pattern: '/v1/invoices/summary',
      ...f,
      handle: (req) => {
        const all = ensureInvoices(req.rt, req.tenant);
        const total = all.reduce((s, i) => s + invoiceTotalCents(i), 0);
        return json({
          balanceAmount: money(total),
          currencyCode: all[0]?.currencyCode ?? null,
          accountingDate: req.rt.nowIso(),
          firstInvoiceCreationDate: all.at(-1)?.invoiceDate ?? null,
          lastPaymentDate: null,
          lastPaymentAmount: 0,
          latestInvoiceId: all[0]?.id ?? null,
          attributes: { objectType: 'InvoiceSummary' },
        });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/invoices/:invoiceId',
      ...f,
      handle: (req) => json(invoiceView(findInvoice(req))),
    },
    {
      method: 'GET',
      pattern: '/v1/invoices/:invoiceId/lineitems',
      ...f,
      handle: (req) =>
        lineItems(
          req,
          req.query('provider') ?? 'office',
          req.query('invoicelineitemtype') ?? 'billinglineitems',
        ),
    },
    {
      method: 'GET',
      pattern: '/v1/invoices/:invoiceId/lineitems/:provider/:type',
      ...f,
      handle: (req) => lineItems(req, req.params.provider ?? '', req.params.type ?? ''),
    },
  ];
}

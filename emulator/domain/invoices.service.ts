import type { InvoiceLineItemRecord, InvoiceRecord } from '../core/gdap.model.js';
import type { PartnerTenantRecord } from '../core/model.js';
import { countryInfo } from '../core/regions.js';
import type { EmulatorRuntime } from '../core/runtime.js';

/**
 * Monthly recurring invoices of a partner tenant, built from its orders and licence subscriptions
 * (issue 14 item 4). Prices are list prices per seat per month in the partner's currency (made up,
 * see README "Where we guessed"); amounts are integer cents so sums are exact, and go out as JSON
 * numbers with at most two decimals.
 */
const PRICE_CENTS: Record<string, number> = {
  'office365-e1': 1000,
  'office365-e3': 2300,
  'office365-e5': 3800,
  'microsoft365-business-standard': 1250,
  'microsoft365-business-premium': 2200,
  'office365-business-premium': 2000,
  'dynamics365-sales-enterprise': 9500,
  'dynamics-crm-online-professional': 6500,
  'dynamics365-business-central-essentials': 7000,
  'ems-e3': 1060,
  'ems-e5': 1640,
  'office365-e3-nce': 2300,
  'microsoft365-business-premium-nce': 2200,
};
const DEFAULT_PRICE_CENTS = 1000;
/** How far back the first invoice goes (months before the clock). */
const HISTORY_MONTHS = 12;

const monthStart = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const addMonths = (d: Date, n: number): Date =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
const day = (d: Date): string => d.toISOString().slice(0, 10) + 'T00:00:00Z';

export function unitPriceCents(rt: EmulatorRuntime, offerId: string): number {
  const alias = rt.catalog.find(offerId)?.alias ?? '';
  return PRICE_CENTS[alias] ?? DEFAULT_PRICE_CENTS;
}

/** Cents → a JSON number that prints exactly (`2300` → 23, `1060` → 10.6). */
export const money = (cents: number): number => Number((cents / 100).toFixed(2));

/**
 * Issues every invoice whose date (the first day after its month) has passed on the clock and that
 * was not issued yet. An invoice is frozen once issued: later changes show on the next one.
 */
export function ensureInvoices(rt: EmulatorRuntime, partner: PartnerTenantRecord): InvoiceRecord[] {
  const data = rt.store.tenantData;
  const now = rt.now();
  const current = monthStart(now);
  const last = data.invoicedThrough.get(partner.tenantId);
  let period = last ? addMonths(new Date(last), 1) : addMonths(current, -HISTORY_MONTHS);
  const currency = countryInfo(partner.country);
  for (; period.getTime() < current.getTime(); period = addMonths(period, 1)) {
    const end = addMonths(period, 1);
    const items = lineItemsFor(rt, partner, period, end);
    data.invoicedThrough.set(partner.tenantId, day(period));
    if (items.length === 0) {
      continue;
    }
    const id = `D0${data.rng.digits(8)}`;
    data.invoices.set(id, {
      id,
      partnerTenantId: partner.tenantId,
      invoiceDate: day(end),
      billingPeriodStartDate: day(period),
      billingPeriodEndDate: day(new Date(end.getTime() - 86_400_000)),
      currencyCode: currency.currency,
      currencySymbol: currency.currencySymbol,
      lineItems: items,
    });
  }
  return [...data.invoices.values()]
    .filter((i) => i.partnerTenantId === partner.tenantId)
    .sort((a, b) => (a.invoiceDate < b.invoiceDate ? 1 : -1));
}

function lineItemsFor(
  rt: EmulatorRuntime,
  partner: PartnerTenantRecord,
  start: Date,
  end: Date,
): InvoiceLineItemRecord[] {
  const items: InvoiceLineItemRecord[] = [];
  const inPeriod = (iso: string): boolean => {
    const t = Date.parse(iso);
    return t >= start.getTime() && t < end.getTime();
  };
  const push = (
    li: Omit<InvoiceLineItemRecord, 'lineItemNumber' | 'subtotalCents' | 'taxCents' | 'totalCents'>,
    months: number,
  ): void => {
    const subtotal = li.quantity * li.unitPriceCents * months;
    items.push({
      ...li,
      lineItemNumber: items.length,
      subtotalCents: subtotal,
      taxCents: 0,
      totalCents: subtotal,
    });
  };
  const newSubscriptions = new Set<string>();
  for (const order of rt.store.orders.values()) {
    if (
      order.partnerTenantId !== partner.tenantId ||
      order.status !== 'completed' ||
      !inPeriod(order.creationDate)
    ) {
      continue;
    }
    const customer = rt.store.customers.get(order.customerTenantId);
    for (const li of order.lineItems) {
      const sub = rt.store.subscriptions.get(li.subscriptionId);
      if (!sub || (sub.kind !== 'license' && sub.kind !== 'new_commerce')) {
        continue; // Azure consumption is billed on the usage invoice, not emulated
      }
      newSubscriptions.add(sub.id);
      const months = order.billingCycle === 'annual' ? 12 : 1;
      push(
        {
          customerId: order.customerTenantId,
          customerName: customer?.companyName ?? '',
          orderId: order.id,
          subscriptionId: sub.id,
          offerId: li.offerId,
          offerName: sub.offerName,
          chargeType: 'new',
          billingCycle: order.billingCycle,
          chargeStartDate: order.creationDate,
          chargeEndDate: day(addMonths(new Date(order.creationDate), months)),
          quantity: li.quantity,
          unitPriceCents: unitPriceCents(rt, li.offerId),
        },
        months,
      );
    }
  }
  for (const sub of rt.store.subscriptions.values()) {
    if (
      sub.partnerTenantId !== partner.tenantId ||
      (sub.kind !== 'license' && sub.kind !== 'new_commerce') ||
      sub.status !== 'active' ||
      newSubscriptions.has(sub.id) ||
      Date.parse(sub.creationDate) >= start.getTime()
    ) {
      continue;
    }
    const annual = sub.billingCycle === 'annual';
    if (annual && new Date(sub.creationDate).getUTCMonth() !== start.getUTCMonth()) {
      continue;
    }
    const months = annual ? 12 : 1;
    push(
      {
        customerId: sub.customerTenantId,
        customerName: rt.store.customers.get(sub.customerTenantId)?.companyName ?? '',
        orderId: sub.orderId,
        subscriptionId: sub.id,
        offerId: sub.offerId,
        offerName: sub.offerName,
        chargeType: 'cycle_charge',
        billingCycle: sub.billingCycle,
        chargeStartDate: day(start),
        chargeEndDate: day(addMonths(start, months)),
        quantity: sub.quantity,
        unitPriceCents: unitPriceCents(rt, sub.offerId),
      },
      months,
    );
  }
  return items;
}

export function invoiceTotalCents(invoice: InvoiceRecord): number {
  return invoice.lineItems.reduce((sum, li) => sum + li.totalCents, 0);
}

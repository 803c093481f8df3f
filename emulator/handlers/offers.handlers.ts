import type { CatalogOffer } from '../core/catalog.js';
import { countryInfo } from '../core/regions.js';
import { readableCustomer } from '../domain/access.js';
import { offerView } from '../domain/views.js';
import { collection, errors, json, link, PcHttpError } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

/**
 * Legacy offers (`/offers`, index paging with offset/size) and the new-commerce catalog
 * (`/products/{pid}/skus/{sku}/availabilities`), per country (partner-center-api.md §6). Legacy
 * offers include MS-AZR-0145P and discontinued offers (isAvailableForPurchase false, successor in
 * upgradeTargetOffers); the catalog holds new-commerce items and the Azure plan.
 */
function requireCountry(req: PcRequest): string {
  const country = req.query('country');
  if (!country) {
    throw errors.invalidInput('The country parameter is required.');
  }
  return country.toUpperCase();
}

const isLegacy = (o: CatalogOffer): boolean => o.kind === 'license' || o.kind === 'azure_legacy';
const isCatalog = (o: CatalogOffer): boolean => !isLegacy(o);

function listOffers(req: PcRequest, country: string, selfBase: string): Response {
  const offset = Number(req.query('offset') ?? '0');
  const size = Number(req.query('size') ?? String(req.rt.options.paging.offersDefault));
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(size) || size < 1) {
    throw errors.invalidInput('offset and size must be non-negative integers.');
  }
  const category = req.query('offer_category_id')?.toLowerCase();
  const all = req.rt.catalog
    .forCountry(country)
    .filter(isLegacy)
    .filter((o) => !category || o.categoryId.toLowerCase() === category);
  const page = all.slice(offset, offset + size);
  const next =
    offset + size < all.length
      ? link(`${selfBase}${selfBase.includes('?') ? '&' : '?'}offset=${offset + size}&size=${size}`)
      : undefined;
  return json(
    collection(
      page.map((o) => offerView(o, country, req.header('X-Locale') ?? 'en-US')),
      { selfUri: selfBase, next },
    ),
  );
}

function offerById(req: PcRequest): Response {
  const country = requireCountry(req);
  const offer = req.rt.catalog.find(req.params.offerId ?? '');
  if (!offer || !isLegacy(offer) || !req.rt.catalog.availableIn(offer, country)) {
    throw new PcHttpError(
      404,
      800004,
      `Offer ${req.params.offerId ?? ''} is not available in ${country}.`,
    );
  }
  return json(offerView(offer, country));
}

function productView(o: CatalogOffer): Record<string, unknown> {
  return {
    id: o.productId,
    title: o.productName,
    description: o.description,
    productType: { id: o.productTypeId, displayName: o.productTypeName },
    isMicrosoftProduct: true,
    publisherName: 'Microsoft Corporation',
    links: { skus: link(`/products/${o.productId}/skus`), self: link(`/products/${o.productId}`) },
    attributes: { objectType: 'Product' },
  };
}

function skuView(o: CatalogOffer): Record<string, unknown> {
  const [productId, skuId] = o.id.split(':');
  return {
    id: skuId,
    productId,
    title: o.name,
    description: o.description,
    minimumQuantity: o.minimumQuantity,
    maximumQuantity: o.maximumQuantity,
    isTrial: false,
    supportedBillingCycles: o.supportedBillingCycles,
    purchasePrerequisites: o.requiresMca ? ['MicrosoftCustomerAgreement'] : [],
    inventoryVariables: [],
    provisioningVariables: [],
    dynamicAttributes: {},
    links: {
      availabilities: link(`/products/${productId}/skus/${skuId}/availabilities`),
      self: link(`/products/${productId}/skus/${skuId}`),
    },
    attributes: { objectType: 'Sku' },
  };
}

function availabilityView(
  o: CatalogOffer,
  country: string,
  currency: string,
): Record<string, unknown> {
  const [productId, skuId, availabilityId] = o.id.split(':');
  return {
    id: availabilityId,
    productId,
    skuId,
    catalogItemId: o.id,
    defaultCurrency: { code: currency },
    segment: 'commercial',
    country,
    isPurchasable: !o.discontinued,
    isRenewable: o.isAutoRenewable,
    product: productView(o),
    sku: skuView(o),
    terms: o.termDurations.map((duration) => ({
      duration,
      description:
        duration === 'P1M'
          ? 'One-Month commitment'
          : duration === 'P1Y'
            ? 'One-Year commitment'
            : 'Three-Year commitment',
    })),
    links: { self: link(`/products/${productId}/skus/${skuId}/availabilities/${availabilityId}`) },
    attributes: { objectType: 'Availability' },
  };
}

function catalogFor(req: PcRequest, country: string): CatalogOffer[] {
  const view = req.query('targetView')?.toLowerCase();
  return req.rt.catalog
    .forCountry(country)
    .filter(isCatalog)
    .filter(
      (o) =>
        !view ||
        (view === 'azure' || view === 'microsoftazure'
          ? o.productTypeId === 'Azure'
          : view === 'onlineservices'
            ? o.productTypeId === 'OnlineServices'
            : false),
    );
}

function countryOf(req: PcRequest): string {
  if (req.params.customerId) {
    return readableCustomer(req.rt, req.tenant, req.params.customerId).customer.country;
  }
  return requireCountry(req);
}

function findProduct(req: PcRequest, country: string): CatalogOffer[] {
  const pid = (req.params.productId ?? '').toUpperCase();
  const items = req.rt.catalog
    .forCountry(country)
    .filter((o) => isCatalog(o) && o.productId === pid);
  if (items.length === 0) {
    throw new PcHttpError(404, 400013, `Product ${pid} was not found.`);
  }
  return items;
}

function findSku(req: PcRequest, country: string): CatalogOffer {
  const sku = req.params.skuId ?? '';
  const item = findProduct(req, country).find((o) => o.id.split(':')[1] === sku);
  if (!item) {
    throw new PcHttpError(404, 400018, `SKU ${sku} was not found.`);
  }
  return item;
}

function currencyFor(_req: PcRequest, country: string): string {
  return countryInfo(country).currency;
}

function catalogRoutes(prefix: string): PcRoute[] {
  const f = { family: 'offers' as const };
  return [
    {
      method: 'GET',
      pattern: `${prefix}/products`,
      ...f,
      handle: (req) => {
        const country = countryOf(req);
        const seen = new Set<string>();
        const products = catalogFor(req, country).filter(
          (o) => !seen.has(o.productId) && seen.add(o.productId),
        );
        return json(collection(products.map(productView)));
      },
    },
    {
      method: 'GET',
      pattern: `${prefix}/products/:productId`,
      ...f,
      handle: (req) => json(productView(findProduct(req, countryOf(req))[0] as CatalogOffer)),
    },
    {
      method: 'GET',
      pattern: `${prefix}/products/:productId/skus`,
      ...f,
      handle: (req) => json(collection(findProduct(req, countryOf(req)).map(skuView))),
    },
    {
      method: 'GET',
      pattern: `${prefix}/products/:productId/skus/:skuId`,
      ...f,
      handle: (req) => json(skuView(findSku(req, countryOf(req)))),
    },
    {
      method: 'GET',
      pattern: `${prefix}/products/:productId/skus/:skuId/availabilities`,
      ...f,
      handle: (req) => {
        const country = countryOf(req);
        return json(
          collection([availabilityView(findSku(req, country), country, currencyFor(req, country))]),
        );
      },
    },
    {
      method: 'GET',
      pattern: `${prefix}/products/:productId/skus/:skuId/availabilities/:availabilityId`,
      ...f,
      handle: (req) => {
        const country = countryOf(req);
        const item = findSku(req, country);
        if (item.id.split(':')[2] !== (req.params.availabilityId ?? '').toUpperCase()) {
          throw new PcHttpError(
            404,
            1000,
            `Availability ${req.params.availabilityId ?? ''} was not found.`,
          );
        }
        return json(availabilityView(item, country, currencyFor(req, country)));
      },
    },
  ];
}

export function offersHandlers(): PcRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/offers',
      family: 'offers',
      handle: (req) =>
        listOffers(req, requireCountry(req), `/offers?country=${requireCountry(req)}`),
    },
    { method: 'GET', pattern: '/v1/offers/:offerId', family: 'offers', handle: offerById },
    {
      method: 'GET',
      pattern: '/v1/offercategories',
      family: 'offers',
      handle: (req) => {
        const country = requireCountry(req);
        const cats = [
          ...new Set(
            req.rt.catalog
              .forCountry(country)
              .filter(isLegacy)
              .map((o) => o.categoryId),
          ),
        ];
        return json(
          collection(
            cats.map((id, rank) => ({
              id,
              name: id,
              rank,
              locale: 'en-US',
              country,
              attributes: { objectType: 'OfferCategory' },
            })),
          ),
        );
      },
    },
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId/offers',
      family: 'offers',
      handle: (req) => {
        const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
        return listOffers(req, customer.country, `/customers/${customer.tenantId}/offers`);
      },
    },
    ...catalogRoutes('/v1'),
    ...catalogRoutes('/v1/customers/:customerId'),
  ];
}

import { type BlockerCode } from '../../shared/error-codes.js';
import { randomUUID } from 'node:crypto';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { listOffers } from '../../partner-center/operations.js';
import { regionOf } from '../../shared/countries.js';
import { equivalentOffer, offerCatalog } from '../shared/equivalent-offer.js';
import {
  type NewBlocker,
  type NewEvent,
  type NewItem,
} from '../../workflows/engine/engine.types.js';
import {
  LINE,
  RELATIONSHIP,
  cutoverFor,
  type LicenseLine,
  type LineItemData,
  type RelationshipItemData,
  type SourceChannel,
  type TenantRef,
} from './channel-move.model.js';

export interface ChannelMovePlanRequest {
  partner: TenantRef;
  customerTenantId: string;
  customerCountry: string;
  customerName: string | null;
  sourceChannel: SourceChannel;
  leadDays: number;
  lines: LicenseLine[];
  /** The R-CON-7 refusal when the partner tenant is this customer's consolidated source. */
  consolidations: { message: string } | null;
  /** Other started channel moves of the same customer into the same partner tenant. */
  openMoves: string[];
  now: Date;
}

export interface ChannelMovePlan {
  items: NewItem[];
  blockers: NewBlocker[];
  events: NewEvent[];
}

/** The warnings of R-CHN-3 that go with a line, shown in the plan and in its events. */
export function lineWarnings(
  line: Pick<LicenseLine, 'action' | 'expiresOn'>,
  sourceChannel: SourceChannel,
  cutoverAt: string | null,
  now: Date,
): string[] {
  const warnings: string[] = [];
  if (line.action === 'CANCEL') {
    warnings.push(
      'Cancelled subscriptions are not refunded (R-CHN-3): letting the original expire close to its natural end date is cheaper.',
    );
    if (sourceChannel === 'WEB_DIRECT') {
      warnings.push(
        'Bought directly from Microsoft (Web Direct): the customer may be eligible for a credit through Microsoft 365 billing support; the partner can contact it on the customer’s behalf only with delegated admin privileges (R-CHN-3).',
      );
    }
  } else if (cutoverAt && cutoverAt <= now.toISOString()) {
    warnings.push(
      `The original expires on ${line.expiresOn?.slice(0, 10)}, within the cut-over lead time: the replacement is ordered as soon as the customer accepts the reseller relationship.`,
    );
  }
  return warnings;
}

function isNotFound(error: unknown): boolean {
  return error instanceof PartnerCenterError && error.status === 404;
}

/**
 * The dry run of a channel move (R-CHN-1..7). Reads the partner's offer catalog for the customer's
 * country and whether a reseller relationship exists; changes nothing in Partner Center. Each line
 * gets its target offer (the same offer, R-CHN-5; else the catalog's successor, R-CHN-6; else a
 * blocker), its seat bounds check and its cut-over date (R-CHN-3).
 */
export async function planChannelMove(
  clients: PartnerCenterClientFactory,
  request: ChannelMovePlanRequest,
): Promise<ChannelMovePlan> {
  const { partner, customerTenantId, customerCountry, sourceChannel, leadDays, now } = request;
  const client = clients.forTenant(partner.tenantId);
  const [offers, existing] = await Promise.all([
    listOffers(client, customerCountry),
    client
      .getCustomer(customerTenantId)
      .catch((e: unknown) =>
        isNotFound(e) ? null : Promise.reject(e),
      ) as Promise<PcCustomer | null>,
  ]);
  const catalog = offerCatalog(offers);

  const hasRelationship = existing?.relationshipToPartner === 'reseller';
  const companyName =
    existing?.companyProfile.companyName ?? request.customerName ?? customerTenantId;
  const relationshipItemId = randomUUID();
  const blockers: NewBlocker[] = [];
  const events: NewEvent[] = [];
  const items: NewItem[] = [];

  // Workflow-level blockers: none of the lines may move.
  const partnerRegion = partner.region ?? regionOf(partner.country);
  const customerRegion = regionOf(customerCountry);
  if (!customerRegion || customerRegion !== partnerRegion) {
    // R-CHN-7: the CSP partner must be in the same region as the customer tenant.
    blockers.push({
      code: 'REGION_MISMATCH',
      message: `The customer is in ${customerCountry} (${customerRegion ?? 'unknown region'}), outside the region of ${partner.name} (${partnerRegion ?? 'unknown'}); the partner must be in the same region as the customer tenant (R-CHN-7).`,
    });
  }
  if (request.consolidations) {
    // R-CON-7: no new subscriptions from a tenant the customer is being consolidated away from.
    blockers.push({ code: 'SOURCE_OF_CONSOLIDATION', message: request.consolidations.message });
  }
  if (request.openMoves.length > 0) {
    blockers.push({
      code: 'ALREADY_MOVING',
      message: `Another running channel move already brings this customer into ${partner.name}.`,
    });
  }

  let movable = 0;
  for (const line of request.lines) {
    const itemId = randomUUID();
    const subject = `line:${line.lineNumber}`;
    const lineBlockers: NewBlocker[] = [];
    const block = (code: BlockerCode, message: string) =>
      lineBlockers.push({
        code,
        message,
        itemId,
        customerTenantId,
        partnerTenantId: partner.tenantId,
        subject,
      });
    // R-CHN-5: the same offer, no license reassignment; R-CHN-6: the old offer is no longer
    // available, its catalog successor is the equivalent (shared with the consolidation).
    const { source, target } = equivalentOffer(catalog, line.offerId);
    const label = source?.name ? `${source.name} (${line.offerId})` : line.offerId;
    if (!target) {
      block(
        'NO_EQUIVALENT_OFFER',
        source
          ? `Line ${line.lineNumber}: ${label} is no longer available and the catalog of ${customerCountry} has no available successor; an equivalent offer is needed to avoid data loss (R-CHN-6).`
          : `Line ${line.lineNumber}: offer ${line.offerId} is not in ${partner.name}'s catalog for ${customerCountry}, and no equivalent offer is known (R-CHN-6).`,
      );
    } else if (target.billing && String(target.billing).toLowerCase() === 'usage') {
      block(
        'NOT_LICENSE_BASED',
        `Line ${line.lineNumber}: ${label} is usage-based; only license-based subscriptions move from other channels (R-TRF-1).`,
      );
    }
    const min = target?.minimumQuantity ?? null;
    const max = target?.maximumQuantity ?? null;
    if (target && ((min !== null && line.seats < min) || (max !== null && line.seats > max))) {
      // R-CHN-2/5: the same seats must be bought; Partner Center refuses them outside the bounds (2002).
      block(
        'SEATS_OUT_OF_BOUNDS',
        `Line ${line.lineNumber}: ${line.seats} seats of ${target.name ?? target.id} are outside the offer's bounds (${min ?? 1}..${max ?? '∞'}).`,
      );
    }
    if (line.action === 'LET_EXPIRE' && !line.expiresOn) {
      block(
        'EXPIRY_DATE_REQUIRED',
        `Line ${line.lineNumber}: letting ${label} expire needs its expiry date (expiresOn) to schedule the cut-over; give it, or ask for CANCEL.`,
      );
    }
    const cutoverAt = cutoverFor(line.action, line.expiresOn, leadDays);
    const equivalent = !!target && !!source && target.id.toUpperCase() !== source.id.toUpperCase();
    const data: LineItemData = {
      ...line,
      companyName,
      sourceOfferName: source?.name ?? null,
      targetOfferId: target?.id ?? null,
      targetOfferName: target?.name ?? null,
      equivalentOffer: equivalent,
      licenseReassignmentRequired: equivalent,
      cutoverAt,
      minimumQuantity: min,
      maximumQuantity: max,
      warnings: lineWarnings(line, sourceChannel, cutoverAt, now),
    };
    const blocked = lineBlockers.length > 0;
    movable += blocked ? 0 : 1;
    blockers.push(...lineBlockers);
    items.push({
      id: itemId,
      parentItemId: relationshipItemId,
      kind: LINE,
      state: blocked ? 'BLOCKED' : 'PLANNED',
      step: 'await_cutover',
      // Held until the relationship item releases it after acceptance (R-CHN-2).
      status: blocked ? 'BLOCKED' : 'PENDING',
      nextRunAt: null,
      customerTenantId,
      partnerTenantId: partner.tenantId,
      subject,
      data: data as unknown as Record<string, unknown>,
    });
    if (line.action === 'CANCEL') {
      events.push({
        type: 'CANCEL_WARNING',
        message: `Line ${line.lineNumber} (${label}): the customer will cancel the original as soon as the relationship is accepted. ${data.warnings.join(' ')}`,
        itemId,
        customerTenantId,
      });
    }
  }
  if (movable === 0) {
    blockers.push({
      code: 'NOTHING_TO_MOVE',
      message: 'No license line of this channel move can be moved.',
    });
  }

  const relationshipData: RelationshipItemData = {
    companyName,
    domain: existing?.companyProfile.domain ?? '',
    country: customerCountry,
    relationshipRequired: !hasRelationship,
  };
  items.unshift({
    id: relationshipItemId,
    kind: RELATIONSHIP,
    state: hasRelationship ? 'ACCEPTED' : 'PLANNED',
    // R-CHN-1: request a reseller relationship first; an existing one only needs checking.
    step: hasRelationship ? 'await_acceptance' : 'request',
    nextRunAt: '1970-01-01T00:00:00.000Z',
    customerTenantId,
    partnerTenantId: partner.tenantId,
    subject: null,
    data: relationshipData as unknown as Record<string, unknown>,
  });
  events.unshift({
    type: 'PLANNED',
    message: `Planned ${request.lines.length} license line(s) from ${sourceChannel.toLowerCase().replace(/_/g, ' ')} into ${partner.name}: ${movable} movable; ${hasRelationship ? 'the reseller relationship already exists' : 'a reseller relationship will be requested (R-CHN-1)'}.`,
    data: { lines: request.lines.length, movable, relationshipRequired: !hasRelationship },
  });
  return { items, blockers, events };
}

import { type RequestScope } from '../../shared/request-scope.js';
import {
  type OrganizationService,
  type TenantRecord,
} from '../../modules/organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { type Clock } from '../../shared/clock.js';
import {
  checkOfferId,
  InputCheck,
  isCleanText,
  PARTNER_TENANT_ID,
} from '../../shared/input-validation.js';
import { err, ok, type DomainError, type Result } from '../../shared/result.js';
import { CSV_LIMITS, isIsoCountry, isSaneDate, TEXT_LIMITS } from '../../shared/validation.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import * as engineRepo from '../../workflows/engine/workflow.repository.js';
import { type WorkflowService } from '../../workflows/workflow.service.js';
import { parseLicensesCsv, parseUtcDate } from './channel-move.csv.js';
import {
  DEFAULT_LEAD_DAYS,
  MAX_LEAD_DAYS,
  MAX_LINES,
  RELATIONSHIP,
  type ChannelMoveData,
  type LicenseLine,
  type LineAction,
  type SourceChannel,
  type TenantRef,
} from './channel-move.model.js';
import { planChannelMove } from './channel-move.planner.js';
import { consolidatedSourceRefusal } from '../shared/consolidated-source.guard.js';
import { openChannelMoves } from './channel-move.repository.js';
import { type ChannelMoveExportService } from './channel-move-export.service.js';
import { type ChannelMoveViewService } from './channel-move-view.service.js';

export interface ExistingLicense {
  offerId: string;
  seats: number;
  expiresOn?: Date | null;
  action?: LineAction | null;
}

export interface PlanChannelMoveInput {
  partnerTenantId: string;
  customerTenantId: string;
  sourceChannel: SourceChannel;
  licenses: ExistingLicense[];
  customerCountry?: string | null;
  customerName?: string | null;
  csv?: string | null;
  cutoverLeadDays?: number | null;
  idempotencyKey?: string | null;
}

/** A refused plan: the first problem, and every problem when there are several (CSV rows). */
export type PlanError = DomainError & { all?: DomainError[] };

/** ISO 3166-1 alpha-2 (kept here for existing importers; the rule lives in shared/validation). */
export { isIsoCountry };

const toRef = (t: TenantRecord): TenantRef => ({
  tenantId: t.tenantId,
  name: t.name,
  mpnId: t.mpnId,
  country: t.country,
  region: t.region,
});

/** planChannelMove: validates the input (inline lines or CSV), reads the catalog, stores a DRAFT. */
export class ChannelMoveService {
  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      organizations: OrganizationService;
      workflows: WorkflowService;
      clients: PartnerCenterClientFactory;
    },
  ) {}

  async plan(
    scope: RequestScope,
    input: PlanChannelMoveInput,
  ): Promise<Result<WorkflowRow, PlanError>> {
    const resolved = await this.resolveInput(scope, input);
    if (!resolved.ok) {
      return resolved;
    }
    const { partner, customerTenantId, customerCountry, lines, leadDays } = resolved.value;
    const organizationId = scope.actor.organizationId;
    return this.deps.workflows.createPlanned(
      scope.actor,
      'CHANNEL_MOVE',
      {
        value: {
          partner: partner.tenantId,
          customerTenantId,
          customerCountry,
          customerName: input.customerName ?? null,
          sourceChannel: input.sourceChannel,
          leadDays,
          lines,
        },
        idempotencyKey: input.idempotencyKey ?? null,
      },
      async () => {
        const [consolidations, openMoves] = await Promise.all([
          consolidatedSourceRefusal(this.deps.db, {
            organizationId,
            partner,
            customerTenantId,
            customerName: input.customerName?.trim() || null,
            action: 'move this customer into this tenant',
          }),
          openChannelMoves(this.deps.db, organizationId, partner.tenantId, customerTenantId),
        ]);
        let plan;
        try {
          plan = await planChannelMove(this.deps.clients, {
            partner: toRef(partner),
            customerTenantId,
            customerCountry,
            customerName: input.customerName?.trim() || null,
            sourceChannel: input.sourceChannel,
            leadDays,
            lines,
            consolidations,
            openMoves,
            now: this.deps.clock.now(),
          });
        } catch (error) {
          // The catalog could not be read: nothing is stored, the caller may simply try again.
          if (error instanceof PartnerCenterError) {
            return err({
              code: 'PARTNER_CENTER_ERROR',
              message: `Partner Center refused a planning read (${error.operation}: ${error.status} ${error.code} ${error.description}); nothing was planned.`,
            });
          }
          throw error;
        }
        const data: ChannelMoveData = {
          partner: toRef(partner),
          customerTenantId,
          customerCountry,
          sourceChannel: input.sourceChannel,
          leadDays,
        };
        return ok({
          data: data as unknown as Record<string, unknown>,
          items: plan.items,
          blockers: plan.blockers,
          events: plan.events,
        });
      },
    );
  }

  private async resolveInput(
    scope: RequestScope,
    input: PlanChannelMoveInput,
  ): Promise<
    Result<
      {
        partner: TenantRecord;
        customerTenantId: string;
        customerCountry: string;
        lines: LicenseLine[];
        leadDays: number;
      },
      PlanError
    >
  > {
    const fail = (error: PlanError) => err(error);
    // Issue 17: ids and text are checked before anything is read or stored; no message repeats a value.
    const check = new InputCheck();
    const [partnerTenantId] =
      check.globalId(input.partnerTenantId, ['input', 'partnerTenantId'], PARTNER_TENANT_ID) ?? [];
    // Spaces around a pasted id are forgiven; a control character (even one trim() removes) is not.
    const customerTenantId = check.guid(
      isCleanText(input.customerTenantId) ? input.customerTenantId.trim() : input.customerTenantId,
      ['input', 'customerTenantId'],
      "customerTenantId (the customer's Entra ID tenant id)",
    );
    check.text(input.customerName, ['input', 'customerName'], {
      label: 'customerName',
      max: TEXT_LIMITS.name,
    });
    if (check.error) {
      return fail(check.error);
    }
    const partner = await this.deps.organizations.tenantForActor(scope, partnerTenantId as string);
    if (!partner) {
      return fail({
        code: 'NOT_FOUND',
        message: 'No partner tenant of your organization has this id.',
        field: ['input', 'partnerTenantId'],
      });
    }
    const country = input.customerCountry?.trim().toUpperCase() ?? '';
    if (!country) {
      return fail({
        code: 'REQUIRED',
        message:
          'customerCountry is required: the customer is not yet a customer of the partner, so Partner Center cannot tell its country, and the region rule (R-CHN-7) needs it.',
        field: ['input', 'customerCountry'],
      });
    }
    if (!isIsoCountry(country)) {
      return fail({
        code: 'INVALID_COUNTRY',
        message:
          'customerCountry is not an ISO 3166-1 alpha-2 country code (two letters, e.g. DE).',
        field: ['input', 'customerCountry'],
      });
    }
    const leadDays = input.cutoverLeadDays ?? DEFAULT_LEAD_DAYS;
    if (!Number.isInteger(leadDays) || leadDays < 0 || leadDays > MAX_LEAD_DAYS) {
      return fail({
        code: 'INVALID',
        message: `cutoverLeadDays must be a whole number of days from 0 to ${MAX_LEAD_DAYS}.`,
        field: ['input', 'cutoverLeadDays'],
      });
    }
    if (input.csv && Buffer.byteLength(input.csv, 'utf8') > CSV_LIMITS.bytes) {
      return fail({
        code: 'CSV_TOO_LARGE',
        message: `The CSV is larger than ${CSV_LIMITS.bytes / 1024} KiB; split the move.`,
        field: ['input', 'csv'],
      });
    }
    const csv = input.csv?.trim() ? input.csv : null;
    if (csv && input.licenses.length > 0) {
      return fail({
        code: 'AMBIGUOUS_INPUT',
        message: 'Give the licenses either inline (licenses) or as a CSV (csv), not both.',
        field: ['input', 'csv'],
      });
    }
    let lines: LicenseLine[];
    if (csv) {
      const parsed = parseLicensesCsv(csv);
      if (!parsed.ok) {
        // Every bad row is reported by line number; nothing is planned.
        const all = parsed.problems.map((p) => ({
          code: 'CSV_INVALID' as const,
          message: `CSV line ${p.line}: ${p.message}`,
          field: ['input', 'csv', String(p.line)],
        }));
        return fail({ ...(all[0] as DomainError), all });
      }
      const badOffers = parsed.lines.flatMap((l) => {
        const offer = checkOfferId(l.offerId, ['input', 'csv', String(l.lineNumber)], 'offerId');
        return offer.ok
          ? []
          : [
              {
                ...offer.error,
                code: 'CSV_INVALID' as const,
                message: `CSV line ${l.lineNumber}: ${offer.error.message}`,
              },
            ];
      });
      if (badOffers.length > 0) {
        return fail({ ...(badOffers[0] as DomainError), all: badOffers });
      }
      lines = parsed.lines;
    } else {
      if (input.licenses.length === 0) {
        return fail({
          code: 'REQUIRED',
          message: 'Give at least one existing license (licenses or csv).',
          field: ['input', 'licenses'],
        });
      }
      if (input.licenses.length > MAX_LINES) {
        return fail({
          code: 'TOO_MANY',
          message: `At most ${MAX_LINES} license lines are accepted.`,
          field: ['input', 'licenses'],
        });
      }
      const all: DomainError[] = [];
      lines = input.licenses.map((l, i) => {
        const field = (name: string) => ['input', 'licenses', String(i), name];
        const offer = checkOfferId(l.offerId, field('offerId'), `License ${i + 1}: offerId`);
        if (!offer.ok) {
          all.push(offer.error);
        }
        const offerId = offer.ok ? offer.value : '';
        if (!Number.isSafeInteger(l.seats) || l.seats < 1) {
          all.push({
            code: 'INVALID',
            message: `License ${i + 1}: seats must be a whole number greater than 0.`,
            field: field('seats'),
          });
        }
        if (l.expiresOn && !isSaneDate(l.expiresOn)) {
          all.push({
            code: 'INVALID_DATE',
            message: `License ${i + 1}: expiresOn must be a real date (2000–2100).`,
            field: field('expiresOn'),
          });
        }
        const expiresOn =
          l.expiresOn && !Number.isNaN(l.expiresOn.getTime()) ? l.expiresOn.toISOString() : null;
        return {
          lineNumber: i + 1,
          offerId,
          seats: l.seats,
          expiresOn,
          action: l.action ?? 'LET_EXPIRE',
        };
      });
      if (all.length > 0) {
        return fail({ ...(all[0] as DomainError), all });
      }
    }
    // Normalise the dates so equal inputs hash equally for idempotency keys.
    lines = lines.map((l) => ({ ...l, expiresOn: l.expiresOn ? parseUtcDate(l.expiresOn) : null }));
    return ok({ partner, customerTenantId, customerCountry: country, lines, leadDays });
  }
}

/**
 * Refuses to start a channel move of a customer that another running move already brings into the
 * same partner tenant (two would order every line twice). Drafts hold nothing; started ones do.
 */
export function channelMoveStartGuard(db: EngineDb) {
  return async (row: WorkflowRow): Promise<Result<void>> => {
    const items = await engineRepo.listItems(db, row.id);
    const rel = items.find((i) => i.kind === RELATIONSHIP);
    if (!rel?.partnerTenantId || !rel.customerTenantId) {
      return ok(undefined);
    }
    const others = await openChannelMoves(
      db,
      row.organizationId,
      rel.partnerTenantId,
      rel.customerTenantId,
      row.id,
    );
    return others.length === 0
      ? ok(undefined)
      : err({
          code: 'ALREADY_MOVING',
          message:
            'Another running channel move already brings this customer into this partner tenant.',
          field: ['input', 'id'],
        });
  };
}

/** The channel move's services in the request context. */
export interface ChannelMoveServices {
  channelMoves: ChannelMoveService;
  channelMoveViews: ChannelMoveViewService;
  channelMoveExports: ChannelMoveExportService;
}

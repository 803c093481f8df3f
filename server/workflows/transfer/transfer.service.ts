import { randomUUID } from 'node:crypto';
import { type Actor } from '../../app/auth.js';
import { type RequestScope } from '../../app/context.js';
import { insertActivityEntries } from '../../modules/activity-log/activity.repository.js';
import { type OrganizationService } from '../../modules/organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { mapProductFamily } from '../../partner-center/mapping.js';
import { getOrganizationProfile } from '../../partner-center/transfer.operations.js';
import { type Clock } from '../../shared/clock.js';
import { PartnerRole, ProductFamily } from '../../shared/enums.js';
import { ForbiddenError } from '../../shared/errors.js';
import { decodeIdOf } from '../../shared/ids.js';
import { err, ok, type DomainError, type Result } from '../../shared/result.js';
import {
  emailSchema,
  guidSchema,
  invalid,
  isSaneDate,
  optionalTextSchema,
  phoneSchema,
  requiredTextSchema,
  TEXT_LIMITS,
} from '../../shared/validation.js';
import { type EngineDb } from '../engine/db.types.js';
import { type NewBlocker, type WorkflowItemRow, type WorkflowRow } from '../engine/engine.types.js';
import * as engineRepo from '../engine/workflow.repository.js';
import { type WorkflowService } from '../workflow.service.js';
import { SigningTokens, TOKEN_PATTERN } from './signing-token.js';
import { formEvents, recordFormOpened } from './transfer-form-events.js';
import { humanDateTime, isTimeZone } from './transfer-form-format.js';
import {
  formContentHash,
  renderTransferFormPdf,
  type TransferFormContent,
} from './transfer-form.pdf.js';
import {
  TRANSFER,
  TRANSFER_PARTIES,
  type Contact,
  type SignatureRecord,
  type TransferData,
  type TransferItemData,
  type TransferParty,
} from './transfer.model.js';
import * as actions from './transfer-actions.repository.js';
import * as repo from './transfer.repository.js';

export interface PlanSubscriptionTransferInput {
  subscriptionId: string;
  newPartnerTenantId: string;
  newPartnerMpnId: string;
  customerRequestReceivedAt: Date;
  customerRequestReference?: string | null;
  partnerAdmins: Array<{ name: string; email: string; phone?: string | null }>;
  idempotencyKey?: string | null;
}

export interface SigningLinkView {
  party: TransferParty;
  url: string;
  expiresAt: string;
  used: boolean;
}

// Deliberately simple: one @, no spaces, a dot in the domain (RFC 5322 allows far more, support does not).
const isEmail = (v: string): boolean => emailSchema.safeParse(v).success;
const WRITE_ROLES = new Set([PartnerRole.GLOBAL_ADMIN, PartnerRole.ADMIN_AGENT]);
const LINK_PARTIES: TransferParty[] = ['CUSTOMER', 'NEW_PARTNER'];
const DEFAULT_LINK_TTL_MS = 14 * 86_400_000;

const isWriter = (actor: Actor) => actor.roles.some((r) => WRITE_ROLES.has(r));

export function transferData(row: WorkflowRow): TransferData {
  return JSON.parse(row.dataJson) as TransferData;
}

export type LinkLookup =
  | { ok: true; link: repo.SigningLinkRow; workflow: WorkflowRow; content: TransferFormContent }
  | {
      ok: false;
      status: 404 | 410;
      code: 'NOT_FOUND' | 'EXPIRED' | 'USED' | 'CLOSED';
      message: string;
    };

/**
 * The Azure subscription transfer (R-TRF-1..8) outside the engine: planning with its blockers, the
 * form and its three signatures (API for our own party, single-use links for the others), the PDF,
 * and what each organization may see of a transfer.
 */
export class TransferService {
  private readonly tokens: SigningTokens;
  private readonly linkTtlMs: number;

  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      organizations: OrganizationService;
      workflows: WorkflowService;
      clients: PartnerCenterClientFactory;
      /** Absolute base URL of this API (signing links, the PDF URL). */
      publicUrl: string;
      /** Key material of the signing-link tokens. */
      signingSecret: string | Uint8Array;
      /** Lifetime of a signing link (default 14 days). */
      signingLinkTtlMs?: number;
      publish?: (row: WorkflowRow) => void;
      kick?: () => void;
    },
  ) {
    this.tokens = new SigningTokens(deps.signingSecret);
    this.linkTtlMs = deps.signingLinkTtlMs ?? DEFAULT_LINK_TTL_MS;
  }

  // ---- planning ------------------------------------------------------------------------------

  async plan(
    scope: RequestScope,
    input: PlanSubscriptionTransferInput,
  ): Promise<Result<WorkflowRow>> {
    const checked = await this.validate(scope, input);
    if (!checked.ok) {
      return checked;
    }
    const { partnerTenantId, customerTenantId, subscriptionId, admins } = checked.value;
    const { db, clients } = this.deps;
    const newPartnerTenantId = input.newPartnerTenantId.toLowerCase();
    const created = await this.deps.workflows.createPlanned(
      scope.actor,
      'SUBSCRIPTION_TRANSFER',
      {
        value: {
          subscription: `${partnerTenantId}/${customerTenantId}/${subscriptionId}`,
          newPartnerTenantId,
          newPartnerMpnId: input.newPartnerMpnId,
          customerRequestReceivedAt: input.customerRequestReceivedAt.toISOString(),
          customerRequestReference: input.customerRequestReference ?? null,
          partnerAdmins: admins,
        },
        idempotencyKey: input.idempotencyKey ?? null,
      },
      async () => {
        const current = (await this.deps.organizations.tenantForActor(scope, partnerTenantId))!;
        const client = clients.forTenant(partnerTenantId);
        let customer;
        let sub;
        try {
          [customer, sub] = await Promise.all([
            client.getCustomer(customerTenantId),
            client.getSubscription(customerTenantId, subscriptionId),
          ]);
        } catch (error) {
          if (error instanceof PartnerCenterError) {
            return err(
              error.isNotFound
                ? {
                    code: 'NOT_FOUND',
                    message: `Partner Center does not know subscription ${subscriptionId} of customer ${customerTenantId} under ${current.name}.`,
                    field: ['input', 'subscriptionId'],
                  }
                : {
                    code: 'PARTNER_CENTER_ERROR',
                    message: `Partner Center refused the read (${error.operation}: ${error.status} ${error.code} ${error.description}); nothing was planned.`,
                  },
            );
          }
          throw error;
        }
        const blockers: NewBlocker[] = [];
        const block = (code: string, message: string) => blockers.push({ code, message });
        const name = customer.companyProfile.companyName;
        const family = mapProductFamily(sub.offerId, sub.offerName);
        if (
          family === ProductFamily.OFFICE365 ||
          family === ProductFamily.EMS ||
          family === ProductFamily.DYNAMICS
        ) {
          // R-TRF-1: Office 365, EMS and Dynamics CRM subscriptions cannot change CSP partner.
          block(
            'PRODUCT_NOT_TRANSFERABLE',
            `${sub.offerName ?? sub.offerId} is a ${family} subscription; only Azure subscriptions can change CSP partner this way (R-TRF-1).`,
          );
        } else if (family === ProductFamily.AZURE_PLAN) {
          block(
            'AZURE_PLAN_NOT_SUPPORTED',
            `${sub.offerName ?? sub.offerId} is an Azure plan; it moves with a partner-to-partner transfer request, not with the support ticket and signed form (R-TRF-1 covers legacy Azure).`,
          );
        } else if (family !== ProductFamily.AZURE_LEGACY) {
          block(
            'NOT_AZURE_SUBSCRIPTION',
            `${sub.offerName ?? sub.offerId} is not an Azure subscription (R-TRF-1).`,
          );
        }
        if (sub.status.toLowerCase() !== 'active') {
          block(
            'SUBSCRIPTION_NOT_ACTIVE',
            `Subscription ${sub.id} is ${sub.status}; only an active subscription can be transferred.`,
          );
        }
        const customerCountry =
          customer.billingProfile?.defaultAddress?.country ??
          customer.companyProfile.address?.country ??
          null;
        if (!customerCountry || customerCountry.toUpperCase() !== current.country.toUpperCase()) {
          // The partner of record and the customer must be in the same country (procedure preconditions).
          block(
            'COUNTRY_MISMATCH',
            `${name} is in ${customerCountry ?? 'an unknown country'} while ${current.name} is in ${current.country}.`,
          );
        }
        const open = await repo.openTransfersOfSubscription(
          db,
          scope.actor.organizationId,
          subscriptionId,
        );
        if (open.length > 0) {
          block(
            'TRANSFER_ALREADY_OPEN',
            `A transfer of subscription ${subscriptionId} is already open (${open.map((w) => `${w.id} ${w.status.toLowerCase()}`).join(', ')}).`,
          );
        }

        // R-TRF-6: the new partner must already have a reseller relationship with the customer.
        const pendingChecks: string[] = [];
        const served = await scope.loaders.organizations.tenantById.load(newPartnerTenantId);
        if (served) {
          try {
            const seen = await clients.forTenant(newPartnerTenantId).getCustomer(customerTenantId);
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
          if (served.mpnId && served.mpnId !== input.newPartnerMpnId) {
            block(
              'NEW_PARTNER_MPN_MISMATCH',
              `Partner ID ${input.newPartnerMpnId} is not the Partner ID of tenant ${newPartnerTenantId} (${served.mpnId}).`,
            );
          }
        } else {
          pendingChecks.push(
            `R-TRF-6: the new partner (tenant ${newPartnerTenantId}, Partner ID ${input.newPartnerMpnId}) is not served here, so its reseller relationship with ${name} cannot be checked in Partner Center; the new partner confirms it when signing.`,
          );
        }

        const data: TransferData = {
          currentPartner: await this.currentPartner(current, admins),
          customer: {
            tenantId: customerTenantId,
            companyName: name,
            domain: customer.companyProfile.domain,
            country: customerCountry,
          },
          subscription: {
            subscriptionId: sub.id,
            offerId: sub.offerId,
            offerName: sub.offerName ?? null,
            friendlyName: sub.friendlyName ?? null,
            azureSubscriptionId: sub.entitlementId ?? sub.id,
          },
          newPartner: {
            tenantId: newPartnerTenantId,
            mpnId: input.newPartnerMpnId,
            name: served?.name ?? null,
            country: served?.country ?? null,
            organizationId: served?.organizationId ?? null,
          },
          customerRequest: {
            receivedAt: input.customerRequestReceivedAt.toISOString(),
            reference: input.customerRequestReference?.trim() || null,
          },
          partnerAdmins: admins,
          pendingChecks,
        };
        const itemData: TransferItemData = {};
        return ok({
          data: data as unknown as Record<string, unknown>,
          items: [
            {
              id: randomUUID(),
              kind: TRANSFER,
              state: 'PLANNED',
              step: 'open_ticket',
              nextRunAt: '1970-01-01T00:00:00.000Z',
              customerTenantId,
              partnerTenantId,
              subject: sub.id,
              data: {
                companyName: name,
                domain: customer.companyProfile.domain,
                country: customerCountry,
                ...itemData,
              },
            },
          ],
          blockers,
          events: [
            {
              type: 'PLANNED',
              message: `Transfer of Azure subscription ${data.subscription.azureSubscriptionId} of ${name} from ${current.name} to ${served?.name ?? `partner ${newPartnerTenantId}`} planned (customer request of ${data.customerRequest.receivedAt}).`,
              customerTenantId,
              partnerTenantId,
              subscriptionId: sub.id,
            },
            ...pendingChecks.map((message) => ({
              type: 'PENDING_CHECK',
              message,
              customerTenantId,
            })),
          ],
        });
      },
    );
    if (!created.ok) {
      return created;
    }
    const row = created.value;
    const links = await repo.signingLinksOf(db, row.id);
    if (links.length === 0) {
      await this.issueLinks(row);
      const data = transferData(row);
      if (data.newPartner.organizationId && data.newPartner.organizationId !== row.organizationId) {
        // The new partner's organization sees the transfer as incoming (read-only).
        await repo.addViewer(db, row.id, data.newPartner.organizationId, 'INCOMING_TRANSFER');
      }
    }
    return ok(row);
  }

  private async validate(
    scope: RequestScope,
    input: PlanSubscriptionTransferInput,
  ): Promise<
    Result<{
      partnerTenantId: string;
      customerTenantId: string;
      subscriptionId: string;
      admins: Contact[];
    }>
  > {
    const fail = (error: DomainError) => err(error);
    const parts = decodeIdOf(input.subscriptionId, 'CustomerSubscription', 3);
    const [partnerTenantId, customerTenantId, subscriptionId] = parts ?? [];
    if (
      !partnerTenantId ||
      !customerTenantId ||
      !subscriptionId ||
      !(await this.deps.organizations.tenantForActor(scope, partnerTenantId))
    ) {
      return fail({
        code: 'NOT_FOUND',
        message: `No subscription of your organization has id ${input.subscriptionId}.`,
        field: ['input', 'subscriptionId'],
      });
    }
    if (!guidSchema.safeParse(input.newPartnerTenantId).success) {
      return fail({
        code: 'INVALID',
        message: "The new partner's tenant id (Microsoft ID) must be a GUID.",
        field: ['input', 'newPartnerTenantId'],
      });
    }
    if (input.newPartnerTenantId.toLowerCase() === partnerTenantId.toLowerCase()) {
      return fail({
        code: 'INVALID',
        message: 'The new partner is the current partner of record.',
        field: ['input', 'newPartnerTenantId'],
      });
    }
    if (!/^\d{4,10}$/.test(input.newPartnerMpnId)) {
      return fail({
        code: 'INVALID',
        message: "The new partner's Partner ID (MPN id) must be 4 to 10 digits.",
        field: ['input', 'newPartnerMpnId'],
      });
    }
    if (input.customerRequestReceivedAt.getTime() > this.deps.clock.now().getTime()) {
      // R-TRF-2: the customer's written request starts the procedure; it cannot be in the future.
      return fail({
        code: 'INVALID',
        message: "The customer's written request cannot be received in the future.",
        field: ['input', 'customerRequestReceivedAt'],
      });
    }
    if (!isSaneDate(input.customerRequestReceivedAt)) {
      return fail({
        code: 'INVALID_DATE',
        message: "The date of the customer's written request must be a real date (2000–2100).",
        field: ['input', 'customerRequestReceivedAt'],
      });
    }
    const badReference = invalid(
      optionalTextSchema(TEXT_LIMITS.reference).nullish(),
      input.customerRequestReference,
      ['input', 'customerRequestReference'],
      'TOO_LONG',
      `The reference of the customer's request is at most ${TEXT_LIMITS.reference} characters of text.`,
    );
    if (badReference) {
      return fail(badReference);
    }
    // R-TRF-7: the form names exactly two partner administrators, each reachable by email.
    if (input.partnerAdmins.length !== 2) {
      return fail({
        code: 'TWO_ADMINS_REQUIRED',
        message: `Name exactly two partner administrators (R-TRF-7); got ${input.partnerAdmins.length}.`,
        field: ['input', 'partnerAdmins'],
      });
    }
    const admins: Contact[] = [];
    for (const [i, a] of input.partnerAdmins.entries()) {
      const email = a.email.trim();
      if (!requiredTextSchema(TEXT_LIMITS.name).safeParse(a.name).success) {
        return fail({
          code: 'REQUIRED',
          message: `Each partner administrator needs a name (at most ${TEXT_LIMITS.name} characters).`,
          field: ['input', 'partnerAdmins', String(i), 'name'],
        });
      }
      const badPhone = invalid(
        phoneSchema.nullish(),
        a.phone?.trim() || null,
        ['input', 'partnerAdmins', String(i), 'phone'],
        'INVALID_PHONE',
        'A phone number has digits, spaces and + ( ) - . only, at most 40 characters.',
      );
      if (badPhone) {
        return fail(badPhone);
      }
      if (!isEmail(email)) {
        return fail({
          code: 'INVALID_EMAIL',
          message: `${email || '(empty)'} is not a valid email address.`,
          field: ['input', 'partnerAdmins', String(i), 'email'],
        });
      }
      admins.push({ name: a.name.trim(), email, phone: a.phone?.trim() || null });
    }
    if (admins[0]!.email.toLowerCase() === admins[1]!.email.toLowerCase()) {
      return fail({
        code: 'TWO_ADMINS_REQUIRED',
        message: 'The two partner administrators must be two different people (R-TRF-7).',
        field: ['input', 'partnerAdmins', '1', 'email'],
      });
    }
    return ok({ partnerTenantId, customerTenantId, subscriptionId, admins });
  }

  /** R-TRF-4: contact, Microsoft ID, organization name and address from the organization profile. */
  private async currentPartner(
    tenant: { tenantId: string; name: string; mpnId: string; country: string },
    admins: Contact[],
  ): Promise<TransferData['currentPartner']> {
    const base = {
      tenantId: tenant.tenantId,
      microsoftId: tenant.tenantId,
      name: tenant.name,
      mpnId: tenant.mpnId,
      country: tenant.country,
    };
    try {
      const profile = await getOrganizationProfile(this.deps.clients.forTenant(tenant.tenantId));
      const a = profile.defaultAddress;
      const contactName = [a?.firstName, a?.lastName].filter(Boolean).join(' ');
      return {
        ...base,
        microsoftId: profile.tenantId ?? tenant.tenantId,
        organizationName: profile.companyName ?? tenant.name,
        address: a
          ? {
              addressLine1: a.addressLine1 ?? null,
              addressLine2: a.addressLine2 ?? null,
              city: a.city ?? null,
              postalCode: a.postalCode ?? null,
              region: a.region ?? a.state ?? null,
              country: a.country ?? tenant.country,
            }
          : null,
        contact:
          contactName || profile.email
            ? {
                name: contactName || tenant.name,
                email: profile.email ?? admins[0]!.email,
                phone: a?.phoneNumber ?? null,
              }
            : admins[0]!,
        profileSource: 'PARTNER_CENTER',
      };
    } catch (error) {
      if (!(error instanceof PartnerCenterError) || error.retryable) {
        throw error;
      }
      // No organization profile (e.g. an environment without the profiles API): our own records.
      return {
        ...base,
        organizationName: tenant.name,
        address: null,
        contact: admins[0]!,
        profileSource: 'DIRECTORY',
      };
    }
  }

  private newLink(row: WorkflowRow, party: TransferParty): repo.SigningLinkRow {
    const now = this.deps.clock.now();
    const nonce = SigningTokens.newNonce();
    return {
      tokenHash: SigningTokens.hash(this.tokens.token(row.id, party, nonce)),
      workflowId: row.id,
      party,
      nonce,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.linkTtlMs).toISOString(),
      usedAt: null,
    };
  }

  private async issueLinks(row: WorkflowRow): Promise<void> {
    await repo.insertSigningLinks(
      this.deps.db,
      LINK_PARTIES.map((party) => this.newLink(row, party)),
    );
  }

  /** The owning organization's transfer, for a change only its admins may make. */
  private async ownedForChange(
    actor: Actor,
    id: string,
    what: string,
  ): Promise<Result<WorkflowRow>> {
    const found = await this.readable(actor, id);
    if (!found) {
      return err({
        code: 'NOT_FOUND',
        message: 'No such transfer.',
        field: ['input', 'transferId'],
      });
    }
    if (!found.owner) {
      return err({
        code: 'READ_ONLY',
        message: `Only the current partner's organization can ${what}; you see this transfer read-only.`,
        field: ['input', 'transferId'],
      });
    }
    if (!isWriter(actor)) {
      throw new ForbiddenError(`To ${what} needs the GLOBAL_ADMIN or ADMIN_AGENT role.`);
    }
    return ok(found.row);
  }

  /**
   * reissueSigningLink: a new link for CUSTOMER or NEW_PARTNER (expired or lost) while that party
   * has not signed and the form is not attached; the party's previous link stops working at once.
   */
  async reissueLink(
    actor: Actor,
    id: string,
    party: TransferParty,
  ): Promise<Result<{ row: WorkflowRow; link: SigningLinkView }>> {
    const owned = await this.ownedForChange(actor, id, 'reissue a signing link');
    if (!owned.ok) {
      return owned;
    }
    const row = owned.value;
    if (!LINK_PARTIES.includes(party)) {
      return err({
        code: 'NO_SIGNING_LINK',
        message: `${party} signs through the API, not through a link.`,
        field: ['input', 'party'],
      });
    }
    if (!['DRAFT', 'RUNNING', 'WAITING'].includes(row.status)) {
      return err({
        code: 'NOT_SIGNABLE',
        message: `The transfer is ${row.status.toLowerCase()}; it can no longer be signed.`,
        field: ['input', 'transferId'],
      });
    }
    if ((await this.signatures(row)).some((s) => s.party === party)) {
      return err({
        code: 'ALREADY_SIGNED',
        message: `The ${party.toLowerCase().replace('_', ' ')} already signed; its link is no longer needed.`,
        field: ['input', 'party'],
      });
    }
    const item = await this.item(row);
    if (item && (JSON.parse(item.dataJson) as TransferItemData).attachedAt) {
      return err({
        code: 'ALREADY_ATTACHED',
        message: 'The form is already attached to the support ticket.',
        field: ['input', 'transferId'],
      });
    }
    const link = this.newLink(row, party);
    await actions.replaceSigningLink(this.deps.db, row.id, party, link);
    const data = transferData(row);
    const at = this.deps.clock.now().toISOString();
    await insertActivityEntries(this.deps.db, [
      {
        organizationId: row.organizationId,
        at,
        actor: actor.name ? `${actor.name} <${actor.userId}>` : actor.userId,
        operation: 'reissue_signing_link',
        source: 'PRODUCT',
        partnerTenantId: data.currentPartner.tenantId,
        customerTenantId: data.customer.tenantId,
        customerName: data.customer.companyName,
        workflowId: row.id,
        subscriptionId: data.subscription.subscriptionId,
        details: `New signing link for the ${party.toLowerCase().replace('_', ' ')} (valid until ${link.expiresAt}); the previous one no longer works.`,
        externalId: null,
      },
    ]);
    this.deps.publish?.(row);
    return ok({
      row,
      link: {
        party,
        url: this.linkUrl(this.tokens.token(row.id, party, link.nonce)),
        expiresAt: link.expiresAt,
        used: false,
      },
    });
  }

  /**
   * confirmTransferCleanup: an admin of the owning organization confirms that the new partner (not
   * served here) removed the old partner's role assignments by hand (R-TRF-8); the transfer then
   * completes. Only while it waits on that clean-up; confirming twice changes nothing.
   */
  async confirmCleanup(actor: Actor, id: string): Promise<Result<WorkflowRow>> {
    const owned = await this.ownedForChange(actor, id, 'confirm the clean-up');
    if (!owned.ok) {
      return owned;
    }
    const row = owned.value;
    const who = actor.name ? `${actor.name} <${actor.userId}>` : actor.userId;
    const at = this.deps.clock.now().toISOString();
    const outcome = await actions.recordCleanupConfirmation(this.deps.db, {
      workflowId: row.id,
      itemKind: TRANSFER,
      by: who,
      at,
      message: `${who} confirmed that the new partner removed the old partner's role assignments (R-TRF-8).`,
    });
    if (outcome === 'NOT_WAITING_FOR_CLEANUP') {
      return err({
        code: 'NOT_WAITING_FOR_CLEANUP',
        message:
          'The transfer is not waiting for a manual clean-up (only a transfer to a partner not served here, after support moved the subscription, does).',
        field: ['input', 'transferId'],
      });
    }
    if (outcome === 'CONFIRMED') {
      const data = transferData(row);
      await insertActivityEntries(this.deps.db, [
        {
          organizationId: row.organizationId,
          at,
          actor: who,
          operation: 'confirm_transfer_cleanup',
          source: 'PRODUCT',
          partnerTenantId: data.currentPartner.tenantId,
          customerTenantId: data.customer.tenantId,
          customerName: data.customer.companyName,
          workflowId: row.id,
          subscriptionId: data.subscription.subscriptionId,
          details: `Confirmed that the new partner removed the old partner's access to Azure subscription ${data.subscription.azureSubscriptionId}.`,
          externalId: `wf:${row.id}:cleanup-confirmed`,
        },
      ]);
    }
    const current = (await engineRepo.getWorkflow(this.deps.db, row.id)) as WorkflowRow;
    this.deps.publish?.(current);
    this.deps.kick?.();
    return ok(current);
  }

  // ---- visibility ------------------------------------------------------------------------------

  /** A transfer the actor may read: its own organization's, or an incoming one (new partner). */
  async readable(actor: Actor, id: string): Promise<{ row: WorkflowRow; owner: boolean } | null> {
    const row = await engineRepo.getWorkflow(this.deps.db, id);
    if (!row || row.kind !== 'SUBSCRIPTION_TRANSFER') {
      return null;
    }
    if (row.organizationId === actor.organizationId) {
      return { row, owner: true };
    }
    return (await repo.viewerRole(this.deps.db, id, actor.organizationId))
      ? { row, owner: false }
      : null;
  }

  async item(row: WorkflowRow): Promise<WorkflowItemRow | undefined> {
    return (await engineRepo.listItems(this.deps.db, row.id)).find((i) => i.kind === TRANSFER);
  }

  async signatures(row: WorkflowRow): Promise<SignatureRecord[]> {
    const all = await repo.signaturesOf(this.deps.db, row.id);
    return TRANSFER_PARTIES.flatMap((p) => all.filter((s) => s.party === p).slice(0, 1));
  }

  /** The signing links, for admins of the owning organization only (tokens never go elsewhere). */
  async signingLinks(actor: Actor, row: WorkflowRow): Promise<SigningLinkView[]> {
    if (row.organizationId !== actor.organizationId || !isWriter(actor)) {
      return [];
    }
    const rows = await repo.signingLinksOf(this.deps.db, row.id);
    return LINK_PARTIES.flatMap((party) => {
      const link = rows.find((r) => r.party === party);
      return link
        ? [
            {
              party,
              url: this.linkUrl(this.tokens.token(row.id, party, link.nonce)),
              expiresAt: link.expiresAt,
              used: link.usedAt !== null,
            },
          ]
        : [];
    });
  }

  linkUrl(token: string): string {
    return `${this.deps.publicUrl.replace(/\/+$/, '')}/transfer-signing?token=${token}`;
  }

  pdfUrl(row: WorkflowRow): string {
    return `${this.deps.publicUrl.replace(/\/+$/, '')}/transfer-forms/${row.id}.pdf`;
  }

  async formContent(row: WorkflowRow): Promise<TransferFormContent> {
    const item = await this.item(row);
    const itemData = (item ? JSON.parse(item.dataJson) : {}) as TransferItemData;
    const data = transferData(row);
    return {
      workflowId: row.id,
      data,
      signatures: await this.signatures(row),
      serviceRequestId: itemData.serviceRequestId ?? null,
      generatedAt: this.deps.clock.now().toISOString(),
      events: await formEvents(
        this.deps.db,
        row,
        data,
        await repo.signingLinksOf(this.deps.db, row.id),
      ),
    };
  }

  /** The filled form as a PDF, for the owning organization and the incoming one. */
  async pdf(actor: Actor, id: string): Promise<{ fileName: string; content: Uint8Array } | null> {
    const found = await this.readable(actor, id);
    if (!found) {
      return null;
    }
    return {
      fileName: `CSP-Subscription-Transfer-Form-${id.slice(0, 8)}.pdf`,
      content: await renderTransferFormPdf(await this.formContent(found.row)),
    };
  }

  // ---- signatures ------------------------------------------------------------------------------

  /**
   * signTransferForm: our own party (R-TRF-4) by a GLOBAL_ADMIN or ADMIN_AGENT of the owning
   * organization; the new partner's by one of its admins when it is an organization served here.
   * The customer signs only through its link (R-TRF-5).
   */
  async sign(
    actor: Actor,
    id: string,
    input: { party: TransferParty; signerName: string; signerEmail: string },
  ): Promise<Result<WorkflowRow>> {
    const found = await this.readable(actor, id);
    if (!found) {
      return err({
        code: 'NOT_FOUND',
        message: 'No such transfer.',
        field: ['input', 'transferId'],
      });
    }
    const allowed =
      (found.owner && input.party === 'CURRENT_PARTNER') ||
      (!found.owner && input.party === 'NEW_PARTNER');
    if (input.party === 'CUSTOMER') {
      return err({
        code: 'USE_SIGNING_LINK',
        message: 'The customer signs through its signing link, not through the API (R-TRF-5).',
        field: ['input', 'party'],
      });
    }
    if (!allowed) {
      return err({
        code: 'NOT_YOUR_PARTY',
        message: `Your organization cannot sign for ${input.party}; that party signs through its signing link.`,
        field: ['input', 'party'],
      });
    }
    if (!isWriter(actor)) {
      throw new ForbiddenError(
        'Signing the transfer form needs the GLOBAL_ADMIN or ADMIN_AGENT role.',
      );
    }
    return this.record(found.row, input, 'API', undefined, ['input']);
  }

  /** Looks a signing link up by its token (the signing page's GET and POST). */
  async lookupLink(token: string): Promise<LinkLookup> {
    const notFound = {
      ok: false,
      status: 404,
      code: 'NOT_FOUND',
      message: 'This signing link is not valid.',
    } as const;
    if (!TOKEN_PATTERN.test(token)) {
      return notFound;
    }
    const link = await repo.signingLinkByHash(this.deps.db, SigningTokens.hash(token));
    const workflow = link ? await engineRepo.getWorkflow(this.deps.db, link.workflowId) : undefined;
    if (!link || !workflow) {
      return notFound;
    }
    if (link.usedAt) {
      return {
        ok: false,
        status: 410,
        code: 'USED',
        message: `This signing link was already used on ${humanDateTime(link.usedAt)}; each link signs once.`,
      };
    }
    if (link.expiresAt <= this.deps.clock.now().toISOString()) {
      return {
        ok: false,
        status: 410,
        code: 'EXPIRED',
        message: `This signing link expired on ${humanDateTime(link.expiresAt)}; ask the current partner for a new one.`,
      };
    }
    if (!['DRAFT', 'RUNNING', 'WAITING'].includes(workflow.status)) {
      return {
        ok: false,
        status: 410,
        code: 'CLOSED',
        message: `This transfer is ${workflow.status.toLowerCase()}; it can no longer be signed.`,
      };
    }
    return { ok: true, link, workflow, content: await this.formContent(workflow) };
  }

  /** Notes a view of the signing page in the form's history (certificate of completion). */
  async noteOpened(
    link: repo.SigningLinkRow,
    client: { address: string | null; userAgent: string | null },
  ): Promise<void> {
    await recordFormOpened(this.deps.db, {
      link,
      at: this.deps.clock.now().toISOString(),
      ...client,
    });
  }

  /** Signs through a link (single use); the browser's time zone and address go on the form. */
  async signWithLink(
    token: string,
    input: { signerName: string; signerEmail: string },
    client: { timeZone?: string | null; address?: string | null } = {},
  ): Promise<Result<{ party: TransferParty; signedAt: string }>> {
    const found = await this.lookupLink(token);
    if (!found.ok) {
      return err({ code: found.code, message: found.message });
    }
    const party = found.link.party as TransferParty;
    const signed = await this.record(
      found.workflow,
      { party, ...input },
      'SIGNING_LINK',
      found.link.tokenHash,
      [],
      {
        ...(client.timeZone && isTimeZone(client.timeZone) ? { timeZone: client.timeZone } : {}),
        address: client.address ?? null,
      },
    );
    return signed.ok ? ok({ party, signedAt: this.deps.clock.now().toISOString() }) : signed;
  }

  private async record(
    row: WorkflowRow,
    input: { party: TransferParty; signerName: string; signerEmail: string },
    via: SignatureRecord['via'],
    linkHash: string | undefined,
    fieldBase: string[],
    client: Pick<SignatureRecord, 'timeZone' | 'address'> = {},
  ): Promise<Result<WorkflowRow>> {
    const signerName = input.signerName.trim();
    const signerEmail = input.signerEmail.trim();
    if (!signerName || signerName.length > 200) {
      return err({
        code: 'REQUIRED',
        message: "The signer's name is required.",
        field: [...fieldBase, 'signerName'],
      });
    }
    if (!isEmail(signerEmail)) {
      return err({
        code: 'INVALID_EMAIL',
        message: `${signerEmail || '(empty)'} is not a valid email address.`,
        field: [...fieldBase, 'signerEmail'],
      });
    }
    const item = await this.item(row);
    if (item && JSON.parse(item.dataJson).attachedAt) {
      return err({
        code: 'ALREADY_ATTACHED',
        message: 'The form is already attached to the support ticket.',
        field: [...fieldBase, 'party'],
      });
    }
    const signedAt = this.deps.clock.now().toISOString();
    const outcome = await repo.recordSignature(this.deps.db, {
      workflowId: row.id,
      signature: {
        party: input.party,
        signerName,
        signerEmail,
        signedAt,
        via,
        ...client,
        contentHash: formContentHash(await this.formContent(row)),
      },
      message: `${signerName} signed the transfer form for the ${input.party.toLowerCase().replace('_', ' ')}${via === 'SIGNING_LINK' ? ' through the signing link' : ''}.`,
      ...(linkHash ? { linkHash } : {}),
    });
    switch (outcome) {
      case 'ALREADY_SIGNED':
        return err({
          code: 'ALREADY_SIGNED',
          message: `The ${input.party.toLowerCase().replace('_', ' ')} already signed this form.`,
          field: [...fieldBase, 'party'],
        });
      case 'LINK_USED':
        return err({
          code: 'USED',
          message: 'This signing link was already used; each link signs once.',
        });
      case 'NOT_SIGNABLE':
        return err({
          code: 'NOT_SIGNABLE',
          message: `The transfer is ${row.status.toLowerCase()}; it can no longer be signed.`,
          field: [...fieldBase, 'transferId'],
        });
      case 'SIGNED':
        break;
    }
    const data = transferData(row);
    await insertActivityEntries(this.deps.db, [
      {
        organizationId: row.organizationId,
        at: signedAt,
        actor: `${signerName} <${signerEmail}>`,
        operation: 'sign_transfer_form',
        source: 'PRODUCT',
        partnerTenantId: data.currentPartner.tenantId,
        customerTenantId: data.customer.tenantId,
        customerName: data.customer.companyName,
        workflowId: row.id,
        subscriptionId: data.subscription.subscriptionId,
        details: `Transfer form signed for the ${input.party.toLowerCase().replace('_', ' ')} (${via === 'API' ? 'through the API' : 'through the signing link'}).`,
        externalId: `wf:${row.id}:signed:${input.party}`,
      },
    ]);
    const current = (await engineRepo.getWorkflow(this.deps.db, row.id)) as WorkflowRow;
    this.deps.publish?.(current);
    this.deps.kick?.();
    return ok(current);
  }
}

/**
 * Refuses to cancel once Microsoft support has moved the subscription, even before the workflow
 * noticed (R-CON-8-like: a transfer cannot be undone by us): after the form went to support, the
 * old subscription is read live; suspended means moved, and the workflow is marked irreversible.
 */
export function transferCancelGuard(
  db: EngineDb,
  clients: PartnerCenterClientFactory,
  clock: Clock,
) {
  return async (row: WorkflowRow): Promise<Result<void>> => {
    const item = (await engineRepo.listItems(db, row.id)).find((i) => i.kind === TRANSFER);
    if (!item || !(JSON.parse(item.dataJson) as TransferItemData).attachedAt) {
      return ok(undefined); // support has nothing to act on yet
    }
    const data = transferData(row);
    let status: string;
    try {
      status = (
        await clients
          .forTenant(data.currentPartner.tenantId)
          .getSubscription(data.customer.tenantId, data.subscription.subscriptionId)
      ).status.toLowerCase();
    } catch (error) {
      if (!(error instanceof PartnerCenterError)) {
        throw error;
      }
      return err({
        code: 'PARTNER_CENTER_ERROR',
        message: `Could not check in Partner Center whether support already moved subscription ${data.subscription.subscriptionId} (${error.status} ${error.code}); nothing was canceled, try again.`,
        field: ['input', 'id'],
      });
    }
    if (status === 'suspended') {
      await engineRepo.markIrreversible(db, row.id, clock.now().toISOString());
      return err({
        code: 'IRREVERSIBLE',
        message: `Microsoft support already moved subscription ${data.subscription.subscriptionId} to the new partner; the transfer cannot be canceled and runs to completion.`,
        field: ['input', 'id'],
      });
    }
    return ok(undefined);
  };
}

/**
 * Refuses to start a transfer while another transfer of the same subscription runs (two tickets
 * for one subscription would confuse support); drafts do not hold the subscription.
 */
export function transferStartGuard(db: EngineDb) {
  return async (row: WorkflowRow): Promise<Result<void>> => {
    const data = transferData(row);
    const others = (
      await repo.openTransfersOfSubscription(
        db,
        row.organizationId,
        data.subscription.subscriptionId,
        row.id,
      )
    ).filter((w) => w.status !== 'DRAFT');
    return others.length === 0
      ? ok(undefined)
      : err({
          code: 'TRANSFER_ALREADY_OPEN',
          message: `Another transfer of subscription ${data.subscription.subscriptionId} is running (${others.map((w) => w.id).join(', ')}).`,
          field: ['input', 'id'],
        });
  };
}

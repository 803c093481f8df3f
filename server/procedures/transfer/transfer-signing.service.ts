import { ActivityRecorder } from '../../modules/activity-log/activity-recorder.js';
import { type Actor, isWorkflowWriter } from '../../shared/actor.js';
import { type Clock } from '../../shared/clock.js';
import { ForbiddenError } from '../../shared/errors.js';
import { InputCheck } from '../../shared/input-validation.js';
import { err, ok, type Result } from '../../shared/result.js';
import { TEXT_LIMITS } from '../../shared/validation.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type WorkflowNotifier } from '../../workflows/engine/workflow-notifier.js';
import * as engineRepo from '../../workflows/engine/workflow.repository.js';
import { SigningTokens, TOKEN_PATTERN } from './signing-token.js';
import { recordFormOpened } from './transfer-form-events.js';
import { humanDateTime, isTimeZone } from './transfer-form-format.js';
import { formContentHash, type TransferFormContent } from './transfer-form.pdf.js';
import { transferData, type SignatureRecord, type TransferParty } from './transfer.model.js';
import * as repo from './transfer.repository.js';
import { type TransferViewService } from './transfer-view.service.js';

export type LinkLookup =
  | { ok: true; link: repo.SigningLinkRow; workflow: WorkflowRow; content: TransferFormContent }
  | {
      ok: false;
      status: 404 | 410;
      code: 'NOT_FOUND' | 'EXPIRED' | 'USED' | 'CLOSED';
      message: string;
    };

/**
 * The form's three signatures (R-TRF-4/5): our own party and an incoming new partner through the
 * API, the others through their single-use links; each signature wakes the transfer item.
 */
export class TransferSigningService {
  private readonly activity: ActivityRecorder;

  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      views: TransferViewService;
      notifier?: WorkflowNotifier;
      kick?: () => void;
    },
  ) {
    this.activity = new ActivityRecorder(deps.db);
  }

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
    const found = await this.deps.views.readable(actor, id);
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
    if (!isWorkflowWriter(actor)) {
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
    return { ok: true, link, workflow, content: await this.deps.views.formContent(workflow) };
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
    // A signature on a legal document: a name without control characters or bidi overrides (they
    // would print, or reorder, differently than they read), an address; neither is echoed back.
    const check = new InputCheck();
    const signerName = check.requiredText(input.signerName, [...fieldBase, 'signerName'], {
      label: "The signer's name",
      max: TEXT_LIMITS.name,
    });
    const signerEmail = check.email(
      input.signerEmail,
      [...fieldBase, 'signerEmail'],
      "The signer's email",
    );
    if (check.error) {
      return err(check.error);
    }
    const item = await this.deps.views.item(row);
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
        contentHash: formContentHash(await this.deps.views.formContent(row)),
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
    await this.activity.record({
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
    });
    const current = (await engineRepo.getWorkflow(this.deps.db, row.id)) as WorkflowRow;
    this.deps.notifier?.notify(current);
    this.deps.kick?.();
    return ok(current);
  }
}

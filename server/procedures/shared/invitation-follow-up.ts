import { type StepContext, type StepHandler } from '../../workflows/engine/step-context.js';
import { type StepOutcome } from '../../workflows/engine/engine.types.js';

const DAY_MS = 86_400_000;

/** Reminders and validity of a customer invitation, business-clock ms (config `INVITATION_*`). */
export interface InvitationPolicy {
  /** A reminder this long after the invitation, then again each interval. */
  reminderIntervalMs: number;
  /** Reminders per invitation at most (0: none). */
  maxReminders: number;
  /**
   * After this long unanswered the customer is a blocker (`INVITATION_EXPIRED`). Microsoft
   * documents no expiry of the reseller relationship link (it is partner-wide); 90 days is the
   * documented lifetime of a GDAP relationship request, the closest Microsoft rule, so the default.
   */
  validityMs: number;
}

export const DEFAULT_INVITATION_POLICY: InvitationPolicy = {
  reminderIntervalMs: 7 * DAY_MS,
  maxReminders: 3,
  validityMs: 90 * DAY_MS,
};

/** Blocker code of a customer whose invitation went unanswered past its validity. */
export const INVITATION_EXPIRED = 'INVITATION_EXPIRED' as const;

/** Engine backoff's ceiling (WORKFLOW_RECHECK_MAX default): a later milestone needs no `until`. */
const RECHECK_CAP_MS = 60 * 60_000;

/** The current invitation of an inviting item (its data's `invitation`). */
export interface InvitationRecord {
  /** 1 for the first invitation, then one more per `reinviteCustomer`. */
  round: number;
  invitedAt: string;
  expiresAt: string;
  remindersSent: number;
  lastReminderAt: string | null;
  expiredAt: string | null;
}

/** What the follow-up reads of an inviting item's data. */
export interface InvitingItemData {
  companyName: string;
  invitationUrl?: string;
  invitation?: InvitationRecord;
}

/** How a procedure invites customers: which item, which steps, which states (ProcedureModule). */
export interface InvitationSpec {
  /** Item kind that carries the invitation (one per customer). */
  itemKind: string;
  /** Step that issues the invitation (the item is not invited yet while there). */
  inviteStep: string;
  /** Step that waits for the customer's acceptance. */
  acceptanceStep: string;
  /** Item state while invited, and once the invitation expired. */
  invitedState: string;
  expiredState: string;
  /** The partner tenant whose invitation it is (its relationship request URL, R-CON-2/R-CHN-1). */
  invitingTenant(workflowData: Record<string, unknown>): { tenantId: string; name: string };
}

export function newInvitation(
  now: Date,
  policy: InvitationPolicy,
  round: number,
): InvitationRecord {
  return {
    round,
    invitedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + policy.validityMs).toISOString(),
    remindersSent: 0,
    lastReminderAt: null,
    expiredAt: null,
  };
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Wraps a procedure's acceptance step: while the customer has not accepted, reminds on the
 * business clock (an event and an activity entry carrying the link: Partner Center has no resend,
 * the partner mails the partner-wide relationship URL itself) and, past the validity, makes the
 * customer a blocker (`INVITATION_EXPIRED`) that `reinviteCustomer` or `excludeFromWorkflow`
 * clears. The item keeps checking: a late acceptance still goes through and clears the blocker.
 */
export function withInvitationFollowUp(
  handler: StepHandler,
  spec: InvitationSpec,
  policy: InvitationPolicy,
): StepHandler {
  return async (ctx) => {
    const outcome = await handler(ctx);
    const data = ctx.data as unknown as InvitingItemData;
    const now = ctx.now();
    const invitation = data.invitation ?? newInvitation(now, policy, 1);
    const stillWaiting =
      outcome.type === 'wait' && (outcome.step === undefined || outcome.step === ctx.item.step);
    if (!stillWaiting) {
      if (invitation.expiredAt && outcome.type !== 'failed') {
        await ctx.resolveBlockers([INVITATION_EXPIRED]);
        ctx.emit({
          type: 'INVITATION_ACCEPTED_LATE',
          message: `${data.companyName} answered after its invitation of ${day(invitation.invitedAt)} had expired; the blocker is cleared.`,
        });
      }
      return outcome;
    }
    return followUp(ctx, outcome, { ...invitation }, data, spec, policy);
  };
}

async function followUp(
  ctx: StepContext,
  outcome: Extract<StepOutcome, { type: 'wait' }>,
  invitation: InvitationRecord,
  data: InvitingItemData,
  spec: InvitationSpec,
  policy: InvitationPolicy,
): Promise<StepOutcome> {
  const now = ctx.now();
  const nowMs = now.getTime();
  const inviter = spec.invitingTenant(ctx.workflowData);
  const link = data.invitationUrl ?? '(no link)';
  const invitedMs = Date.parse(invitation.invitedAt);
  const expiresMs = Date.parse(invitation.expiresAt);
  const what = `wf:${ctx.item.id}:invitation-${invitation.round}`;
  let state = outcome.state;
  if (!invitation.expiredAt && nowMs >= expiresMs) {
    invitation.expiredAt = now.toISOString();
    const message = `${data.companyName} did not accept the reseller invitation of ${inviter.name} sent on ${day(invitation.invitedAt)} within ${Math.round(policy.validityMs / DAY_MS)} day(s): reinvite the customer (reinviteCustomer) or leave it out (excludeFromWorkflow).`;
    ctx.block({ code: INVITATION_EXPIRED, message });
    ctx.emit({ type: INVITATION_EXPIRED, message, partnerTenantId: inviter.tenantId });
    await ctx.activity.record({
      operation: 'invitation_expired',
      details: message,
      partnerTenantId: inviter.tenantId,
      externalId: `${what}:expired`,
    });
  } else if (!invitation.expiredAt && invitation.remindersSent < policy.maxReminders) {
    const due = Math.min(
      policy.maxReminders,
      Math.floor((nowMs - invitedMs) / policy.reminderIntervalMs),
    );
    if (due > invitation.remindersSent) {
      // A clock jump past several reminder times sends one reminder, numbered as the latest due.
      invitation.remindersSent = due;
      invitation.lastReminderAt = now.toISOString();
      const message = `Reminder ${due} of ${policy.maxReminders}: ${data.companyName} has not accepted the reseller invitation of ${inviter.name} sent on ${day(invitation.invitedAt)} (valid until ${day(invitation.expiresAt)}); send the link to the customer's global admin again: ${link}`;
      ctx.emit({ type: 'INVITATION_REMINDER', message, partnerTenantId: inviter.tenantId });
      await ctx.activity.record({
        operation: 'invitation_reminder',
        details: message,
        partnerTenantId: inviter.tenantId,
        externalId: `${what}:reminder-${due}`,
      });
    }
  }
  if (invitation.expiredAt) {
    state = spec.expiredState;
  }
  // The next business-clock milestone: a reminder, or the expiry.
  const milestones: number[] = [];
  if (!invitation.expiredAt) {
    milestones.push(expiresMs);
    if (invitation.remindersSent < policy.maxReminders) {
      milestones.push(invitedMs + (invitation.remindersSent + 1) * policy.reminderIntervalMs);
    }
  }
  const next = Math.min(...milestones.filter((m) => m > nowMs));
  let until = outcome.until;
  if (Number.isFinite(next)) {
    if (until ? next < until.getTime() : next - nowMs <= RECHECK_CAP_MS) {
      until = new Date(next);
    }
  }
  const reason = invitation.expiredAt
    ? `The invitation of ${day(invitation.invitedAt)} expired on ${day(invitation.expiredAt)}: reinvite ${data.companyName} or exclude it. ${outcome.reason}`
    : `${outcome.reason} Invited on ${day(invitation.invitedAt)}, ${invitation.remindersSent} reminder(s) sent, valid until ${day(invitation.expiresAt)}.`;
  return {
    ...outcome,
    reason,
    ...(until ? { until } : {}),
    ...(state ? { state } : {}),
    data: { ...(outcome.data ?? {}), invitation },
  };
}

import { type PcServiceRequest } from '../../partner-center/contracts/service-requests.js';
import { type NewBlocker } from '../../workflows/engine/engine.types.js';

/**
 * Microsoft support's answers on a ticket that a person must see (issue 16 item 11), shared by
 * every procedure that waits on a support ticket: the transfer (R-TRF-7) and the consolidation's
 * Azure migration (R-CON-6). A ticket support put in `attention_needed` asks for something; one it
 * closed while the procedure still waits was refused (or finished without the effect). Either way
 * support's own words become a blocker, not a silent wait.
 */

/** Blocker code of every support answer that refuses or asks for something. */
export const SUPPORT_NEEDS_ATTENTION = 'SUPPORT_NEEDS_ATTENTION';

// Support's notes carry its name; a partner's notes carry the user's UPN (emulator and portal alike).
export const SUPPORT_AUTHOR = /^microsoft\b|\bsupport\b/i;

type Note = NonNullable<PcServiceRequest['notes']>[number];

/** A note written by support (not by us: `ours` is the author name Partner Center puts on ours). */
export const isSupportNote = (author: string | null | undefined, ours?: string | null): boolean =>
  Boolean(author) && author !== ours && SUPPORT_AUTHOR.test(author ?? '');

/** Support's notes written after `since` (ISO), oldest first. */
export function supportNotesAfter(
  sr: PcServiceRequest,
  since: string | null | undefined,
  ours?: string | null,
): Note[] {
  return (sr.notes ?? []).filter(
    (n) => isSupportNote(n.createdByName, ours) && (n.createdDate ?? '') > (since ?? ''),
  );
}

export interface SupportAnswer {
  serviceRequestId: string;
  /** ASKS: the ticket waits for the partner (attention_needed); REFUSED: support closed it. */
  kind: 'ASKS' | 'REFUSED';
  text: string;
  /** When support wrote it (the note's date; the ticket's when the note has none). */
  at: string;
}

/**
 * The newest support answer after `since` that refuses or asks for something, or null (ticket
 * open or new, or nothing new from support). A closed ticket without a support note still counts,
 * with the ticket's status as the text: the procedure that waits on it must not wait in silence.
 */
export function supportAnswerNeedingAttention(
  sr: PcServiceRequest,
  options: { since?: string | null; ours?: string | null },
): SupportAnswer | null {
  const status = (sr.status ?? '').toLowerCase();
  if (status !== 'attention_needed' && status !== 'closed') {
    return null;
  }
  const latest = supportNotesAfter(sr, options.since, options.ours).at(-1);
  const kind = status === 'closed' ? 'REFUSED' : 'ASKS';
  if (latest) {
    return {
      serviceRequestId: sr.id,
      kind,
      text: latest.text?.trim() || '(no text)',
      at: latest.createdDate ?? sr.lastModifiedDate ?? '',
    };
  }
  const closedAt = sr.lastClosedDate ?? sr.lastModifiedDate ?? '';
  if (kind === 'REFUSED' && closedAt > (options.since ?? '')) {
    return {
      serviceRequestId: sr.id,
      kind,
      text: 'The service request was closed without a note.',
      at: closedAt,
    };
  }
  return null;
}

/** The blocker that shows a support answer, in support's words. */
export function supportAnswerBlocker(answer: SupportAnswer): NewBlocker {
  return {
    code: SUPPORT_NEEDS_ATTENTION,
    message: `Microsoft support on service request ${answer.serviceRequestId}${answer.kind === 'REFUSED' ? ' (closed)' : ''}: ${answer.text}`,
  };
}

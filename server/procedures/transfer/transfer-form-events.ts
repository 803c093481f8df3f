import { and, asc, eq, inArray } from 'drizzle-orm';
import { tablesOf } from '../../db/client.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type SignatureRecord, type TransferData, type TransferParty } from './transfer.model.js';
import { FORM_SIGNED, type SigningLinkRow } from './transfer.repository.js';

// The form's history for its certificate of completion: created, signing links sent, signing page
// opened, signed, attached to the support ticket; each with who and when.

/** A signing page view (journal event; the first view per link and address is kept). */
export const FORM_OPENED = 'FORM_OPENED';

export type FormEventKind = 'CREATED' | 'SENT' | 'OPENED' | 'SIGNED' | 'TICKET_OPENED' | 'ATTACHED';

export interface FormEvent {
  at: string;
  kind: FormEventKind;
  party: TransferParty | null;
  /** Who did it: a person (name and email) or the system. */
  by: string;
  details: string;
  /** Network address of the browser (signing page views and signatures through a link). */
  address: string | null;
}

const PARTY_NAME: Record<TransferParty, string> = {
  CURRENT_PARTNER: 'the current partner',
  CUSTOMER: 'the customer',
  NEW_PARTNER: 'the new partner',
};

interface OpenedData {
  party: TransferParty;
  link: string;
  address: string | null;
  userAgent: string | null;
}

/** Records a view of the signing page, once per link and address. */
export async function recordFormOpened(
  db: EngineDb,
  options: { link: SigningLinkRow; at: string; address: string | null; userAgent: string | null },
): Promise<void> {
  const { workflowEvents } = tablesOf(db);
  const { link, at, address, userAgent } = options;
  const data: OpenedData = {
    party: link.party as TransferParty,
    // Never the token: the first characters of its hash tell the links apart.
    link: link.tokenHash.slice(0, 12),
    address,
    userAgent: userAgent ? userAgent.slice(0, 200) : null,
  };
  const seen = await db
    .select({ dataJson: workflowEvents.dataJson })
    .from(workflowEvents)
    .where(
      and(eq(workflowEvents.workflowId, link.workflowId), eq(workflowEvents.type, FORM_OPENED)),
    );
  if (
    seen.some((r) => {
      const d = JSON.parse(r.dataJson ?? '{}') as OpenedData;
      return d.link === data.link && d.address === data.address;
    })
  ) {
    return;
  }
  await db.insert(workflowEvents).values({
    workflowId: link.workflowId,
    at,
    type: FORM_OPENED,
    message: `The signing page was opened for ${PARTY_NAME[data.party]}${address ? ` from ${address}` : ''}.`,
    dataJson: JSON.stringify(data),
  });
}

/** Every event of the form, oldest first. */
export async function formEvents(
  db: EngineDb,
  row: WorkflowRow,
  data: TransferData,
  links: SigningLinkRow[],
): Promise<FormEvent[]> {
  const { workflowEvents } = tablesOf(db);
  const rows = await db
    .select()
    .from(workflowEvents)
    .where(
      and(
        eq(workflowEvents.workflowId, row.id),
        inArray(workflowEvents.type, [FORM_OPENED, FORM_SIGNED, 'TICKET_OPENED', 'FORM_ATTACHED']),
      ),
    )
    .orderBy(asc(workflowEvents.id));
  const events: FormEvent[] = [
    {
      at: row.createdAt,
      kind: 'CREATED',
      party: 'CURRENT_PARTNER',
      by: data.startedBy ?? row.createdBy,
      details: `Form prepared by ${data.currentPartner.organizationName} from its Partner Center profile and the customer's request.`,
      address: null,
    },
    ...links.map((l): FormEvent => ({
      at: l.createdAt,
      kind: 'SENT',
      party: l.party as TransferParty,
      by: data.currentPartner.organizationName,
      details: `Single-use signing link issued for ${PARTY_NAME[l.party as TransferParty]}.`,
      address: null,
    })),
  ];
  for (const r of rows) {
    if (r.type === FORM_OPENED) {
      const d = JSON.parse(r.dataJson ?? '{}') as OpenedData;
      events.push({
        at: r.at,
        kind: 'OPENED',
        party: d.party,
        by: 'Signing page',
        details: `Signing page opened for ${PARTY_NAME[d.party]}${d.userAgent ? ` (${d.userAgent})` : ''}.`,
        address: d.address,
      });
    } else if (r.type === FORM_SIGNED) {
      const s = JSON.parse(r.dataJson ?? '{}') as SignatureRecord;
      events.push({
        at: r.at,
        kind: 'SIGNED',
        party: s.party,
        by: `${s.signerName} <${s.signerEmail}>`,
        details: `Signed for ${PARTY_NAME[s.party]} ${s.via === 'API' ? 'through the API' : 'through the signing link'}.`,
        address: s.address ?? null,
      });
    } else {
      events.push({
        at: r.at,
        kind: r.type === 'TICKET_OPENED' ? 'TICKET_OPENED' : 'ATTACHED',
        party: null,
        by: data.currentPartner.organizationName,
        details:
          r.type === 'TICKET_OPENED'
            ? 'Support ticket opened with Microsoft.'
            : 'Signed form attached to the support ticket.',
        address: null,
      });
    }
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

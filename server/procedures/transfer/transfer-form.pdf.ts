import { timeZoneOf } from './business-hours.js';
import { type FormEvent } from './transfer-form-events.js';
import { contentHash, humanDate, humanDateTime, shortHash } from './transfer-form-format.js';
import { type FormWriter } from './transfer-form-layout.js';
import { PAGE } from './transfer-form-page.js';
import { newPartnerRows } from './transfer-new-partner.js';
import {
  type PostalAddress,
  type SignatureRecord,
  type TransferData,
  type TransferParty,
} from './transfer.model.js';

/** What the printable form shows: the plan data, the signatures and the ticket. */
export interface TransferFormContent {
  workflowId: string;
  data: TransferData;
  signatures: SignatureRecord[];
  serviceRequestId: string | null;
  generatedAt: string;
  /** The form's history for the certificate of completion (oldest first). */
  events?: FormEvent[];
}

export const PARTY_LABELS: Record<TransferParty, string> = {
  CURRENT_PARTNER: 'Current partner',
  CUSTOMER: 'Customer',
  NEW_PARTNER: 'New partner',
};

export function formatAddress(a: PostalAddress | null): string {
  if (!a) {
    return 'not available in the Partner Center profile';
  }
  return [
    a.addressLine1,
    a.addressLine2,
    [a.postalCode, a.city].filter(Boolean).join(' '),
    a.region,
    a.country,
  ]
    .filter((p) => p && p.trim() !== '')
    .join(', ');
}

/** The form's fields as label/value rows, in the order of the CSP Subscription Transfer form. */
export function formSections(content: TransferFormContent): Array<{
  title: string;
  rows: Array<[string, string]>;
}> {
  const { data } = content;
  const cp = data.currentPartner;
  const sub = data.subscription;
  const np = data.newPartner;
  return [
    {
      // R-TRF-4: from Account settings → Organization profile.
      title: 'Current partner of record',
      rows: [
        ['Organization name', cp.organizationName],
        ['Microsoft ID', cp.microsoftId],
        ['Partner ID (MPN)', cp.mpnId],
        ['Address', formatAddress(cp.address)],
        [
          'Contact',
          cp.contact
            ? [cp.contact.name, cp.contact.email, cp.contact.phone].filter(Boolean).join(', ')
            : 'not available',
        ],
      ],
    },
    {
      title: 'Customer',
      rows: [
        ['Company name', data.customer.companyName],
        ['Microsoft ID', data.customer.tenantId],
        ['Domain', data.customer.domain],
        [
          'Written request received',
          `${humanDate(data.customerRequest.receivedAt)}${data.customerRequest.reference ? ` (${data.customerRequest.reference})` : ''}`,
        ],
      ],
    },
    {
      title: 'Subscription to transfer',
      rows: [
        ['Subscription ID', sub.subscriptionId],
        ['Azure subscription ID', sub.azureSubscriptionId],
        ['Offer', `${sub.offerName ?? sub.offerId} (${sub.offerId})`],
        ['Friendly name', sub.friendlyName ?? '-'],
      ],
    },
    {
      // R-TRF-5: the new partner's details.
      title: 'New partner',
      rows: newPartnerRows(np),
    },
    {
      // R-TRF-7: Microsoft support contacts both.
      title: 'Partner administrators',
      rows: data.partnerAdmins.map((a, i) => [
        `Administrator ${i + 1}`,
        [a.name, a.email, a.phone].filter(Boolean).join(', '),
      ]),
    },
    {
      title: 'Signatures',
      rows: (['CURRENT_PARTNER', 'CUSTOMER', 'NEW_PARTNER'] as const).map((party) => {
        const s = content.signatures.find((x) => x.party === party);
        return [
          PARTY_LABELS[party],
          s
            ? `Signed by ${s.signerName} <${s.signerEmail}> on ${signedAtText(content, s)}`
            : 'NOT SIGNED',
        ];
      }),
    },
  ];
}

const SIGNATURES_TITLE = 'Signatures';

/** The country whose time zone stands for a signer that did not tell us theirs. */
function partyCountry(content: TransferFormContent, party: TransferParty): string | null {
  const { data } = content;
  return party === 'CURRENT_PARTNER'
    ? data.currentPartner.country
    : party === 'CUSTOMER'
      ? data.customer.country
      : data.newPartner.country;
}

/** The zone a signature time is shown in: the signer's browser's, else the party's country's. */
export function signerTimeZone(content: TransferFormContent, s: SignatureRecord): string {
  if (s.timeZone) {
    return s.timeZone;
  }
  const country = partyCountry(content, s.party);
  return country ? timeZoneOf(country) : 'UTC';
}

/** "22 January 2026, 21:00 CET (Europe/Paris; 20:00 UTC)". */
function signedAtText(content: TransferFormContent, s: SignatureRecord): string {
  const zone = signerTimeZone(content, s);
  if (zone === 'UTC') {
    return humanDateTime(s.signedAt);
  }
  return `${humanDateTime(s.signedAt, zone)} (${zone}; ${humanDateTime(s.signedAt).split(', ')[1]})`;
}

/** SHA-256 of what the parties sign: every section but the signatures. */
export function formContentHash(content: TransferFormContent): string {
  return contentHash(formSections(content).filter((s) => s.title !== SIGNATURES_TITLE));
}

const METHOD: Record<SignatureRecord['via'], string> = {
  API: 'Electronic signature through the API (authenticated user of the partner organization)',
  SIGNING_LINK: 'Electronic signature through a single-use signing link',
};

const EVENT_LABEL: Record<FormEvent['kind'], string> = {
  CREATED: 'Created',
  SENT: 'Sent',
  OPENED: 'Opened',
  SIGNED: 'Signed',
  TICKET_OPENED: 'Ticket opened',
  ATTACHED: 'Attached',
};

function partyName(content: TransferFormContent, party: TransferParty): string {
  const { data } = content;
  return party === 'CURRENT_PARTNER'
    ? data.currentPartner.organizationName
    : party === 'CUSTOMER'
      ? data.customer.companyName
      : (data.newPartner.name ??
        data.newPartner.organizationName ??
        `Partner ${data.newPartner.mpnId}`);
}

/** One party's signature block: the electronic signature, or lines to sign by hand. */
function signatureBlock(
  w: FormWriter,
  content: TransferFormContent,
  party: TransferParty,
  hash: string,
): void {
  const s = content.signatures.find((x) => x.party === party);
  w.need(s ? 110 : 95);
  w.draw(`${PARTY_LABELS[party]} — ${partyName(content, party)}`, PAGE.margin, {
    size: 10.5,
    weight: 'bold',
  });
  w.y -= 15;
  if (!s) {
    for (const label of ['Name', 'Signature', 'Date']) {
      w.y -= 10;
      w.draw(`${label}:`, PAGE.margin, { size: 9 });
      w.rule(PAGE.margin + 60, PAGE.margin + 330, 0.75);
      w.y -= 12;
    }
    w.draw('NOT SIGNED', PAGE.margin, { size: 8, muted: true });
    w.y -= 20;
    return;
  }
  const zone = signerTimeZone(content, s);
  const signedHash = s.contentHash;
  w.rows(
    [
      ['Signed by', `${s.signerName} <${s.signerEmail}>`],
      [
        'Signed on',
        `${humanDateTime(s.signedAt, zone)}${zone === 'UTC' ? '' : ` (${zone}${s.timeZone ? '' : ', time zone of the party’s country'})`}`,
      ],
      ['Signed on (UTC)', humanDateTime(s.signedAt)],
      ['Method', METHOD[s.via]],
      ['From address', s.address ?? (s.via === 'API' ? 'not recorded (API)' : 'not recorded')],
      [
        'Signed content',
        signedHash
          ? `SHA-256 ${shortHash(signedHash)}… — ${signedHash === hash ? 'matches this form' : 'DIFFERS from this form'}`
          : 'not recorded',
      ],
    ],
    110,
    9,
  );
  w.y -= 12;
}

/** Renders the filled CSP Subscription Transfer form (Microsoft Azure) as a printable A4 PDF. */
export async function renderTransferFormPdf(content: TransferFormContent): Promise<Uint8Array> {
  // pdf-lib, fontkit and the HarfBuzz subsetter load with the first form rendered, not with the
  // server: most processes never render one.
  const [{ PDFDocument }, { embedFormFonts }, { FormWriter }] = await Promise.all([
    import('pdf-lib'),
    import('./transfer-form-fonts.js'),
    import('./transfer-form-layout.js'),
  ]);
  const { data } = content;
  const doc = await PDFDocument.create();
  const title = 'CSP Subscription Transfer Form (Microsoft Azure)';
  const reference = content.workflowId.slice(0, 8).toUpperCase();
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setSubject(
    `Transfer of Azure subscription ${data.subscription.azureSubscriptionId} of ${data.customer.companyName} from ${data.currentPartner.organizationName} to ${data.newPartner.name ?? data.newPartner.organizationName ?? `partner ${data.newPartner.mpnId}`}`,
  );
  doc.setAuthor(data.currentPartner.organizationName);
  doc.setKeywords(['CSP', 'subscription transfer', data.subscription.subscriptionId, reference]);
  doc.setCreator('csp-migrations');
  doc.setProducer('csp-migrations (pdf-lib)');
  doc.setLanguage('en');
  doc.setCreationDate(new Date(content.generatedAt));
  doc.setModificationDate(new Date(content.generatedAt));
  const sections = formSections(content);
  const hash = formContentHash(content);
  const fonts = await embedFormFonts(doc, [JSON.stringify(content)]);
  const w = new FormWriter(doc, fonts);

  w.draw('CSP Subscription Transfer Form — Microsoft Azure', PAGE.margin, {
    size: 16,
    weight: 'bold',
  });
  w.y -= 18;
  w.paragraph(
    [
      `Form ${reference}`,
      content.serviceRequestId ? `support ticket ${content.serviceRequestId}` : null,
      `prepared on ${humanDateTime(content.generatedAt)}`,
    ]
      .filter(Boolean)
      .join(' · '),
    { size: 8.5, muted: true },
  );
  w.y -= 14;
  for (const section of sections.filter((s) => s.title !== SIGNATURES_TITLE)) {
    w.heading(section.title);
    w.rows(section.rows);
    w.y -= 10;
  }
  w.heading(SIGNATURES_TITLE);
  w.paragraph(
    `By signing, each party confirms the details above and agrees that Microsoft transfers the subscription to the new partner. Content fingerprint of this form (SHA-256): ${shortHash(hash)}…`,
    { size: 8.5, muted: true },
  );
  w.y -= 8;
  for (const party of ['CURRENT_PARTNER', 'CUSTOMER', 'NEW_PARTNER'] as const) {
    signatureBlock(w, content, party, hash);
  }
  w.paragraph(
    'All three signatures and two partner administrators are required before the form is attached to the support ticket; Microsoft support contacts the two administrators.',
    { size: 8.5, muted: true },
  );

  w.newPage();
  w.draw('Certificate of completion', PAGE.margin, { size: 16, weight: 'bold' });
  w.y -= 20;
  w.rows(
    [
      ['Document', title],
      ['Form', reference],
      ['Content fingerprint', `SHA-256 ${hash}`],
      [
        'Status',
        `${content.signatures.length} of 3 signatures${content.events?.some((e) => e.kind === 'ATTACHED') ? '; attached to the support ticket' : ''}`,
      ],
      ['Certificate issued', humanDateTime(content.generatedAt)],
    ],
    120,
    9,
  );
  w.y -= 10;
  w.heading('Events', 11);
  const events = content.events ?? [];
  w.table(
    [
      { title: 'When (UTC)', width: 105 },
      { title: 'Event', width: 62 },
      { title: 'By', width: 135 },
      { title: 'Details', width: 193 },
    ],
    events.length > 0
      ? events.map((e) => [
          humanDateTime(e.at).replace(/ UTC$/, ''),
          EVENT_LABEL[e.kind],
          e.by,
          `${e.kind === 'TICKET_OPENED' && content.serviceRequestId ? `Support ticket ${content.serviceRequestId} opened with Microsoft.` : e.details}${e.address ? ` From ${e.address}.` : ''}`,
        ])
      : [['—', '—', '—', 'No events recorded.']],
  );
  w.footers(`${title} · form ${reference}`);
  return doc.save();
}

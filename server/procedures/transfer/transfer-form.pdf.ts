import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
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
          `${data.customerRequest.receivedAt}${data.customerRequest.reference ? ` (${data.customerRequest.reference})` : ''}`,
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
      rows: [
        ['Organization name', np.name ?? '(to be confirmed by the new partner)'],
        ['Microsoft ID', np.tenantId],
        ['Partner ID (MPN)', np.mpnId],
      ],
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
          s ? `Signed by ${s.signerName} <${s.signerEmail}> on ${s.signedAt}` : 'NOT SIGNED',
        ];
      }),
    },
  ];
}

/** Standard PDF fonts encode WinAnsi only: anything else is shown as '?'. */
function printable(text: string): string {
  return text.replace(
    /[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac]/g,
    '?',
  );
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const words = printable(text).split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line) {
    lines.push(line);
  }
  return lines.length > 0 ? lines : [''];
}

/** Renders the filled CSP Subscription Transfer form (Microsoft Azure) as a printable A4 PDF. */
export async function renderTransferFormPdf(content: TransferFormContent): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('CSP Subscription Transfer Form (Microsoft Azure)');
  doc.setSubject(
    `Transfer of Azure subscription ${content.data.subscription.azureSubscriptionId} of ${printable(content.data.customer.companyName)}`,
  );
  doc.setKeywords(['CSP', 'subscription transfer', content.data.subscription.subscriptionId]);
  doc.setCreator('csp-migrations');
  doc.setProducer('csp-migrations (pdf-lib)');
  doc.setCreationDate(new Date(content.generatedAt));
  doc.setModificationDate(new Date(content.generatedAt));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [pageWidth, pageHeight] = [595.28, 841.89];
  const margin = 50;
  const labelWidth = 150;
  const valueWidth = pageWidth - 2 * margin - labelWidth;
  let page: PDFPage = doc.addPage([pageWidth, pageHeight]);
  let y = pageHeight - margin;
  const need = (height: number) => {
    if (y - height < margin) {
      page = doc.addPage([pageWidth, pageHeight]);
      y = pageHeight - margin;
    }
  };
  const text = (s: string, x: number, font: PDFFont, size: number) =>
    page.drawText(printable(s), { x, y, size, font, color: rgb(0.1, 0.1, 0.1) });

  text('CSP Subscription Transfer Form - Microsoft Azure', margin, bold, 16);
  y -= 20;
  text(
    `Workflow ${content.workflowId}${content.serviceRequestId ? ` - service request ${content.serviceRequestId}` : ''} - generated ${content.generatedAt}`,
    margin,
    regular,
    8,
  );
  y -= 24;
  for (const section of formSections(content)) {
    need(40);
    text(section.title, margin, bold, 12);
    y -= 4;
    page.drawLine({
      start: { x: margin, y },
      end: { x: pageWidth - margin, y },
      thickness: 0.5,
      color: rgb(0.6, 0.6, 0.6),
    });
    y -= 14;
    for (const [label, value] of section.rows) {
      const lines = wrap(value, regular, 10, valueWidth);
      need(lines.length * 13 + 2);
      text(label, margin, bold, 10);
      for (const line of lines) {
        text(line, margin + labelWidth, regular, 10);
        y -= 13;
      }
      y -= 2;
    }
    y -= 12;
  }
  need(40);
  text(
    'All three signatures and two partner administrators are required before the form is attached to the support ticket (R-TRF-7).',
    margin,
    regular,
    8,
  );
  return doc.save();
}

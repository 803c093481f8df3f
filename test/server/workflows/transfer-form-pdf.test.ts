import { mkdirSync } from 'node:fs';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { type FormEvent } from '../../../server/procedures/transfer/transfer-form-events.js';
import {
  formContentHash,
  renderTransferFormPdf,
  type TransferFormContent,
} from '../../../server/procedures/transfer/transfer-form.pdf.js';
import { havePdftoppm, pdfText, renderPdfToPng } from '../../support/pdf.js';

// R-TRF-4/5: the transfer form is a legal document: signers' names in any script, signature
// blocks, human dates, a certificate of completion.

const POLISH = 'Łukasz Żółć';
const GREEK = 'Γιώργος Παπαδόπουλος';
const JAPANESE = '山田 花子';

/** The base fonts a PDF embeds (without the numeric tag pdf-lib appends). */
async function fontNames(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const names = new Set<string>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Font')) {
      const base = object.get(PDFName.of('BaseFont'));
      if (base instanceof PDFName && object.get(PDFName.of('Subtype')) === PDFName.of('Type0')) {
        names.add(base.decodeText().replace(/-\d+$/, ''));
      }
    }
  }
  return [...names].sort();
}

function content(overrides: Partial<TransferFormContent> = {}): TransferFormContent {
  const base: TransferFormContent = {
    workflowId: '3f9c2a7e-0000-4000-8000-000000000001',
    serviceRequestId: '2601050010000123',
    generatedAt: '2026-01-22T20:00:00.000Z',
    data: {
      currentPartner: {
        tenantId: 'aaaaaaaa-0000-4000-8000-000000000001',
        microsoftId: 'aaaaaaaa-0000-4000-8000-000000000001',
        name: 'Wisła Cloud',
        mpnId: '1234567',
        country: 'PL',
        organizationName: 'Wisła Cloud Sp. z o.o.',
        address: {
          addressLine1: 'ul. Świętokrzyska 12',
          addressLine2: null,
          city: 'Warszawa',
          postalCode: '00-916',
          region: null,
          country: 'PL',
        },
        contact: { name: POLISH, email: 'lukasz@wisla.example', phone: '+48 22 000 00 00' },
        profileSource: 'PARTNER_CENTER',
      },
      customer: {
        tenantId: 'bbbbbbbb-0000-4000-8000-000000000002',
        companyName: 'Ακρόπολη Α.Ε.',
        domain: 'akropoli.example',
        country: 'GR',
      },
      subscription: {
        subscriptionId: 'cccccccc-0000-4000-8000-000000000003',
        offerId: 'MS-AZR-0145P',
        offerName: 'Microsoft Azure',
        friendlyName: 'Производство',
        azureSubscriptionId: 'dddddddd-0000-4000-8000-000000000004',
      },
      newPartner: {
        tenantId: 'eeeeeeee-0000-4000-8000-000000000005',
        mpnId: '7654321',
        name: '富士クラウド株式会社',
        country: 'JP',
        organizationId: null,
      },
      customerRequest: { receivedAt: '2026-01-02T10:00:00.000Z', reference: 'letter 2026-001' },
      partnerAdmins: [
        { name: POLISH, email: 'lukasz@wisla.example', phone: null },
        { name: 'Анна Иванова', email: 'anna@wisla.example', phone: '+48 22 111 11 11' },
      ],
      pendingChecks: [],
      startedBy: `${POLISH} <lukasz@wisla.example>`,
    },
    signatures: [],
    events: [],
  };
  return { ...base, ...overrides };
}

function signedForm(): { form: TransferFormContent; hash: string } {
  const unsigned = content();
  const hash = formContentHash(unsigned);
  const events: FormEvent[] = [
    {
      at: '2026-01-20T09:00:00.000Z',
      kind: 'CREATED',
      party: 'CURRENT_PARTNER',
      by: `${POLISH} <lukasz@wisla.example>`,
      details: 'Form prepared.',
      address: null,
    },
    {
      at: '2026-01-20T09:00:00.000Z',
      kind: 'SENT',
      party: 'CUSTOMER',
      by: 'Wisła Cloud Sp. z o.o.',
      details: 'Single-use signing link issued for the customer.',
      address: null,
    },
    {
      at: '2026-01-21T07:30:00.000Z',
      kind: 'OPENED',
      party: 'CUSTOMER',
      by: 'Signing page',
      details: 'Signing page opened for the customer.',
      address: '203.0.113.7',
    },
    {
      at: '2026-01-21T07:32:00.000Z',
      kind: 'SIGNED',
      party: 'CUSTOMER',
      by: `${GREEK} <giorgos@akropoli.example>`,
      details: 'Signed for the customer through the signing link.',
      address: '203.0.113.7',
    },
  ];
  const form = content({
    events,
    signatures: [
      {
        party: 'CURRENT_PARTNER',
        signerName: POLISH,
        signerEmail: 'lukasz@wisla.example',
        signedAt: '2026-01-20T09:05:00.000Z',
        via: 'API',
        contentHash: hash,
      },
      {
        party: 'CUSTOMER',
        signerName: GREEK,
        signerEmail: 'giorgos@akropoli.example',
        signedAt: '2026-01-21T07:32:00.000Z',
        via: 'SIGNING_LINK',
        timeZone: 'Europe/Athens',
        address: '203.0.113.7',
        contentHash: hash,
      },
      {
        party: 'NEW_PARTNER',
        signerName: JAPANESE,
        signerEmail: 'hanako@fuji.example',
        signedAt: '2026-01-22T01:00:00.000Z',
        via: 'SIGNING_LINK',
        contentHash: 'f'.repeat(64),
      },
    ],
  });
  return { form, hash };
}

describe('transfer form PDF', () => {
  it('prints Polish, Greek and Japanese signers, signature blocks and a certificate of completion', async () => {
    const { form, hash } = signedForm();
    const bytes = await renderTransferFormPdf(form);
    const pdf = await pdfText(bytes);
    expect(pdf.title).toBe('CSP Subscription Transfer Form (Microsoft Azure)');
    expect(pdf.subject).toContain('Ακρόπολη Α.Ε.');
    expect(pdf.subject).toContain('富士クラウド株式会社');
    for (const name of [
      POLISH,
      GREEK,
      JAPANESE,
      'Анна Иванова',
      'Производство',
      '富士クラウド株式会社',
    ]) {
      expect(pdf.text, name).toContain(name);
    }
    expect(pdf.text).not.toContain('?ukasz');
    // Signature blocks: the signer's local time and UTC, the method, the address, the content.
    // Warsaw is UTC+1 in January (the current partner signed through the API: its country's zone).
    expect(pdf.text).toContain('20 January 2026, 10:05 CET');
    expect(pdf.text).toContain('20 January 2026, 09:05 UTC');
    expect(pdf.text).toContain('21 January 2026, 09:32'); // Athens, UTC+2
    expect(pdf.text).toContain('22 January 2026, 10:00'); // Tokyo, UTC+9 (the new partner's country)
    expect(pdf.text).toContain('Electronic signature through the API');
    expect(pdf.text).toContain('Electronic signature through a single-use signing link');
    expect(pdf.text).toContain('203.0.113.7');
    expect(pdf.text).toContain(`SHA-256 ${hash.slice(0, 12)}… — matches this form`);
    expect(pdf.text).toContain('DIFFERS from this form');
    // Human dates only: no raw ISO timestamps, no internal rule ids.
    expect(pdf.text).toContain('2 January 2026 (letter 2026-001)');
    expect(pdf.text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(pdf.text).not.toMatch(/R-[A-Z]{3}-\d/);
    // The last page is the certificate of completion with every event.
    const last = pdf.pageTexts.at(-1) as string;
    expect(last).toContain('Certificate of completion');
    expect(last).toContain(`SHA-256 ${hash}`);
    for (const label of ['Created', 'Sent', 'Opened', 'Signed']) {
      expect(last).toContain(label);
    }
    expect(last).toContain('21 January 2026, 07:30');
    expect(pdf.text).toMatch(new RegExp(`Page ${pdf.pages} of ${pdf.pages}`));
  });

  it('prints lines to sign by hand for the parties that have not signed', async () => {
    const pdf = await pdfText(await renderTransferFormPdf(content()));
    expect(pdf.text.match(/NOT SIGNED/g)?.length).toBe(3);
    for (const line of ['Name:', 'Signature:', 'Date:']) {
      expect(pdf.text.split(line).length - 1, line).toBe(3);
    }
    // Only what the form uses is embedded: a Latin-only form carries no Japanese font.
    const latin = content();
    latin.data = { ...latin.data, newPartner: { ...latin.data.newPartner, name: 'Fuji Cloud KK' } };
    const small = await renderTransferFormPdf(latin);
    const withJapanese = await renderTransferFormPdf(content());
    expect(await fontNames(small)).toEqual(['NotoSans-Bold', 'NotoSans-Regular']);
    expect(await fontNames(withJapanese)).toEqual([
      'NotoSans-Bold',
      'NotoSans-Regular',
      'NotoSansJP-Bold',
      'NotoSansJP-Regular',
    ]);
    expect(withJapanese.length).toBeLessThan(400_000);
  });

  it('prints Korean and simplified-Chinese names in their own faces', async () => {
    // 김민준 is Hangul (Noto Sans KR only); 张伟 has 张, a simplified-only character JP lacks.
    const form = content();
    form.data = {
      ...form.data,
      customer: { ...form.data.customer, companyName: '김민준 주식회사' },
      newPartner: { ...form.data.newPartner, name: '张伟云计算有限公司' },
    };
    const bytes = await renderTransferFormPdf(form);
    const pdf = await pdfText(bytes);
    expect(pdf.text).toContain('김민준 주식회사');
    expect(pdf.text).toContain('张伟云计算有限公司');
    expect(pdf.text).not.toContain('\uFFFD');
    const fonts = await fontNames(bytes);
    expect(fonts).toContain('NotoSansKR-Regular');
    expect(fonts.some((f) => f.startsWith('NotoSansSC'))).toBe(true);
  });

  it.skipIf(!havePdftoppm)('renders to non-trivial PNG pages (poppler)', async () => {
    const bytes = await renderTransferFormPdf(signedForm().form);
    const dir = process.env.PDF_PNG_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
    }
    const pngs = renderPdfToPng(bytes, 60, dir);
    expect(pngs.length).toBeGreaterThanOrEqual(2);
    for (const png of pngs) {
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      // A blank A4 page at 60 dpi compresses to about 1 KB; text makes it many times larger.
      expect(png.length).toBeGreaterThan(8_000);
    }
  });
});
if (!havePdftoppm) {
  console.warn('transfer form PNG rendering skipped: no pdftoppm (apt-get install poppler-utils)');
}

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { pdfText } from '../support/pdf.js';
import { ADMINS, demoTransfer, planTransfer, transferState } from '../support/transfer.js';

// The signing page in a real headless browser (Debian's Chromium driven by playwright-core).
// Without Chromium (e.g. a CI image where installing it failed) this suite skips with a message;
// the HTTP-level checks of the page in transfer.test.ts still run.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `transfer signing browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
}

describe.skipIf(!haveChromium)('transfer signing page in a browser', () => {
  let browser: Browser;
  let emulator: Emulator;
  let t: TestApp;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
    });
  });

  afterEach(async () => {
    await t.close();
  });

  it('shows the form, signs with the button once, and refuses the link afterwards', async () => {
    const demo = await demoTransfer(emulator);
    const token = await t.token(demo.organizationId);
    const planned = await planTransfer(t, token, {
      subscriptionId: demo.subscriptionGid,
      newPartnerTenantId: demo.target.tenantId,
      newPartnerMpnId: demo.target.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      partnerAdmins: ADMINS,
    });
    const id = planned.workflow?.id as string;
    const link = (await transferState(t, token, id)).form.signingLinks.find(
      (l) => l.party === 'CUSTOMER',
    );
    const url = new URL(link?.url ?? '');
    const pageUrl = `${t.http.url}${url.pathname}${url.search}`;

    // The signer's browser runs in Tokyo: the form shows the signature in that zone and in UTC.
    const page = await browser.newPage({ timezoneId: 'Asia/Tokyo' });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') {
        consoleErrors.push(m.text());
      }
    });
    await page.goto(pageUrl);
    await expect(page.title()).resolves.toBe('Sign the CSP Subscription Transfer Form');
    const body = await page.textContent('body');
    expect(body).toContain('Oak & Stone Consulting Ltd');
    expect(body).toContain(demo.subscription.id);
    expect(body).toContain('Aoife Byrne');
    expect(body).toContain('the customer');
    // Human dates, never raw ISO-8601 (the link lives 14 days from Monday 5 January 08:00 UTC).
    expect(body).toContain('expires on 19 January 2026, 08:00 UTC');
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    await page.fill('#signerName', 'Niamh Oak');
    await page.fill('#signerEmail', 'niamh@oakstone.example');
    await page.click('#sign-button');
    await page.waitForSelector('#result[data-status="signed"]', { timeout: 10_000 });
    expect(await page.textContent('#result')).toContain('Signed on');
    expect(await page.textContent('#result')).toContain('2026'); // the browser's own format
    expect(await page.textContent('#result')).not.toContain('T08:00:00');
    expect(await page.isDisabled('#sign-button')).toBe(true);
    expect(consoleErrors).toEqual([]);

    const state = await transferState(t, token, id);
    expect(state.form.signatures).toEqual([
      { party: 'CUSTOMER', signerName: 'Niamh Oak', signedAt: '2026-01-05T08:00:00.000Z' },
    ]);

    // The PDF's signature block and certificate record the browser's zone, address and view.
    const pdfPath = new URL(state.form.pdfUrl).pathname;
    const pdfRes = await fetch(`${t.http.url}${pdfPath}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdfRes.status).toBe(200);
    const pdf = await pdfText(new Uint8Array(await pdfRes.arrayBuffer()));
    expect(pdf.text).toContain('Niamh Oak <niamh@oakstone.example>');
    expect(pdf.text).toContain('5 January 2026, 17:00 GMT+9 (Asia/Tokyo)');
    expect(pdf.text).toContain('5 January 2026, 08:00 UTC');
    expect(pdf.text).toContain('127.0.0.1');
    const certificate = pdf.pageTexts.at(-1) ?? '';
    expect(certificate).toContain('Certificate of completion');
    for (const event of ['Created', 'Sent', 'Opened', 'Signed']) {
      expect(certificate, event).toContain(event);
    }

    // Reloading the used link shows that it was used and offers no form.
    await page.goto(pageUrl);
    expect(await page.textContent('#result')).toContain('already used');
    expect(await page.$('#sign')).toBeNull();
    await page.close();
  }, 30_000);
});

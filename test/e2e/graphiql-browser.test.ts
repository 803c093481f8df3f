import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { signDevToken } from '../../server/app/auth.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app.js';
import {
  ADMINS,
  SIGN,
  demoTransfer,
  planTransfer,
  type DemoTransfer,
} from '../support/transfer.js';

// GraphiQL as a developer uses it, in Debian's Chromium (playwright-core): the dev token in the
// header editor wins over a stale one in GraphiQL's storage, the Explorer plugin is there, and a
// subscription runs over graphql-ws (connectionParams.authorization) and receives an event.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `GraphiQL browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
}

const editorValue = (page: Page, selector: string) =>
  page.evaluate(
    (s) =>
      (
        document.querySelector(`${s} .CodeMirror`) as unknown as {
          CodeMirror: { getValue(): string };
        } | null
      )?.CodeMirror.getValue() ?? '',
    selector,
  );

describe.skipIf(!haveChromium)('GraphiQL in a browser', () => {
  let browser: Browser;
  let emulator: Emulator;
  let demo: DemoTransfer;
  let devToken: string;
  let t: TestApp;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    demo = await demoTransfer(emulator);
    devToken = await signDevToken({
      secret: TEST_JWT_SECRET,
      organizationId: demo.organizationId,
      roles: [PartnerRole.GLOBAL_ADMIN],
      userId: 'dev-user',
    });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      devToken,
    });
  });

  afterEach(async () => {
    await t.close();
  });

  it('keeps the dev token current, shows the Explorer and receives a subscription event', async () => {
    const planned = await planTransfer(t, devToken, {
      subscriptionId: demo.subscriptionGid,
      newPartnerTenantId: demo.target.tenantId,
      newPartnerMpnId: demo.target.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      partnerAdmins: ADMINS,
    });
    const id = planned.workflow?.id as string;
    expect(id).toBeTruthy();

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `${t.http.url}/graphql`;
    // A previous session left an expired dev token in GraphiQL's storage (headers and tab).
    await page.goto(url);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    const stale =
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE2MDAwMDAwMDB9.c3RhbGUtc2lnbmF0dXJlLXN0YWxl';
    await page.evaluate((auth) => {
      const headers = JSON.stringify({ Authorization: auth });
      localStorage.setItem('graphiql:headers', headers);
      const tabs = JSON.parse(localStorage.getItem('graphiql:tabState') ?? '{"tabs":[]}');
      for (const tab of tabs.tabs) {
        tab.headers = headers;
      }
      localStorage.setItem('graphiql:tabState', JSON.stringify(tabs));
    }, stale);
    await page.reload();
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    const editors = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.graphiql-editor-tool .CodeMirror')).map((e) =>
        (e as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
      ),
    );
    const headerText = editors.find((v) => v.includes('Authorization')) ?? '{}';
    expect(JSON.parse(headerText).Authorization).toBe(`Bearer ${devToken}`);

    // The Explorer plugin is in the sidebar.
    expect(await page.locator('button[aria-label*="Explorer"]').count()).toBeGreaterThan(0);

    // A subscription over graphql-ws, authorized by the header editor's Authorization.
    await page.evaluate((query) => {
      (
        document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as {
          CodeMirror: { setValue(v: string): void };
        }
      ).CodeMirror.setValue(query);
    }, `subscription Live { workflowUpdated(id: "${id}") { id status } }`);
    // GraphiQL takes the operation name from the editor after a short debounce.
    await page.waitForFunction(() =>
      (
        JSON.parse(localStorage.getItem('graphiql:tabState') ?? '{"tabs":[]}') as {
          tabs: Array<{ operationName?: string | null }>;
        }
      ).tabs.some((tab) => tab.operationName === 'Live'),
    );
    await page.click('.graphiql-execute-button');
    // graphql-ws connects lazily on the first subscription; give it a moment to subscribe.
    await page.waitForFunction(
      () => document.querySelector('.graphiql-execute-button svg') !== null,
    );
    let response = '';
    for (let attempt = 0; attempt < 40 && !response.includes('workflowUpdated'); attempt++) {
      const signed = await t.gql<{ signTransferForm: { userErrors: unknown[] } }>(SIGN, {
        token: devToken,
        variables: {
          input: {
            transferId: id,
            party: 'CURRENT_PARTNER',
            signerName: 'Aoife Byrne',
            signerEmail: 'aoife.byrne@contoso.example',
          },
        },
      });
      expect(signed.status).toBe(200);
      await page.waitForTimeout(250);
      response = await editorValue(page, '.result-window');
    }
    const event = JSON.parse(response);
    expect(event.errors, response).toBeUndefined();
    expect(event.data.workflowUpdated).toEqual({ id, status: 'DRAFT' });
    if (process.env.GRAPHIQL_SCREENSHOT) {
      await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { signDevToken } from '../../server/app/auth.js';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app.js';
import { channelMoveDemo } from '../support/channel-move.js';
import { buildConsole } from '../support/console-build.js';
import { demoCustomer } from '../support/azure-plan.js';
import { ADMINS, demoTransfer } from '../support/transfer.js';
import {
  consolidationState,
  demoTenants,
  PLAN_CONSOLIDATION,
  type TenantRow,
} from '../support/consolidation.js';

// The operator console (console/) in headless Chromium, against the API and the demo emulator:
// the console is built from its sources first (no prior `npm run build`). Without Chromium this
// suite skips with a message, like the signing page's browser test.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `console browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
}

// The README's picture is refreshed on request (`CONSOLE_SCREENSHOT=docs/console.png`), so an
// ordinary run leaves the checkout clean.
const SCREENSHOT = process.env.CONSOLE_SCREENSHOT ?? join(tmpdir(), 'csp-migrations-console.png');

/** The API on the demo emulator, serving the built console with its dev token (a GLOBAL_ADMIN). */
async function startConsoleApp(consoleDir: string) {
  const emulator = createEmulator({ scenario: 'demo', seed: 7 });
  const organizationId = emulator.control.partners().find((p) => p.labels.includes('central'))
    ?.organizationId as string;
  const devToken = await signDevToken({
    secret: TEST_JWT_SECRET,
    organizationId,
    roles: [PartnerRole.GLOBAL_ADMIN],
    name: 'Demo administrator',
    userId: 'demo-admin',
  });
  // The test moves time itself: runner off, `drain()` then the emulator's clock, as playUntil.
  const t = await startTestApp({
    emulator,
    clock: clockFrom(emulator.clock),
    env: { WORKFLOW_RUNNER: 'off' },
    runner: { retryBaseMs: 1, retryMaxMs: 5 },
    console: { consoleDir, devToken, demoClock: emulator.clock },
  });
  return { emulator, t, organizationId, devToken };
}

describe.skipIf(!haveChromium)('operator console in a browser', () => {
  let browser: Browser;
  let emulator: Emulator;
  let t: TestApp;
  let consoleDir: string;
  let organizationId: string;
  let devToken: string;
  let target: TenantRow;
  let sources: TenantRow[];

  beforeAll(async () => {
    [consoleDir, browser] = await Promise.all([
      buildConsole(),
      chromium.launch({
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
      }),
    ]);
    ({ emulator, t, organizationId, devToken } = await startConsoleApp(consoleDir));
    ({ target, sources } = await demoTenants(t, emulator, devToken));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (consoleDir) {
      await rm(consoleDir, { recursive: true, force: true });
    }
  });

  const watchErrors = (page: Page): string[] => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') {
        errors.push(m.text());
      }
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return errors;
  };

  /** What happened on the page's WebSockets, for the failure message when Live never shows. */
  const traceSockets = (page: Page): string[] => {
    const trace: string[] = [];
    const at = () => new Date().toISOString().slice(11, 23);
    page.on('websocket', (ws) => {
      trace.push(`${at()} open ${ws.url()}`);
      ws.on('framesent', (f) => trace.push(`${at()} > ${String(f.payload).slice(0, 160)}`));
      ws.on('framereceived', (f) => trace.push(`${at()} < ${String(f.payload).slice(0, 160)}`));
      ws.on('socketerror', (e) => trace.push(`${at()} error ${e}`));
      ws.on('close', () => trace.push(`${at()} close`));
    });
    return trace;
  };

  const waitForLive = async (page: Page, trace: string[], errors: string[]) => {
    try {
      await page.waitForSelector('[data-testid=live]:has-text("Live")', { timeout: 60_000 });
    } catch (error) {
      const shown = await page.textContent('[data-testid=live]').catch(() => '(no indicator)');
      throw new Error(
        `the console never showed Live (it shows ${JSON.stringify(shown)}); page errors: ${JSON.stringify(errors)}; sockets:\n${trace.slice(-60).join('\n')}`,
        { cause: error },
      );
    }
  };

  const progressOf = async (page: Page) => {
    const bar = page.locator('.wf-head ~ .progress [role=progressbar]');
    return {
      now: Number(await bar.getAttribute('aria-valuenow')),
      max: Number(await bar.getAttribute('aria-valuemax')),
    };
  };

  it('signs in with the dev token, plans the demo consolidation, starts it and follows it live to COMPLETED', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const sockets = traceSockets(page);
    await page.goto(`${t.http.url}/console/`);

    // Sign-in: the dev token is pre-filled; organization, roles and tenants are shown.
    await expect(page.inputValue('#token')).resolves.toBe(devToken);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=organization]');
    expect(await page.textContent('[data-testid=organization]')).toBe('Contoso Cloud Group');
    expect(await page.textContent('[data-testid=roles]')).toBe('GLOBAL_ADMIN');
    expect(await page.textContent('.org .tenants')).toContain(target.name);
    // Nothing outlives the tab unless asked.
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);

    // Plan: target, sources, and every customer but the one that never accepts.
    await page.click('text=Plan a migration');
    await page.selectOption('#target', target.id);
    for (const source of sources) {
      await page.check(`input[name=source][value="${source.id}"]`);
    }
    const neverAccepts = emulator.control
      .customers()
      .filter((c) => c.labels.includes('never-accepts'))
      .map((c) => c.tenantId);
    expect(neverAccepts.length).toBeGreaterThan(0);
    await page.waitForSelector('input[name=customer]');
    await page.waitForFunction(() => !document.querySelector('.customer-pick [role=status]'));
    for (const tenantId of neverAccepts) {
      await page.uncheck(`input[name=customer][data-tenant-id="${tenantId}"]`);
    }
    await page.click('button:has-text("Plan (dry run)")');
    await page.waitForURL(/\/console\/workflows\//);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    await page.waitForSelector('[data-testid=workflow-status]:has-text("Draft")');

    // The dry run's blockers, with their rule, in the list and in the plan table per item.
    const draft = await consolidationState(t, devToken, id);
    expect(draft.blockers.some((b) => b.code === 'REGION_MISMATCH')).toBe(true);
    await page.waitForSelector('[data-testid=blockers] [data-code=REGION_MISMATCH]');
    expect(await page.locator('[data-testid=blockers] > li').count()).toBe(draft.blockers.length);
    await page.waitForSelector('[data-testid=plan-table] tbody tr:not(.group)');
    expect(await page.textContent('[data-testid=plan-table]')).toContain('REGION_MISMATCH');
    const blockedCustomer = draft.customers.edges.find((e) => e.node.state === 'BLOCKED')?.node;
    expect(await page.textContent('[data-testid=customers]')).toContain(
      blockedCustomer?.customer.companyName,
    );

    // Start: the confirmation says what becomes irreversible and needs an explicit tick.
    await page.click('[data-action=start]');
    await page.waitForSelector('dialog[open]');
    expect(await page.textContent('[data-testid=irreversible]')).toContain(
      'can no longer be cancelled',
    );
    expect(await page.isDisabled('dialog button[type=submit]')).toBe(true);
    await page.check('dialog input[name=understood]');
    await page.click('dialog button[type=submit]');
    await page.waitForSelector('[data-testid=workflow-status]:not(:has-text("Draft"))');
    // Under a loaded machine the first WebSocket can take a reconnect or two.
    await waitForLive(page, sockets, errors);

    // Time moves from the test; the page follows over the subscription, without a reload.
    const seen = new Set<number>();
    const states = new Set<string>();
    let screenshot = false;
    for (let step = 0; step < 60; step++) {
      await t.app.runner.drain();
      const api = await t.gql<{ node: { status: string; progress: { completed: number } } }>(
        'query($id: ID!) { node(id: $id) { ... on Workflow { status progress { completed } } } }',
        { token: devToken, variables: { id } },
      );
      const { status, progress } = api.body.data?.node ?? {
        status: '',
        progress: { completed: -1 },
      };
      // The page shows what the API says, pushed over the subscription (no reload, no polling).
      await page.waitForFunction(
        (completed) =>
          document
            .querySelector('.wf-head ~ .progress [role=progressbar]')
            ?.getAttribute('aria-valuenow') === String(completed),
        progress.completed,
        { timeout: 10_000 },
      );
      if (['COMPLETED', 'FAILED'].includes(status)) {
        break;
      }
      if (step === 0) {
        // The first move through the console's demo clock, as a user without curl would.
        const before = emulator.clock.now().getTime();
        await page.waitForSelector('[data-testid=demo-clock-now]:not(:has-text("…"))');
        const shown = await page.textContent('[data-testid=demo-clock-now]');
        await page.click('.demo-clock button[data-duration=PT6H]');
        await page.waitForFunction(
          (text) => document.querySelector('[data-testid=demo-clock-now]')?.textContent !== text,
          shown,
        );
        expect(emulator.clock.now().getTime() - before).toBe(6 * 3600_000);
      } else {
        await emulator.clock.advance('PT6H');
      }
      seen.add((await progressOf(page)).now);
      const nonEmpty: string[] = [];
      for (const tile of await page.locator('[data-testid=state-board] [data-count]').all()) {
        if (Number(await tile.getAttribute('data-count')) > 0) {
          nonEmpty.push((await tile.getAttribute('data-state')) as string);
        }
      }
      nonEmpty.forEach((s) => states.add(s));
      // The README's picture: the page mid-run, customers spread over several states.
      const { now, max } = await progressOf(page);
      if (!screenshot && nonEmpty.length >= 3 && now > max * 0.4) {
        await mkdir(dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT });
        screenshot = true;
      }
    }

    const final = await consolidationState(t, devToken, id);
    expect(final.status).toBe('COMPLETED');
    await page.waitForSelector('[data-testid=workflow-status]:has-text("Completed")', {
      timeout: 10_000,
    });
    await page.waitForFunction(
      (total) =>
        document
          .querySelector('.wf-head ~ .progress [role=progressbar]')
          ?.getAttribute('aria-valuenow') === String(total),
      // Blocked customers' items are not done (issue 16): the bar ends at the items done.
      final.progress.completed,
    );
    // The blocked items are shown apart from the items done.
    expect(final.progress.blocked).toBeGreaterThan(0);
    expect(await page.textContent('.wf-head ~ .progress [data-testid=progress-apart]')).toContain(
      `${final.progress.blocked} blocked`,
    );
    const done = final.customers.edges.filter((e) => e.node.state === 'DONE').length;
    const blocked = final.customers.edges.filter((e) => e.node.state === 'BLOCKED').length;
    await page.waitForSelector(`[data-testid=state-board] [data-state=DONE][data-count="${done}"]`);
    expect(
      await page.getAttribute('[data-testid=state-board] [data-state=BLOCKED]', 'data-count'),
    ).toBe(String(blocked));
    expect(
      await page.getAttribute('[data-testid=state-board] [data-state=INVITED]', 'data-count'),
    ).toBe('0');
    // The progress and the board moved through intermediate values while the page watched.
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect([...states].some((s) => !['DONE', 'BLOCKED', 'PLANNED'].includes(s))).toBe(true);
    expect(
      Number(await page.getAttribute('[data-testid=progress-chart]', 'data-points')),
    ).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('[data-testid=billing-overlap]')).toContain(
      `largest overlap ${final.billingOverlap.maxOverlapDays} days`,
    );
    await page.waitForSelector('[data-testid=journal] li');
    if (!screenshot) {
      await page.screenshot({ path: SCREENSHOT });
    }

    // An export downloads with the bearer token (blob link).
    const download = page.waitForEvent('download');
    await page.click('[data-export=inventory]');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    await page.waitForSelector('[data-testid=export-status]:has-text("downloaded")');

    // The list: filters by status and kind, each row links to its workflow.
    await page.click('header nav >> text=Workflows');
    await page.selectOption('select[name=status]', 'COMPLETED');
    await page.waitForSelector('table.workflows tr[data-status=COMPLETED]');
    expect(await page.locator('table.workflows tbody tr').count()).toBe(1);
    expect(await page.textContent('table.workflows')).toContain(target.name);
    await page.selectOption('select[name=kind]', 'CHANNEL_MOVE');
    await page.waitForSelector('text=No workflow matches these filters.');
    await page.selectOption('select[name=kind]', 'TENANT_CONSOLIDATION');
    await page.click('table.workflows tbody a');
    await page.waitForSelector('[data-testid=workflow-status]:has-text("Completed")');

    // A narrow window: no horizontal scrolling of the page (wide tables scroll in their box).
    await page.setViewportSize({ width: 390, height: 800 });
    const overflow = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      // What sticks out (for the failure message): elements whose right edge passes the window.
      wide: Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 8)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''} ${Math.round(e.getBoundingClientRect().width)}px`,
        ),
    }));
    expect(overflow.scrollWidth, JSON.stringify(overflow)).toBeLessThanOrEqual(
      overflow.innerWidth + 1,
    );

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows start disabled with the reason to a SALES_AGENT, and renders in French', async () => {
    const salesToken = await t.token(organizationId, [PartnerRole.SALES_AGENT]);
    const planned = await t.gql<{ planTenantConsolidation: { workflow: { id: string } } }>(
      PLAN_CONSOLIDATION,
      {
        token: salesToken,
        variables: {
          input: { sourcePartnerTenantIds: [sources[0]?.id], targetPartnerTenantId: target.id },
        },
      },
    );
    const id = planned.body.data?.planTenantConsolidation.workflow.id as string;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    // A deep link: the server answers it with the console (SPA fallback), which asks to sign in.
    await page.goto(`${t.http.url}/console/workflows/${encodeURIComponent(id)}`);
    await page.fill('#token', salesToken);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=workflow-status]:has-text("Draft")');
    expect(await page.textContent('[data-testid=roles]')).toBe('SALES_AGENT');
    const start = page.locator('[data-action=start]');
    expect(await start.isDisabled()).toBe(true);
    const reasonId = await start.getAttribute('aria-describedby');
    expect(await page.textContent(`[id="${reasonId}"]`)).toContain(
      'Needs the GLOBAL_ADMIN or ADMIN_AGENT role (R-CON-10); your roles: SALES_AGENT.',
    );
    expect(await page.isDisabled('[data-action=cancel] button')).toBe(true);

    await page.selectOption('select[name=language]', 'fr');
    await page.waitForSelector('[data-testid=workflow-status]:has-text("Brouillon")');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await start.textContent()).toBe('Démarrer');
    expect(await page.textContent(`[id="${reasonId}"]`)).toContain(
      'Nécessite le rôle GLOBAL_ADMIN ou ADMIN_AGENT (R-CON-10)',
    );
    expect(await page.textContent('main')).toContain('Consolidation de tenants');
    expect(await page.textContent('main')).toContain('Journal des événements');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
  it('plans a transfer, a channel move (uploaded CSV) and an Azure plan transition from their forms', async () => {
    // A fresh demo: the consolidation above moved customers this test plans for.
    const { emulator, t, devToken } = await startConsoleApp(consoleDir);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const tenants = await t.gql<{
      viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
    }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token: devToken });
    const tenantGid = (tenantId: string) =>
      tenants.body.data?.viewer.organization.partnerTenants.find((x) => x.tenantId === tenantId)
        ?.id as string;
    const selectByText = async (selector: string, text: string) => {
      await page.waitForFunction(
        ([sel, txt]) =>
          Array.from((document.querySelector(sel as string) as HTMLSelectElement).options).some(
            (o) => o.text.includes(txt as string),
          ),
        [selector, text],
      );
      const value = await page.$eval(
        selector,
        (el, txt) =>
          Array.from((el as HTMLSelectElement).options).find((o) => o.text.includes(txt))?.value ??
          '',
        text,
      );
      await page.selectOption(selector, value);
    };
    await page.goto(`${t.http.url}/console/plan/transfer`);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=organization]');

    // Transfer: the form's signatures, signing as the current partner, the PDF.
    const transfer = await demoTransfer(emulator);
    const customerName = emulator.control
      .customers()
      .find((c) => c.tenantId === transfer.customerTenantId)?.companyName as string;
    await page.selectOption('#transfer-tenant', tenantGid(transfer.current.tenantId));
    await selectByText('#transfer-customer', customerName);
    await page.selectOption('#transfer-subscription', transfer.subscriptionGid);
    await page.fill('#new-partner-tenant', transfer.target.tenantId);
    await page.fill('#new-partner-mpn', transfer.target.mpnId);
    await page.fill('#received-at', '2026-01-02T10:00');
    const admins = page.locator('fieldset.grid3');
    for (const [i, admin] of ADMINS.entries()) {
      const inputs = admins.nth(i).locator('input');
      await inputs.nth(0).fill(admin.name);
      await inputs.nth(1).fill(admin.email);
    }
    await page.click('button:has-text("Plan (dry run)")');
    await page.waitForURL(/\/console\/workflows\//);
    await page.waitForSelector('[data-testid=signatures] [data-party=CUSTOMER][data-signed=no]');
    expect(await page.textContent('h1')).toContain(customerName);
    await page.click('[data-action=sign-current-partner] button');
    await page.fill('[data-action=sign-current-partner] input[type=text]', 'Aoife Byrne');
    await page.fill('[data-action=sign-current-partner] input[type=email]', ADMINS[0]?.email ?? '');
    await page.click('[data-action=sign-current-partner] form button[type=submit]');
    await page.waitForSelector(
      '[data-testid=signatures] [data-party=CURRENT_PARTNER][data-signed=yes]',
    );
    expect(await page.textContent('[data-party=CURRENT_PARTNER]')).toContain(
      'Signed by Aoife Byrne',
    );
    const pdf = page.waitForEvent('download');
    await page.click('button:has-text("Download the form (PDF)")');
    expect((await pdf).suggestedFilename()).toMatch(/\.pdf$/);

    // Channel move: a bad CSV is refused with its line; an uploaded one plans each line.
    const move = await channelMoveDemo(t, emulator);
    await page.click('header nav >> text=Plan a migration');
    await page.click('.tabs >> text=Channel move');
    await page.selectOption('#channel-tenant', move.partner.id);
    await page.fill('#customer-tenant-id', move.inRegion.tenantId);
    await page.fill('#customer-name', move.inRegion.companyName);
    await page.fill('#customer-country', move.inRegion.country);
    await page.fill(
      '#licenses-csv',
      `offerId,seats,expiresOn\n${move.offers.e3.id},thirty,2026-03-31\n`,
    );
    await page.click('button:has-text("Plan (dry run)")');
    await page.waitForSelector('[role=alert]:has-text("CSV_INVALID")');
    expect(await page.textContent('[role=alert]')).toContain('input.csv.2');
    await page.setInputFiles('#licenses-file', {
      name: 'licenses.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `offerId,seats,expiresOn\r\n${move.offers.e3.id},30,2026-03-31\r\n${move.offers.discontinued.id},12,2026-04-15\r\n`,
      ),
    });
    await page.waitForFunction(() =>
      (document.querySelector('#licenses-csv') as HTMLTextAreaElement).value.includes(',12,'),
    );
    await page.click('button:has-text("Plan (dry run)")');
    await page.waitForURL(/\/console\/workflows\//);
    await page.waitForSelector('[data-testid=plan-table] tbody tr:not(.group)');
    const moveTable = await page.textContent('[data-testid=plan-table]');
    expect(moveTable).toContain(move.offers.successor.name ?? move.offers.successor.id);
    expect(moveTable).toContain('(R-CHN-6)');
    expect(
      await page
        .locator('[data-testid=state-board] [data-state=PLANNED]')
        .getAttribute('data-count'),
    ).toBe('2');

    // Azure plan transition of a direct customer with a budget.
    const alpine = demoCustomer(emulator, { name: 'Alpine Foods' });
    await page.click('header nav >> text=Plan a migration');
    await page.click('.tabs >> text=Azure plan transition');
    await page.selectOption('#azure-tenant', tenantGid(alpine.partnerTenantId));
    await selectByText('#azure-customer', alpine.companyName);
    await page.fill('input[inputmode=decimal]', '5000');
    await page.click('button:has-text("Plan (dry run)")');
    await page.waitForURL(/\/console\/workflows\//);
    await page.waitForSelector('[data-testid=workflow-status]:has-text("Draft")');
    expect(await page.textContent('main')).toContain('5000.00 EUR');
    await page.waitForSelector('[data-testid=plan-table] tbody tr:not(.group)');
    expect(await page.textContent('[data-testid=plan-table]')).toContain('Planned');

    expect(errors).toEqual([]);
    await context.close();
    await t.close();
  }, 60_000);
});

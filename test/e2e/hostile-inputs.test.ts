import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { dialects } from '../support/dialects.js';
import { generatedHostile, hostileValues, type Hostile } from '../support/hostile-inputs.js';
import {
  MUTATIONS,
  withValue,
  type InputField,
  type MutationRow,
  type Valid,
} from '../support/mutation-inputs.js';
import { ADMINS, demoTransfer, planTransfer, transferState } from '../support/transfer.js';

// Issue 17, property-based: every id and text input of every mutation, and the public signing
// page, refuses hostile values (NUL, BEL/ESC, C1, bidi overrides, 100,000 characters, emoji,
// markup, paths, forged ids whose decoded key carries a control character) with a userError on
// that input's path, without repeating the value, storing nothing and sending Partner Center no
// request at all (so certainly no write). New mutations: add a row to MUTATIONS
// (test/support/mutation-inputs.ts).

const RUNS = Number(process.env.PROPERTY_RUNS ?? 6);

/** The value as it would appear in a JSON answer that repeated it. */
const echoed = (value: string) => JSON.stringify(value).slice(1, -1);

// Both dialects: PostgreSQL refuses a NUL in text outright, SQLite stores it; neither may see one.
describe.each(dialects)('hostile ids and text never reach Partner Center (%s)', (dialect) => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  const valid = {} as Valid;
  const totals = { tried: 0, requests: 0, writes: 0, fields: 0 };

  const workflowCount = async () =>
    (
      await t.gql<{ workflows: { totalCount: number } }>('{ workflows(first: 1) { totalCount } }', {
        token,
      })
    ).body.data!.workflows.totalCount;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 17 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off', GRAPHQL_COST_RESTORE_RATE: '100000' },
      dialect,
    });
    const partners = emulator.control.partners();
    const central = partners.find((p) => p.labels.includes('central'))!;
    token = await t.token(central.organizationId);
    const tenants = (
      await t.gql<{
        viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
      }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token })
    ).body.data!.viewer.organization.partnerTenants;
    const gid = (id: string) => tenants.find((x) => x.tenantId === id)!.id;
    valid.tenantGid = gid(central.tenantId);
    valid.sourceGids = partners
      .filter((p) => p.labels.includes('regional') && p.organizationId === central.organizationId)
      .map((p) => gid(p.tenantId));
    const alpine = emulator.control
      .customers()
      .find((c) => c.companyName.startsWith('Alpine Foods'))!;
    valid.customerGid = encodeId(
      'Customer',
      alpine.relationships[0]!.partnerTenantId,
      alpine.tenantId,
    );
    const demo = await demoTransfer(emulator);
    valid.subscriptionGid = demo.subscriptionGid;
    valid.newPartner = demo.target;
    const planned = await planTransfer(t, token, {
      subscriptionId: demo.subscriptionGid,
      newPartnerTenantId: demo.target.tenantId,
      newPartnerMpnId: demo.target.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      partnerAdmins: ADMINS,
    });
    valid.transferGid = planned.workflow!.id;
  });

  afterAll(async () => {
    console.log(
      `issue 17 hostile inputs (${dialect}): ${totals.tried} inputs tried on ${totals.fields} inputs of ${MUTATIONS.length} mutations and the signing page; Partner Center requests sent: ${totals.requests}, writes sent: ${totals.writes}`,
    );
    await t.close();
  });

  /** Sends one hostile input and checks every property; returns the userError. */
  const refuse = async (
    row: MutationRow,
    field: InputField,
    hostile: Hostile,
  ): Promise<{ code: string; field: string[] | null }> => {
    const base = row.valid(valid);
    const input = field.place
      ? field.place(base, hostile.value)
      : withValue(base, field.path, hostile.value);
    const document = `mutation($input: ${row.inputType}!) { ${row.name}(input: $input) { userErrors { code field message } ${row.select ?? ''} } }`;
    const before = {
      requests: emulator.control.requests().length,
      workflows: await workflowCount(),
    };
    const res = await t.gql<
      Record<string, { userErrors: Array<{ code: string; field: string[] | null }> } | null>
    >(document, { token, variables: { input } });
    const text = JSON.stringify(res.body);
    const label = `${row.name} ${field.path} ${JSON.stringify(hostile.value).slice(0, 60)}`;
    const sent = emulator.control.requests().slice(before.requests);
    totals.tried += 1;
    totals.requests += sent.length;
    totals.writes += sent.filter((r) => r.method !== 'GET').length;
    expect(res.status, label).toBeLessThan(500);
    expect(res.body.errors, `${label}\n${text.slice(0, 300)}`).toBeUndefined();
    const error = res.body.data?.[row.name]?.userErrors[0];
    expect(error, `${label}: accepted\n${text.slice(0, 300)}`).toBeDefined();
    expect(error!.field, label).toEqual(field.field ?? ['input', ...field.path.split('.')]);
    if (hostile.code) {
      expect(error!.code, label).toBe(hostile.code);
    }
    if (hostile.value.trim().length >= 3) {
      expect(text, `${label}: echoed`).not.toContain(echoed(hostile.value));
    }
    // Nothing reached Partner Center (not even a read: the checks come first), nothing stored.
    expect(
      sent.map((r) => `${r.method} ${r.path}`),
      label,
    ).toEqual([]);
    expect(await workflowCount(), label).toBe(before.workflows);
    return error!;
  };

  it('the table names every mutation of the schema', async () => {
    const { readFile } = await import('node:fs/promises');
    const sdl = await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    const body = /type Mutation \{([\s\S]*?)\n\}/.exec(sdl)?.[1] ?? '';
    const names = [...body.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !MUTATIONS.some((m) => m.name === n))).toEqual([]);
  });

  for (const row of MUTATIONS) {
    it(`${row.name}: every id and text input refuses hostile values`, async () => {
      for (const field of row.fields) {
        totals.fields += 1;
        const base = row.valid(valid);
        for (const hostile of hostileValues(field.kind, field.limit)) {
          await refuse(row, field, hostile);
        }
        const good = String(
          field.path
            .split('.')
            .reduce<unknown>(
              (node, key) => (node as Record<string, unknown> | undefined)?.[key],
              base,
            ) ?? (field.kind === 'csvOfferId' ? 'CFQ7TTC0LF8Q' : ''),
        );
        const generated = good ? generatedHostile(field.kind, good) : null;
        if (generated) {
          await fc.assert(
            fc.asyncProperty(generated, async (hostile) => {
              await refuse(row, field, hostile);
            }),
            { numRuns: RUNS, seed: 17 },
          );
        }
      }
    });
  }

  it('the public signing page refuses hostile signer names and emails, storing nothing', async () => {
    const state = await transferState(t, token, valid.transferGid);
    const links = state.form.signingLinks;
    expect(links.map((l) => l.party).sort()).toEqual(['CUSTOMER', 'NEW_PARTNER']);
    const cases: Array<[string, Hostile]> = [
      ...hostileValues('requiredText', 200).map((h) => ['signerName', h] as [string, Hostile]),
      ...hostileValues('email').map((h) => ['signerEmail', h] as [string, Hostile]),
    ];
    for (const link of links) {
      for (const [name, hostile] of cases) {
        const body = {
          signerName: 'Lea Brunner',
          signerEmail: 'lea.brunner@customer.example',
          timeZone: 'Europe/Zurich',
          [name]: hostile.value,
        };
        const before = emulator.control.requests().length;
        const res = await fetch(link.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        });
        const text = await res.text();
        const label = `${link.party} ${name} ${JSON.stringify(hostile.value).slice(0, 60)}`;
        const sent = emulator.control.requests().slice(before);
        totals.tried += 1;
        totals.requests += sent.length;
        totals.writes += sent.filter((r) => r.method !== 'GET').length;
        // The page shows `message` of a 400 next to the button and lets the signer correct it.
        expect(res.status, `${label}\n${text}`).toBe(400);
        const answer = JSON.parse(text) as { signed: boolean; code: string; message: string };
        expect(answer.signed, label).toBe(false);
        // Over the page's 16 KiB body limit the body is refused whole (BAD_REQUEST).
        expect(answer.code, label).toBe(
          JSON.stringify(body).length > 16 * 1024 ? 'BAD_REQUEST' : hostile.code,
        );
        expect(answer.message.length, label).toBeGreaterThan(10);
        if (hostile.value.trim().length >= 3) {
          expect(text, `${label}: echoed`).not.toContain(echoed(hostile.value));
        }
        expect(sent, label).toEqual([]);
      }
    }
    // Nothing stored: no signature, both links unused, the page still offers the form.
    const after = await transferState(t, token, valid.transferGid);
    expect(after.form.signatures).toEqual([]);
    expect(after.form.signingLinks.map((l) => l.used)).toEqual([false, false]);
    const page = await fetch(links[0]!.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="sign"');
  });

  // Last (declaration order): the totals the closing note quotes.
  it('sent Partner Center nothing for any refused input', () => {
    expect(totals.tried).toBeGreaterThan(500);
    expect(totals).toMatchObject({ requests: 0, writes: 0 });
  });
});

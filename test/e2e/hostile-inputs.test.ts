import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { encodeId } from '../../server/shared/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  generatedHostile,
  hostileValues,
  type Hostile,
  type InputKind,
} from '../support/hostile-inputs.js';
import { ADMINS, demoTransfer, planTransfer, transferState } from '../support/transfer.js';

// Issue 17, property-based: every id and text input of every mutation, and the public signing
// page, refuses hostile values (NUL, BEL/ESC, C1, bidi overrides, 100,000 characters, emoji,
// markup, paths, forged ids whose decoded key carries a control character) with a userError on
// that input's path, without repeating the value, storing nothing and sending Partner Center no
// request at all (so certainly no write). New mutations: add a row to MUTATIONS.

const RUNS = Number(process.env.PROPERTY_RUNS ?? 6);

interface Valid {
  tenantGid: string;
  sourceGids: string[];
  customerGid: string;
  subscriptionGid: string;
  transferGid: string;
  newPartner: { tenantId: string; mpnId: string };
}

interface InputField {
  /** Path inside `input` ("partnerAdmins.0.name"). */
  path: string;
  kind: InputKind;
  /** Text limit of the field (for the over-long values). */
  limit?: number;
  /** The userError's field when it is not ['input', ...path] (CSV lines). */
  field?: string[];
  /** Builds the input for a value when it does not go at `path` as is (CSV text). */
  place?: (base: Record<string, unknown>, value: string) => Record<string, unknown>;
}

interface MutationRow {
  name: string;
  inputType: string;
  /** Selection of the payload besides userErrors. */
  select?: string;
  /** An input that would be accepted; each case replaces one field of it. */
  valid: (v: Valid) => Record<string, unknown>;
  fields: InputField[];
}

const WORKFLOW_COMMAND = (name: string): MutationRow => ({
  name,
  inputType: 'WorkflowIdInput',
  valid: (v) => ({ id: v.transferGid }),
  fields: [{ path: 'id', kind: 'id' }],
});

/** Every mutation of schema/schema.graphql that takes an id or a text (all of them do). */
const MUTATIONS: MutationRow[] = [
  WORKFLOW_COMMAND('startWorkflow'),
  WORKFLOW_COMMAND('cancelWorkflow'),
  WORKFLOW_COMMAND('retryWorkflow'),
  {
    name: 'confirmTransferCleanup',
    inputType: 'ConfirmTransferCleanupInput',
    valid: (v) => ({ transferId: v.transferGid }),
    fields: [{ path: 'transferId', kind: 'id' }],
  },
  {
    name: 'reissueSigningLink',
    inputType: 'ReissueSigningLinkInput',
    select: 'signingLink { url }',
    valid: (v) => ({ transferId: v.transferGid, party: 'CUSTOMER' }),
    fields: [{ path: 'transferId', kind: 'id' }],
  },
  {
    name: 'signTransferForm',
    inputType: 'SignTransferFormInput',
    valid: (v) => ({
      transferId: v.transferGid,
      party: 'CURRENT_PARTNER',
      signerName: 'Jana Novak',
      signerEmail: 'jana.novak@contoso.example',
    }),
    fields: [
      { path: 'transferId', kind: 'id' },
      { path: 'signerName', kind: 'requiredText', limit: 200 },
      { path: 'signerEmail', kind: 'email' },
    ],
  },
  {
    name: 'planSubscriptionTransfer',
    inputType: 'PlanSubscriptionTransferInput',
    valid: (v) => ({
      subscriptionId: v.subscriptionGid,
      newPartnerTenantId: v.newPartner.tenantId,
      newPartnerMpnId: v.newPartner.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      customerRequestReference: 'letter 2026-017',
      partnerAdmins: ADMINS.map((a) => ({ ...a, phone: '+49 30 1234 5678' })),
    }),
    fields: [
      { path: 'subscriptionId', kind: 'id' },
      { path: 'newPartnerTenantId', kind: 'guid' },
      { path: 'newPartnerMpnId', kind: 'mpnId' },
      { path: 'customerRequestReference', kind: 'optionalText', limit: 500 },
      { path: 'partnerAdmins.0.name', kind: 'requiredText', limit: 200 },
      { path: 'partnerAdmins.1.email', kind: 'email' },
      { path: 'partnerAdmins.0.phone', kind: 'phone' },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'planTenantConsolidation',
    inputType: 'PlanTenantConsolidationInput',
    valid: (v) => ({
      sourcePartnerTenantIds: v.sourceGids,
      targetPartnerTenantId: v.tenantGid,
    }),
    fields: [
      { path: 'sourcePartnerTenantIds.0', kind: 'id' },
      { path: 'targetPartnerTenantId', kind: 'id' },
      { path: 'customerIds.0', kind: 'id' },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'planAzurePlanTransition',
    inputType: 'PlanAzurePlanTransitionInput',
    valid: (v) => ({ customerId: v.customerGid, budget: { amount: '5000', currency: 'EUR' } }),
    fields: [
      { path: 'customerId', kind: 'id' },
      { path: 'budget.amount', kind: 'amount' },
      { path: 'budget.currency', kind: 'currency' },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'orderLegacyAzureSubscription',
    inputType: 'OrderLegacyAzureSubscriptionInput',
    select: 'subscription { subscriptionId }',
    valid: (v) => ({
      customerId: v.customerGid,
      resellerMpnId: '1234567',
      friendlyName: 'Legacy Azure',
    }),
    fields: [
      { path: 'customerId', kind: 'id' },
      { path: 'resellerMpnId', kind: 'mpnId' },
      { path: 'friendlyName', kind: 'nonBlankText', limit: 128 },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'planChannelMove',
    inputType: 'PlanChannelMoveInput',
    valid: (v) => ({
      partnerTenantId: v.tenantGid,
      customerTenantId: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
      customerCountry: 'DE',
      customerName: 'Nordlicht GmbH',
      sourceChannel: 'OTHER_PARTNER',
      licenses: [{ offerId: 'CFQ7TTC0LF8Q', seats: 5, expiresOn: '2026-03-01T00:00:00Z' }],
    }),
    fields: [
      { path: 'partnerTenantId', kind: 'id' },
      { path: 'customerTenantId', kind: 'guid' },
      { path: 'customerName', kind: 'optionalText', limit: 200 },
      { path: 'licenses.0.offerId', kind: 'offerId' },
      {
        path: 'csv',
        kind: 'csvOfferId',
        field: ['input', 'csv', '2'],
        place: (base, value) => ({ ...base, licenses: [], csv: `offerId,seats\n"${value}",5` }),
      },
      { path: 'idempotencyKey', kind: 'idempotencyKey' },
    ],
  },
  {
    name: 'exportConsolidationInventory',
    inputType: 'ExportConsolidationInventoryInput',
    select: 'export { url }',
    valid: (v) => ({ workflowId: v.transferGid, format: 'CSV' }),
    fields: [{ path: 'workflowId', kind: 'id' }],
  },
  {
    name: 'exportChannelMovePlan',
    inputType: 'ExportChannelMovePlanInput',
    select: 'export { url }',
    valid: (v) => ({ workflowId: v.transferGid, format: 'CSV' }),
    fields: [{ path: 'workflowId', kind: 'id' }],
  },
  {
    name: 'exportAzureReconciliation',
    inputType: 'ExportAzureReconciliationInput',
    select: 'export { url }',
    valid: (v) => ({ customerId: v.customerGid, format: 'CSV' }),
    fields: [{ path: 'customerId', kind: 'id' }],
  },
  {
    name: 'exportCustomers',
    inputType: 'ExportCustomersInput',
    select: 'export { url }',
    valid: (v) => ({ partnerTenantId: v.tenantGid, format: 'CSV' }),
    fields: [{ path: 'partnerTenantId', kind: 'id' }],
  },
  {
    name: 'exportSubscriptions',
    inputType: 'ExportSubscriptionsInput',
    select: 'export { url }',
    valid: (v) => ({ partnerTenantId: v.tenantGid, customerId: v.customerGid, format: 'CSV' }),
    fields: [
      { path: 'partnerTenantId', kind: 'id' },
      { path: 'customerId', kind: 'id' },
    ],
  },
  {
    name: 'exportActivityLog',
    inputType: 'ExportActivityLogInput',
    select: 'export { url }',
    valid: () => ({ format: 'CSV', filter: { customerSearch: 'Alpine' } }),
    fields: [{ path: 'filter.customerSearch', kind: 'optionalText', limit: 200 }],
  },
];

/** A copy of `base` with `value` at the dotted `path` (array indexes included). */
function withValue(base: Record<string, unknown>, path: string, value: unknown) {
  const copy = structuredClone(base);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= /^\d+$/.test(keys[keys.indexOf(key) + 1] ?? '') ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
  return copy;
}

/** The value as it would appear in a JSON answer that repeated it. */
const echoed = (value: string) => JSON.stringify(value).slice(1, -1);

describe('hostile ids and text never reach Partner Center', () => {
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
      `issue 17 hostile inputs: ${totals.tried} inputs tried on ${totals.fields} inputs of ${MUTATIONS.length} mutations and the signing page; Partner Center requests sent: ${totals.requests}, writes sent: ${totals.writes}`,
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

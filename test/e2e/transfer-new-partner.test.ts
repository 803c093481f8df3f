import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from 'partner-center-emulator';
import { emulatorDirectorySource } from '../../server/modules/organizations/directory-source.js';
import { clockFrom } from '../../server/shared/clock.js';
import { PC_BASE_URL, startTestApp, type TestApp } from '../support/app.js';
import { startWorkflow } from '../support/operations.js';
import { pdfText } from '../support/pdf.js';
import {
  ADMINS,
  SIGN,
  demoTransfer,
  planTransfer,
  type DemoTransfer,
} from '../support/transfer.js';

// Issue 16 item 6 (R-TRF-5): the new partner's contact and address on the transfer form (PDF and
// signing page), validated; and the customer's agreement at the new partner as a blocker: read in
// Partner Center when the new partner is served here, confirmed by an operator when it is not.

const DETAILS = `
  newPartner { tenantId mpnId organizationName contact { name email phone }
    address { addressLine1 addressLine2 city postalCode region country } }
  currentPartner { tenantId organizationName address { city country } }
  newPartnerAgreement { status type dateAgreed checkedAt confirmedBy }
  blockers { code message }
  form { pdfUrl signingLinks { party url } }
`;
const STATE = `query($id: ID!) { node(id: $id) { ... on SubscriptionTransfer { id status ${DETAILS} } } }`;
const UPDATE = `mutation($input: UpdateTransferNewPartnerInput!) {
  updateTransferNewPartner(input: $input) { userErrors { code message field } workflow { id } } }`;

interface Details {
  id: string;
  status: string;
  newPartner: {
    tenantId: string;
    mpnId: string;
    organizationName: string | null;
    contact: { name: string; email: string; phone: string | null } | null;
    address: Record<string, string | null> | null;
  };
  currentPartner: { tenantId: string; organizationName: string; address: { city: string } | null };
  newPartnerAgreement: {
    status: string;
    type: string | null;
    dateAgreed: string | null;
    checkedAt: string;
    confirmedBy: string | null;
  } | null;
  blockers: Array<{ code: string; message: string }>;
  form: { pdfUrl: string; signingLinks: Array<{ party: string; url: string }> };
}

const CONTACT = {
  name: '  Émilie Yamada 山田  ',
  email: 'emilie@fabrikam.example',
  phone: '+44 20 7946 0000',
};
const ADDRESS = {
  addressLine1: '1 Ænglish Row',
  addressLine2: 'Suite "B", 3rd floor',
  city: 'London',
  postalCode: 'EC1A 1BB',
  region: null,
  country: 'gb',
};

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setUp(options: { served?: boolean; withoutAgreement?: boolean } = {}) {
  const emulator = createEmulator({ scenario: 'demo', seed: 7 });
  const demo = await demoTransfer(emulator);
  if (options.withoutAgreement) {
    // The customer has accepted no agreement yet (snapshot edited through the control API).
    const snap = emulator.control.state();
    snap.agreements = snap.agreements.filter((a) => a.customerTenantId !== demo.customerTenantId);
    const customer = snap.customers.find((c) => c.tenantId === demo.customerTenantId)!;
    customer.directSignedMca = false;
    emulator.control.loadState(snap);
  }
  const all = emulatorDirectorySource({ emulatorUrl: PC_BASE_URL, fetch: emulator.fetch });
  const t = await startTestApp({
    emulator,
    clock: clockFrom(emulator.clock),
    env: { WORKFLOW_RUNNER: 'off' },
    ...(options.served === false
      ? {
          directory: {
            kind: 'emulator' as const,
            load: async () => (await all.load()).filter((o) => !/fabrikam/i.test(o.name)),
          },
        }
      : {}),
  });
  apps.push(t);
  return { emulator, t, demo, token: await t.token(demo.organizationId) };
}

const baseInput = (demo: DemoTransfer, extra: Record<string, unknown> = {}) => ({
  subscriptionId: demo.subscriptionGid,
  newPartnerTenantId: demo.target.tenantId,
  newPartnerMpnId: demo.target.mpnId,
  customerRequestReceivedAt: '2026-01-02T10:00:00Z',
  partnerAdmins: ADMINS,
  ...extra,
});

async function details(t: TestApp, token: string, id: string): Promise<Details> {
  const res = await t.gql<{ node: Details }>(STATE, { token, variables: { id } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node;
}

async function update(t: TestApp, token: string, input: Record<string, unknown>) {
  const res = await t.gql<{
    updateTransferNewPartner: {
      userErrors: Array<{ code: string; message: string; field: string[] }>;
      workflow: { id: string } | null;
    };
  }>(UPDATE, { token, variables: { input } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.updateTransferNewPartner;
}

const onServer = (t: TestApp, url: string) => {
  const u = new URL(url);
  return `${t.http.url}${u.pathname}${u.search}`;
};

describe("the new partner's details and agreement on a transfer (R-TRF-5)", () => {
  it('puts the contact and address on the form, the PDF and the signing page, and reads the agreement in Partner Center', async () => {
    const { t, token, demo } = await setUp();
    const planned = await planTransfer(
      t,
      token,
      baseInput(demo, { newPartnerContact: CONTACT, newPartnerAddress: ADDRESS }),
    );
    expect(planned.userErrors).toEqual([]);
    expect(planned.workflow?.blockers).toEqual([]);
    const id = planned.workflow!.id;
    const state = await details(t, token, id);
    expect(state.newPartner).toEqual({
      tenantId: demo.target.tenantId,
      mpnId: demo.target.mpnId,
      organizationName: expect.stringMatching(/Fabrikam/),
      contact: { name: 'Émilie Yamada 山田', email: CONTACT.email, phone: CONTACT.phone },
      address: { ...ADDRESS, country: 'GB' },
    });
    expect(state.currentPartner.tenantId).toBe(demo.current.tenantId);
    expect(state.newPartnerAgreement).toMatchObject({
      status: 'IN_PLACE',
      type: 'MicrosoftCustomerAgreement',
      confirmedBy: null,
    });
    const pdf = await pdfText(
      new Uint8Array(
        await (
          await fetch(onServer(t, state.form.pdfUrl), {
            headers: { authorization: `Bearer ${token}` },
          })
        ).arrayBuffer(),
      ),
    );
    for (const expected of [
      'Émilie Yamada 山田',
      'emilie@fabrikam.example',
      '1 Ænglish Row',
      'EC1A 1BB London',
      'MicrosoftCustomerAgreement in place',
    ]) {
      expect(pdf.text).toContain(expected);
    }
    const link = state.form.signingLinks.find((l) => l.party === 'NEW_PARTNER')!;
    const html = await (await fetch(onServer(t, link.url))).text();
    expect(html).toContain('Suite &#34;B&#34;, 3rd floor');
    expect(html).toContain('emilie@fabrikam.example');
    expect(html).toContain('Customer agreement');
  });

  it('refuses control characters, direction overrides, overlong fields and bad codes, storing nothing', async () => {
    const { t, token, demo, emulator } = await setUp();
    const writesBefore = emulator.control.requests({}).filter((r) => r.method !== 'GET').length;
    const cases: Array<[Record<string, unknown>, string, string[]]> = [
      [
        { newPartnerContact: { ...CONTACT, name: 'Eve\u0007' } },
        'INVALID_TEXT',
        ['input', 'newPartnerContact', 'name'],
      ],
      [
        { newPartnerContact: { ...CONTACT, name: '   ' } },
        'REQUIRED',
        ['input', 'newPartnerContact', 'name'],
      ],
      [
        { newPartnerContact: { ...CONTACT, email: 'no-at-sign' } },
        'INVALID_EMAIL',
        ['input', 'newPartnerContact', 'email'],
      ],
      [
        { newPartnerContact: { ...CONTACT, phone: 'call me' } },
        'INVALID_PHONE',
        ['input', 'newPartnerContact', 'phone'],
      ],
      [
        { newPartnerAddress: { ...ADDRESS, addressLine1: 'x'.repeat(201) } },
        'TOO_LONG',
        ['input', 'newPartnerAddress', 'addressLine1'],
      ],
      [
        { newPartnerAddress: { ...ADDRESS, city: 'Lon\u202edon' } },
        'INVALID_TEXT',
        ['input', 'newPartnerAddress', 'city'],
      ],
      [
        { newPartnerAddress: { ...ADDRESS, country: 'ZZ' } },
        'INVALID_COUNTRY',
        ['input', 'newPartnerAddress', 'country'],
      ],
      [
        { newPartnerOrganizationName: 'Fab\nrikam\u0000' },
        'INVALID_TEXT',
        ['input', 'newPartnerOrganizationName'],
      ],
    ];
    for (const [extra, code, field] of cases) {
      const res = await planTransfer(t, token, baseInput(demo, extra));
      expect(res.workflow, code).toBeNull();
      expect(res.userErrors, JSON.stringify(extra)).toEqual([
        expect.objectContaining({ code, field }),
      ]);
    }
    const list = await t.gql<{ workflows: { edges: unknown[] } }>(
      '{ workflows(kind: SUBSCRIPTION_TRANSFER) { edges { cursor } } }',
      { token },
    );
    expect(list.body.data?.workflows.edges).toEqual([]);
    expect(emulator.control.requests({}).filter((r) => r.method !== 'GET').length).toBe(
      writesBefore,
    );
  });

  it('blocks a new partner served here while Partner Center lists no agreement, and lets it start once the customer accepted', async () => {
    const { t, token, demo, emulator } = await setUp({ withoutAgreement: true });
    const planned = await planTransfer(t, token, baseInput(demo));
    expect(planned.userErrors).toEqual([]);
    expect(planned.workflow?.blockers.map((b) => b.code)).toEqual([
      'NEW_PARTNER_NO_CUSTOMER_AGREEMENT',
    ]);
    const id = planned.workflow!.id;
    expect((await details(t, token, id)).newPartnerAgreement?.status).toBe('MISSING');
    expect((await startWorkflow(t, token, id)).userErrors.map((e) => e.code)).toEqual(['BLOCKED']);
    // A confirmation cannot override Partner Center: still none there, still blocked.
    expect(
      (await update(t, token, { workflowId: id, agreementConfirmed: true })).userErrors,
    ).toEqual([]);
    let state = await details(t, token, id);
    expect(state.newPartnerAgreement?.status).toBe('MISSING');
    expect(state.blockers.map((b) => b.code)).toEqual(['NEW_PARTNER_NO_CUSTOMER_AGREEMENT']);
    // The customer accepts the MCA; checking again clears the blocker.
    emulator.control.signMca(demo.customerTenantId);
    expect(
      (await update(t, token, { workflowId: id, agreementConfirmed: true })).userErrors,
    ).toEqual([]);
    state = await details(t, token, id);
    expect(state.newPartnerAgreement).toMatchObject({
      status: 'IN_PLACE',
      type: 'MicrosoftCustomerAgreement',
    });
    expect(state.blockers).toEqual([]);
    expect((await startWorkflow(t, token, id)).userErrors).toEqual([]);
  });

  it('for a new partner not served here: blocked until an operator confirms the agreement; details fixed at the first signature', async () => {
    const { t, token, demo } = await setUp({ served: false });
    const planned = await planTransfer(t, token, baseInput(demo));
    expect(planned.workflow?.blockers.map((b) => b.code)).toEqual([
      'NEW_PARTNER_AGREEMENT_UNCONFIRMED',
    ]);
    const id = planned.workflow!.id;
    expect((await details(t, token, id)).newPartnerAgreement?.status).toBe('UNCONFIRMED');
    expect((await startWorkflow(t, token, id)).userErrors.map((e) => e.code)).toEqual(['BLOCKED']);
    // Bad input changes nothing (the blocker stays).
    const bad = await update(t, token, {
      workflowId: id,
      agreementConfirmed: true,
      address: { ...ADDRESS, postalCode: '\u0001' },
    });
    expect(bad.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_TEXT', field: ['input', 'address', 'postalCode'] }),
    ]);
    expect((await details(t, token, id)).blockers.map((b) => b.code)).toEqual([
      'NEW_PARTNER_AGREEMENT_UNCONFIRMED',
    ]);
    const ok = await update(t, token, {
      workflowId: id,
      organizationName: '  Fabrikam Partners UK Ltd ',
      contact: CONTACT,
      address: ADDRESS,
      agreementConfirmed: true,
    });
    expect(ok).toEqual({ userErrors: [], workflow: { id } });
    let state = await details(t, token, id);
    expect(state.blockers).toEqual([]);
    expect(state.newPartner.organizationName).toBe('Fabrikam Partners UK Ltd');
    expect(state.newPartner.contact?.name).toBe('Émilie Yamada 山田');
    expect(state.newPartnerAgreement).toMatchObject({
      status: 'CONFIRMED',
      confirmedBy: expect.any(String),
    });
    // Retracting the confirmation blocks again; confirming once more clears it.
    await update(t, token, { workflowId: id, agreementConfirmed: false });
    expect((await details(t, token, id)).blockers.map((b) => b.code)).toEqual([
      'NEW_PARTNER_AGREEMENT_UNCONFIRMED',
    ]);
    await update(t, token, { workflowId: id, agreementConfirmed: true });
    // Once someone signed, the details are what they signed.
    const signed = await t.gql<{ signTransferForm: { userErrors: unknown[] } }>(SIGN, {
      token,
      variables: {
        input: {
          workflowId: id,
          party: 'CURRENT_PARTNER',
          signerName: 'Aoife Byrne',
          signerEmail: 'aoife.byrne@contoso.example',
        },
      },
    });
    expect(signed.body.data?.signTransferForm.userErrors).toEqual([]);
    const late = await update(t, token, { workflowId: id, contact: { ...CONTACT, name: 'Other' } });
    expect(late.userErrors).toEqual([
      expect.objectContaining({ code: 'FORM_SIGNED', field: ['input', 'contact'] }),
    ]);
    state = await details(t, token, id);
    expect(state.newPartner.contact?.name).toBe('Émilie Yamada 山田');
    expect((await startWorkflow(t, token, id)).userErrors).toEqual([]);
    const afterStart = await update(t, token, { workflowId: id, agreementConfirmed: false });
    expect(afterStart.userErrors).toEqual([
      expect.objectContaining({ code: 'ALREADY_STARTED', field: ['input', 'agreementConfirmed'] }),
    ]);
    const nothing = await update(t, token, { workflowId: id });
    expect(nothing.userErrors.map((e) => e.code)).toEqual(['NOTHING_TO_UPDATE']);
  });
});

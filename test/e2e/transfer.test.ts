import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { playUntil } from '../support/consolidation.js';
import {
  ADMINS,
  SIGN,
  demoTransfer,
  pcGet,
  planTransfer,
  signWithLink,
  transferState,
  type DemoTransfer,
  type PcSub,
  type TransferState,
} from '../support/transfer.js';
import { pdfText } from '../support/pdf.js';

const onServer = (t: TestApp, url: string) => {
  // The API's public URL in tests is http://127.0.0.1:0; reach the ephemeral port instead.
  const u = new URL(url);
  return `${t.http.url}${u.pathname}${u.search}`;
};

describe('Azure subscription transfer on the demo scenario', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let demo: DemoTransfer;

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
    demo = await demoTransfer(emulator);
    token = await t.token(demo.organizationId);
  });

  afterEach(async () => {
    await t.close();
  });

  const input = (extra: Record<string, unknown> = {}) => ({
    subscriptionId: demo.subscriptionGid,
    newPartnerTenantId: demo.target.tenantId,
    newPartnerMpnId: demo.target.mpnId,
    customerRequestReceivedAt: '2026-01-02T10:00:00Z',
    customerRequestReference: 'letter 2026-001',
    partnerAdmins: ADMINS,
    ...extra,
  });

  it('plans, collects three signatures, opens and answers the ticket, moves the subscription and removes the old access', async () => {
    const before = JSON.stringify(emulator.control.state().subscriptions);
    const planned = await planTransfer(t, token, input({ idempotencyKey: 'oak-stone-1' }));
    expect(planned.userErrors).toEqual([]);
    expect(planned.workflow?.status).toBe('DRAFT');
    expect(planned.workflow?.blockers).toEqual([]);
    // The dry run changed nothing in Partner Center.
    expect(JSON.stringify(emulator.control.state().subscriptions)).toBe(before);
    const id = planned.workflow?.id as string;
    // Same key, same input: the same workflow.
    expect(
      (await planTransfer(t, token, input({ idempotencyKey: 'oak-stone-1' }))).workflow?.id,
    ).toBe(id);

    let state = await transferState(t, token, id);
    expect(state).toMatchObject({
      kind: 'SUBSCRIPTION_TRANSFER',
      direction: 'OUTGOING',
      azureSubscriptionId: demo.subscription.entitlementId ?? demo.subscription.id,
      newSubscriptionId: null,
      overdue: false,
      pendingChecks: [],
      customerRequestReceivedAt: '2026-01-02T10:00:00.000Z',
      subscription: {
        subscriptionId: demo.subscription.id,
        status: 'ACTIVE',
        productFamily: 'AZURE_LEGACY',
      },
    });
    expect(state.form.complete).toBe(false);
    expect(state.form.partnerAdmins).toEqual([{ ...ADMINS[0] }, { ...ADMINS[1], phone: null }]);
    expect(state.form.signingLinks.map((l) => l.party).sort()).toEqual(['CUSTOMER', 'NEW_PARTNER']);

    // The printable form, parsed back: every R-TRF-4/5 field, no signature yet.
    const pdfRes = await fetch(onServer(t, state.form.pdfUrl), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    const pdf = await pdfText(new Uint8Array(await pdfRes.arrayBuffer()));
    expect(pdf.title).toBe('CSP Subscription Transfer Form (Microsoft Azure)');
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    for (const expected of [
      demo.current.tenantId,
      demo.customerTenantId,
      demo.subscription.id,
      demo.target.tenantId,
      demo.target.mpnId,
      'Oak & Stone Consulting Ltd',
      'aoife.byrne@contoso.example',
      'NOT SIGNED',
      'letter 2026-001',
    ]) {
      expect(pdf.text).toContain(expected);
    }
    expect((await fetch(onServer(t, state.form.pdfUrl))).status).toBe(401);

    // Our own party signs through the API; the other two through their links.
    const signed = await t.gql<{ signTransferForm: { userErrors: unknown[] } }>(SIGN, {
      token,
      variables: {
        input: {
          transferId: id,
          party: 'CURRENT_PARTNER',
          signerName: 'Aoife Byrne',
          signerEmail: 'aoife.byrne@contoso.example',
        },
      },
    });
    expect(signed.body.data?.signTransferForm.userErrors).toEqual([]);
    const customerLink = state.form.signingLinks.find((l) => l.party === 'CUSTOMER')!;
    const page = await fetch(onServer(t, customerLink.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Oak &#38; Stone Consulting Ltd');
    expect(html).toContain('Sign the transfer form');
    const customerSign = await signWithLink(onServer(t, customerLink.url), {
      signerName: 'Niamh Oak',
      signerEmail: 'niamh@oakstone.example',
    });
    expect(customerSign).toMatchObject({ status: 200, body: { signed: true, party: 'CUSTOMER' } });
    const newPartnerLink = state.form.signingLinks.find((l) => l.party === 'NEW_PARTNER')!;
    expect(
      (
        await signWithLink(onServer(t, newPartnerLink.url), {
          signerName: 'Tom Walsh',
          signerEmail: 'tom.walsh@fabrikam.example',
        })
      ).status,
    ).toBe(200);

    state = await transferState(t, token, id);
    expect(state.form.complete).toBe(true);
    expect(state.form.signatures.map((s) => [s.party, s.signerName])).toEqual([
      ['CURRENT_PARTNER', 'Aoife Byrne'],
      ['CUSTOMER', 'Niamh Oak'],
      ['NEW_PARTNER', 'Tom Walsh'],
    ]);
    expect(state.form.signingLinks.every((l) => l.used)).toBe(true);

    // The new partner's organization sees the transfer as incoming, read-only and without links.
    const fabrikamToken = await t.token(demo.fabrikamOrganizationId);
    const incoming = await transferState(t, fabrikamToken, id);
    expect(incoming.direction).toBe('INCOMING');
    expect(incoming.form.signingLinks).toEqual([]);
    const list = await t.gql<{ workflows: { edges: Array<{ node: { id: string } }> } }>(
      '{ workflows(kind: SUBSCRIPTION_TRANSFER) { edges { node { id } } } }',
      { token: fabrikamToken },
    );
    expect(list.body.data?.workflows.edges.map((e) => e.node.id)).toEqual([id]);
    const foreignStart = await t.gql<{ startWorkflow: { userErrors: Array<{ code: string }> } }>(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
      { token: fabrikamToken, variables: { id } },
    );
    expect(foreignStart.body.data?.startWorkflow.userErrors[0]?.code).toBe('READ_ONLY');

    // Start: ticket, attach, support (autopilot), transfer, clean-up.
    const started = await t.gql<{ startWorkflow: { userErrors: unknown[] } }>(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
      { token, variables: { id } },
    );
    expect(started.body.data?.startWorkflow.userErrors).toEqual([]);
    await t.app.runner.drain();
    state = await transferState(t, token, id);
    expect(state.serviceRequestId).toBeTruthy();
    expect(state.form.attachedAt).toBe('2026-01-05T08:00:00.000Z');
    // Monday 08:00 in Ireland: 8 business hours run 09:00–17:00 the same day.
    expect(state.responseDueAt).toBe('2026-01-05T17:00:00.000Z');

    const moves = await playUntil(t, emulator, async () => {
      const s = await transferState(t, token, id);
      return ['COMPLETED', 'FAILED'].includes(s.status);
    });
    state = await transferState(t, token, id);
    expect(state.status, JSON.stringify(state.events.edges.map((e) => e.node.message))).toBe(
      'COMPLETED',
    );
    // Support reads the attached, signed form and moves the subscription on its first answer:
    // 8 business hours after the attach (Monday 17:00 in Ireland), no "attention needed" round.
    expect(moves).toBe(9);
    expect(state.completedAt).toBe('2026-01-05T17:00:00.000Z');
    expect(state.events.edges.map((e) => e.node.type)).not.toContain('SUPPORT_NEEDS_ATTENTION');
    expect(state.state).toBe('DONE');
    expect(state.overdue).toBe(false);
    expect(state.newSubscriptionId).toBeTruthy();
    expect(state.newSubscriptionId).not.toBe(demo.subscription.id);
    expect(state.subscription.status).toBe('SUSPENDED');
    expect(state.removedRoleAssignments.length).toBeGreaterThan(0);
    const types = state.events.edges.map((e) => e.node.type);
    for (const type of [
      'PLANNED',
      'FORM_SIGNED',
      'TICKET_OPENED',
      'FORM_ATTACHED',
      'TRANSFERRED',
      'CLEANED_UP',
    ]) {
      expect(types).toContain(type);
    }

    // The emulator agrees: ticket with the R-TRF-3 fields and the form attached ...
    const sr = await pcGet<{
      description: string;
      severity: string;
      supportTopicName: string;
      status: string;
      fileLinks: Array<{ fileName: string; fileLink: string }>;
      notes: Array<{ createdByName: string; text: string }>;
    }>(emulator, demo.current.tenantId, `/servicerequests/${state.serviceRequestId}`);
    expect(sr.body.severity).toBe('minimal');
    expect(sr.body.supportTopicName).toMatch(/subscription management/i);
    expect(sr.body.description).toContain('Other general questions');
    expect(sr.body.description).toContain('Cloud Solution Provider');
    expect(sr.body.description).toContain(demo.subscription.entitlementId ?? demo.subscription.id);
    expect(sr.body.status).toBe('closed');
    expect(sr.body.notes.filter((n) => n.createdByName === 'Microsoft Support')).toEqual([
      expect.objectContaining({ text: expect.stringContaining('Transfer completed') }),
    ]);
    expect(sr.body.fileLinks.map((f) => f.fileName)).toEqual([
      expect.stringMatching(/^CSP-Subscription-Transfer-Form-[0-9a-f]{8}\.pdf$/),
    ]);
    // ... the subscription now under the new partner, same Azure id, new Partner Center id ...
    const azureId = state.azureSubscriptionId;
    const theirs = await pcGet<{ items: PcSub[] }>(
      emulator,
      demo.target.tenantId,
      `/customers/${demo.customerTenantId}/subscriptions`,
    );
    const moved = theirs.body.items.find((s) => s.entitlementId === azureId);
    expect(moved).toMatchObject({ id: state.newSubscriptionId, status: 'active' });
    const ours = await pcGet<PcSub>(
      emulator,
      demo.current.tenantId,
      `/customers/${demo.customerTenantId}/subscriptions/${demo.subscription.id}`,
    );
    expect(ours.body.status).toBe('suspended');
    // ... and none of the old partner's role assignments left.
    const armRes = await emulator.fetch(
      `https://management.azure.com/subscriptions/${azureId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      { headers: { authorization: `Bearer ${emulator.tokenFor(demo.target.tenantId)}` } },
    );
    const assignments = (
      (await armRes.json()) as {
        value: Array<{ id: string; properties: { principalId: string; roleDefinitionId: string } }>;
      }
    ).value;
    expect(
      assignments.filter((a) => a.properties.principalId === demo.current.adminAgentsGroupId),
    ).toEqual([]);
    // R-TRF-8: the new partner added itself (its Admin Agents group as Owner) before that.
    expect(
      assignments
        .filter((a) => a.properties.principalId === demo.target.adminAgentsGroupId)
        .map((a) => a.properties.roleDefinitionId.split('/').at(-1)),
    ).toEqual(['8e3af657-a8ff-443c-a75c-2fe8c4bcb635']);
    expect(types.indexOf('ACCESS_ADDED')).toBeGreaterThan(types.indexOf('TRANSFERRED'));
    expect(types.indexOf('ACCESS_ADDED')).toBeLessThan(types.indexOf('CLEANED_UP'));
    expect(state.removedRoleAssignments.every((r) => !assignments.some((a) => a.id === r))).toBe(
      true,
    );

    // Activity entries for every change.
    const activity = await t.gql<{
      activityLog: { edges: Array<{ node: { operation: string } }> };
    }>(
      'query($f: ActivityLogFilter) { activityLog(filter: $f, first: 100) { edges { node { operation } } } }',
      { token, variables: { f: { workflowId: id } } },
    );
    const operations = activity.body.data?.activityLog.edges.map((e) => e.node.operation) ?? [];
    for (const op of [
      'sign_transfer_form',
      'start_workflow',
      'create_service_request',
      'attach_transfer_form',
      'subscription_transferred',
      'create_role_assignment',
      'delete_role_assignment',
    ]) {
      expect(operations).toContain(op);
    }
    // Nothing can be canceled any more.
    const cancel = await t.gql<{ cancelWorkflow: { userErrors: Array<{ code: string }> } }>(
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code } } }',
      { token, variables: { id } },
    );
    expect(cancel.body.data?.cancelWorkflow.userErrors[0]?.code).toBe('IRREVERSIBLE');
  });

  it('refuses bad input with a user error and stores nothing', async () => {
    const cases: Array<[Record<string, unknown>, string, string[]]> = [
      [{ partnerAdmins: [ADMINS[0]] }, 'TWO_ADMINS_REQUIRED', ['input', 'partnerAdmins']],
      [
        { partnerAdmins: [...ADMINS, { name: 'Third', email: 'third@x.example' }] },
        'TWO_ADMINS_REQUIRED',
        ['input', 'partnerAdmins'],
      ],
      [
        { partnerAdmins: [ADMINS[0], { name: 'Bad', email: 'not-an-email' }] },
        'INVALID_EMAIL',
        ['input', 'partnerAdmins', '1', 'email'],
      ],
      [
        { partnerAdmins: [ADMINS[0], ADMINS[0]] },
        'TWO_ADMINS_REQUIRED',
        ['input', 'partnerAdmins', '1', 'email'],
      ],
      [{ newPartnerTenantId: 'fabrikam' }, 'INVALID', ['input', 'newPartnerTenantId']],
      [{ newPartnerTenantId: demo.current.tenantId }, 'INVALID', ['input', 'newPartnerTenantId']],
      [{ newPartnerMpnId: 'abc' }, 'INVALID', ['input', 'newPartnerMpnId']],
      [
        { customerRequestReceivedAt: '2027-01-01T00:00:00Z' },
        'INVALID',
        ['input', 'customerRequestReceivedAt'],
      ],
      [{ subscriptionId: 'nope' }, 'NOT_FOUND', ['input', 'subscriptionId']],
    ];
    emulator.control.clearRequests();
    for (const [extra, code, field] of cases) {
      const result = await planTransfer(t, token, input(extra));
      expect(result.workflow, code).toBeNull();
      expect(result.userErrors[0]).toMatchObject({ code, field });
    }
    // No Partner Center call and no workflow.
    expect(emulator.control.requests().length).toBe(0);
    const list = await t.gql<{ workflows: { totalCount: number } }>(
      '{ workflows { totalCount } }',
      { token },
    );
    expect(list.body.data?.workflows.totalCount).toBe(0);
  });

  it('reports each blocker and refuses to start while one remains', async () => {
    const customers = emulator.control.customers();
    const subOf = async (label: string, pick: (s: PcSub) => boolean) => {
      const c =
        customers.find((x) => x.labels.includes(label)) ??
        customers.find((x) => x.companyName === label);
      if (!c) {
        throw new Error(label);
      }
      const partner = c.relationships[0]!.partnerTenantId;
      const subs = (
        await pcGet<{ items: PcSub[] }>(emulator, partner, `/customers/${c.tenantId}/subscriptions`)
      ).body.items;
      const sub = subs.find(pick);
      if (!sub) {
        throw new Error(`${label}: ${JSON.stringify(subs.map((s) => [s.offerId, s.status]))}`);
      }
      const { subscriptionGid } = await import('../support/transfer.js');
      return subscriptionGid(partner, c.tenantId, sub.id);
    };
    const legacy = (s: PcSub) => s.offerId === 'MS-AZR-0145P';
    const expectations: Array<[string, string]> = [
      [
        await subOf('Alpine Foods SAS', (s) => /office 365/i.test(s.offerName ?? '')),
        'PRODUCT_NOT_TRANSFERABLE',
      ],
      [await subOf('Alpine Foods SAS', legacy), 'NO_RESELLER_RELATIONSHIP'],
      [
        // Issue 15: an Azure plan takes the transfers API; its R-TRF-6 check still applies.
        await subOf('azure-plan', (s) => !legacy(s) && /azure/i.test(s.offerName ?? '')),
        'NO_RESELLER_RELATIONSHIP',
      ],
      [
        await subOf('suspended-azure', (s) => legacy(s) && s.status === 'suspended'),
        'SUBSCRIPTION_NOT_ACTIVE',
      ],
      [await subOf('out-of-region', legacy), 'COUNTRY_MISMATCH'],
    ];
    for (const [subscriptionId, code] of expectations) {
      const result = await planTransfer(t, token, input({ subscriptionId }));
      expect(result.userErrors, code).toEqual([]);
      expect(
        result.workflow?.blockers.map((b) => b.code),
        code,
      ).toContain(code);
      const start = await t.gql<{
        startWorkflow: { userErrors: Array<{ code: string; message: string }> };
      }>(
        'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
        { token, variables: { id: result.workflow?.id } },
      );
      expect(start.body.data?.startWorkflow.userErrors[0]?.code).toBe('BLOCKED');
      expect(start.body.data?.startWorkflow.userErrors[0]?.message).toContain(code);
    }
    // A second transfer of the same subscription while one is open.
    const first = await planTransfer(t, token, input());
    expect(first.workflow?.blockers).toEqual([]);
    const second = await planTransfer(t, token, input());
    expect(second.workflow?.blockers.map((b) => b.code)).toEqual(['TRANSFER_ALREADY_OPEN']);
    // A new partner this server does not serve: R-TRF-6 left as a pending check, not a blocker.
    await t.gql(
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code } } }',
      { token, variables: { id: first.workflow?.id } },
    );
    await t.gql(
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code } } }',
      { token, variables: { id: second.workflow?.id } },
    );
    const unknown = await planTransfer(
      t,
      token,
      input({
        newPartnerTenantId: '00000000-1111-2222-3333-444444444444',
        newPartnerMpnId: '7654321',
      }),
    );
    // R-TRF-5: nobody can read that partner's Partner Center; the agreement waits for a confirmation.
    expect(unknown.workflow?.blockers.map((b) => b.code)).toEqual([
      'NEW_PARTNER_AGREEMENT_UNCONFIRMED',
    ]);
    const unknownState = await transferState(t, token, unknown.workflow?.id as string);
    expect(unknownState.pendingChecks[0]).toContain('R-TRF-6');
    expect(unknownState.events.edges.map((e) => e.node.type)).toContain('PENDING_CHECK');
  });

  it('does not attach an incomplete form; links are single use, expire, and stay with admins of the owner', async () => {
    const planned = await planTransfer(t, token, input());
    const id = planned.workflow?.id as string;
    let state = await transferState(t, token, id);
    const link = (party: string) => {
      const found = state.form.signingLinks.find((l) => l.party === party);
      if (!found) {
        throw new Error(`no ${party} link`);
      }
      return found;
    };
    const [customerLink, newPartnerLink] = [link('CUSTOMER'), link('NEW_PARTNER')];
    // Only admins of the owning organization see the links (and their tokens).
    const sales = await t.token(demo.organizationId, [PartnerRole.SALES_AGENT]);
    expect((await transferState(t, sales, id)).form.signingLinks).toEqual([]);
    const salesSign = await t.gql(SIGN, {
      token: sales,
      variables: {
        input: {
          transferId: id,
          party: 'CURRENT_PARTNER',
          signerName: 'S',
          signerEmail: 's@contoso.example',
        },
      },
    });
    expect(salesSign.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const customerViaApi = await t.gql<{
      signTransferForm: { userErrors: Array<{ code: string }> };
    }>(SIGN, {
      token,
      variables: {
        input: { transferId: id, party: 'CUSTOMER', signerName: 'N', signerEmail: 'n@x.example' },
      },
    });
    expect(customerViaApi.body.data?.signTransferForm.userErrors[0]?.code).toBe('USE_SIGNING_LINK');

    // Customer signs once; the same link again is refused.
    expect(
      (
        await signWithLink(onServer(t, customerLink.url), {
          signerName: 'Niamh Oak',
          signerEmail: 'niamh@oakstone.example',
        })
      ).status,
    ).toBe(200);
    const reused = await signWithLink(onServer(t, customerLink.url), {
      signerName: 'Someone Else',
      signerEmail: 'else@x.example',
    });
    expect(reused).toMatchObject({ status: 410, body: { signed: false, code: 'USED' } });
    expect((await fetch(onServer(t, customerLink.url))).status).toBe(410);
    // A tampered token is simply unknown.
    // (Change its first character to another one: the token is random and may start with "A".)
    const tampered = onServer(t, customerLink.url).replace(/token=(.)/, (_, c: string) =>
      c === 'A' ? 'token=B' : 'token=A',
    );
    expect((await fetch(tampered)).status).toBe(404);
    expect(
      (
        await signWithLink(onServer(t, newPartnerLink.url), {
          signerName: '',
          signerEmail: 'x@y.example',
        })
      ).status,
    ).toBe(400);

    // Start with the new partner's signature missing: the ticket is opened, nothing is attached.
    await t.gql(SIGN, {
      token,
      variables: {
        input: {
          transferId: id,
          party: 'CURRENT_PARTNER',
          signerName: 'Aoife Byrne',
          signerEmail: 'aoife.byrne@contoso.example',
        },
      },
    });
    await t.gql(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
      { token, variables: { id } },
    );
    await playUntil(t, emulator, async () => false, { step: 'PT6H', maxSteps: 8 });
    state = await transferState(t, token, id);
    expect(state.status).toBe('WAITING');
    expect(state.state).toBe('TICKET_OPENED');
    expect(state.form.complete).toBe(false);
    expect(state.form.attachedAt).toBeNull();
    expect(state.responseDueAt).toBeNull();
    expect(state.waitingReason).toContain('new partner');
    const sr = await pcGet<{ fileLinks: unknown[] }>(
      emulator,
      demo.current.tenantId,
      `/servicerequests/${state.serviceRequestId}`,
    );
    expect(sr.body.fileLinks).toEqual([]);

    // Two weeks later the new partner's link has expired (default lifetime 14 days).
    await emulator.clock.advance('P15D');
    const expired = await signWithLink(onServer(t, newPartnerLink.url), {
      signerName: 'Tom Walsh',
      signerEmail: 'tom.walsh@fabrikam.example',
    });
    expect(expired).toMatchObject({ status: 410, body: { code: 'EXPIRED' } });
    const expiredPage = await fetch(onServer(t, newPartnerLink.url));
    expect(expiredPage.status).toBe(410);
    expect(await expiredPage.text()).toContain('expired');

    // Cancel is still allowed: support has not started anything.
    const cancel = await t.gql<{
      cancelWorkflow: { userErrors: unknown[]; workflow: { status: string } };
    }>(
      'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code } workflow { status } } }',
      { token, variables: { id } },
    );
    expect(cancel.body.data?.cancelWorkflow).toEqual({
      userErrors: [],
      workflow: { status: 'CANCELED' },
    });
  });

  it('marks the transfer overdue when support has not answered within 8 business hours', async () => {
    // Support takes far longer than the SLA this time.
    emulator.control.setAutopilot({ support: { transferBusinessHours: 40 } } as never);
    const planned = await planTransfer(t, token, input());
    const id = planned.workflow?.id as string;
    const state0 = await transferState(t, token, id);
    await t.gql(SIGN, {
      token,
      variables: {
        input: {
          transferId: id,
          party: 'CURRENT_PARTNER',
          signerName: 'Aoife Byrne',
          signerEmail: 'aoife.byrne@contoso.example',
        },
      },
    });
    for (const link of state0.form.signingLinks) {
      await signWithLink(onServer(t, link.url), {
        signerName: `Signer ${link.party}`,
        signerEmail: `${link.party.toLowerCase()}@x.example`,
      });
    }
    await t.gql(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
      { token, variables: { id } },
    );
    await t.app.runner.drain();
    let state: TransferState = await transferState(t, token, id);
    expect(state.responseDueAt).toBe('2026-01-05T17:00:00.000Z');
    await emulator.clock.set('2026-01-05T16:59:00.000Z');
    await t.app.runner.drain();
    expect((await transferState(t, token, id)).overdue).toBe(false);
    await emulator.clock.set('2026-01-05T17:00:00.000Z');
    await t.app.runner.drain();
    state = await transferState(t, token, id);
    expect(state.overdue, JSON.stringify(state.events.edges.map((e) => e.node.message))).toBe(true);
    expect(state.events.edges.map((e) => e.node.type)).toContain('OVERDUE');
    expect(state.status).toBe('WAITING');
  });
});

import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import {
  emulatorDirectorySource,
  type DirectorySource,
} from '../../server/modules/organizations/directory-source.js';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { PC_BASE_URL, startTestApp, type TestApp } from '../support/app.js';
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
} from '../support/transfer.js';

// What people do to a running transfer besides signing (issue 5): confirm a manual clean-up,
// reissue a signing link, cancel (the ticket closes), and the new partner's live view.

const CONFIRM = /* GraphQL */ `
  mutation Confirm($input: ConfirmTransferCleanupInput!) {
    confirmTransferCleanup(input: $input) {
      userErrors {
        code
        field
      }
      workflow {
        id
        status
      }
    }
  }
`;

const REISSUE = /* GraphQL */ `
  mutation Reissue($input: ReissueSigningLinkInput!) {
    reissueSigningLink(input: $input) {
      userErrors {
        code
        field
      }
      signingLink {
        party
        url
        expiresAt
        used
      }
      workflow {
        id
      }
    }
  }
`;

const CANCEL =
  'mutation($id: ID!) { cancelWorkflow(input: { id: $id }) { userErrors { code message } workflow { status } } }';
const START = 'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }';

interface Setup {
  emulator: Emulator;
  t: TestApp;
  demo: DemoTransfer;
  token: string;
}

const apps: TestApp[] = [];
const sockets: Client[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((c) => c.dispose()));
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setup(
  options: {
    env?: Record<string, string>;
    /** Serve only these organizations (the new partner then is "not served here"). */
    directory?: (emulator: Emulator) => DirectorySource;
  } = {},
): Promise<Setup> {
  const emulator = createEmulator({ scenario: 'demo', seed: 7 });
  const t = await startTestApp({
    emulator,
    clock: clockFrom(emulator.clock),
    env: { WORKFLOW_RUNNER: 'off', ...options.env },
    runner: { retryBaseMs: 1, retryMaxMs: 5 },
    ...(options.directory ? { directory: options.directory(emulator) } : {}),
  });
  apps.push(t);
  const demo = await demoTransfer(emulator);
  return { emulator, t, demo, token: await t.token(demo.organizationId) };
}

async function plan({ t, demo, token }: Setup): Promise<string> {
  const planned = await planTransfer(t, token, {
    subscriptionId: demo.subscriptionGid,
    newPartnerTenantId: demo.target.tenantId,
    newPartnerMpnId: demo.target.mpnId,
    customerRequestReceivedAt: '2026-01-02T10:00:00Z',
    partnerAdmins: ADMINS,
    // R-TRF-5 when the new partner is not served here (ignored when it is: Partner Center says).
    newPartnerAgreementConfirmed: true,
  });
  expect(planned.userErrors).toEqual([]);
  return planned.workflow?.id as string;
}

/** Three signatures (ours through the API, the others through their links), then start. */
async function signAndStart(s: Setup, id: string): Promise<void> {
  const { t, token } = s;
  const state = await transferState(t, token, id);
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
  for (const link of state.form.signingLinks) {
    const res = await signWithLink(link.url, {
      signerName: `Signer ${link.party}`,
      signerEmail: `${link.party.toLowerCase()}@signers.example`,
    });
    expect(res.status).toBe(200);
  }
  const started = await t.gql<{ startWorkflow: { userErrors: unknown[] } }>(START, {
    token,
    variables: { id },
  });
  expect(started.body.data?.startWorkflow.userErrors).toEqual([]);
}

async function armAssignments(s: Setup, tenantId: string) {
  const azureId = s.demo.subscription.entitlementId ?? s.demo.subscription.id;
  const res = await s.emulator.fetch(
    `https://management.azure.com/subscriptions/${azureId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
    { headers: { authorization: `Bearer ${s.emulator.tokenFor(tenantId)}` } },
  );
  return (
    (await res.json()) as { value: Array<{ id: string; properties: { principalId: string } }> }
  ).value;
}

describe('Azure subscription transfer: actions on a running transfer', () => {
  it('a new partner not served here: the transfer waits with exactly the role assignments to remove until an admin of the owner confirms', async () => {
    const s = await setup({
      directory: (emulator) => {
        const all = emulatorDirectorySource({ emulatorUrl: PC_BASE_URL, fetch: emulator.fetch });
        return {
          kind: 'emulator',
          load: async () => (await all.load()).filter((o) => !/fabrikam/i.test(o.name)),
        };
      },
    });
    const { t, token, emulator, demo } = s;
    const id = await plan(s);
    expect((await transferState(t, token, id)).pendingChecks[0]).toContain('R-TRF-6');
    await signAndStart(s, id);
    await t.app.runner.drain();

    const confirm = (as: string) =>
      t.gql<{
        confirmTransferCleanup: {
          userErrors: Array<{ code: string; field: string[] }>;
          workflow: { status: string } | null;
        };
      }>(CONFIRM, { token: as, variables: { input: { transferId: id } } });
    // Too early: support has not moved anything yet.
    expect((await confirm(token)).body.data?.confirmTransferCleanup.userErrors).toEqual([
      { code: 'NOT_WAITING_FOR_CLEANUP', field: ['input', 'transferId'] },
    ]);

    await playUntil(t, emulator, async () => {
      const state = await transferState(t, token, id);
      return state.state === 'CLEANUP_MANUAL' || ['COMPLETED', 'FAILED'].includes(state.status);
    });
    let state = await transferState(t, token, id);
    expect(state.status).toBe('WAITING');
    expect(state.state).toBe('CLEANUP_MANUAL');
    // Exactly the old partner's assignments Azure still lists, nothing of the new partner's.
    const old = (await armAssignments(s, demo.current.tenantId)).filter(
      (a) => a.properties.principalId === demo.current.adminAgentsGroupId,
    );
    expect(old.length).toBeGreaterThan(0);
    expect([...state.roleAssignmentsToRemove].sort()).toEqual(old.map((a) => a.id).sort());
    const blocker = state.blockers.find((b) => b.code === 'MANUAL_CLEANUP_REQUIRED');
    for (const a of old) {
      expect(blocker?.message).toContain(a.id);
    }
    // Still waiting a day later: nobody removed them.
    await playUntil(t, emulator, async () => false, { step: 'PT6H', maxSteps: 4 });
    expect((await transferState(t, token, id)).state).toBe('CLEANUP_MANUAL');

    // Only GLOBAL_ADMIN/ADMIN_AGENT of the owning organization may confirm.
    const sales = await t.token(demo.organizationId, [PartnerRole.SALES_AGENT]);
    expect((await confirm(sales)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await confirm(await t.token(demo.fabrikamOrganizationId))).body.data?.confirmTransferCleanup
        .userErrors[0]?.code,
    ).toBe('NOT_FOUND');

    const confirmed = await confirm(token);
    expect(confirmed.body.data?.confirmTransferCleanup.userErrors).toEqual([]);
    await t.app.runner.drain();
    state = await transferState(t, token, id);
    expect(state.status).toBe('COMPLETED');
    expect(state.state).toBe('DONE');
    expect(state.roleAssignmentsToRemove).toEqual([]);
    expect(state.blockers.map((b) => b.code)).not.toContain('MANUAL_CLEANUP_REQUIRED');
    const types = state.events.edges.map((e) => e.node.type);
    expect(types.indexOf('CLEANUP_CONFIRMED')).toBeLessThan(types.indexOf('CLEANED_UP'));
    // Confirming again changes nothing.
    expect((await confirm(token)).body.data?.confirmTransferCleanup).toEqual({
      userErrors: [],
      workflow: { id, status: 'COMPLETED' },
    });
    const activity = await t.gql<{
      activityLog: { edges: Array<{ node: { operation: string } }> };
    }>(
      'query($f: ActivityLogFilter) { activityLog(filter: $f, first: 100) { edges { node { operation } } } }',
      { token, variables: { f: { workflowId: id } } },
    );
    expect(
      activity.body.data?.activityLog.edges.filter(
        (e) => e.node.operation === 'confirm_transfer_cleanup',
      ),
    ).toHaveLength(1);
  });

  it('canceling after the form was attached closes the ticket once; once support moved the subscription, cancel is refused', async () => {
    const s = await setup();
    const { t, token, emulator, demo } = s;
    // Support takes a week: the partner withdraws before it acts.
    emulator.control.setAutopilot({ support: { transferBusinessHours: 40 } } as never);
    const id = await plan(s);
    await signAndStart(s, id);
    await t.app.runner.drain();
    let state = await transferState(t, token, id);
    expect(state.state).toBe('FORM_ATTACHED');
    const srId = state.serviceRequestId as string;

    const canceled = await t.gql<{
      cancelWorkflow: { userErrors: unknown[]; workflow: { status: string } };
    }>(CANCEL, { token, variables: { id } });
    expect(canceled.body.data?.cancelWorkflow).toEqual({
      userErrors: [],
      workflow: { status: 'CANCELED' },
    });
    emulator.control.clearRequests();
    await t.app.runner.drain();
    await t.app.runner.drain();
    await emulator.clock.advance('PT2H');
    await t.app.runner.drain();
    const patches = emulator.control
      .requests()
      .filter((r) => r.method === 'PATCH' && r.path.includes(`/servicerequests/${srId}`));
    expect(patches.map((r) => r.status)).toEqual([200]);
    const sr = await pcGet<{ status: string; notes: Array<{ text: string }> }>(
      emulator,
      demo.current.tenantId,
      `/servicerequests/${srId}`,
    );
    expect(sr.body.status).toBe('closed');
    expect(sr.body.notes.at(-1)?.text).toContain('canceled this transfer request');
    state = await transferState(t, token, id);
    expect(state.events.edges.filter((e) => e.node.type === 'TICKET_CLOSED')).toHaveLength(1);
    // Support never moves a withdrawn transfer.
    await emulator.clock.advance('P7D');
    const ours = await pcGet<PcSub>(
      emulator,
      demo.current.tenantId,
      `/customers/${demo.customerTenantId}/subscriptions/${demo.subscription.id}`,
    );
    expect(ours.body.status).toBe('active');

    // A second request for the same subscription: support moves it before our next look.
    const second = await plan(s);
    await signAndStart(s, second);
    await t.app.runner.drain();
    const secondSr = (await transferState(t, token, second)).serviceRequestId as string;
    expect(emulator.control.resolveServiceRequest(secondSr).status).toBe('closed');
    const refused = await t.gql<{
      cancelWorkflow: { userErrors: Array<{ code: string; message: string }> };
    }>(CANCEL, { token, variables: { id: second } });
    expect(refused.body.data?.cancelWorkflow.userErrors[0]?.code).toBe('IRREVERSIBLE');
    expect(refused.body.data?.cancelWorkflow.userErrors[0]?.message).toContain('already moved');
    // It runs to completion on its next look.
    await playUntil(
      t,
      emulator,
      async () => (await transferState(t, token, second)).status === 'COMPLETED',
      { maxSteps: 3 },
    );
    expect((await transferState(t, token, second)).status).toBe('COMPLETED');
  });

  it('reissues a signing link: the old one stops working, the new one signs, admins of the owner only', async () => {
    const s = await setup({ env: { TRANSFER_SIGNING_LINK_TTL: 'P3D' } });
    const { t, token, emulator, demo } = s;
    const id = await plan(s);
    const before = await transferState(t, token, id);
    const oldCustomer = before.form.signingLinks.find((l) => l.party === 'CUSTOMER')!;
    // TRANSFER_SIGNING_LINK_TTL: links live 3 days here.
    expect(oldCustomer.expiresAt).toBe('2026-01-08T08:00:00.000Z');

    type Reissued = {
      reissueSigningLink: {
        userErrors: Array<{ code: string; field: string[] }>;
        signingLink: { party: string; url: string; expiresAt: string; used: boolean } | null;
      };
    };
    const reissue = (as: string, party: string) =>
      t.gql<Reissued>(REISSUE, { token: as, variables: { input: { transferId: id, party } } });

    await emulator.clock.advance('P4D');
    expect((await fetch(oldCustomer.url)).status).toBe(410); // expired
    const fresh = (await reissue(token, 'CUSTOMER')).body.data?.reissueSigningLink;
    expect(fresh?.userErrors).toEqual([]);
    expect(fresh?.signingLink).toMatchObject({
      party: 'CUSTOMER',
      used: false,
      expiresAt: '2026-01-12T08:00:00.000Z',
    });
    const url = fresh?.signingLink?.url as string;
    expect(url).not.toBe(oldCustomer.url);
    // The old link is gone for good; the form lists the new one.
    expect((await fetch(oldCustomer.url)).status).toBe(404);
    const listed = (await transferState(t, token, id)).form.signingLinks;
    expect(listed.find((l) => l.party === 'CUSTOMER')?.url).toBe(url);

    // Reissuing again (a lost link) replaces it again.
    const again = (await reissue(token, 'CUSTOMER')).body.data?.reissueSigningLink;
    expect((await fetch(url)).status).toBe(404);
    const latest = again?.signingLink?.url as string;
    expect(
      await signWithLink(latest, {
        signerName: 'Niamh Oak',
        signerEmail: 'niamh@oakstone.example',
      }),
    ).toMatchObject({ status: 200, body: { signed: true, party: 'CUSTOMER' } });

    const codes = async (as: string, party: string) =>
      (await reissue(as, party)).body.data?.reissueSigningLink.userErrors.map((e) => e.code);
    expect(await codes(token, 'CUSTOMER')).toEqual(['ALREADY_SIGNED']);
    expect(await codes(token, 'CURRENT_PARTNER')).toEqual(['NO_SIGNING_LINK']);
    expect(await codes(await t.token(demo.fabrikamOrganizationId), 'NEW_PARTNER')).toEqual([
      'READ_ONLY',
    ]);
    expect(await codes(await t.token('no-such-organization'), 'NEW_PARTNER')).toEqual([
      'NOT_FOUND',
    ]);
    const sales = await t.token(demo.organizationId, [PartnerRole.SALES_AGENT]);
    expect((await reissue(sales, 'NEW_PARTNER')).body.errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    // Canceled: nothing more to sign.
    await t.gql(CANCEL, { token, variables: { id } });
    expect(await codes(token, 'NEW_PARTNER')).toEqual(['NOT_SIGNABLE']);
  });

  it('TRANSFER_HOLIDAYS moves the 8-business-hour deadline past a holiday of the partner country', async () => {
    const s = await setup({ env: { TRANSFER_HOLIDAYS: 'IE:2026-01-05,FR:2026-01-06' } });
    const id = await plan(s);
    await signAndStart(s, id);
    await s.t.app.runner.drain();
    // Attached Monday 08:00 in Ireland; Monday is an Irish holiday, so the 8 hours run Tuesday.
    expect((await transferState(s.t, s.token, id)).responseDueAt).toBe('2026-01-06T17:00:00.000Z');
  });

  it("without the new partner's Admin Agents group in the directory, the clean-up fails and leaves the old access in place", async () => {
    const s = await setup({
      directory: (emulator) => {
        const all = emulatorDirectorySource({ emulatorUrl: PC_BASE_URL, fetch: emulator.fetch });
        return {
          kind: 'emulator',
          load: async () =>
            (await all.load()).map((o) => ({
              ...o,
              tenants: o.tenants.map((t) =>
                /fabrikam/i.test(o.name) ? { ...t, adminAgentsGroupId: null } : t,
              ),
            })),
        };
      },
    });
    const { t, token, emulator, demo } = s;
    const id = await plan(s);
    await signAndStart(s, id);
    await playUntil(t, emulator, async () =>
      ['COMPLETED', 'FAILED'].includes((await transferState(t, token, id)).status),
    );
    const state = await transferState(t, token, id);
    expect(state.status).toBe('FAILED');
    expect(state.waitingReason).toContain('adminAgentsGroupId');
    const left = await armAssignments(s, demo.target.tenantId);
    expect(left.some((a) => a.properties.principalId === demo.current.adminAgentsGroupId)).toBe(
      true,
    );
  });

  it("pushes workflowUpdated to the new partner's organization for the incoming transfer, not to others", async () => {
    const s = await setup();
    const { t, token, demo } = s;
    const id = await plan(s);
    const ws = (as: string) => {
      const client = createClient({
        url: t.http.graphqlUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${as}` },
        retryAttempts: 0,
      });
      sockets.push(client);
      const received: Array<{ id: string; direction: string }> = [];
      client.subscribe<{ workflowUpdated: { id: string; direction: string } }>(
        {
          query:
            'subscription($id: ID!) { workflowUpdated(id: $id) { id ... on SubscriptionTransfer { direction } } }',
          variables: { id },
        },
        {
          next: (value) => {
            if (value.data) {
              received.push(value.data.workflowUpdated);
            }
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
      return received;
    };
    const incoming = ws(await t.token(demo.fabrikamOrganizationId));
    const outgoing = ws(token);
    const stranger = ws(await t.token('another-organization'));
    await new Promise((r) => setTimeout(r, 200)); // subscriptions registered
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
    for (let i = 0; i < 50 && (incoming.length === 0 || outgoing.length === 0); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(incoming).toEqual([{ id, direction: 'INCOMING' }]);
    expect(outgoing).toEqual([{ id, direction: 'OUTGOING' }]);
    expect(stranger).toEqual([]);
  });
});

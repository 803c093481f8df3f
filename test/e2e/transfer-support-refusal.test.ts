import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { emulatorDirectorySource } from '../../server/modules/organizations/directory-source.js';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { playUntil } from '../support/consolidation.js';
import {
  ADMINS,
  SIGN,
  demoTransfer,
  planTransfer,
  signWithLink,
  transferState,
  type DemoTransfer,
} from '../support/transfer.js';

// Issue 16 item 11: when Microsoft support refuses a transfer or asks for something, the workflow
// shows support's answer as a blocker instead of waiting in silence. The new partner (Nordwind) is
// not served here, so R-TRF-6 is a pending check at planning and only support can refuse it.

const PC = 'https://api.partnercenter.microsoft.com';
const onServer = (t: TestApp, url: string) => {
  const u = new URL(url);
  return `${t.http.url}${u.pathname}${u.search}`;
};

describe('a transfer that support refuses', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let demo: DemoTransfer;
  let nordwind: ReturnType<Emulator['control']['partners']>[number];

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    nordwind = emulator.control.partners().find((p) => /nordwind/i.test(p.name))!;
    const all = emulatorDirectorySource({ emulatorUrl: PC, fetch: emulator.fetch });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
      directory: {
        kind: 'emulator',
        load: async () => (await all.load()).filter((o) => o.id !== nordwind.organizationId),
      },
    });
    demo = await demoTransfer(emulator);
    token = await t.token(demo.organizationId);
  });

  afterEach(async () => {
    await t.close();
  });

  it("shows support's refusal (R-TRF-6) as a blocker with support's text", async () => {
    const planned = await planTransfer(t, token, {
      subscriptionId: demo.subscriptionGid,
      newPartnerTenantId: nordwind.tenantId,
      newPartnerMpnId: nordwind.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      customerRequestReference: 'letter 2026-004',
      partnerAdmins: ADMINS,
      newPartnerAgreementConfirmed: true,
    });
    expect(planned.userErrors).toEqual([]);
    expect(planned.workflow?.blockers).toEqual([]);
    const id = planned.workflow?.id as string;
    let state = await transferState(t, token, id);
    expect(state.pendingChecks.join(' ')).toContain('R-TRF-6');
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
      const res = await signWithLink(onServer(t, link.url), {
        signerName: `Signer ${link.party}`,
        signerEmail: `${link.party.toLowerCase()}@example.com`,
      });
      expect(res.status).toBe(200);
    }
    const started = await t.gql<{ startWorkflow: { userErrors: unknown[] } }>(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
      { token, variables: { id } },
    );
    expect(started.body.data?.startWorkflow.userErrors).toEqual([]);
    await t.app.runner.drain();
    await playUntil(t, emulator, async () => {
      const s = await transferState(t, token, id);
      return s.blockers.length > 0 || ['COMPLETED', 'FAILED'].includes(s.status);
    });
    state = await transferState(t, token, id);
    const blocker = state.blockers.find((b) => b.code === 'SUPPORT_NEEDS_ATTENTION');
    expect(blocker?.message, JSON.stringify(state)).toContain(
      `Microsoft support on service request ${state.serviceRequestId}:`,
    );
    expect(blocker?.message).toContain(
      'Nordwind IT Services GmbH has no reseller relationship with the customer (R-TRF-6)',
    );
    expect(state.state).toBe('FORM_ATTACHED');
    expect(state.waitingReason ?? '').not.toContain('waiting for the transfer to complete');
  });
});

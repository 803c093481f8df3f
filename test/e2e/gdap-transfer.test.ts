import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { clockFrom } from '../../server/shared/clock.js';
import { gqlData, playUntil, startTestApp, type TestApp } from '../support/app.js';
import {
  GDAP_STEP_FIELDS,
  type GdapStepView,
  grantGdap,
  relationshipsWith,
  ROLE_IDS,
} from '../support/gdap.js';
import {
  ADMINS,
  SIGN,
  demoTransfer,
  planTransfer,
  signWithLink,
  transferState,
  type DemoTransfer,
} from '../support/transfer.js';

const GDAP = /* GraphQL */ `
  query($id: ID!) { node(id: $id) { ... on SubscriptionTransfer { status ${GDAP_STEP_FIELDS} } } }
`;

const onServer = (t: TestApp, url: string) => {
  const u = new URL(url);
  return `${t.http.url}${u.pathname}${u.search}`;
};

// R-TRF-6/8 with GDAP, when the new partner (Fabrikam, a second organization of the demo) is
// served here: its GDAP request goes out before the ticket, its access is verified before the
// clean-up.
describe('GDAP for the new partner of a transfer (R-TRF-6/8)', () => {
  let emulator: Emulator;
  let t: TestApp;
  let token: string;
  let demo: DemoTransfer;

  beforeEach(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    emulator.control.gdap.setSettings({ requireGdap: true });
    t = await startTestApp({
      emulator,
      clock: clockFrom(emulator.clock),
      env: { WORKFLOW_RUNNER: 'off', GDAP: 'required' },
      runner: { retryBaseMs: 1, retryMaxMs: 5 },
    });
    demo = await demoTransfer(emulator);
    token = await t.token(demo.organizationId);
    // The current partner files the support ticket: it needs GDAP with a support role.
    await grantGdap(emulator, demo.current.tenantId, demo.customerTenantId, {
      roles: [ROLE_IDS.serviceSupportAdministrator, ROLE_IDS.licenseAdministrator],
      displayName: 'Current partner GDAP',
    });
  });

  afterEach(async () => {
    await t.close();
  });

  const gdapOf = async (id: string) =>
    (
      await gqlData<{ node: { status: string; gdap: GdapStepView | null } }>(t, GDAP, {
        token,
        variables: { id },
      })
    )?.node;

  it('creates the new partner’s relationship, waits for approval and assigns access before the clean-up', async () => {
    const planned = await planTransfer(t, token, {
      subscriptionId: demo.subscriptionGid,
      newPartnerTenantId: demo.target.tenantId,
      newPartnerMpnId: demo.target.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      partnerAdmins: ADMINS,
    });
    expect(planned.userErrors).toEqual([]);
    const id = planned.workflow?.id as string;
    expect((await gdapOf(id))?.gdap).toMatchObject({
      action: 'CREATE',
      phase: 'PLANNED',
      partnerTenantId: demo.target.tenantId,
    });
    const state = await transferState(t, token, id);
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
    for (const link of state.form.signingLinks) {
      await signWithLink(onServer(t, link.url), {
        signerName: link.party === 'CUSTOMER' ? 'Niamh Oak' : 'Tom Walsh',
        signerEmail:
          link.party === 'CUSTOMER' ? 'niamh@oakstone.example' : 'tom.walsh@fabrikam.example',
      });
    }
    await t.gql(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code } } }',
      {
        token,
        variables: { id },
      },
    );
    await t.app.runner.drain();
    const asked = await gdapOf(id);
    expect(asked?.gdap?.phase).toBe('REQUESTED');
    expect(asked?.gdap?.approvalUrl).toContain('granularAdminRelationships/');
    // The ticket was opened meanwhile: GDAP does not hold up the transfer itself.
    expect((await transferState(t, token, id)).serviceRequestId).toBeTruthy();

    await playUntil(t, emulator, async () =>
      ['COMPLETED', 'FAILED'].includes((await gdapOf(id))?.status ?? ''),
    );
    const done = await transferState(t, token, id);
    expect(done.status, JSON.stringify(done.events.edges.map((e) => e.node.message))).toBe(
      'COMPLETED',
    );
    const gdap = (await gdapOf(id))?.gdap;
    expect(gdap?.phase).toBe('ACTIVE');
    expect(gdap?.assignments).toEqual([
      expect.objectContaining({
        securityGroupId: demo.target.adminAgentsGroupId,
        status: 'active',
      }),
    ]);
    const types = done.events.edges.map((e) => e.node.type);
    expect(types.indexOf('GDAP_ACTIVE')).toBeGreaterThan(types.indexOf('TRANSFERRED'));
    expect(types.indexOf('CLEANED_UP')).toBeGreaterThan(types.indexOf('GDAP_ACTIVE'));
    const rels = await relationshipsWith(emulator, demo.target.tenantId, demo.customerTenantId);
    expect(rels.filter((r) => r.status === 'active').map((r) => r.id)).toEqual([
      gdap?.relationshipId,
    ]);
  });
});

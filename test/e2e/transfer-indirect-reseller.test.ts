import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { clockFrom } from '../../server/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { ADMINS, demoTransfer, planTransfer, type DemoTransfer } from '../support/transfer.js';

// Issue 16 item 11: a transfer that Microsoft support would refuse (R-TRF-6: an indirect reseller
// has no reseller relationship of its own) is a blocker at planning, with the way out.

describe('a transfer to an indirect reseller', () => {
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

  it('to an indirect reseller (Nordwind) is blocked at planning, offering its indirect provider (R-TRF-6)', async () => {
    // Bergmann buys through Contoso Deutschland (indirect provider) with Nordwind as reseller.
    const bergmann = await demoTransfer(emulator, 'two-resellers');
    const bergmannToken = await t.token(bergmann.organizationId);
    const partners = emulator.control.partners();
    const nordwind = partners.find((p) => /nordwind/i.test(p.name))!;
    const provider = partners.find((p) => p.tenantId === bergmann.current.tenantId)!;
    expect(nordwind.kind).toBe('indirect_reseller');
    const planned = await planTransfer(t, bergmannToken, {
      subscriptionId: bergmann.subscriptionGid,
      newPartnerTenantId: nordwind.tenantId,
      newPartnerMpnId: nordwind.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      customerRequestReference: 'letter 2026-002',
      partnerAdmins: ADMINS,
    });
    expect(planned.userErrors).toEqual([]);
    const blocker = planned.workflow?.blockers.find(
      (b) => b.code === 'NEW_PARTNER_IS_INDIRECT_RESELLER',
    );
    expect(blocker?.message).toContain('Nordwind IT Services GmbH is an indirect reseller');
    expect(blocker?.message).toContain(`${provider.name} (tenant ${provider.tenantId}`);
    expect(blocker?.message).toContain('with Nordwind IT Services GmbH as the partner of record');
    // The same customer to a partner with a reseller relationship of its own has no such blocker.
    const other = await planTransfer(t, token, {
      subscriptionId: demo.subscriptionGid,
      newPartnerTenantId: demo.target.tenantId,
      newPartnerMpnId: demo.target.mpnId,
      customerRequestReceivedAt: '2026-01-02T10:00:00Z',
      customerRequestReference: 'letter 2026-003',
      partnerAdmins: ADMINS,
    });
    expect(other.workflow?.blockers).toEqual([]);
    // A blocked plan cannot start: nothing reaches support.
    const started = await t.gql<{ startWorkflow: { userErrors: Array<{ code: string }> } }>(
      'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }',
      { token: bergmannToken, variables: { id: planned.workflow?.id } },
    );
    expect(started.body.data?.startWorkflow.userErrors[0]?.code).toBe('BLOCKED');
  });
});

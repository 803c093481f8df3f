import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, startEmulatorServer, type Emulator } from 'partner-center-emulator';
import { type TestApp } from '../support/app.js';
import { PLAN_AZURE, azureState, demoCustomer } from '../support/azure-plan.js';
import { channelMoveState, planChannelMove } from '../support/channel-move.js';
import { startWorkflow } from '../support/operations.js';
import { freePort, replicaClient, startReplica, type Replica } from '../support/replicas.js';
import {
  ADMINS,
  SIGN,
  demoTransfer,
  planTransfer,
  signWithLink,
  transferState,
} from '../support/transfer.js';

// Issue 16 item 7: the documented multi-replica set-up (`EMULATOR=off EMULATOR_URL=…`): a server
// process whose Partner Center, partner directory, token issuer (Partner Center and ARM) and clock
// are a standalone emulator over HTTP. The transfer (support ticket, signed form, ARM clean-up),
// the Azure plan transition and the channel move each run to their end state. Before the fix the
// transfer stalled at TICKET_OPENED with "STEP_ERROR: fetch failed" (ARM token asked of Entra ID).
// SQLite in a temporary directory: no PostgreSQL needed.

const SECRET = 'standalone-test-secret-0123456789abcdef';

/** Waits until the emulator has seen no request for `quietMs` (the server has done what is due). */
async function quiescence(emulator: Emulator, quietMs = 300, maxMs = 15_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const seq = emulator.control.requests({ limit: 1 }).at(-1)?.seq ?? 0;
    if (seq !== last) {
      last = seq;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the procedures against a standalone emulator over HTTP (EMULATOR=off EMULATOR_URL=…)', () => {
  let emulator: Emulator;
  let server: { url: string; close(): Promise<void> };
  let replica: Replica;
  let client: TestApp;
  let dir: string;

  beforeAll(async () => {
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    server = await startEmulatorServer(emulator, { port: await freePort(), host: '127.0.0.1' });
    dir = mkdtempSync(join(tmpdir(), 'standalone-'));
    replica = await startReplica('standalone', await freePort(), {
      NODE_ENV: 'test',
      EMULATOR: 'off',
      EMULATOR_URL: server.url,
      DATABASE_URL: join(dir, 'app.db'),
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
    });
    client = replicaClient(replica, SECRET) as unknown as TestApp;
  }, 120_000);

  afterAll(async () => {
    await replica?.stop();
    await server?.close();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Advances the emulator's clock by `step` until `done` (the server follows the clock over HTTP). */
  async function playUntil(done: () => Promise<boolean>, step = 'PT2H', maxSteps = 120) {
    for (let i = 0; i < maxSteps; i++) {
      await quiescence(emulator);
      if (await done()) {
        return;
      }
      await emulator.clock.advance(step);
    }
  }

  const onReplica = (url: string) => {
    const u = new URL(url);
    return `${replica.url}${u.pathname}${u.search}`;
  };

  it(
    'runs a transfer, an Azure plan transition and a channel move to their end states',
    { timeout: 300_000 },
    async () => {
      // --- transfer (R-TRF-*): Oak & Stone's legacy Azure from Contoso Europe to Fabrikam UK.
      const demo = await demoTransfer(emulator);
      const trfToken = await client.token(demo.organizationId);
      const planned = await planTransfer(client, trfToken, {
        subscriptionId: demo.subscriptionGid,
        newPartnerTenantId: demo.target.tenantId,
        newPartnerMpnId: demo.target.mpnId,
        customerRequestReceivedAt: '2026-01-02T10:00:00Z',
        partnerAdmins: ADMINS,
        newPartnerContact: { name: 'Tom Walsh', email: 'tom.walsh@fabrikam.example' },
      });
      expect(planned.userErrors).toEqual([]);
      expect(planned.workflow?.blockers).toEqual([]);
      const trfId = planned.workflow!.id;
      const signed = await client.gql<{ signTransferForm: { userErrors: unknown[] } }>(SIGN, {
        token: trfToken,
        variables: {
          input: {
            workflowId: trfId,
            party: 'CURRENT_PARTNER',
            signerName: 'Aoife Byrne',
            signerEmail: 'aoife.byrne@contoso.example',
          },
        },
      });
      expect(signed.body.data?.signTransferForm.userErrors).toEqual([]);
      for (const link of (await transferState(client, trfToken, trfId)).form.signingLinks) {
        const res = await signWithLink(onReplica(link.url), {
          signerName: `Signer ${link.party}`,
          signerEmail: `${link.party.toLowerCase()}@signers.example`,
        });
        expect(res.status).toBe(200);
      }
      expect((await startWorkflow(client, trfToken, trfId)).userErrors).toEqual([]);

      // --- Azure plan transition (R-AZP-*): Alpine Foods, direct customer.
      const central = emulator.control.partners().find((p) => p.labels.includes('central'));
      const azpToken = await client.token(central!.organizationId);
      const alpine = demoCustomer(emulator, { name: 'Alpine Foods' });
      const azp = await client.gql<{
        planAzurePlanTransition: { userErrors: unknown[]; workflow: { id: string } | null };
      }>(PLAN_AZURE, {
        token: azpToken,
        variables: {
          input: { customerId: alpine.gid, budget: { amount: '5000', currency: 'EUR' } },
        },
      });
      expect(azp.body.data?.planAzurePlanTransition.userErrors).toEqual([]);
      const azpId = azp.body.data!.planAzurePlanTransition.workflow!.id;
      expect((await startWorkflow(client, azpToken, azpId)).userErrors).toEqual([]);

      // --- channel move (R-CHN-*): a prospect in the French tenant's region, one line.
      const partners = emulator.control.partners();
      const fr = partners.find((p) => p.country === 'FR' && p.labels.includes('regional'))!;
      const chnToken = await client.token(fr.organizationId);
      const tenants = await client.gql<{
        viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
      }>('{ viewer { organization { partnerTenants { id tenantId } } } }', { token: chnToken });
      const frGid = tenants.body.data!.viewer.organization.partnerTenants.find(
        (p) => p.tenantId === fr.tenantId,
      )!.id;
      const prospect = emulator.control
        .customers()
        .find((c) => c.labels.includes('prospect-in-region'))!;
      const e3 = emulator.control.offers().find((o) => o.alias === 'office365-e3')!;
      const chn = await planChannelMove(client, chnToken, {
        partnerTenantId: frGid,
        customerTenantId: prospect.tenantId,
        customerCountry: prospect.country,
        sourceChannel: 'OTHER_PARTNER',
        licenses: [{ offerId: e3.id, seats: 7, expiresOn: '2026-01-09' }],
      });
      expect(chn.userErrors).toEqual([]);
      const chnId = chn.workflow!.id;
      expect((await startWorkflow(client, chnToken, chnId)).userErrors).toEqual([]);

      const statuses = async () => ({
        transfer: (await transferState(client, trfToken, trfId)).status,
        azurePlan: (await azureState(client, azpToken, azpId)).status,
        channelMove: (await channelMoveState(client, chnToken, chnId)).status,
      });
      const ended = (s: string) => ['COMPLETED', 'FAILED', 'CANCELED'].includes(s);
      await playUntil(async () => Object.values(await statuses()).every(ended));

      const transfer = await transferState(client, trfToken, trfId);
      expect(
        { status: transfer.status, state: transfer.state, reason: transfer.waitingReason },
        replica.output(),
      ).toMatchObject({ status: 'COMPLETED', state: 'DONE' });
      expect(transfer.newSubscriptionId).toBeTruthy();
      expect(transfer.removedRoleAssignments.length).toBeGreaterThan(0);
      const azure = await azureState(client, azpToken, azpId);
      expect(azure.status, JSON.stringify(azure.events.edges.slice(-5))).toBe('COMPLETED');
      const move = await channelMoveState(client, chnToken, chnId);
      expect(move.status, JSON.stringify(move.lines)).toBe('COMPLETED');
      expect(move.lines.map((l) => l.state)).toEqual(['DONE']);

      // Every call went to the standalone emulator over HTTP, ARM included (issue 16 item 7).
      const journal = emulator.control.requests({});
      expect(
        journal.some((r) => r.path.startsWith('/arm/') || /roleAssignments/i.test(r.path)),
      ).toBe(true);
      expect(replica.output()).not.toMatch(/fetch failed/);
    },
  );
});

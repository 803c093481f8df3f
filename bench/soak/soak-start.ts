import { type Emulator } from 'partner-center-emulator';
import { encodeId } from '../../server/shared/ids.js';
import { type TestApp } from '../../test/support/app.js';
import { PLAN_CONSOLIDATION } from '../../test/support/consolidation.js';
import { ADMINS, demoTransfer, SIGN, TRANSFER_STATE } from '../../test/support/transfer.js';
import { gqlData } from './soak-graphql.js';
import { type Started } from './soak.types.js';

const START =
  'mutation($id: ID!) { startWorkflow(input: { id: $id }) { userErrors { code message } } }';

/** Plans and starts one workflow of each kind on customers that do not collide. */
export async function startAll(
  t: TestApp,
  emulator: Emulator,
  log: (line: string) => void,
): Promise<Started[]> {
  const partners = emulator.control.partners();
  const customers = emulator.control.customers();
  const central = partners.find((p) => p.labels.includes('central'));
  if (!central) {
    throw new Error('soak: the demo has no central tenant');
  }
  const token = await t.token(central.organizationId);
  const tenants = (
    await gqlData<{
      viewer: { organization: { partnerTenants: Array<{ id: string; tenantId: string }> } };
    }>(t, '{ viewer { organization { partnerTenants { id tenantId } } } }', token, {})
  ).viewer.organization.partnerTenants;
  const gidOf = (tenantId: string) => tenants.find((x) => x.tenantId === tenantId)?.id as string;
  const startedList: Started[] = [];
  const start = async (kind: Started['kind'], id: string, as = token) => {
    const res = await gqlData<{ startWorkflow: { userErrors: Array<{ code: string }> } }>(
      t,
      START,
      as,
      { id },
    );
    if (res.startWorkflow.userErrors.length > 0) {
      throw new Error(`soak: start ${kind}: ${JSON.stringify(res.startWorkflow.userErrors)}`);
    }
    startedList.push({ kind, id, token: as });
  };

  // 1. Subscription transfer (Oak & Stone's legacy Azure to Fabrikam), signed by all three parties.
  const transfer = await demoTransfer(emulator);
  const transferToken = await t.token(transfer.organizationId);
  const plannedTransfer = await gqlData<{
    planSubscriptionTransfer: { workflow: { id: string } | null; userErrors: unknown[] };
  }>(
    t,
    `mutation($input: PlanSubscriptionTransferInput!) { planSubscriptionTransfer(input: $input) { userErrors { code message } workflow { id } } }`,
    transferToken,
    {
      input: {
        subscriptionId: transfer.subscriptionGid,
        newPartnerTenantId: transfer.target.tenantId,
        newPartnerMpnId: transfer.target.mpnId,
        customerRequestReceivedAt: '2026-01-02T10:00:00Z',
        partnerAdmins: ADMINS,
        idempotencyKey: 'soak-transfer',
      },
    },
  );
  const transferId = plannedTransfer.planSubscriptionTransfer.workflow?.id;
  if (!transferId) {
    throw new Error(`soak: transfer plan ${JSON.stringify(plannedTransfer)}`);
  }
  await gqlData(t, SIGN, transferToken, {
    input: {
      transferId,
      party: 'CURRENT_PARTNER',
      signerName: ADMINS[0]!.name,
      signerEmail: ADMINS[0]!.email,
    },
  });
  const form = await gqlData<{
    node: { form: { signingLinks: Array<{ party: string; url: string }> } };
  }>(t, TRANSFER_STATE, transferToken, { id: transferId });
  for (const link of form.node.form.signingLinks) {
    const u = new URL(link.url);
    const res = await fetch(`${t.http.url}${u.pathname}${u.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        signerName: `Signer ${link.party}`,
        signerEmail: 'signer@example.com',
      }),
    });
    if (res.status !== 200) {
      throw new Error(`soak: signing ${link.party}: ${res.status} ${await res.text()}`);
    }
  }
  await start('SUBSCRIPTION_TRANSFER', transferId, transferToken);

  // 2. Azure plan transition of a direct customer that no other workflow touches.
  const azureCustomer = customers.find((c) => c.companyName.startsWith('Alpine Foods'));
  const azureRel = azureCustomer?.relationships[0];
  if (azureCustomer && azureRel) {
    const planned = await gqlData<{
      planAzurePlanTransition: { workflow: { id: string } | null; userErrors: unknown[] };
    }>(
      t,
      `mutation($input: PlanAzurePlanTransitionInput!) { planAzurePlanTransition(input: $input) { userErrors { code message } workflow { id } } }`,
      token,
      {
        input: {
          customerId: encodeId('Customer', azureRel.partnerTenantId, azureCustomer.tenantId),
          idempotencyKey: 'soak-azure',
        },
      },
    );
    const id = planned.planAzurePlanTransition.workflow?.id;
    if (!id) {
      throw new Error(`soak: Azure plan ${JSON.stringify(planned)}`);
    }
    await start('AZURE_PLAN_TRANSITION', id);
  }

  // 3. Channel move of a prospect into the central tenant (not a consolidation source).
  const prospect = customers.find((c) => c.labels.includes('prospect-in-region'));
  const offers = emulator.control.offers();
  const e3 = offers.find((o) => o.alias === 'office365-e3');
  if (prospect && e3) {
    const now = emulator.clock.now().getTime();
    const planned = await gqlData<{
      planChannelMove: { workflow: { id: string } | null; userErrors: unknown[] };
    }>(
      t,
      `mutation($input: PlanChannelMoveInput!) { planChannelMove(input: $input) { userErrors { code message } workflow { id } } }`,
      token,
      {
        input: {
          partnerTenantId: gidOf(central.tenantId),
          customerTenantId: prospect.tenantId,
          customerCountry: prospect.country,
          sourceChannel: 'OTHER_PARTNER',
          idempotencyKey: 'soak-channel',
          licenses: [
            { offerId: e3.id, seats: 12, expiresOn: new Date(now + 3 * 86_400_000).toISOString() },
          ],
        },
      },
    );
    const id = planned.planChannelMove.workflow?.id;
    if (!id) {
      throw new Error(`soak: channel move ${JSON.stringify(planned)}`);
    }
    await start('CHANNEL_MOVE', id);
  }

  // 4. Tenant consolidation of the regional tenants' other customers into the central one.
  const busy = new Set([transfer.customerTenantId, azureCustomer?.tenantId, prospect?.tenantId]);
  const regional = partners.filter((p) => p.labels.includes('regional'));
  const customerIds: string[] = [];
  for (const source of regional) {
    for (const c of customers) {
      if (
        !busy.has(c.tenantId) &&
        !c.labels.includes('never-accepts') &&
        c.relationships.some((r) => r.partnerTenantId === source.tenantId)
      ) {
        customerIds.push(encodeId('Customer', source.tenantId, c.tenantId));
      }
    }
  }
  const planned = await gqlData<{
    planTenantConsolidation: { workflow: { id: string } | null; userErrors: unknown[] };
  }>(t, PLAN_CONSOLIDATION, token, {
    input: {
      sourcePartnerTenantIds: regional.map((s) => gidOf(s.tenantId)),
      targetPartnerTenantId: gidOf(central.tenantId),
      customerIds,
      idempotencyKey: 'soak-consolidation',
    },
  });
  const consolidationId = planned.planTenantConsolidation.workflow?.id;
  if (!consolidationId) {
    throw new Error(`soak: consolidation ${JSON.stringify(planned)}`);
  }
  await start('TENANT_CONSOLIDATION', consolidationId);
  log(`  started ${startedList.map((s) => s.kind).join(', ')}`);
  return startedList;
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerInfo, PartnerInfo } from 'partner-center-emulator';
import { body, MODES, openHarness, type Collection, type Harness } from './harness.js';
import { GA, gdapHelpers, READERS, REL, type Json, type OData } from './gdap-helpers.js';

const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const GROUP = '869713c9-0b28-4d08-8949-ae07ae1bf528';

describe.each(MODES)('GDAP access, termination, resellers and requireGdap (%s)', (mode) => {
  let h: Harness;
  let partners: PartnerInfo[];
  let customers: CustomerInfo[];
  const { partner, customer, send, advance, newRelationship, create, get, lock, audit } =
    gdapHelpers(() => ({ h, partners, customers }));

  beforeAll(async () => {
    h = await openHarness(mode);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset', send('POST', { scenario: 'demo', seed: 1 }));
    partners = await body<PartnerInfo[]>(await h.control('/partners'));
    customers = await body<CustomerInfo[]>(await h.control('/customers'));
  });

  it('assigns a security group (pending → active), updates it through an operation and removes it', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const alpine = customer('Alpine Foods SAS').tenantId;
    const rels = (
      await body<OData>(await h.graph(fr, `${REL}?$filter=customer/tenantId eq '${alpine}'`))
    ).value;
    expect(rels).toHaveLength(1);
    const id = String(rels[0]?.id);
    const existing = await body<OData<Json>>(await h.graph(fr, `${REL}/${id}/accessAssignments`));
    expect(existing.value).toEqual([
      expect.objectContaining({
        status: 'active',
        accessContainer: {
          accessContainerId: partner('Contoso Cloud France').adminAgentsGroupId,
          accessContainerType: 'securityGroup',
        },
      }),
    ]);
    const notInRelationship = await h.graph(
      fr,
      `${REL}/${id}/accessAssignments`,
      send('POST', {
        accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: GA }] },
      }),
    );
    expect(notInRelationship.status).toBe(400);
    const created = await h.graph(
      fr,
      `${REL}/${id}/accessAssignments`,
      send('POST', {
        accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' },
        accessDetails: {
          unifiedRoles: [{ roleDefinitionId: HELPDESK }, { roleDefinitionId: READERS }],
        },
      }),
    );
    expect(created.status).toBe(201);
    const assignment = await body<Json>(created);
    expect(assignment).toMatchObject({ status: 'pending' });
    const apath = `${REL}/${id}/accessAssignments/${String(assignment.id)}`;
    expect(created.headers.get('Location')).toBe(`https://graph.microsoft.com/v1.0${apath}`);
    const dup = await h.graph(
      fr,
      `${REL}/${id}/accessAssignments`,
      send('POST', {
        accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: READERS }] },
      }),
    );
    expect(dup.status).toBe(409);
    await advance('PT5M');
    const active = await body<Json>(await h.graph(fr, apath));
    expect(active).toMatchObject({ status: 'active' });

    const stale = await h.graph(
      fr,
      apath,
      send(
        'PATCH',
        { accessDetails: { unifiedRoles: [{ roleDefinitionId: READERS }] } },
        { 'If-Match': String(assignment['@odata.etag']) },
      ),
    );
    expect(stale.status).toBe(412);
    const patched = await h.graph(
      fr,
      apath,
      send(
        'PATCH',
        { accessDetails: { unifiedRoles: [{ roleDefinitionId: READERS }] } },
        { 'If-Match': String(active['@odata.etag']) },
      ),
    );
    expect(patched.status).toBe(202);
    const opUrl = patched.headers.get('Location') ?? '';
    expect(opUrl).toMatch(new RegExp(`${REL}/${id}/operations/`));
    const opPath = opUrl.replace('https://graph.microsoft.com/v1.0', '');
    expect(await body(await h.graph(fr, opPath))).toMatchObject({
      operationType: 'delegatedAdminAccessAssignmentUpdate',
      status: 'running',
    });
    await advance('PT5M');
    expect(await body(await h.graph(fr, opPath))).toMatchObject({ status: 'succeeded' });
    const updated = await body<Json>(await h.graph(fr, apath));
    expect(updated).toMatchObject({
      accessDetails: { unifiedRoles: [{ roleDefinitionId: READERS }] },
    });
    const ops = await body<OData>(await h.graph(fr, `${REL}/${id}/operations`));
    expect(ops.value).toHaveLength(1);

    const removed = await h.graph(
      fr,
      apath,
      send('DELETE', undefined, { 'If-Match': String(updated['@odata.etag']) }),
    );
    expect(removed.status).toBe(202);
    expect(await body(await h.graph(fr, apath))).toMatchObject({ status: 'deleting' });
    await advance('PT5M');
    expect(await body(await h.graph(fr, apath))).toMatchObject({ status: 'deleted' });
    const log = (await audit(fr)).map((a) => a.operationType);
    for (const op of [
      'granular_admin_access_assignment_created',
      'granular_admin_access_assignment_activated',
      'granular_admin_access_assignment_updated',
      'granular_admin_access_assignment_deleted',
    ]) {
      expect(log).toContain(op);
    }
  });

  it('terminates an active relationship: terminationRequested → terminated, access removed', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const alpine = customer('Alpine Foods SAS').tenantId;
    const id = String(
      (await body<OData>(await h.graph(fr, `${REL}?$filter=customer/tenantId eq '${alpine}'`)))
        .value[0]?.id,
    );
    const res = await h.graph(fr, `${REL}/${id}/requests`, send('POST', { action: 'terminate' }));
    expect(res.status).toBe(201);
    expect(await get(fr, id)).toMatchObject({ status: 'terminationRequested' });
    expect(
      (await h.graph(fr, `${REL}/${id}/requests`, send('POST', { action: 'terminate' }))).status,
    ).toBe(409);
    await advance('PT10M');
    expect(await get(fr, id)).toMatchObject({ status: 'terminated' });
    const requests = await body<OData>(await h.graph(fr, `${REL}/${id}/requests`));
    expect(requests.value).toEqual([
      expect.objectContaining({ action: 'terminate', status: 'succeeded' }),
    ]);
    const assignments = await body<OData>(await h.graph(fr, `${REL}/${id}/accessAssignments`));
    expect(assignments.value.every((a) => a.status === 'deleted')).toBe(true);
    expect((await audit(fr)).map((a) => a.operationType)).toEqual(
      expect.arrayContaining([
        'granular_admin_relationship_termination_requested',
        'granular_admin_relationship_terminated',
      ]),
    );
    const bad = await h.graph(fr, `${REL}/${id}/requests`, send('POST', { action: 'explode' }));
    expect(bad.status).toBe(400);
  });

  it('an indirect provider creates a resellerDelegatedAdminRelationship the reseller approves or rejects', async () => {
    const provider = partner('Contoso Cloud Deutschland').tenantId;
    const reseller = partner('Nordwind IT Services GmbH').tenantId;
    const esterel = customer('Estérel Conseil').tenantId;
    const value = newRelationship(esterel, {
      '@odata.type': '#microsoft.graph.resellerDelegatedAdminRelationship',
      resellerTenantId: reseller,
    });
    const notProvider = await h.graph(
      partner('Contoso Cloud France').tenantId,
      REL,
      send('POST', value),
    );
    expect(notProvider.status).toBe(403);
    const rel = await create(provider, value);
    expect(rel).toMatchObject({
      '@odata.type': '#microsoft.graph.resellerDelegatedAdminRelationship',
      indirectProviderTenantId: provider,
      isPartnerConsentPending: true,
      status: 'created',
    });
    const id = String(rel.id);
    expect(await get(reseller, id)).toMatchObject({ isPartnerConsentPending: true });
    expect((await lock(provider, id)).status).toBe(400);
    const approve = await h.graph(
      reseller,
      `${REL}/${id}/requests`,
      send('POST', { action: 'approve' }),
    );
    expect(approve.status).toBe(201);
    expect(await get(provider, id)).toMatchObject({
      isPartnerConsentPending: false,
      status: 'approvalPending',
    });
    await advance('P1D');
    expect(await get(reseller, id)).toMatchObject({ status: 'active' });
    expect((await audit(provider)).map((a) => a.operationType)).toContain(
      'granular_admin_relationship_activated',
    );

    const second = await create(provider, { ...value, displayName: 'to be rejected' });
    const reject = await h.graph(
      reseller,
      `${REL}/${String(second.id)}/requests`,
      send('POST', { action: 'reject' }),
    );
    expect(reject.status).toBe(201);
    // `reject` is an evolvable-enum member: visible only with Prefer: include-unknown-enum-members.
    expect(await body(reject)).toMatchObject({ action: 'unknownFutureValue' });
    const requestsPath = `${REL}/${String(second.id)}/requests`;
    expect(
      (await body<{ value: Json[] }>(await h.graph(reseller, requestsPath))).value[0],
    ).toMatchObject({ action: 'unknownFutureValue' });
    expect(
      (
        await body<{ value: Json[] }>(
          await h.graph(reseller, requestsPath, {
            headers: { Prefer: 'include-unknown-enum-members' },
          }),
        )
      ).value[0],
    ).toMatchObject({ action: 'reject', status: 'succeeded' });
    expect(await get(provider, String(second.id))).toMatchObject({
      status: 'terminated',
      isPartnerConsentPending: false,
    });
    const direct = await create(provider, newRelationship(esterel, { displayName: 'direct one' }));
    expect(
      (
        await h.graph(
          provider,
          `${REL}/${String(direct.id)}/requests`,
          send('POST', { action: 'approve' }),
        )
      ).status,
    ).toBe(400);
  });

  it('requireGdap: orders, subscription changes and service requests need an active GDAP relationship', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const alpine = customer('Alpine Foods SAS').tenantId;
    const esterel = customer('Estérel Conseil').tenantId;
    const order = { lineItems: [{ offerId: 'office365-e1', quantity: 1 }] };
    // Off by default: DAP-era behaviour.
    expect((await h.pc(fr, `/v1/customers/${esterel}/orders`, send('POST', order))).status).toBe(
      201,
    );
    const settings = await h.control('/gdap/settings', send('PUT', { requireGdap: true }));
    expect(await body(settings)).toMatchObject({ requireGdap: true });
    const refused = await h.pc(fr, `/v1/customers/${esterel}/orders`, send('POST', order));
    expect(refused.status).toBe(403);
    expect(await body(refused)).toMatchObject({ code: 20002, source: 'PartnerFD' });
    expect((await h.pc(fr, `/v1/customers/${alpine}/orders`, send('POST', order))).status).toBe(
      201,
    );
    const subs = await body<Collection<{ id: string }>>(
      await h.pc(fr, `/v1/customers/${esterel}/subscriptions`),
    );
    const patch = await h.pc(
      fr,
      `/v1/customers/${esterel}/subscriptions/${String(subs.items[0]?.id)}`,
      send('PATCH', { friendlyName: 'renamed' }),
    );
    expect(patch.status).toBe(403);
    const ticket = await h.pc(
      fr,
      '/v1/servicerequests/en-US',
      send('POST', {
        title: 'Help with Estérel Conseil',
        description: `Customer ${esterel} needs help`,
        severity: 'minimal',
        supportTopicId: '32444671',
      }),
    );
    expect(ticket.status).toBe(403);
    const upgrade = await h.pc(
      fr,
      '/v1/productupgrades',
      send('POST', { customerId: esterel, productFamily: 'Azure' }),
    );
    expect(upgrade.status).toBe(403);
    expect(await body(upgrade)).toMatchObject({ code: 20002 });
    // Bergmann's relationship holds Global Administrator, which covers both.
    const de = partner('Contoso Cloud Deutschland').tenantId;
    const bergmann = customer('Bergmann Maschinenbau GmbH').tenantId;
    expect((await h.pc(de, `/v1/customers/${bergmann}/orders`, send('POST', order))).status).toBe(
      201,
    );
  });

  it('reads requireGdap from a scenario file and keeps GDAP state through a snapshot', async () => {
    await h.control(
      '/reset',
      send('POST', {
        scenario: { extends: 'demo', gdap: { requireGdap: true, approvalHours: 2 } },
      }),
    );
    expect(await body(await h.control('/gdap/settings'))).toMatchObject({
      requireGdap: true,
      approvalHours: 2,
    });
    const fr = partners.find((p) => p.name === 'Contoso Cloud France')?.tenantId ?? '';
    const rel = await create(fr, newRelationship(customer('Estérel Conseil').tenantId));
    const state = await body<Json>(await h.control('/state'));
    await h.control('/reset', send('POST', { scenario: 'empty' }));
    expect(await body<unknown[]>(await h.control('/gdap/relationships'))).toHaveLength(0);
    await h.control('/state', { method: 'PUT', body: JSON.stringify(state) });
    expect(await get(fr, String(rel.id))).toMatchObject({ status: 'created' });
    expect(await body(await h.control('/gdap/settings'))).toMatchObject({ requireGdap: true });
  });

  it('builds GDAP relationships from a scenario file: expired, auto-extended, pending, roles by alias', async () => {
    const scenario = {
      clock: '2026-03-02T09:00:00Z',
      gdap: { requireGdap: true },
      organizations: [
        {
          key: 'acme',
          name: 'Acme',
          tenants: [{ key: 'acme-fr', name: 'Acme France', country: 'FR' }],
        },
      ],
      customers: [
        {
          key: 'old',
          companyName: 'Old Ltd',
          country: 'FR',
          relationships: [{ partner: 'acme-fr' }],
          gdap: { relationships: [{ partner: 'acme-fr', daysAgo: 800, roles: ['license-admin'] }] },
        },
        {
          key: 'ext',
          companyName: 'Extended SA',
          country: 'FR',
          relationships: [{ partner: 'acme-fr' }],
          gdap: {
            relationships: [
              { partner: 'acme-fr', daysAgo: 800, autoExtend: true, roles: ['license-admin'] },
            ],
          },
        },
        {
          key: 'pending',
          companyName: 'Pending SARL',
          country: 'FR',
          relationships: [{ partner: 'acme-fr' }],
          gdap: {
            decision: 2,
            relationships: [{ partner: 'acme-fr', status: 'approvalPending', daysAgo: 3 }],
          },
        },
        {
          key: 'readers',
          companyName: 'Readers GmbH',
          country: 'FR',
          relationships: [{ partner: 'acme-fr' }],
          gdap: { relationships: [{ partner: 'acme-fr', roles: ['directory-readers'] }] },
        },
      ],
    };
    expect((await h.control('/reset', send('POST', { scenario }))).status).toBe(200);
    const acme = (await body<PartnerInfo[]>(await h.control('/partners')))[0]?.tenantId ?? '';
    const all = await body<CustomerInfo[]>(await h.control('/customers'));
    const id = (name: string): string => all.find((c) => c.companyName === name)?.tenantId ?? '';
    const rels = await body<{ value: (Json & { customer: { tenantId: string } })[] }>(
      await h.graph(acme, REL),
    );
    const of = (name: string) => rels.value.find((r) => r.customer.tenantId === id(name));
    expect(of('Old Ltd')).toMatchObject({ status: 'expired' });
    const ext = of('Extended SA');
    expect(ext).toMatchObject({ status: 'active', autoExtendDuration: 'P180D' });
    expect(Date.parse(String(ext?.endDateTime))).toBeGreaterThan(
      Date.parse('2026-03-02T09:00:00Z'),
    );
    expect(of('Pending SARL')).toMatchObject({ status: 'approvalPending' });
    expect(of('Readers GmbH')?.accessDetails).toEqual({
      unifiedRoles: [{ roleDefinitionId: READERS }],
    });
    await advance('PT2H');
    expect(await get(acme, String(of('Pending SARL')?.id))).toMatchObject({ status: 'active' });
    const order = { lineItems: [{ offerId: 'office365-e1', quantity: 1 }] };
    const buy = (name: string) =>
      h.pc(acme, `/v1/customers/${id(name)}/orders`, send('POST', order));
    expect((await buy('Extended SA')).status).toBe(201);
    expect((await buy('Old Ltd')).status).toBe(403);
    expect((await buy('Readers GmbH')).status).toBe(403);
    const bad = await h.control(
      '/reset',
      send('POST', {
        scenario: {
          ...scenario,
          customers: [
            {
              ...scenario.customers[0],
              gdap: { relationships: [{ partner: 'acme-fr', roles: ['wizard'] }] },
            },
          ],
        },
      }),
    );
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect((await body<{ description: string }>(bad)).description).toContain('"wizard"');
  });

  it('replays a Graph create with the same MS-RequestId instead of creating twice', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const value = newRelationship(customer('Estérel Conseil').tenantId);
    const first = await h.graph(fr, REL, send('POST', value, { 'MS-RequestId': 'gdap-create-1' }));
    const again = await h.graph(fr, REL, send('POST', value, { 'MS-RequestId': 'gdap-create-1' }));
    expect(again.status).toBe(201);
    expect((await body<Json>(again)).id).toBe((await body<Json>(first)).id);
    const created = await body<{ value: Json[] }>(
      await h.graph(fr, `${REL}?$filter=status eq 'created'`),
    );
    expect(created.value).toHaveLength(1);
  });
});

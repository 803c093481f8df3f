import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerInfo, GdapRelationshipInfo, PartnerInfo } from 'partner-center-emulator';
import { body, MODES, openHarness, type Harness } from './harness.js';
import {
  GA,
  gdapHelpers,
  LICENSE_ADMIN,
  READERS,
  REL,
  type Json,
  type OData,
} from './gdap-helpers.js';

interface GraphError {
  error: { code: string; message: string };
}

describe.each(MODES)('GDAP on Microsoft Graph (%s)', (mode) => {
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

  it('goes created → approvalPending → active through the customer approval, then expires on the clock', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const esterel = customer('Estérel Conseil').tenantId;
    const res = await h.graph(
      fr,
      REL,
      send('POST', newRelationship(esterel, { duration: 'P30D' })),
    );
    expect(res.status).toBe(201);
    const created = await body<Json>(res);
    expect(created).toMatchObject({
      '@odata.context': expect.stringContaining('$metadata#delegatedAdminRelationships') as string,
      '@odata.type': '#microsoft.graph.delegatedAdminRelationship',
      '@odata.etag': expect.stringMatching(/^W\/"/) as string,
      status: 'created',
      duration: 'P30D',
      autoExtendDuration: 'PT0S',
      activatedDateTime: null,
      customer: { tenantId: esterel, displayName: 'Estérel Conseil' },
      accessDetails: {
        unifiedRoles: [{ roleDefinitionId: READERS }, { roleDefinitionId: LICENSE_ADMIN }],
      },
    });
    const id = String(created.id);
    expect(res.headers.get('Location')).toBe(`https://graph.microsoft.com/v1.0${REL}/${id}`);

    const locked = await lock(fr, id);
    expect(locked.status).toBe(201);
    const request = await body<Json>(locked);
    expect(request).toMatchObject({ action: 'lockForApproval', status: 'created' });
    expect(await get(fr, id)).toMatchObject({ status: 'approvalPending' });
    const requests = await body<OData>(await h.graph(fr, `${REL}/${id}/requests`));
    expect(requests.value).toEqual([
      expect.objectContaining({ id: request.id, status: 'succeeded' }),
    ]);
    const links = await body<GdapRelationshipInfo[]>(await h.control('/gdap/relationships'));
    expect(links.find((l) => l.id === id)?.invitationLink).toBe(
      `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${id}`,
    );

    await advance('PT23H');
    expect(await get(fr, id)).toMatchObject({ status: 'approvalPending' });
    await advance('PT1H'); // default approval delay: 24 h
    const active = await get(fr, id);
    expect(active).toMatchObject({
      status: 'active',
      activatedDateTime: '2026-01-06T08:00:00.000Z',
      endDateTime: '2026-02-05T08:00:00.000Z',
    });
    const ops = (await audit(fr)).filter((a) => a.resourceType === 'granular_admin_relationship');
    expect(ops.map((a) => a.operationType).sort()).toEqual([
      'granular_admin_relationship_activated',
      'granular_admin_relationship_approved',
    ]);
    expect(ops.every((a) => a.customerId === esterel)).toBe(true);
    const admins = await body<OData<{ tenantId: string }>>(
      await h.graph(fr, '/tenantRelationships/delegatedAdminCustomers'),
    );
    expect(admins.value.map((c) => c.tenantId)).toContain(esterel);

    await advance('P16D'); // half of a 30-day life is the latest `expiring` can start
    expect(await get(fr, id)).toMatchObject({ status: 'expiring' });
    await advance('P14D');
    expect(await get(fr, id)).toMatchObject({ status: 'expired' });
    expect((await audit(fr, '2026-02-01')).map((a) => a.operationType)).toContain(
      'granular_admin_relationship_expired',
    );
  });

  it('refuses bad bodies and stale or missing ETags with Graph-shaped errors', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const esterel = customer('Estérel Conseil').tenantId;
    const expectError = async (res: Response, status: number, code: string): Promise<void> => {
      expect(res.status).toBe(status);
      const err = await body<GraphError>(res);
      expect(err.error.code).toBe(code);
      expect(err.error.message.length).toBeGreaterThan(0);
    };
    await expectError(
      await h.graph(
        fr,
        REL,
        send('POST', newRelationship(esterel, { displayName: 'x'.repeat(51) })),
      ),
      400,
      'BadRequest',
    );
    await expectError(
      await h.graph(fr, REL, send('POST', newRelationship(esterel, { duration: 'P3Y' }))),
      400,
      'BadRequest',
    );
    await expectError(
      await h.graph(fr, REL, send('POST', newRelationship(esterel, { duration: 'PT12H' }))),
      400,
      'BadRequest',
    );
    await expectError(
      await h.graph(
        fr,
        REL,
        send(
          'POST',
          newRelationship(esterel, {
            autoExtendDuration: 'P180D',
            accessDetails: { unifiedRoles: [{ roleDefinitionId: GA }] },
          }),
        ),
      ),
      400,
      'BadRequest',
    );
    await expectError(
      await h.graph(
        fr,
        REL,
        send('POST', newRelationship(esterel, { accessDetails: { unifiedRoles: [] } })),
      ),
      400,
      'BadRequest',
    );
    await expectError(
      await h.graph(fr, REL, { method: 'POST', body: '{not json' }),
      400,
      'BadRequest',
    );
    const rel = await create(fr, newRelationship(esterel));
    await expectError(
      await h.graph(fr, REL, send('POST', newRelationship(esterel))),
      409,
      'Conflict',
    );
    const path = `${REL}/${String(rel.id)}`;
    await expectError(
      await h.graph(fr, path, send('PATCH', { displayName: 'Renamed' })),
      400,
      'BadRequest',
    );
    await expectError(
      await h.graph(
        fr,
        path,
        send('PATCH', { displayName: 'Renamed' }, { 'If-Match': 'W/"stale"' }),
      ),
      412,
      'PreconditionFailed',
    );
    const renamed = await h.graph(
      fr,
      path,
      send(
        'PATCH',
        { displayName: 'Renamed', duration: 'P90D' },
        { 'If-Match': String(rel['@odata.etag']) },
      ),
    );
    expect(renamed.status).toBe(200);
    const after = await body<Json>(renamed);
    expect(after).toMatchObject({ displayName: 'Renamed', duration: 'P90D', status: 'created' });
    expect(after['@odata.etag']).not.toBe(rel['@odata.etag']);
    expect((await lock(fr, String(rel.id))).status).toBe(201);
    await expectError(
      await h.graph(fr, path, send('PATCH', { displayName: 'Again' }, { 'If-Match': '*' })),
      400,
      'BadRequest',
    );
    await expectError(
      await h.graph(fr, path, send('DELETE', undefined, { 'If-Match': '*' })),
      400,
      'BadRequest',
    );
    await expectError(await lock(fr, String(rel.id)), 400, 'BadRequest');
    await expectError(await h.graph(null, REL), 401, 'InvalidAuthenticationToken');
    await expectError(await h.graph(fr, `${REL}/nope`), 404, 'ResourceNotFound');
    await expectError(await h.graph(fr, '/tenantRelationships/nothing'), 404, 'ResourceNotFound');
    await expectError(
      await h.graph(fr, `${REL}/${String(rel.id)}`, send('PUT', {})),
      405,
      'MethodNotAllowed',
    );
    // Another partner cannot see it.
    await expectError(
      await h.graph(partner('Contoso Cloud España').tenantId, path),
      404,
      'ResourceNotFound',
    );
  });

  it('deletes a relationship only while created', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const rel = await create(fr, newRelationship(customer('Estérel Conseil').tenantId));
    const path = `${REL}/${String(rel.id)}`;
    const del = await h.graph(
      fr,
      path,
      send('DELETE', undefined, { 'If-Match': String(rel['@odata.etag']) }),
    );
    expect(del.status).toBe(204);
    expect((await h.graph(fr, path)).status).toBe(404);
  });

  it('the demo customer rejects a pending request on the clock, and the control API decides by hand', async () => {
    const fabrikam = partner('Fabrikam Partners UK').tenantId;
    const rhein = customer('gdap-rejects').tenantId;
    const pending = (
      await body<OData>(await h.graph(fabrikam, `${REL}?$filter=status eq 'approvalPending'`))
    ).value;
    expect(pending).toEqual([
      expect.objectContaining({
        customer: expect.objectContaining({ tenantId: rhein }) as unknown,
      }),
    ]);
    await advance('PT6H');
    expect(await get(fabrikam, String(pending[0]?.id))).toMatchObject({ status: 'terminated' });
    expect((await audit(fabrikam)).map((a) => a.operationType)).toContain(
      'granular_admin_relationship_terminated',
    );

    const fr = partner('Contoso Cloud France').tenantId;
    const esterel = customer('Estérel Conseil').tenantId;
    expect(
      (await h.control(`/customers/${esterel}/gdap-decision`, send('PUT', { decision: 'never' })))
        .status,
    ).toBe(204);
    const a = await create(fr, newRelationship(esterel, { displayName: 'by hand approve' }));
    const b = await create(fr, newRelationship(esterel, { displayName: 'by hand reject' }));
    await lock(fr, String(a.id));
    await lock(fr, String(b.id));
    await advance('P2D');
    expect(await get(fr, String(a.id))).toMatchObject({ status: 'approvalPending' });
    const approved = await h.control(
      `/gdap/relationships/${String(a.id)}/approve`,
      send('POST', {}),
    );
    expect(approved.status).toBe(200);
    expect(await body(approved)).toMatchObject({ status: 'active' });
    const rejected = await h.control(
      `/gdap/relationships/${String(b.id)}/reject`,
      send('POST', {}),
    );
    expect(await body(rejected)).toMatchObject({ status: 'terminated' });
    expect(
      (await h.control(`/gdap/relationships/${String(b.id)}/approve`, send('POST', {}))).status,
    ).toBe(409);
  });

  it('a request nobody approves expires after 90 days', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const esterel = customer('Estérel Conseil').tenantId;
    await h.control(`/customers/${esterel}/gdap-decision`, send('PUT', { decision: 'never' }));
    const rel = await create(fr, newRelationship(esterel));
    await lock(fr, String(rel.id));
    await advance('P89D');
    expect(await get(fr, String(rel.id))).toMatchObject({ status: 'approvalPending' });
    await advance('P1D');
    expect(await get(fr, String(rel.id))).toMatchObject({ status: 'expired' });
  });

  it('auto-extends by 180 days at the end unless Global Administrator is included', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const esterel = customer('Estérel Conseil').tenantId;
    await h.control(`/customers/${esterel}/gdap-decision`, send('PUT', { decision: 0 }));
    const rel = await create(
      fr,
      newRelationship(esterel, { duration: 'P10D', autoExtendDuration: 'P180D' }),
    );
    await lock(fr, String(rel.id));
    await advance('PT1M');
    const active = await get(fr, String(rel.id));
    expect(active).toMatchObject({ status: 'active', endDateTime: '2026-01-15T08:00:00.000Z' });
    await advance('P11D');
    expect(await get(fr, String(rel.id))).toMatchObject({
      status: 'active',
      endDateTime: '2026-07-14T08:00:00.000Z',
    });
  });

  it('pages with $top and @odata.nextLink, and filters', async () => {
    const fr = partner('Contoso Cloud France').tenantId;
    const esterel = customer('Estérel Conseil').tenantId;
    for (let i = 0; i < 3; i += 1) {
      await create(fr, newRelationship(esterel, { displayName: `paged ${i}` }));
    }
    const seen: string[] = [];
    let res = await h.graph(fr, `${REL}?$top=2`);
    for (let guard = 0; guard < 5; guard += 1) {
      const page = await body<OData>(res);
      expect(page.value.length).toBeLessThanOrEqual(2);
      seen.push(...page.value.map((r) => String(r.id)));
      const next = page['@odata.nextLink'];
      if (!next) {
        break;
      }
      expect(next.startsWith('https://graph.microsoft.com/v1.0/tenantRelationships/')).toBe(true);
      res = await h.graph(fr, next.replace('https://graph.microsoft.com/v1.0', ''));
    }
    // Demo: Alpine Foods and Bastide (active) + the three above.
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const createdOnly = await body<OData>(await h.graph(fr, `${REL}?$filter=status eq 'created'`));
    expect(createdOnly.value).toHaveLength(3);
    expect((await h.graph(fr, `${REL}?$filter=startswith(displayName,'x')`)).status).toBe(400);
    expect((await h.graph(fr, `${REL}?$top=0`)).status).toBe(400);
    const counted = await body<OData & { '@odata.count': number }>(
      await h.graph(fr, `${REL}?$top=1&$count=true&$select=displayName,status`),
    );
    expect(counted['@odata.count']).toBe(5);
    expect(Object.keys(counted.value[0] ?? {}).sort()).toEqual(
      ['@odata.etag', '@odata.type', 'displayName', 'id', 'status'].sort(),
    );
    const one = await body<Json>(await h.graph(fr, `${REL}/${seen[0] ?? ''}?$select=status`));
    expect(one).not.toHaveProperty('displayName');
    expect(one).toHaveProperty('status');
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerInfo, PartnerInfo } from 'partner-center-emulator';
import { body, MODES, openHarness, type Harness } from './harness.js';

// Issue 16 item 9: a prospect accepts the reseller invitation it was sent, not the invitation URL
// of every tenant that requests one (the URL is partner-wide; the partner mails it to a customer).
describe.each(MODES)('reseller invitations (%s)', (mode) => {
  let h: Harness;
  let partners: PartnerInfo[];
  const partner = (name: string): PartnerInfo => {
    const p = partners.find((x) => x.name === name);
    if (!p) {
      throw new Error(`no partner ${name}`);
    }
    return p;
  };
  const customers = async (): Promise<CustomerInfo[]> =>
    body<CustomerInfo[]>(await h.control('/customers'));
  const byLabel = async (label: string): Promise<CustomerInfo> => {
    const c = (await customers()).find((x) => x.labels.includes(label));
    if (!c) {
      throw new Error(`no customer ${label}`);
    }
    return c;
  };
  const resellerOf = (c: CustomerInfo): string[] =>
    c.relationships.filter((r) => r.relationship === 'reseller').map((r) => r.partnerTenantId);
  const advance = (duration: string): Promise<Response> =>
    h.control('/clock/advance', {
      method: 'POST',
      body: JSON.stringify({ duration }),
    });

  beforeAll(async () => {
    h = await openHarness(mode);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset', { method: 'POST', body: JSON.stringify({ scenario: 'demo' }) });
    partners = await body<PartnerInfo[]>(await h.control('/partners'));
  });

  it('a consolidation invitation is accepted by the related customers, never by prospects', async () => {
    const eu = partner('Contoso Cloud Europe');
    const prospectsBefore = (await customers()).filter((c) => c.labels.includes('prospect'));
    expect(prospectsBefore.length).toBeGreaterThanOrEqual(2);
    expect((await h.pc(eu.tenantId, '/v1/customers/relationshiprequests')).status).toBe(200);
    expect((await advance('P7D')).status).toBe(200);
    const after = await customers();
    const related = after.filter((c) => resellerOf(c).includes(eu.tenantId));
    expect(related.length).toBeGreaterThan(15);
    for (const before of prospectsBefore) {
      const now = after.find((c) => c.tenantId === before.tenantId);
      expect(resellerOf(now as CustomerInfo)).toEqual(resellerOf(before));
    }
  });

  it('a prospect accepts once the partner holding an invitation looks it up, from that partner only', async () => {
    const de = partner('Contoso Cloud Deutschland');
    const eu = partner('Contoso Cloud Europe');
    const prospect = await byLabel('prospect-in-region');
    expect(resellerOf(prospect)).not.toContain(de.tenantId);
    await h.pc(eu.tenantId, '/v1/customers/relationshiprequests');
    await h.pc(de.tenantId, '/v1/customers/relationshiprequests');
    const lookup = await h.pc(de.tenantId, `/v1/customers/${prospect.tenantId}`);
    expect(lookup.status).toBe(404);
    const pending = await body<{ kind: string; target: Record<string, string> }[]>(
      await h.control('/actions'),
    );
    expect(
      pending.filter(
        (a) =>
          a.kind === 'customer.accept_invitation' &&
          a.target.customerTenantId === prospect.tenantId,
      ),
    ).toEqual([
      expect.objectContaining({
        target: { customerTenantId: prospect.tenantId, partnerTenantId: de.tenantId },
      }),
    ]);
    await advance('P2D');
    const accepted = await body<{ relationshipToPartner: string }>(
      await h.pc(de.tenantId, `/v1/customers/${prospect.tenantId}`),
    );
    expect(accepted.relationshipToPartner).toBe('reseller');
    expect(resellerOf(await byLabel('prospect-in-region'))).not.toContain(eu.tenantId);
    expect((await h.pc(eu.tenantId, `/v1/customers/${prospect.tenantId}`)).status).toBe(404);
  });

  it('a lookup without an invitation requested sends nothing', async () => {
    const de = partner('Contoso Cloud Deutschland');
    const prospect = await byLabel('prospect-in-region');
    expect((await h.pc(de.tenantId, `/v1/customers/${prospect.tenantId}`)).status).toBe(404);
    await advance('P7D');
    expect((await h.pc(de.tenantId, `/v1/customers/${prospect.tenantId}`)).status).toBe(404);
    expect(resellerOf(await byLabel('prospect-in-region'))).not.toContain(de.tenantId);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnerInfo } from 'partner-center-emulator';
import { body, MODES, openHarness, type Harness } from './harness.js';

interface OrganizationProfile {
  id: string;
  companyName: string;
  tenantId: string;
  domain: string;
  email: string;
  language: string;
  culture: string;
  defaultAddress: {
    country: string;
    city: string;
    state: string | null;
    addressLine1: string;
    postalCode: string;
    firstName: string;
    lastName: string;
    phoneNumber: string;
  };
  links: { self: { uri: string } };
  attributes: { objectType: string; etag: string };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Issue 16 item 6: the transfer form (R-TRF-4) takes the current partner's address from here.
describe.each(MODES)('GET /v1/profiles/organization (%s)', (mode) => {
  let h: Harness;
  let partners: PartnerInfo[];
  beforeAll(async () => {
    h = await openHarness(mode);
    partners = await body<PartnerInfo[]>(await h.control('/partners'));
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers every partner tenant of the demo with its own plausible profile', async () => {
    expect(partners.length).toBeGreaterThanOrEqual(8);
    const seen = new Set<string>();
    for (const p of partners) {
      const res = await h.pc(p.tenantId, '/v1/profiles/organization');
      expect(res.status).toBe(200);
      const profile = await body<OrganizationProfile>(res);
      expect(profile).toMatchObject({
        companyName: p.name,
        tenantId: p.tenantId,
        attributes: { objectType: 'OrganizationProfile' },
        links: { self: { uri: '/profiles/organization' } },
        defaultAddress: { country: p.country },
      });
      expect(profile.id).toMatch(GUID);
      expect(profile.email).toMatch(/^[a-z.]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(profile.email.endsWith(`@${profile.domain}`)).toBe(true);
      const a = profile.defaultAddress;
      expect(a.addressLine1).toMatch(/\d/);
      expect(a.city.length).toBeGreaterThan(1);
      expect(a.postalCode.length).toBeGreaterThanOrEqual(4);
      expect(a.phoneNumber).toMatch(/^\+\d{1,3} [\d ]{6,}$/);
      expect(a.firstName.length).toBeGreaterThan(0);
      expect(a.lastName.length).toBeGreaterThan(0);
      seen.add(profile.id);
    }
    expect(seen.size).toBe(partners.length);
    const fr = partners.find((p) => p.name === 'Contoso Cloud France');
    const frProfile = await body<OrganizationProfile>(
      await h.pc(fr?.tenantId ?? '', '/v1/profiles/organization'),
    );
    expect(frProfile.defaultAddress).toMatchObject({ city: 'Paris', postalCode: '75008' });
    expect(frProfile).toMatchObject({ language: 'fr', culture: 'fr-FR' });
  });

  it('is stable across resets and needs a partner token', async () => {
    const eu = partners.find((p) => p.labels.includes('central'));
    const first = await body(await h.pc(eu?.tenantId ?? '', '/v1/profiles/organization'));
    await h.control('/reset', { method: 'POST', body: JSON.stringify({ scenario: 'demo' }) });
    const again = await body(await h.pc(eu?.tenantId ?? '', '/v1/profiles/organization'));
    expect(again).toEqual(first);
    const anonymous = await h.pc(null, '/v1/profiles/organization');
    expect(anonymous.status).toBe(401);
    expect(
      (await h.pc(eu?.tenantId ?? '', '/v1/profiles/organization', { method: 'POST', body: '{}' }))
        .status,
    ).toBe(405);
  });
});

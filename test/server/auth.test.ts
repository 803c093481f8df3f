import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../server/shared/ids.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app.js';

// Auth and organization isolation through HTTP; the directory comes from configuration, and none
// of these operations needs Partner Center.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const VIEWER =
  '{ viewer { userId roles organization { id name partnerTenants { tenantId name } } } }';

describe('authentication', () => {
  it('answers 401 UNAUTHENTICATED without a token', async () => {
    const res = await t.gql(VIEWER, { token: null });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.data ?? null).toBeNull();
  });

  it('answers 401 UNAUTHENTICATED for a token signed with another key', async () => {
    const forged = await new SignJWT({ org: 'org-a', roles: ['GLOBAL_ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-123'));
    const res = await t.gql(VIEWER, { token: forged });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 for an expired token, a malformed header and a token without org', async () => {
    const expired = await new SignJWT({ org: 'org-a', roles: ['GLOBAL_ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const noOrg = await new SignJWT({ roles: ['GLOBAL_ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    for (const res of [
      await t.gql(VIEWER, { token: expired }),
      await t.gql(VIEWER, { authorization: 'Basic dXNlcjpwYXNz' }),
      await t.gql(VIEWER, { token: noOrg }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('returns the viewer and only its own organization', async () => {
    const res = await t.gql<{
      viewer: {
        userId: string;
        roles: string[];
        organization: { id: string; name: string; partnerTenants: Array<{ tenantId: string }> };
      };
    }>(VIEWER, { token: await t.token('org-a', [PartnerRole.ADMIN_AGENT]) });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.viewer).toMatchObject({
      userId: 'user-of-org-a',
      roles: ['ADMIN_AGENT'],
      organization: { id: encodeId('PartnerOrganization', 'org-a'), name: 'Contoso Partners' },
    });
    expect(res.body.data?.viewer.organization.partnerTenants.map((p) => p.tenantId).sort()).toEqual(
      ['tenant-a1', 'tenant-a2'],
    );
  });
});

describe('authorization', () => {
  it('refuses customers to a BILLING_ADMIN with FORBIDDEN', async () => {
    const res = await t.gql(`query($id: ID!) { customers(partnerTenantId: $id) { totalCount } }`, {
      token: await t.token('org-a', [PartnerRole.BILLING_ADMIN]),
      variables: { id: encodeId('PartnerTenant', 'tenant-a1') },
    });
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a nested customers field to a BILLING_ADMIN with FORBIDDEN', async () => {
    const res = await t.gql(
      '{ viewer { organization { partnerTenants { customers(first: 1) { totalCount } } } } }',
      {
        token: await t.token('org-a', [PartnerRole.BILLING_ADMIN]),
      },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('returns null from node() and nodes() for another organization’s ids', async () => {
    const tokenA = await t.token('org-a');
    const ownTenant = encodeId('PartnerTenant', 'tenant-a1');
    const otherTenant = encodeId('PartnerTenant', 'tenant-b1');
    const otherOrg = encodeId('PartnerOrganization', 'org-b');
    const otherCustomer = encodeId('Customer', 'tenant-b1', 'some-customer');
    const res = await t.gql<{
      own: { id: string } | null;
      other: unknown;
      org: unknown;
      customer: unknown;
      many: unknown[];
    }>(
      `query($own: ID!, $other: ID!, $org: ID!, $customer: ID!) {
        own: node(id: $own) { id ... on PartnerTenant { name } }
        other: node(id: $other) { id }
        org: node(id: $org) { id }
        customer: node(id: $customer) { id }
        many: nodes(ids: [$own, $other, "garbage"]) { id }
      }`,
      {
        token: tokenA,
        variables: { own: ownTenant, other: otherTenant, org: otherOrg, customer: otherCustomer },
      },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      own: { id: ownTenant, name: 'Contoso FR' },
      other: null,
      org: null,
      customer: null,
      many: [{ id: ownTenant }, null, null],
    });
  });

  it('rejects customers() for another organization’s tenant with NOT_FOUND and a malformed id with BAD_USER_INPUT', async () => {
    const token = await t.token('org-a');
    const q = `query($id: ID!) { customers(partnerTenantId: $id) { totalCount } }`;
    const foreign = await t.gql(q, {
      token,
      variables: { id: encodeId('PartnerTenant', 'tenant-b1') },
    });
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await t.gql(q, { token, variables: { id: 'not-an-id' } });
    expect(malformed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a token for an organization the server does not know', async () => {
    const res = await t.gql('{ viewer { organization { name } } }', {
      token: await t.token('org-unknown'),
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

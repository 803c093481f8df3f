import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { armTokenProvider } from '../../server/azure-rm/arm-token.js';
import { ConfigError, loadConfig, parseHolidays } from '../../server/config/env.js';
import { configDirectorySource } from '../../server/modules/organizations/directory-source.js';
import { adminAgentsGroupLookup } from '../../server/procedures/transfer/admin-agents.js';

// Transfer configuration (issue 5): signing-link key and lifetime, support holidays, ARM scope,
// and the Admin Agents group of each tenant in the partner directory.

const GROUP = '6f1a3c52-0d7e-4b7a-9d55-2a0e8c1b9f10';
const directory = JSON.stringify([
  {
    organizationId: 'org-a',
    organizationName: 'Contoso',
    tenants: [
      { tenantId: 'tenant-a1', name: 'Contoso FR', adminAgentsGroupId: GROUP },
      { tenantId: 'tenant-a2', name: 'Contoso DE' },
    ],
  },
]);
const off = {
  EMULATOR: 'off',
  AUTH_JWKS_URL: 'https://login.example/keys',
  PARTNER_DIRECTORY: directory,
};
const production = {
  ...off,
  NODE_ENV: 'production',
  PARTNER_CENTER_CLIENT_ID: 'app-id',
  PARTNER_CENTER_CLIENT_SECRET: 'app-secret',
};

describe('transfer configuration', () => {
  it('defaults: links live 14 days, public holidays only, the ARM scope of the public cloud', () => {
    const config = loadConfig({});
    expect(config.transfer).toEqual({
      signingSecret: undefined,
      signingLinkTtlMs: 14 * 86_400_000,
      holidays: undefined,
      workingDays: undefined,
      publicHolidays: true,
    });
    expect(config.arm.scope).toBe('https://management.azure.com/.default');
  });

  it('takes SIGNING_LINK_SECRET, else AUTH_JWT_SECRET', () => {
    const jwt = 'j'.repeat(32);
    expect(loadConfig({ AUTH_JWT_SECRET: jwt }).transfer.signingSecret).toBe(jwt);
    expect(
      loadConfig({ AUTH_JWT_SECRET: jwt, SIGNING_LINK_SECRET: 's'.repeat(32) }).transfer
        .signingSecret,
    ).toBe('s'.repeat(32));
    expect(() => loadConfig({ SIGNING_LINK_SECRET: 'short' })).toThrow(/SIGNING_LINK_SECRET/);
  });

  it('refuses to start in production with JWKS only and no signing-link secret', () => {
    expect(() => loadConfig(production)).toThrow(ConfigError);
    expect(() => loadConfig(production)).toThrow(/SIGNING_LINK_SECRET/);
    expect(
      loadConfig({ ...production, SIGNING_LINK_SECRET: 'k'.repeat(32) }).transfer.signingSecret,
    ).toBe('k'.repeat(32));
    // Outside production (no emulator, JWKS only) it starts; links then last as long as the process.
    expect(loadConfig(off).transfer.signingSecret).toBeUndefined();
  });

  it('parses the signing-link lifetime and the holidays', () => {
    expect(loadConfig({ TRANSFER_SIGNING_LINK_TTL: 'P3DT12H' }).transfer.signingLinkTtlMs).toBe(
      84 * 3_600_000,
    );
    expect(() => loadConfig({ TRANSFER_SIGNING_LINK_TTL: 'PT0S' })).toThrow(/positive/);
    expect(() => loadConfig({ TRANSFER_SIGNING_LINK_TTL: 'two weeks' })).toThrow(ConfigError);
    expect(
      loadConfig({ TRANSFER_HOLIDAYS: 'FR:2026-01-01, *:2026-12-25,2026-05-01,fr:2026-07-14' })
        .transfer.holidays,
    ).toEqual({ FR: ['2026-01-01', '2026-07-14'], '*': ['2026-12-25', '2026-05-01'] });
    expect(parseHolidays('')).toEqual({});
    const overridden = loadConfig({
      TRANSFER_WORKING_DAYS: 'IE:2026-03-17',
      TRANSFER_PUBLIC_HOLIDAYS: 'off',
    }).transfer;
    expect(overridden.workingDays).toEqual({ IE: ['2026-03-17'] });
    expect(overridden.publicHolidays).toBe(false);
    expect(() => loadConfig({ TRANSFER_WORKING_DAYS: 'IE:17/03/2026' })).toThrow(
      /TRANSFER_WORKING_DAYS/,
    );
    expect(loadConfig({ TRANSFER_SIGNING_LINK_TTL: 'P2W' }).transfer.signingLinkTtlMs).toBe(
      14 * 86_400_000,
    );
    for (const bad of ['FRA:2026-01-01', 'FR:2026-13-45', 'FR:01/01/2026', 'FR-2026-01-01']) {
      expect(() => parseHolidays(bad), bad).toThrow(/TRANSFER_HOLIDAYS/);
    }
  });

  it('reads each tenant’s Admin Agents group from PARTNER_DIRECTORY', async () => {
    const config = loadConfig(off);
    const lookup = adminAgentsGroupLookup(configDirectorySource(config.directory ?? []));
    expect(await lookup('tenant-a1')).toBe(GROUP);
    expect(await lookup('TENANT-A1')).toBe(GROUP);
    expect(await lookup('tenant-a2')).toBeNull();
    expect(await lookup('tenant-zz')).toBeNull();
    const bad = directory.replace(GROUP, 'not-a-guid');
    expect(() => loadConfig({ ...off, PARTNER_DIRECTORY: bad })).toThrow(/PARTNER_DIRECTORY/);
  });

  it('asks Entra ID for ARM_SCOPE with the client credentials in production; the emulator mints its own', async () => {
    const requests: Array<{ url: string; body: URLSearchParams }> = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      requests.push({ url, body: new URLSearchParams(String(init.body)) });
      return new Response(JSON.stringify({ access_token: 'arm-token', expires_in: 3600 }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof fetch;
    const prod = loadConfig({ ...production, SIGNING_LINK_SECRET: 'k'.repeat(32) });
    expect(await armTokenProvider(prod, { fetch: fakeFetch }).getToken('tenant-a1')).toBe(
      'arm-token',
    );
    expect(requests[0]?.url).toBe('https://login.microsoftonline.com/tenant-a1/oauth2/v2.0/token');
    expect(Object.fromEntries(requests[0]?.body ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app-id',
      client_secret: 'app-secret',
      scope: 'https://management.azure.com/.default',
    });
    const sovereign = loadConfig({
      ...production,
      SIGNING_LINK_SECRET: 'k'.repeat(32),
      ARM_SCOPE: 'https://management.usgovcloudapi.net/.default',
    });
    await armTokenProvider(sovereign, { fetch: fakeFetch }).getToken('tenant-a2');
    expect(requests[1]?.body.get('scope')).toBe('https://management.usgovcloudapi.net/.default');

    const emulated = await armTokenProvider(loadConfig({})).getToken('tenant-a1');
    expect(decodeJwt(emulated)).toMatchObject({
      tid: 'tenant-a1',
      aud: 'https://management.azure.com',
    });
    expect(requests).toHaveLength(2);
  });
});

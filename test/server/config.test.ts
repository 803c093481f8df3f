import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/env.js';

describe('loadConfig', () => {
  it('defaults to the demo: emulator on, ports 4000/4010, SQLite file, introspection on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      databaseUrl: './data/app.db',
      emulator: { enabled: true, port: 4010, scenario: 'demo-today', seed: 1 },
      partnerCenter: { url: null, ratePerMinute: 500 },
      introspection: true,
    });
  });

  it('requires auth and a partner directory with EMULATOR=off, and client credentials in production', () => {
    expect(() => loadConfig({ EMULATOR: 'off' })).toThrow(ConfigError);
    const directory = JSON.stringify([{ organizationId: 'o', organizationName: 'O', tenants: [] }]);
    const base = { EMULATOR: 'off', AUTH_JWT_SECRET: 'x'.repeat(32), PARTNER_DIRECTORY: directory };
    expect(loadConfig(base).partnerCenter.url).toBe('https://api.partnercenter.microsoft.com');
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/CLIENT_ID/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    const prod = loadConfig({
      ...base,
      NODE_ENV: 'production',
      PARTNER_CENTER_CLIENT_ID: 'app',
      PARTNER_CENTER_CLIENT_SECRET: 's',
    });
    expect(prod.introspection).toBe(false);
    expect(
      loadConfig({
        ...base,
        NODE_ENV: 'production',
        PARTNER_CENTER_CLIENT_ID: 'a',
        PARTNER_CENTER_CLIENT_SECRET: 's',
        GRAPHQL_INTROSPECTION: 'on',
      }).introspection,
    ).toBe(true);
  });

  it('rejects malformed values', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ EMULATOR: 'maybe' })).toThrow(/EMULATOR/);
  });
});

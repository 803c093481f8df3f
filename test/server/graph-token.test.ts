import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { armTokenProvider } from '../../server/azure-rm/arm-token.js';
import { loadConfig } from '../../server/config/env.js';
import { graphTokenProvider } from '../../server/graph/graph-token.js';

// Graph tokens for GDAP (issue 15 item 2) and the standalone-emulator fix of issue 16 item 7:
// with EMULATOR=off EMULATOR_URL=… neither the ARM nor the Graph token may be asked of Entra ID.

const standalone = {
  EMULATOR: 'off',
  EMULATOR_URL: 'http://127.0.0.1:4010',
  AUTH_JWT_SECRET: 's'.repeat(32),
};

function refusingFetch(calls: string[]): typeof fetch {
  return (input) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return Promise.resolve(new Response('{"error":"invalid_client"}', { status: 401 }));
  };
}

describe('Graph and ARM tokens', () => {
  it('standalone emulator: both tokens come from the emulator, Entra ID is never asked', async () => {
    const calls: string[] = [];
    const config = loadConfig(standalone);
    const graph = await graphTokenProvider(config, { fetch: refusingFetch(calls) }).getToken('t1');
    const arm = await armTokenProvider(config, { fetch: refusingFetch(calls) }).getToken('t1');
    expect(decodeJwt(graph)).toMatchObject({ tid: 't1', aud: 'https://graph.microsoft.com' });
    expect(decodeJwt(arm)).toMatchObject({ tid: 't1', aud: 'https://management.azure.com' });
    expect(calls).toEqual([]);
  });

  it('in-process emulator: an emulator token with the Graph audience', async () => {
    const token = await graphTokenProvider(loadConfig({})).getToken('tenant-a1');
    expect(decodeJwt(token)).toMatchObject({
      tid: 'tenant-a1',
      aud: 'https://graph.microsoft.com',
    });
  });

  it('production: client credentials for the Graph scope', async () => {
    const bodies: URLSearchParams[] = [];
    const urls: string[] = [];
    const fakeFetch: typeof fetch = (input, init) => {
      urls.push(String(input));
      bodies.push(init?.body as URLSearchParams);
      return Promise.resolve(
        Response.json({ access_token: 'graph-token', token_type: 'Bearer', expires_in: 3600 }),
      );
    };
    const config = loadConfig({
      EMULATOR: 'off',
      AUTH_JWKS_URL: 'https://login.example/keys',
      PARTNER_DIRECTORY: JSON.stringify([
        { organizationId: 'o', organizationName: 'O', tenants: [{ tenantId: 't1', name: 'T' }] },
      ]),
      PARTNER_CENTER_CLIENT_ID: 'app-id',
      PARTNER_CENTER_CLIENT_SECRET: 'app-secret',
    });
    expect(await graphTokenProvider(config, { fetch: fakeFetch }).getToken('t1')).toBe(
      'graph-token',
    );
    expect(urls[0]).toBe('https://login.microsoftonline.com/t1/oauth2/v2.0/token');
    expect(bodies[0]?.get('scope')).toBe('https://graph.microsoft.com/.default');
  });
});

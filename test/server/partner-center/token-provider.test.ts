import { decodeJwt } from 'jose';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientCredentialsTokenProvider,
  EmulatorTokenProvider,
  TokenAcquisitionError,
} from '../../../server/partner-center/token-provider.js';

const requests: URLSearchParams[] = [];
const server = setupServer(
  http.post('https://login.example.test/:tenant/oauth2/v2.0/token', async ({ request, params }) => {
    const form = new URLSearchParams(await request.text());
    requests.push(form);
    if (form.get('client_secret') !== 'secret') {
      return HttpResponse.json(
        { error: 'invalid_client', error_description: 'bad secret' },
        { status: 401 },
      );
    }
    return HttpResponse.json({
      token_type: 'Bearer',
      expires_in: 3599,
      access_token: `token-for-${String(params.tenant)}-${requests.length}`,
    });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  requests.length = 0;
});
afterAll(() => server.close());

describe('ClientCredentialsTokenProvider', () => {
  it('posts the client-credentials grant and caches the token until shortly before expiry', async () => {
    let now = 1_000_000;
    const provider = new ClientCredentialsTokenProvider({
      clientId: 'app-id',
      clientSecret: 'secret',
      authority: 'https://login.example.test',
      now: () => now,
    });
    const [a, b] = await Promise.all([
      provider.getToken('tenant-1'),
      provider.getToken('tenant-1'),
    ]);
    expect(a).toBe('token-for-tenant-1-1');
    expect(b).toBe(a);
    expect(requests).toHaveLength(1);
    expect(Object.fromEntries(requests[0]!)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app-id',
      client_secret: 'secret',
      scope: 'https://api.partnercenter.microsoft.com/.default',
    });
    now += 3_400_000; // 199 s left: inside the 5-minute renewal window
    expect(await provider.getToken('tenant-1')).toBe('token-for-tenant-1-2');
    expect(await provider.getToken('tenant-2')).toBe('token-for-tenant-2-3');
  });

  it('fails with the identity platform error', async () => {
    const provider = new ClientCredentialsTokenProvider({
      clientId: 'app-id',
      clientSecret: 'wrong',
      authority: 'https://login.example.test',
    });
    const error = await provider.getToken('tenant-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenAcquisitionError);
    expect(error).toMatchObject({ status: 401, errorCode: 'invalid_client' });
  });
});

describe('EmulatorTokenProvider', () => {
  it('mints a JWT whose tid is the partner tenant', async () => {
    const token = await new EmulatorTokenProvider().getToken('partner-tenant-9');
    expect(decodeJwt(token)).toMatchObject({
      tid: 'partner-tenant-9',
      aud: 'https://api.partnercenter.microsoft.com',
    });
  });
});

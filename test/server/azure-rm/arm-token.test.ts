import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, startEmulatorServer } from '../../../emulator/index.js';
import { armTokenProvider } from '../../../server/azure-rm/arm-token.js';
import { armUrlFor, createArmClientFactory } from '../../../server/azure-rm/arm.client.js';
import { loadConfig } from '../../../server/config/env.js';
import { demoTransfer } from '../../support/transfer.js';

// Issue 16 item 7: with a standalone emulator (EMULATOR=off EMULATOR_URL=…, the multi-replica
// setup) the ARM token came from Entra ID, which that setup cannot reach: the transfer's clean-up
// stalled with "fetch failed" and no hint of what failed.

const JWT = 'standalone-test-secret-0123456789abcdef';

describe('ARM tokens with a standalone emulator', () => {
  const emulator = createEmulator({ scenario: 'demo', seed: 7 });
  let server: Awaited<ReturnType<typeof startEmulatorServer>>;

  beforeAll(async () => {
    server = await startEmulatorServer(emulator, { port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('takes the token from the emulator, never from Entra ID, and ARM accepts it', async () => {
    const config = loadConfig({ EMULATOR: 'off', EMULATOR_URL: server.url, AUTH_JWT_SECRET: JWT });
    const fetched: string[] = [];
    const provider = armTokenProvider(config, {
      fetch: async (input) => {
        fetched.push(String(input));
        throw new TypeError('fetch failed');
      },
    });
    const demo = await demoTransfer(emulator);
    const token = await provider.getToken(demo.current.tenantId);
    expect(fetched).toEqual([]);
    expect(decodeJwt(token)).toMatchObject({
      aud: 'https://management.azure.com',
      tid: demo.current.tenantId,
    });
    // The standalone emulator's ARM answers with that token (the R-TRF-8 clean-up's first call).
    const arm = createArmClientFactory({
      baseUrl: armUrlFor(server.url),
      tokenProvider: provider,
      retry: { maxAttempts: 1 },
    }).forTenant(demo.current.tenantId);
    const assignments = await arm.listRoleAssignments(
      demo.subscription.entitlementId ?? demo.subscription.id,
    );
    expect(assignments.length).toBeGreaterThan(0);
  });

  it('names the token and the host when Entra ID cannot be reached (production)', async () => {
    const config = loadConfig({
      EMULATOR: 'off',
      AUTH_JWT_SECRET: JWT,
      PARTNER_DIRECTORY: '[]',
      PARTNER_CENTER_CLIENT_ID: 'app',
      PARTNER_CENTER_CLIENT_SECRET: 'secret',
    });
    const provider = armTokenProvider(config, {
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const error = await provider.getToken('partner-1').catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: 'ARM token (login.microsoftonline.com): fetch failed',
      code: 'NETWORK_ERROR',
      retryable: true,
    });
  });
});

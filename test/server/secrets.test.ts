import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from 'partner-center-emulator';
import { type Application, createApplication } from '../../server/app/application.js';
import { createAuthVerifier, signDevToken } from '../../server/app/auth.js';
import { type RunningHttpServer } from '../../server/app/http-server.js';
import { createLogger } from '../../server/app/logger.js';
import { loadConfig } from '../../server/config/env.js';
import { emulatorDirectorySource } from '../../server/modules/organizations/directory-source.js';
import {
  ClientCredentialsTokenProvider,
  EmulatorTokenProvider,
} from '../../server/partner-center/token-provider.js';
import { clockFrom } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { PC_BASE_URL, TEST_JWT_SECRET } from '../support/app.js';
import { ADMINS, demoTransfer, SIGN, TRANSFER_STATE } from '../support/transfer.js';

// Issue 8, secrets: bearer tokens, signing links and Partner Center credentials never reach the
// logs, error messages or another caller's responses; signing tokens are stored hashed only.

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

describe('secrets hygiene', () => {
  let emulator: Emulator;
  let app: Application;
  let http: RunningHttpServer;
  let dir: string;
  const logLines: string[] = [];
  let token: string;
  let fabrikamToken: string;
  let transferId: string;
  let links: Array<{ party: string; url: string }>;

  const gql = async (query: string, variables: Record<string, unknown>, bearer: string) => {
    const res = await fetch(http.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, text: await res.text() };
  };
  const local = (url: string) => {
    const u = new URL(url);
    return `${http.url}${u.pathname}${u.search}`;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    emulator = createEmulator({ scenario: 'demo', seed: 7 });
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(String(chunk));
        callback();
      },
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: join(dir, 'app.db'),
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'trace',
      PORT: '0',
      WORKFLOW_RUNNER: 'off',
    });
    app = await createApplication({
      config,
      partnerCenterUrl: PC_BASE_URL,
      tokenProvider: new EmulatorTokenProvider(),
      directory: emulatorDirectorySource({ emulatorUrl: PC_BASE_URL, fetch: emulator.fetch }),
      auth: createAuthVerifier({ jwtSecret: TEST_JWT_SECRET }),
      logger: createLogger({ level: 'trace', destination }),
      fetch: emulator.fetch,
      clock: clockFrom(emulator.clock),
      partnerCenter: { sleep: async () => undefined, retry: { maxAttempts: 2 } },
    });
    http = await app.listen({ port: 0, host: '127.0.0.1' });
    const demo = await demoTransfer(emulator);
    token = await signDevToken({
      secret: TEST_JWT_SECRET,
      organizationId: demo.organizationId,
      roles: [PartnerRole.GLOBAL_ADMIN],
    });
    fabrikamToken = await signDevToken({
      secret: TEST_JWT_SECRET,
      organizationId: demo.fabrikamOrganizationId,
      roles: [PartnerRole.GLOBAL_ADMIN],
    });
    // Partner Center stumbles once (429 then 503) so the client logs its retries.
    emulator.control.addFault({ status: 429, retryAfterSeconds: 1, times: 1 });
    emulator.control.addFault({ status: 503, times: 1 });
    const planned = await gql(
      `mutation($input: PlanSubscriptionTransferInput!) { planSubscriptionTransfer(input: $input) { userErrors { code } workflow { id } } }`,
      {
        input: {
          subscriptionId: demo.subscriptionGid,
          newPartnerTenantId: demo.target.tenantId,
          newPartnerMpnId: demo.target.mpnId,
          customerRequestReceivedAt: '2026-01-02T10:00:00Z',
          partnerAdmins: ADMINS,
        },
      },
      token,
    );
    transferId = JSON.parse(planned.text).data.planSubscriptionTransfer.workflow.id;
    await gql(
      SIGN,
      {
        input: {
          transferId,
          party: 'CURRENT_PARTNER',
          signerName: 'Aoife Byrne',
          signerEmail: 'aoife.byrne@contoso.example',
        },
      },
      token,
    );
    const state = JSON.parse((await gql(TRANSFER_STATE, { id: transferId }, token)).text);
    links = state.data.node.form.signingLinks;
    expect(links.length).toBe(2);
    // The customer opens and signs its link; a forged token and a reused link are refused.
    const customer = links.find((l) => l.party === 'CUSTOMER')!;
    expect((await fetch(local(customer.url))).status).toBe(200);
    const sign = (url: string) =>
      fetch(local(url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ signerName: 'Niamh Oak', signerEmail: 'niamh@oakstone.example' }),
      });
    expect((await sign(customer.url)).status).toBe(200);
    const reused = await sign(customer.url);
    expect(reused.status).toBeGreaterThanOrEqual(400);
    expect(await reused.text()).not.toContain(new URL(customer.url).searchParams.get('token'));
    // Failed authentication with a token signed by someone else.
    await gql('{ viewer { userId } }', {}, `${token.slice(0, -4)}AAAA`);
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const signingTokens = () =>
    links.map((l) => new URL(l.url).searchParams.get('token') ?? '').filter(Boolean);

  it('keeps bearer tokens, Partner Center tokens and signing tokens out of the logs', () => {
    const logs = logLines.join('');
    expect(logs).toContain('partner center call failed; retrying');
    expect(logs).toContain('http request');
    expect(logs).not.toMatch(JWT);
    expect(logs).not.toContain(token);
    for (const t of signingTokens()) {
      expect(t.length).toBeGreaterThan(16);
      expect(logs).not.toContain(t);
    }
  });

  it('stores signing tokens hashed: no raw token anywhere in the database', () => {
    const db = new Database(join(dir, 'app.db'), { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all() as Array<{ name: string }>;
      const dump = tables
        .map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all()))
        .join('\n');
      expect(dump.length).toBeGreaterThan(1000);
      for (const t of signingTokens()) {
        expect(dump).not.toContain(t);
      }
      expect(dump).not.toMatch(JWT);
    } finally {
      db.close();
    }
  });

  it('shows signing links to the owning organization only, never to the other party', async () => {
    const other = await gql(TRANSFER_STATE, { id: transferId }, fabrikamToken);
    expect(other.status).toBe(200);
    expect(JSON.parse(other.text).data.node.form.signingLinks).toEqual([]);
    for (const t of signingTokens()) {
      expect(other.text).not.toContain(t);
    }
    const list = await gql(
      '{ workflows { edges { node { id ... on SubscriptionTransfer { form { signingLinks { url } } } } } } }',
      {},
      fabrikamToken,
    );
    for (const t of signingTokens()) {
      expect(list.text).not.toContain(t);
    }
  });

  it('never puts the Partner Center client secret into an error', async () => {
    const secret = 'very-secret-client-secret-0123456789';
    const provider = new ClientCredentialsTokenProvider({
      clientId: 'app-id',
      clientSecret: secret,
      authority: 'https://login.example',
      fetch: (async () =>
        new Response(
          JSON.stringify({ error: 'invalid_client', error_description: 'bad credentials' }),
          { status: 401, headers: { 'content-type': 'application/json' } },
        )) as typeof fetch,
    });
    const error = await provider.getToken('tenant-1').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(secret);
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _e, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    });
    logger.error(
      { err: error, options: { clientSecret: secret }, headers: { authorization: 'Bearer x' } },
      'token failed',
    );
    expect(lines.join('')).not.toContain(secret);
    expect(lines.join('')).not.toContain('Bearer x');
  });
});

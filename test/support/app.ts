import { type Emulator } from 'partner-center-emulator';
import {
  type Application,
  type ApplicationOptions,
  createApplication,
} from '../../server/app/application.js';
import { createAuthVerifier, signDevToken } from '../../server/app/auth.js';
import { type RunningHttpServer } from '../../server/app/http-server.js';
import { createLogger } from '../../server/app/logger.js';
import { loadConfig } from '../../server/config/env.js';
import {
  type FetchLike,
  type PartnerCenterClientOptions,
} from '../../server/partner-center/client.js';
import {
  configDirectorySource,
  emulatorDirectorySource,
  type DirectorySource,
} from '../../server/modules/organizations/directory-source.js';
import { EmulatorTokenProvider } from '../../server/partner-center/token-provider.js';
import { type Clock } from '../../server/shared/clock.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { type Dialect } from '../../server/db/client.js';
import { createTestDatabase } from './dialects.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';
export const PC_BASE_URL = 'https://api.partnercenter.microsoft.com';

export interface GraphqlResponse<TData = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: TData | null;
    errors?: Array<{
      message: string;
      path?: string[];
      extensions?: { code?: string } & Record<string, unknown>;
    }>;
  };
}

export interface TestApp {
  app: Application;
  http: RunningHttpServer;
  /** A bearer token for an organization and roles (default GLOBAL_ADMIN). */
  token(organizationId: string, roles?: PartnerRole[]): Promise<string>;
  /** POSTs an operation to /graphql over real HTTP. `token: null` sends no Authorization header. */
  gql<TData = Record<string, unknown>>(
    query: string,
    options?: {
      variables?: Record<string, unknown>;
      token?: string | null;
      authorization?: string;
    },
  ): Promise<GraphqlResponse<TData>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** A logger of the test's own (e.g. pino over a captured stream); default silent. */
  logger?: ReturnType<typeof createLogger>;
  /** An emulator (`createEmulator()`): Partner Center calls and the directory go through `emulator.fetch`. */
  emulator?: { fetch: FetchLike };
  /** Otherwise: a directory and a Partner Center fetch of your own. */
  directory?: DirectorySource;
  fetch?: FetchLike;
  env?: Record<string, string>;
  clock?: Clock;
  partnerCenter?: Pick<PartnerCenterClientOptions, 'sleep' | 'random' | 'retry' | 'timeoutMs'>;
  /** Workflow engine knobs (crash hook, backoff); set `env.WORKFLOW_RUNNER: 'off'` to drive it by hand. */
  runner?: ApplicationOptions['runner'];
  /** Database dialect (default SQLite in memory); `pg` gets a fresh schema (test/support/dialects.ts). */
  dialect?: Dialect;
  /** The token GraphiQL pre-fills (as in emulator mode); sign it with TEST_JWT_SECRET. */
  devToken?: string;
  /** Tokens for Partner Center calls (default: the emulator's, with no `roles` claim). */
  tokenProvider?: ApplicationOptions['tokenProvider'];
  /** The built console to serve at /console and the dev token it pre-fills (console tests). */
  console?: Pick<ApplicationOptions, 'consoleDir' | 'devToken' | 'demoClock'>;
}

/** A two-organization directory for tests that need no Partner Center data. */
export const TWO_ORG_DIRECTORY = configDirectorySource([
  {
    organizationId: 'org-a',
    organizationName: 'Contoso Partners',
    tenants: [
      { tenantId: 'tenant-a1', name: 'Contoso FR', mpnId: '1001', country: 'FR', kind: 'direct' },
      { tenantId: 'tenant-a2', name: 'Contoso DE', mpnId: '1002', country: 'DE', kind: 'direct' },
    ],
  },
  {
    organizationId: 'org-b',
    organizationName: 'Fabrikam Partners',
    tenants: [
      { tenantId: 'tenant-b1', name: 'Fabrikam UK', mpnId: '2001', country: 'GB', kind: 'direct' },
    ],
  },
]);

/** Builds the application in memory (SQLite `:memory:`) and serves it on an ephemeral port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // A concrete port (not 0) so links the API hands out (exports, signing pages) point at it.
  const port = await freePort();
  const database =
    options.dialect && options.dialect !== 'sqlite'
      ? await createTestDatabase(options.dialect)
      : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database?.url ?? 'file::memory:',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: String(port),
    ...options.env,
  });
  const fetch = options.emulator?.fetch ?? options.fetch;
  const directory =
    options.directory ??
    (options.emulator
      ? emulatorDirectorySource({ emulatorUrl: PC_BASE_URL, fetch: options.emulator.fetch })
      : TWO_ORG_DIRECTORY);
  const app = await createApplication({
    config,
    partnerCenterUrl: PC_BASE_URL,
    tokenProvider: options.tokenProvider ?? new EmulatorTokenProvider(),
    directory,
    auth: createAuthVerifier({ jwtSecret: TEST_JWT_SECRET }),
    logger: options.logger ?? createLogger({ level: config.logLevel }),
    ...(fetch ? { fetch } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.devToken ? { devToken: options.devToken } : {}),
    ...options.console,
    partnerCenter: {
      sleep: async () => undefined,
      ...options.partnerCenter,
    },
  });
  const http = await app.listen({ port, host: '127.0.0.1' });
  const token = (organizationId: string, roles: PartnerRole[] = [PartnerRole.GLOBAL_ADMIN]) =>
    signDevToken({
      secret: TEST_JWT_SECRET,
      organizationId,
      roles,
      userId: `user-of-${organizationId}`,
    });
  return {
    app,
    http,
    token,
    async gql(query, gqlOptions = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (gqlOptions.authorization !== undefined) {
        headers.authorization = gqlOptions.authorization;
      } else if (gqlOptions.token !== null && gqlOptions.token !== undefined) {
        headers.authorization = `Bearer ${gqlOptions.token}`;
      }
      const response = await fetch_(http.graphqlUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables: gqlOptions.variables ?? {} }),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as GraphqlResponse['body'],
      } as never;
    },
    close: async () => {
      await app.close();
      await database?.drop();
    },
  };
}

// The global fetch, under a name that does not clash with the option. A request that meets a
// keep-alive socket the server closed for idleness (ECONNRESET before the request was read) is
// sent once more: the in-process PostgreSQL (PGlite) holds the event loop long enough for the
// server's idle timeout to race the next request on a pooled socket.
const fetch_ = async (input: string, init?: RequestInit): Promise<Response> => {
  try {
    return await globalThis.fetch(input, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
      return globalThis.fetch(input, init);
    }
    throw error;
  }
};

/** A TCP port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Runs an operation and returns its `data`; GraphQL errors throw (their JSON is the message). For
 * helpers that read state, where an error is a broken test, not the behaviour under test.
 */
export async function gqlData<TData>(
  t: Pick<TestApp, 'gql'>,
  query: string,
  options: { variables?: Record<string, unknown>; token?: string | null } = {},
): Promise<TData | null | undefined> {
  const res = await t.gql<TData>(query, options);
  if (res.body.errors) {
    throw new Error(JSON.stringify(res.body.errors));
  }
  return res.body.data;
}

/**
 * Plays time forward: runs every due step, then advances the emulator's clock by `step`, until
 * `done` holds or `maxSteps` clock moves were made.
 */
export async function playUntil(
  t: TestApp,
  emulator: Pick<Emulator, 'clock'>,
  done: () => Promise<boolean>,
  options: { step?: string; maxSteps?: number } = {},
): Promise<number> {
  const maxSteps = options.maxSteps ?? 200;
  for (let i = 0; i < maxSteps; i++) {
    await t.app.runner.drain();
    if (await done()) {
      return i;
    }
    await emulator.clock.advance(options.step ?? 'PT1H');
  }
  await t.app.runner.drain();
  return maxSteps;
}

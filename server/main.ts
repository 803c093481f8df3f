import 'reflect-metadata';
import { createEmulator, startEmulatorServer } from 'partner-center-emulator';
import { createApplication, type Application } from './app/application.js';
import { armTokenProvider } from './azure-rm/arm-token.js';
import { graphTokenProvider } from './graph/graph-token.js';
import { createAuthVerifier, signDevToken } from './app/auth.js';
import { type DemoClock } from './app/demo-clock.route.js';
import { ensureDevSecret } from './app/dev-secret.js';
import { createLogger, wantsPrettyLogs } from './app/logger.js';
import { type RunningHttpServer } from './app/http-server.js';
import { ConfigError, loadConfig } from './config/env.js';
import {
  configDirectorySource,
  emulatorDirectorySource,
  type DirectorySource,
} from './modules/organizations/directory-source.js';
import {
  ClientCredentialsTokenProvider,
  EmulatorTokenProvider,
  type TokenProvider,
} from './partner-center/token-provider.js';
import { type Clock, clockFrom, systemClock } from './shared/clock.js';
import { createHttpClock } from './shared/http-clock.js';
import { PartnerRole } from './shared/enums.js';

// Composition root: env → (emulator) → db → Partner Center clients → schema → HTTP.

async function main(): Promise<void> {
  const config = loadConfig();
  process.stderr.write(
    config.emulator.enabled
      ? `Starting the Partner Center emulator (scenario ${config.emulator.scenario}) and the API…\n`
      : 'Starting the API…\n',
  );
  const logger = createLogger({
    level: config.logLevel,
    pretty: wantsPrettyLogs(config.logFormat, config.nodeEnv, process.stdout.isTTY === true),
  });
  const closers: Array<() => Promise<void>> = [];

  let partnerCenterUrl = config.partnerCenter.url;
  let directory: DirectorySource;
  let tokenProvider: TokenProvider;
  let clock: Clock = systemClock;
  let emulatorUrl: string | undefined;
  let demoClock: DemoClock | undefined;

  if (config.emulator.enabled) {
    const emulator = createEmulator({
      scenario: config.emulator.scenario,
      seed: config.emulator.seed,
    });
    const server = await startEmulatorServer(emulator, {
      port: config.emulator.port,
      host: config.host,
    });
    closers.push(() => server.close());
    if (config.gdap.mode === 'required') {
      // Today's Partner Center: admin access is GDAP only, and the API expects the emulator so.
      emulator.control.gdap.setSettings({ requireGdap: true });
    }
    emulatorUrl = server.url;
    partnerCenterUrl ??= server.url;
    directory = emulatorDirectorySource({ emulatorUrl: server.url });
    tokenProvider = new EmulatorTokenProvider();
    // The API runs on the emulator's clock, so advancing it moves the workflow engine too.
    clock = clockFrom(emulator.clock);
    demoClock = emulator.clock;
  } else if (config.emulator.url) {
    // One of several replicas on a shared standalone emulator: it is Partner Center, the partner
    // directory, the token issuer and the business clock for all of them.
    emulatorUrl = config.emulator.url;
    directory = config.directory
      ? configDirectorySource(config.directory)
      : emulatorDirectorySource({ emulatorUrl });
    tokenProvider = new EmulatorTokenProvider();
    if (config.gdap.mode === 'required') {
      await checkEmulatorRequiresGdap(emulatorUrl, (message) => logger.warn(message));
    }
    const remoteClock = await createHttpClock(emulatorUrl);
    closers.push(async () => remoteClock.stop());
    clock = remoteClock;
  } else {
    directory = configDirectorySource(config.directory ?? []);
    tokenProvider = new ClientCredentialsTokenProvider({
      clientId: config.partnerCenter.clientId ?? '',
      clientSecret: config.partnerCenter.clientSecret ?? '',
      authority: config.partnerCenter.authority,
      scope: config.partnerCenter.scope,
    });
  }

  // In emulator mode without a configured secret, a dev secret is generated (kept in ./data).
  const jwtSecret =
    config.auth.jwtSecret ??
    (config.emulator.enabled && !config.auth.jwksUrl
      ? await ensureDevSecret(config.databaseUrl)
      : undefined);
  const auth = createAuthVerifier({ ...config.auth, jwtSecret });
  if (config.emulator.enabled && !config.transfer.signingSecret) {
    // Signing links survive restarts in the demo too (JWKS-only emulator mode included).
    await ensureDevSecret(config.databaseUrl);
  }

  let app: Application | undefined;
  let http: RunningHttpServer | undefined;
  let devToken: string | undefined;
  try {
    if (jwtSecret && !config.auth.jwtSecret) {
      // The dev token is for the first organization the emulator lists.
      const organizations = await directory.load();
      const firstOrg = organizations[0];
      if (firstOrg) {
        devToken = await signDevToken({
          secret: jwtSecret,
          organizationId: firstOrg.id,
          roles: [PartnerRole.GLOBAL_ADMIN],
          name: 'Demo administrator',
          userId: 'demo-admin',
        });
      }
    }
    app = await createApplication({
      config,
      partnerCenterUrl: partnerCenterUrl ?? 'https://api.partnercenter.microsoft.com',
      tokenProvider,
      // ARM (transfer clean-up): its own audience, ARM_SCOPE in production.
      armTokenProvider: armTokenProvider(config),
      // GDAP (Microsoft Graph): its own audience; the emulator's tokens in emulator mode.
      graphTokenProvider: graphTokenProvider(config),
      directory,
      auth,
      logger,
      clock,
      ...(devToken ? { devToken } : {}),
      ...(demoClock ? { demoClock } : {}),
    });
    http = await app.listen();
  } catch (error) {
    await Promise.all(closers.map((c) => c().catch(() => undefined)));
    throw error;
  }

  const lines = [
    '',
    `  GraphQL API   ${http.graphqlUrl}   (GraphiQL: open it in a browser)`,
    `  Console       ${http.url}/console/${devToken ? '   (the dev token is pre-filled)' : ''}`,
    emulatorUrl ? `  Emulator      ${emulatorUrl}   (control API under /_emulator/)` : undefined,
    `  Health        ${http.url}/healthz   ${http.url}/readyz`,
    devToken ? `\n  Dev token (Authorization: Bearer …):\n  ${devToken}\n` : undefined,
    devToken ? '  More tokens: npm run token -- --org <organization id> --role <ROLE>' : undefined,
    '',
  ];
  process.stdout.write(lines.filter((l) => l !== undefined).join('\n') + '\n');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void (async () => {
      await app?.close();
      logger.info('api closed');
      for (const close of closers) {
        await close().catch((error: unknown) => logger.warn({ err: error }, 'close failed'));
      }
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * A standalone emulator is started with `--require-gdap` (or `GDAP=required`) when the API expects
 * GDAP; the API only checks it (a shared emulator is not this replica's to reconfigure).
 */
async function checkEmulatorRequiresGdap(
  emulatorUrl: string,
  warn: (message: string) => void,
): Promise<void> {
  try {
    const res = await fetch(`${emulatorUrl.replace(/\/+$/, '')}/_emulator/gdap/settings`);
    if (res.ok && !((await res.json()) as { requireGdap?: boolean }).requireGdap) {
      warn(
        `GDAP=required, but the emulator at ${emulatorUrl} accepts DAP: start it with --require-gdap (or GDAP=required).`,
      );
    }
  } catch {
    // The emulator's control API is protected or unreachable: the clock read below reports it.
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});

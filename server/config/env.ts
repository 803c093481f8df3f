import { readFileSync } from 'node:fs';
import { durationMs as parseDurationMs } from 'partner-center-emulator';
import { z } from 'zod';
import { PARTNER_TENANT_KINDS } from '../shared/enums.js';

/**
 * The partner directory used when the emulator is off: organizations and their partner tenants,
 * given as JSON in `PARTNER_DIRECTORY` or in the file named by `PARTNER_DIRECTORY_FILE`.
 */
export const partnerDirectorySchema = z.array(
  z.object({
    organizationId: z.string().min(1),
    organizationName: z.string().min(1),
    tenants: z
      .array(
        z.object({
          tenantId: z.string().min(1),
          name: z.string().min(1),
          mpnId: z.string().default(''),
          country: z.string().default(''),
          region: z.string().nullish(),
          kind: z.enum(PARTNER_TENANT_KINDS).default('direct'),
          /** Object id of the tenant's Admin Agents group (transfer clean-up, R-TRF-8). */
          adminAgentsGroupId: z.string().uuid().optional(),
        }),
      )
      .default([]),
  }),
);
export type PartnerDirectoryConfig = z.infer<typeof partnerDirectorySchema>;

const onOff = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(['on', 'off', 'true', 'false', '1', '0']))
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: pino-pretty in development when stdout is a terminal, else JSON lines. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  DATABASE_URL: z.string().default('./data/app.db'),

  EMULATOR: onOff.default('on'),
  EMULATOR_PORT: port.default(4010),
  // Today's Partner Center (issue 15): new-commerce licenses, transfers; `demo` keeps the seeds' world.
  EMULATOR_SCENARIO: z.string().default('demo-today'),
  EMULATOR_SEED: z.coerce.number().int().default(1),
  /**
   * With EMULATOR=off: an emulator running elsewhere (`npm run emulator`) that this server (one of
   * several replicas) uses as Partner Center, partner directory, token issuer and clock.
   */
  EMULATOR_URL: z.string().url().optional(),

  PARTNER_CENTER_URL: z.string().url().optional(),
  PARTNER_CENTER_CLIENT_ID: z.string().optional(),
  PARTNER_CENTER_CLIENT_SECRET: z.string().optional(),
  ENTRA_AUTHORITY: z.string().url().default('https://login.microsoftonline.com'),
  PARTNER_CENTER_SCOPE: z.string().default('https://api.partnercenter.microsoft.com/.default'),
  PARTNER_CENTER_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  PARTNER_CENTER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  PARTNER_CENTER_CONCURRENCY: z.coerce.number().int().positive().default(8),
  PARTNER_CENTER_RATE_PER_MINUTE: z.coerce.number().int().positive().default(500),
  /** Burst of the per-tenant limiter (default: the per-minute rate). */
  PARTNER_CENTER_BURST: z.coerce.number().int().positive().optional(),
  /** How long front-end reads of customers and subscriptions are cached per tenant (PT0S: off). */
  PARTNER_CENTER_READ_CACHE_TTL: z.string().regex(/^P/).default('PT30S'),
  PARTNER_DIRECTORY: z.string().optional(),
  PARTNER_DIRECTORY_FILE: z.string().optional(),

  /** Key of the transfer form's signing links (R-TRF-5); default AUTH_JWT_SECRET. */
  SIGNING_LINK_SECRET: z.string().min(16).optional(),
  /** Lifetime of a signing link, ISO-8601 duration. */
  TRANSFER_SIGNING_LINK_TTL: z.string().regex(/^P/).default('P14D'),
  /** Support holidays of the 8-business-hour SLA (R-TRF-7): `FR:2026-01-01,*:2026-12-25`. */
  TRANSFER_HOLIDAYS: z.string().optional(),
  /** Days support works despite a public holiday from date-holidays: `IE:2026-03-17`. */
  TRANSFER_WORKING_DAYS: z.string().optional(),
  /** Whether the partner country's public and bank holidays (date-holidays) close support. */
  TRANSFER_PUBLIC_HOLIDAYS: onOff.default('on'),
  /**
   * Customer invitations (consolidation R-CON-2, channel move R-CHN-1), business-clock durations:
   * a reminder every INVITATION_REMINDER_INTERVAL while unanswered, at most INVITATION_REMINDERS of
   * them, and after INVITATION_VALIDITY the customer is a blocker (INVITATION_EXPIRED). Microsoft
   * documents no expiry of the reseller link; 90 days is the lifetime of a GDAP request.
   */
  INVITATION_REMINDER_INTERVAL: z.string().regex(/^P/).default('P7D'),
  INVITATION_REMINDERS: z.coerce.number().int().min(0).max(50).default(3),
  INVITATION_VALIDITY: z.string().regex(/^P/).default('P90D'),
  /**
   * [guess] When a consolidation first checks an accepted partner-to-partner transfer for
   * completion (business clock, after the acceptance; then every 30 minutes). Microsoft documents
   * no completion time; the emulator completes after PT1H (its own guess).
   */
  CONSOLIDATION_TRANSFER_FIRST_CHECK: z.string().regex(/^P/).default('PT1H'),
  /**
   * The consolidation's transfer-integrity sweep (issue 15), business-clock durations: a completed
   * transfer's subscriptions are checked in Partner Center every CONSOLIDATION_TRANSFER_WATCH_INTERVAL
   * for CONSOLIDATION_TRANSFER_WATCH after completion, and on while a check finds a condition
   * holding (up to 7 days; source not active, seats as inventoried);
   * an accepted transfer not completed CONSOLIDATION_TRANSFER_OVERDUE after acceptance is a blocker
   * (a guess: Microsoft documents no completion time).
   */
  CONSOLIDATION_TRANSFER_WATCH: z.string().regex(/^P/).default('P1D'),
  CONSOLIDATION_TRANSFER_WATCH_INTERVAL: z.string().regex(/^P/).default('P1D'),
  CONSOLIDATION_TRANSFER_OVERDUE: z.string().regex(/^P/).default('PT24H'),
  /** Token scope toward Azure Resource Manager (transfer clean-up, R-TRF-8). */
  ARM_SCOPE: z.string().default('https://management.azure.com/.default'),
  /**
   * GDAP as a step of the procedures that need admin access (issue 15 item 2): `required` (the
   * step runs; a customer that rejects or lets the request expire is blocked; an emulator is run
   * with `requireGdap`), `optional` (the step runs; a rejection is a warning and the customer
   * goes on with whatever access it has), `off` (no GDAP step, the seeds' DAP world).
   */
  GDAP: z.enum(['required', 'optional', 'off']).default('off'),
  /** Microsoft Graph root (default: graph.microsoft.com next to Partner Center, else the emulator's /graph/v1.0). */
  GRAPH_URL: z.string().url().optional(),
  AUTH_JWT_SECRET: z.string().min(16).optional(),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),

  GRAPHQL_INTROSPECTION: onOff.optional(),
  /** Stack traces in `errors[].extensions.stacktrace`: off unless asked for; never in production. */
  GRAPHQL_STACK_TRACES: onOff.default('off'),
  /** Query limits and the per-user cost budget (leaky bucket), see server/app/limits. */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(50).max(100_000).default(2_000),
  GRAPHQL_MAX_FIELDS: z.coerce.number().int().min(10).max(100_000).default(500),
  GRAPHQL_MAX_FIELD_COMPARISONS: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
  GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(25_000),
  GRAPHQL_COST_BUDGET: z.coerce.number().int().positive().default(100_000),
  GRAPHQL_COST_RESTORE_RATE: z.coerce.number().positive().default(2_000),
  GRAPHQL_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  GRAPHQL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Longest a cached query response is served (issue 20; PT0S: off); see response-cache.store.ts. */
  GRAPHQL_RESPONSE_CACHE_TTL: z.string().regex(/^P/).default('PT10S'),
  GRAPHQL_RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(0).default(1_000),
  GRAPHQL_RESPONSE_CACHE_MAX_MB: z.coerce.number().min(0).default(64),

  /** Absolute base URL clients reach this API at (export download links); default http://HOST:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  WORKFLOW_RUNNER: onOff.default('on'),
  WORKFLOW_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** First and longest recheck of a waiting item, ISO-8601 durations on the business clock. */
  WORKFLOW_RECHECK_MIN: z.string().regex(/^P/).default('PT5M'),
  WORKFLOW_RECHECK_MAX: z.string().regex(/^P/).default('PT1H'),
  WORKFLOW_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /**
   * How long a runner holds an item it claimed without renewing (renewed every third of it while
   * a step runs). A killed replica's items are taken over once it runs out (wall-clock time).
   */
  WORKFLOW_LEASE: z.string().regex(/^P/).default('PT1M'),
});

/**
 * ISO-8601 duration of fixed length (weeks, days, hours, minutes, seconds) in milliseconds, parsed
 * by the emulator's parser so both accept the same texts (`P2W`, `PT1.5H`).
 */
export function durationMs(text: string): number {
  try {
    return parseDurationMs(text);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/**
 * `TRANSFER_HOLIDAYS`: comma-separated `COUNTRY:YYYY-MM-DD` (ISO 3166 alpha-2, or `*` for every
 * country); a bare date applies to every country. Local dates of the partner's country.
 */
export function parseHolidays(
  text: string,
  variable = 'TRANSFER_HOLIDAYS',
): Record<string, string[]> {
  const byCountry: Record<string, string[]> = {};
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) {
      continue;
    }
    const match = /^(?:([A-Za-z]{2}|\*):)?(\d{4}-\d{2}-\d{2})$/.exec(entry);
    const date = match?.[2];
    if (!match || !date || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new ConfigError(
        `Invalid ${variable} entry "${entry}": expected COUNTRY:YYYY-MM-DD or *:YYYY-MM-DD.`,
      );
    }
    const country = (match[1] ?? '*').toUpperCase();
    (byCountry[country] ??= []).push(date);
  }
  return byCountry;
}

/** Parsed, validated configuration. Built once by {@link loadConfig}. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  host: string;
  port: number;
  logLevel: string;
  logFormat: 'auto' | 'json' | 'pretty';
  databaseUrl: string;
  emulator: {
    enabled: boolean;
    port: number;
    scenario: string;
    seed: number;
    /** An external emulator (EMULATOR=off): directory, tokens and clock come from it. */
    url: string | undefined;
  };
  partnerCenter: {
    /** Base URL without `/v1`; null in emulator mode until the emulator's URL is known. */
    url: string | null;
    clientId: string | undefined;
    clientSecret: string | undefined;
    authority: string;
    scope: string;
    timeoutMs: number;
    maxAttempts: number;
    concurrency: number;
    ratePerMinute: number;
    /** Limiter bucket size; undefined = the per-minute rate. */
    burst: number | undefined;
    /** TTL of the per-tenant read cache; 0 = off. */
    readCacheTtlMs: number;
  };
  directory: PartnerDirectoryConfig | null;
  auth: {
    jwtSecret: string | undefined;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
  };
  /** Introspection and the GraphiQL UI. */
  introspection: boolean;
  /** Stack traces in GraphQL error extensions (development only, when asked for). */
  stackTraces: boolean;
  /** Azure subscription transfer (R-TRF-5/7). */
  transfer: {
    /** Key of the signing links; undefined: a dev secret (emulator mode) or one per process. */
    signingSecret: string | undefined;
    signingLinkTtlMs: number;
    holidays: Record<string, string[]> | undefined;
    workingDays: Record<string, string[]> | undefined;
    publicHolidays: boolean;
  };
  /** Consolidation: first completion check of a transfer, business-clock ms. */
  consolidation: { transferFirstCheckMs: number };
  /** Customer invitations: reminders and validity, business-clock ms (INVITATION_*). */
  invitations: { reminderIntervalMs: number; maxReminders: number; validityMs: number };
  /** The consolidation's transfer-integrity sweep, business-clock ms (CONSOLIDATION_TRANSFER_*). */
  transferWatch: { watchMs: number; intervalMs: number; overdueMs: number };
  /** Azure Resource Manager (transfer clean-up, R-TRF-8). */
  arm: { scope: string };
  /** GDAP step of the procedures (issue 15 item 2) and where Microsoft Graph is. */
  gdap: { mode: 'required' | 'optional' | 'off'; graphUrl: string | undefined };
  /** Query limits, per-operation timeout, body size and the per-user cost budget. */
  graphqlLimits: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxFields: number;
    maxFieldComparisons: number;
    maxCost: number;
    timeoutMs: number;
    maxBodyBytes: number;
    costBudget: number;
    costRestorePerSecond: number;
  };
  /** Cached query responses (issue 20): TTL (0 = off) and memory bounds. */
  responseCache: { ttlMs: number; maxEntries: number; maxBytes: number };
  publicUrl: string;
  workflow: {
    runner: boolean;
    concurrency: number;
    recheckMinMs: number;
    recheckMaxMs: number;
    maxAttempts: number;
    /** Lease of a claimed item, wall-clock ms (WORKFLOW_LEASE). */
    leaseMs: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses configuration from an environment (default `process.env`); the only reader of it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${details}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';

  let directory: PartnerDirectoryConfig | null = null;
  const directoryText =
    e.PARTNER_DIRECTORY ??
    (e.PARTNER_DIRECTORY_FILE ? readFileSync(e.PARTNER_DIRECTORY_FILE, 'utf8') : undefined);
  if (directoryText !== undefined) {
    const result = partnerDirectorySchema.safeParse(JSON.parse(directoryText));
    if (!result.success) {
      throw new ConfigError(`Invalid PARTNER_DIRECTORY: ${result.error.message}`);
    }
    directory = result.data;
  }

  if (!e.EMULATOR) {
    if (!e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL) {
      throw new ConfigError('With EMULATOR=off, set AUTH_JWT_SECRET or AUTH_JWKS_URL.');
    }
    if (!directory && !e.EMULATOR_URL) {
      throw new ConfigError('With EMULATOR=off, set PARTNER_DIRECTORY or PARTNER_DIRECTORY_FILE.');
    }
    if (production && (!e.PARTNER_CENTER_CLIENT_ID || !e.PARTNER_CENTER_CLIENT_SECRET)) {
      throw new ConfigError(
        'In production, set PARTNER_CENTER_CLIENT_ID and PARTNER_CENTER_CLIENT_SECRET.',
      );
    }
  }
  const signingSecret = e.SIGNING_LINK_SECRET ?? e.AUTH_JWT_SECRET;
  if (production && !signingSecret) {
    // Signing links are HMAC tokens: a per-process key would break every link on restart.
    throw new ConfigError(
      'In production, set SIGNING_LINK_SECRET (or AUTH_JWT_SECRET): the transfer form signing links need a stable key.',
    );
  }
  const signingLinkTtlMs = durationMs(e.TRANSFER_SIGNING_LINK_TTL);
  if (signingLinkTtlMs <= 0) {
    throw new ConfigError('TRANSFER_SIGNING_LINK_TTL must be a positive duration.');
  }
  const invitations = {
    reminderIntervalMs: durationMs(e.INVITATION_REMINDER_INTERVAL),
    maxReminders: e.INVITATION_REMINDERS,
    validityMs: durationMs(e.INVITATION_VALIDITY),
  };
  if (invitations.reminderIntervalMs <= 0 || invitations.validityMs <= 0) {
    throw new ConfigError(
      'INVITATION_REMINDER_INTERVAL and INVITATION_VALIDITY must be positive durations.',
    );
  }
  const transferFirstCheckMs = durationMs(e.CONSOLIDATION_TRANSFER_FIRST_CHECK);
  if (transferFirstCheckMs < 0) {
    throw new ConfigError('CONSOLIDATION_TRANSFER_FIRST_CHECK must be a duration.');
  }
  const transferWatch = {
    watchMs: durationMs(e.CONSOLIDATION_TRANSFER_WATCH),
    intervalMs: durationMs(e.CONSOLIDATION_TRANSFER_WATCH_INTERVAL),
    overdueMs: durationMs(e.CONSOLIDATION_TRANSFER_OVERDUE),
  };
  if (transferWatch.intervalMs <= 0 || transferWatch.overdueMs <= 0 || transferWatch.watchMs < 0) {
    throw new ConfigError(
      'CONSOLIDATION_TRANSFER_WATCH_INTERVAL and CONSOLIDATION_TRANSFER_OVERDUE must be positive durations.',
    );
  }
  if (production && e.EMULATOR) {
    throw new ConfigError('NODE_ENV=production requires EMULATOR=off.');
  }

  return {
    nodeEnv: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    databaseUrl: e.DATABASE_URL,
    emulator: {
      enabled: e.EMULATOR,
      port: e.EMULATOR_PORT,
      scenario: e.EMULATOR_SCENARIO,
      seed: e.EMULATOR_SEED,
      url: e.EMULATOR_URL,
    },
    partnerCenter: {
      url:
        e.PARTNER_CENTER_URL ??
        e.EMULATOR_URL ??
        (e.EMULATOR ? null : 'https://api.partnercenter.microsoft.com'),
      clientId: e.PARTNER_CENTER_CLIENT_ID,
      clientSecret: e.PARTNER_CENTER_CLIENT_SECRET,
      authority: e.ENTRA_AUTHORITY,
      scope: e.PARTNER_CENTER_SCOPE,
      timeoutMs: e.PARTNER_CENTER_TIMEOUT_MS,
      maxAttempts: e.PARTNER_CENTER_MAX_ATTEMPTS,
      concurrency: e.PARTNER_CENTER_CONCURRENCY,
      ratePerMinute: e.PARTNER_CENTER_RATE_PER_MINUTE,
      burst: e.PARTNER_CENTER_BURST,
      readCacheTtlMs: durationMs(e.PARTNER_CENTER_READ_CACHE_TTL),
    },
    directory,
    auth: {
      jwtSecret: e.AUTH_JWT_SECRET,
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
    },
    introspection: e.GRAPHQL_INTROSPECTION ?? !production,
    stackTraces: !production && e.GRAPHQL_STACK_TRACES,
    transfer: {
      signingSecret,
      signingLinkTtlMs,
      holidays: e.TRANSFER_HOLIDAYS ? parseHolidays(e.TRANSFER_HOLIDAYS) : undefined,
      workingDays: e.TRANSFER_WORKING_DAYS
        ? parseHolidays(e.TRANSFER_WORKING_DAYS, 'TRANSFER_WORKING_DAYS')
        : undefined,
      publicHolidays: e.TRANSFER_PUBLIC_HOLIDAYS,
    },
    invitations,
    consolidation: { transferFirstCheckMs },
    transferWatch,
    arm: { scope: e.ARM_SCOPE },
    gdap: { mode: e.GDAP, graphUrl: e.GRAPH_URL },
    graphqlLimits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxFields: e.GRAPHQL_MAX_FIELDS,
      maxFieldComparisons: e.GRAPHQL_MAX_FIELD_COMPARISONS,
      maxCost: Math.min(e.GRAPHQL_MAX_COST, e.GRAPHQL_COST_BUDGET),
      timeoutMs: e.GRAPHQL_TIMEOUT_MS,
      maxBodyBytes: e.GRAPHQL_MAX_BODY_BYTES,
      costBudget: e.GRAPHQL_COST_BUDGET,
      costRestorePerSecond: e.GRAPHQL_COST_RESTORE_RATE,
    },
    responseCache: {
      ttlMs: durationMs(e.GRAPHQL_RESPONSE_CACHE_TTL),
      maxEntries: e.GRAPHQL_RESPONSE_CACHE_MAX_ENTRIES,
      maxBytes: Math.floor(e.GRAPHQL_RESPONSE_CACHE_MAX_MB * 1024 * 1024),
    },
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    workflow: {
      runner: e.WORKFLOW_RUNNER,
      concurrency: e.WORKFLOW_CONCURRENCY,
      recheckMinMs: durationMs(e.WORKFLOW_RECHECK_MIN),
      recheckMaxMs: durationMs(e.WORKFLOW_RECHECK_MAX),
      maxAttempts: e.WORKFLOW_MAX_ATTEMPTS,
      leaseMs: durationMs(e.WORKFLOW_LEASE),
    },
  };
}

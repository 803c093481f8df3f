import { parseArgs } from 'node:util';
import { signDevToken } from '../app/auth.js';
import { devSecretPath, readDevSecret } from '../app/dev-secret.js';
import { ConfigError, loadConfig } from '../config/env.js';
import { PartnerRole } from '../shared/enums.js';

// `npm run token -- --org <organization id> [--role <ROLE>]…`: a bearer token for the API signed with
// AUTH_JWT_SECRET, or with the dev secret `npm start` generated (emulator mode).

export const TOKEN_USAGE = `Usage: npm run token -- --org <organization id> [--role <ROLE>]... [options]

Prints a bearer token for the GraphQL API (Authorization: Bearer <token>), signed with
AUTH_JWT_SECRET, or with the dev secret \`npm start\` created in emulator mode: next to the
SQLite database file DATABASE_URL names (default ./data/dev-jwt-secret), or ./data/dev-jwt-secret
when the database is not a file (:memory:, postgres://…, pglite:…). Run it with the DATABASE_URL
the server uses.

Options:
  --org <id>         organization the token acts for (required); \`npm start\` prints a token for
                     the first one, and \`{ viewer { organization { id } } }\` shows its id
  --role <ROLE>      ${Object.values(PartnerRole).join(', ')}
                     (default GLOBAL_ADMIN); repeat the option or separate with commas
  --sub <id>         user id (default dev-user)
  --name <name>      display name (default "Local developer")
  --expires <span>   lifetime: 30m, 12h, 7d … (default 12h)
  -h, --help         print this help
`;

export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
}

/** Runs the token command; returns the process exit code (0 ok, 1 failure, 2 bad usage). */
export async function tokenCommand(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        org: { type: 'string' },
        role: { type: 'string', multiple: true },
        sub: { type: 'string', default: 'dev-user' },
        name: { type: 'string', default: 'Local developer' },
        expires: { type: 'string', default: '12h' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n\n${TOKEN_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(TOKEN_USAGE);
    return 0;
  }
  if (!values.org) {
    io.stderr.write(`error: --org is required\n\n${TOKEN_USAGE}`);
    return 2;
  }
  const roles = (values.role ?? ['GLOBAL_ADMIN']).flatMap((r) => r.split(',')).filter(Boolean);
  const known = Object.values(PartnerRole) as string[];
  const unknown = roles.filter((r) => !known.includes(r));
  if (unknown.length > 0) {
    io.stderr.write(`error: unknown role(s) ${unknown.join(', ')}; use ${known.join(', ')}\n`);
    return 2;
  }
  if (!/^\d+\s*(s|m|h|d|w)$/.test(values.expires)) {
    io.stderr.write(`error: --expires ${values.expires}: use a number and s, m, h, d or w (12h)\n`);
    return 2;
  }
  try {
    const config = loadConfig(io.env ?? process.env);
    const secret = config.auth.jwtSecret ?? (await readDevSecret(config.databaseUrl));
    if (!secret) {
      io.stderr.write(
        `error: no signing secret: set AUTH_JWT_SECRET, or run \`npm start\` once (same DATABASE_URL) to create the dev secret; looked for it in ${devSecretPath(config.databaseUrl)}\n`,
      );
      return 1;
    }
    const token = await signDevToken({
      secret,
      organizationId: values.org,
      roles: roles as PartnerRole[],
      userId: values.sub,
      name: values.name,
      expiresIn: values.expires,
      ...(config.auth.issuer ? { issuer: config.auth.issuer } : {}),
      ...(config.auth.audience ? { audience: config.auth.audience } : {}),
    });
    io.stdout.write(`${token}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(
      `error: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`,
    );
    return 1;
  }
}

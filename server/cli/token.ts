import { parseArgs } from 'node:util';
import { signDevToken } from '../app/auth.js';
import { readDevSecret } from '../app/dev-secret.js';
import { loadConfig } from '../config/env.js';
import { PartnerRole } from '../shared/enums.js';

// `npm run token -- --org <organization id> --role <ROLE> [--role …] [--sub id] [--name n] [--expires 12h]`
// prints a bearer token signed with AUTH_JWT_SECRET, or with the dev secret `npm start` generated.

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      role: { type: 'string', multiple: true },
      sub: { type: 'string', default: 'dev-user' },
      name: { type: 'string', default: 'Local developer' },
      expires: { type: 'string', default: '12h' },
    },
  });
  if (!values.org) {
    process.stderr.write(
      'usage: npm run token -- --org <organization id> --role <ROLE> [--role <ROLE>]\n',
    );
    process.exitCode = 2;
    return;
  }
  const roles = (values.role ?? ['GLOBAL_ADMIN']).flatMap((r) => r.split(','));
  const known = Object.values(PartnerRole) as string[];
  const unknown = roles.filter((r) => !known.includes(r));
  if (unknown.length > 0) {
    process.stderr.write(`unknown role(s) ${unknown.join(', ')}; use ${known.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const secret = config.auth.jwtSecret ?? (await readDevSecret(config.databaseUrl));
  if (!secret) {
    process.stderr.write('set AUTH_JWT_SECRET, or run `npm start` once to create the dev secret\n');
    process.exitCode = 1;
    return;
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
  process.stdout.write(`${token}\n`);
}

await main();

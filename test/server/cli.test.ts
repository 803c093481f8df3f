import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { TOKEN_USAGE, tokenCommand } from '../../server/cli/token.command.js';
import { devSecretPath, ensureDevSecret } from '../../server/app/dev-secret.js';
import { resolve } from 'node:path';

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
      env: { NODE_ENV: 'test', AUTH_JWT_SECRET: 'a-test-secret-that-is-long-enough-123' },
    },
  };
}

describe('npm run token', () => {
  it('prints its usage for --help and -h, with no stack trace', async () => {
    for (const flag of ['--help', '-h']) {
      const { out, io } = capture();
      expect(await tokenCommand([flag], io)).toBe(0);
      expect(out.stdout).toBe(TOKEN_USAGE);
      expect(out.stdout).toContain('--org <id>');
      expect(out.stdout).toContain('GLOBAL_ADMIN');
      expect(out.stderr).toBe('');
    }
  });

  it('answers bad usage with a message and the usage (exit 2), never a stack trace', async () => {
    for (const args of [
      ['--bogus'],
      [],
      ['--org', 'o', '--role', 'KING'],
      ['--org', 'o', '--expires', 'soon'],
      ['stray'],
    ]) {
      const { out, io } = capture();
      expect(await tokenCommand(args, io), args.join(' ')).toBe(2);
      expect(out.stderr, args.join(' ')).toMatch(/^error: /);
      expect(out.stderr).not.toMatch(/\n\s+at /);
      expect(out.stdout).toBe('');
    }
  });

  it('prints a token the API accepts for the organization and roles', async () => {
    const { out, io } = capture();
    expect(await tokenCommand(['--org', 'org-a', '--role', 'ADMIN_AGENT,SALES_AGENT'], io)).toBe(0);
    const { payload } = await jwtVerify(
      out.stdout.trim(),
      new TextEncoder().encode(io.env.AUTH_JWT_SECRET),
    );
    expect(payload).toMatchObject({ sub: 'dev-user' });
    expect(JSON.stringify(payload)).toContain('org-a');
    expect(JSON.stringify(payload)).toContain('SALES_AGENT');
  });
});

describe('npm run token finds the dev secret wherever DATABASE_URL puts the database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-secret-'));
  const db = join(dir, 'nested', 'app.db');
  const sqliteUrls = [db, `file:${db}`, `file:${db}?mode=rwc`, `file://${db}`];

  it('keeps it next to a SQLite file, however the URL spells the file', () => {
    for (const url of sqliteUrls) {
      expect(devSecretPath(url), url).toBe(join(dir, 'nested', 'dev-jwt-secret'));
    }
    expect(devSecretPath('./data/app.db')).toBe(resolve('data', 'dev-jwt-secret'));
  });

  it('keeps it in ./data when the database is not a file (PostgreSQL, PGlite, memory)', () => {
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/test',
      'postgresql://u:p@db.example:5432/app?sslmode=require',
      'pglite:memory',
      'pglite:./data/pg',
      'file::memory:',
      ':memory:',
    ]) {
      const path = devSecretPath(url);
      expect(path, url).toBe(resolve('data', 'dev-jwt-secret'));
      expect(path).not.toContain('postgres');
    }
  });

  it('signs with the secret `npm start` created for the same DATABASE_URL', async () => {
    for (const url of sqliteUrls) {
      const secret = await ensureDevSecret(sqliteUrls[0]!);
      const { out, io } = capture();
      const env = { NODE_ENV: 'test', DATABASE_URL: url };
      expect(await tokenCommand(['--org', 'org-a'], { ...io, env }), out.stderr).toBe(0);
      await jwtVerify(out.stdout.trim(), new TextEncoder().encode(secret));
    }
  });

  it('says where it looked when there is no secret', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dev-secret-none-'));
    const { out, io } = capture();
    const env = { NODE_ENV: 'test', DATABASE_URL: `file:${join(empty, 'app.db')}` };
    expect(await tokenCommand(['--org', 'org-a'], { ...io, env })).toBe(1);
    expect(out.stderr).toContain(join(empty, 'dev-jwt-secret'));
    rmSync(empty, { recursive: true, force: true });
  });
});

describe('npm start: build only when dist/ is stale', () => {
  it('says it is building before tsc runs, then skips the build while dist/ is current', () => {
    const root = mkdtempSync(join(tmpdir(), 'build-if-stale-'));
    try {
      mkdirSync(join(root, 'server'));
      writeFileSync(join(root, 'server', 'main.ts'), 'export const answer: number = 42;\n');
      writeFileSync(
        join(root, 'tsconfig.build.json'),
        JSON.stringify({
          compilerOptions: { outDir: 'dist', rootDir: '.', module: 'NodeNext', skipLibCheck: true },
          include: ['server'],
        }),
      );
      const run = () =>
        spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], {
          env: { ...process.env, BUILD_ROOT: root },
          encoding: 'utf8',
        });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr.split('\n')[0]).toMatch(/^First build: compiling/);
      expect(first.stderr).toMatch(/Built in \d+ s\./);
      expect(existsSync(join(root, 'dist', 'server', 'main.js'))).toBe(true);

      const second = run();
      expect(second.stderr).toBe('dist/ is up to date with the sources: skipping the build.\n');

      // The emulator workspace package is compiled first, and its own dist/ is output, not source.
      mkdirSync(join(root, 'emulator'));
      writeFileSync(join(root, 'emulator', 'index.ts'), 'export const emulated = true;\n');
      writeFileSync(
        join(root, 'emulator', 'tsconfig.build.json'),
        JSON.stringify({
          compilerOptions: { outDir: 'dist', rootDir: '.', module: 'NodeNext', skipLibCheck: true },
          include: ['*.ts'],
        }),
      );
      const withEmulator = run();
      expect(withEmulator.stderr.split('\n')[0]).toMatch(/^Sources changed since the last build/);
      expect(existsSync(join(root, 'emulator', 'dist', 'index.js'))).toBe(true);
      expect(run().stderr).toBe('dist/ is up to date with the sources: skipping the build.\n');

      const later = new Date(Date.now() + 5_000);
      utimesSync(join(root, 'server', 'main.ts'), later, later);
      const third = run();
      expect(third.stderr.split('\n')[0]).toMatch(/^Sources changed since the last build/);

      writeFileSync(join(root, 'server', 'main.ts'), 'export const answer: number = "no";\n');
      utimesSync(
        join(root, 'server', 'main.ts'),
        new Date(Date.now() + 10_000),
        new Date(Date.now() + 10_000),
      );
      const broken = run();
      expect(broken.status).not.toBe(0);
      expect(broken.stderr).toContain('The build failed');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});

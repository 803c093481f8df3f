import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { TOKEN_USAGE, tokenCommand } from '../../server/cli/token.command.js';

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

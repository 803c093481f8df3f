import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/**
 * Builds the console from its sources into a fresh temporary directory, as `npm run build` does
 * (codegen from schema/schema.graphql, then vite): browser tests test the current sources, and a
 * fresh clone's `npm test` needs no prior build.
 */
export async function buildConsole(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'console-build-'));
  const codegen = join(dirname(require.resolve('@graphql-codegen/cli/package.json')), 'cjs/bin.js');
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
  await run(process.execPath, [codegen, '--config', 'console/codegen.ts', '--errors-only']);
  await run(process.execPath, [
    vite,
    'build',
    'console',
    '--outDir',
    outDir,
    '--emptyOutDir',
    '--logLevel',
    'warn',
  ]);
  return outDir;
}

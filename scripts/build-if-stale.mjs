#!/usr/bin/env node
// `npm start`, `npm run token`, `npm run emulator`: compile with tsc only when dist/ is older than
// the sources, and say so from the first second (a first build takes a minute or more on a small
// machine). A stamp in dist/ records the last successful build; any source file, folder (a file
// added or removed), tsconfig or package.json newer than it means a rebuild. The emulator is its own
// workspace package: its dist/ (emulator/dist) is built first, and the API is compiled against its
// published types; build output folders do not count as sources.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

// BUILD_ROOT: another project folder (the script's own test).
const root = process.env.BUILD_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.build-stamp');
const SOURCES = ['server', 'emulator', 'schema'];
const FILES = [
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
  'emulator/package.json',
];
const OUTPUTS = new Set(['dist', 'node_modules']);
// In build order: the emulator package, then the API (tsconfig.build.json resolves it by its types).
const PROJECTS = ['emulator/tsconfig.build.json', 'tsconfig.build.json'];
const quiet = process.argv.includes('--quiet');
// `npm run build`: compile whatever the stamp says (and stamp), quietly.
const always = process.argv.includes('--always');

/** The newest modification time under the sources (files and folders), in ms. */
function newestSource(dir = root) {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (OUTPUTS.has(entry)) {
          continue;
        }
        visit(join(path, entry));
      }
    }
  };
  for (const name of SOURCES) {
    if (existsSync(join(dir, name))) {
      visit(join(dir, name));
    }
  }
  for (const name of FILES) {
    if (existsSync(join(dir, name))) {
      newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
    }
  }
  return newest;
}

function isCurrent() {
  return existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource();
}

const say = (line) => process.stderr.write(`${line}\n`);

if (!always && isCurrent()) {
  if (!quiet) {
    say('dist/ is up to date with the sources: skipping the build.');
  }
} else {
  const started = Date.now();
  if (!always) {
    say(
      existsSync(STAMP)
        ? 'Sources changed since the last build: compiling with tsc (usually 30–90 s)…'
        : 'First build: compiling the TypeScript sources with tsc into dist/ (about a minute or two)…',
    );
  }
  const projects = PROJECTS.filter((name) => existsSync(join(root, name)));
  // A package's dist/ appearing would touch its folder's mtime after the stamp: create it first.
  for (const project of projects.filter((name) => dirname(name) !== '.')) {
    mkdirSync(join(root, dirname(project), 'dist'), { recursive: true });
  }
  const startedAt = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  for (const project of projects) {
    const run = spawnSync(process.execPath, [tsc, '-p', join(root, project)], {
      cwd: root,
      stdio: 'inherit',
    });
    if (run.status !== 0) {
      say(`The build failed (tsc -p ${project}, output above).`);
      process.exit(run.status ?? 1);
    }
  }
  // Stamped with the build's start time: a file saved during the build triggers the next one.
  writeFileSync(STAMP, `${startedAt.toISOString()}\n`);
  utimesSync(STAMP, startedAt, startedAt);
  if (!always) {
    say(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
  }
}

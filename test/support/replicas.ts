import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFile } from '@swc/core';
import { signDevToken } from '../../server/app/auth.js';
import { PartnerRole } from '../../server/shared/enums.js';
import { type GraphqlResponse } from './app.js';

/*
 * Real server processes for the multi-replica test and the replica benchmark (issue 10). The
 * server is compiled with swc (decorator metadata, as vitest does) into node_modules/.cache, which
 * takes seconds where `tsc` takes a minute, and run as `node server/main.js`, exactly as
 * `npm start` runs dist/server/main.js.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPLICA_BUILD_DIR = join(root, 'node_modules', '.cache', 'csp-replicas');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === 'node_modules' ? [] : sources(path);
    }
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

let built: Promise<string> | undefined;

/** Compiles server/, emulator/ and schema/ once per process; returns the main.js path. */
export function buildServer(): Promise<string> {
  built ??= (async () => {
    const files = ['server', 'emulator', 'schema'].flatMap((d) => sources(join(root, d)));
    await Promise.all(
      files.map(async (file) => {
        const out = join(REPLICA_BUILD_DIR, relative(root, file)).replace(/\.ts$/, '.js');
        const { code } = await transformFile(file, {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'es6' },
          sourceMaps: false,
        });
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, code);
      }),
    );
    writeFileSync(join(REPLICA_BUILD_DIR, 'package.json'), '{"type":"module"}\n');
    return join(REPLICA_BUILD_DIR, 'server', 'main.js');
  })();
  return built;
}

export interface Replica {
  name: string;
  url: string;
  graphqlUrl: string;
  process: ChildProcess;
  /** Everything the process wrote (for failure messages). */
  output(): string;
  /** SIGKILL: no shutdown, leases left behind. */
  kill(): void;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts `node server/main.js` (swc build, or `main` given) with `env`; waits until it serves GraphQL. */
export async function startReplica(
  name: string,
  port: number,
  env: Record<string, string>,
  main?: string,
): Promise<Replica> {
  main ??= await buildServer();
  const child = spawn(process.execPath, [main as string], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('GraphQL API')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    url,
    graphqlUrl: `${url}/graphql`,
    process: child,
    output: () => output,
    kill: () => child.kill('SIGKILL'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** A GraphQL client of one replica, shaped like TestApp's `gql`/`token`. */
export function replicaClient(replica: { graphqlUrl: string }, secret: string) {
  return {
    token: (organizationId: string, roles: PartnerRole[] = [PartnerRole.GLOBAL_ADMIN]) =>
      signDevToken({ secret, organizationId, roles, userId: `user-of-${organizationId}` }),
    async gql<TData = Record<string, unknown>>(
      query: string,
      options: { variables?: Record<string, unknown>; token?: string | null } = {},
    ): Promise<GraphqlResponse<TData>> {
      const response = await fetch(replica.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify({ query, variables: options.variables ?? {} }),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as GraphqlResponse<TData>['body'],
      };
    },
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
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

import { availableParallelism } from 'node:os';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// type-graphql reads decorator metadata, which esbuild does not emit: compile through swc instead.
// graphql is aliased to one module file so type-graphql and our code share the same GraphQLSchema class.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    alias: { graphql: 'graphql/index.js' },
    conditions: ['source'],
  },
  // Tests import the emulator by its public path (`partner-center-emulator`); the `source` export
  // condition points it at the TypeScript entry, so no build is needed (vitest resolves as SSR).
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine.
    // The suite's files are independent processes (each its own in-memory SQLite, PGlite or
    // PostgreSQL schema), so run one per core; `--maxWorkers` still overrides it.
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ['default'],
  },
});

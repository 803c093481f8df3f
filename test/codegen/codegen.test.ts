import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';

// Proves a client can be generated from the committed schema: the `client` preset over the
// operations in test/codegen/operations, then `tsc` over the output and a small consumer.

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const OUT = resolve('test/codegen/generated');

const CONSUMER = `import { CustomersPageDocument, DemoDocument, type DemoQuery, type CustomersPageQueryVariables, CustomerSummaryFragmentDoc } from './graphql';
import { useFragment } from './fragment-masking';

export function summarize(data: DemoQuery): string[] {
  return data.viewer.organization.partnerTenants.flatMap((tenant) =>
    tenant.customers.edges.map((edge) => {
      const customer = useFragment(CustomerSummaryFragmentDoc, edge.node);
      const seats: number = customer.subscriptions.edges.reduce((n, e) => n + e.node.quantity, 0);
      return \`\${tenant.name}: \${customer.companyName} (\${seats} seats, \${tenant.customers.totalCount} total)\`;
    }),
  );
}

export const variables: CustomersPageQueryVariables = { partnerTenantId: 'x', first: 10 };
export const documents = [DemoDocument, CustomersPageDocument];
`;

describe('codegen', () => {
  it('generates a typed client from schema/schema.graphql that compiles with tsc', async () => {
    await rm(OUT, { recursive: true, force: true });
    await generate(
      {
        schema: 'schema/schema.graphql',
        documents: ['test/codegen/operations/*.graphql'],
        generates: {
          [`${OUT}/`]: {
            preset: 'client',
            config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } },
          },
        },
        silent: true,
        errorsOnly: true,
      },
      true,
    );
    await mkdir(OUT, { recursive: true });
    await writeFile(join(OUT, 'consumer.ts'), CONSUMER);
    await writeFile(
      join(OUT, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ['ES2022', 'DOM'],
          types: [],
        },
        include: ['*.ts'],
      }),
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(OUT, 'tsconfig.json')]).catch(
      (error: { stdout?: string; stderr?: string }) => error,
    );
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
  }, 120_000);
});

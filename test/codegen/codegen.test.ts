import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type CodegenConfig, generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';

// Proves a client can be generated from the committed schema: the `client` preset over the
// operations in test/codegen/operations, then `tsc` over the output and a small consumer.

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const OUT = resolve('test/codegen/generated');
/** A client project laid out as the README's codegen.ts expects (schema.graphql, src/). */
const README_PROJECT = resolve('test/codegen/generated/readme-project');

/** The `codegen.ts` block of README.md, between its codegen-config markers. */
export function readmeCodegenConfig(readme: string): string {
  const block =
    /<!-- codegen-config:start -->\s*```ts\n([\s\S]*?)```\s*<!-- codegen-config:end -->/.exec(
      readme,
    );
  if (!block?.[1]) {
    throw new Error('README.md has no ```ts block between the codegen-config markers');
  }
  return block[1];
}

// Typed with the README's config: enums are unions (an unknown value does not compile), DateTime
// is a string (not unknown, not any).
const README_CONSUMER = `import type { TypedFieldsQuery, WorkflowEventType, UserErrorCode, BlockerCode, ActivityOperation, PartnerTenantKind, ExportCustomersFileMutation } from './src/gql/graphql';

type Event = TypedFieldsQuery['workflows']['edges'][number]['node']['events']['edges'][number]['node'];
type Blocker = TypedFieldsQuery['workflows']['edges'][number]['node']['blockers'][number];
type Entry = TypedFieldsQuery['activityLog']['edges'][number]['node'];
type Tenant = TypedFieldsQuery['viewer']['organization']['partnerTenants'][number];
type File = NonNullable<ExportCustomersFileMutation['exportCustomers']['export']>;
type Failure = ExportCustomersFileMutation['exportCustomers']['userErrors'][number];

export function read(e: Event, b: Blocker, a: Entry, t: Tenant, f: File, u: Failure) {
  const at: string = e.at;
  const expires: string = f.expiresAt;
  const type: WorkflowEventType = e.typeEnum;
  const code: BlockerCode = b.codeEnum;
  const failure: UserErrorCode = u.codeEnum;
  const op: ActivityOperation = a.operationEnum;
  const kind: PartnerTenantKind = t.kindEnum;
  const started: WorkflowEventType = 'WORKFLOW_STARTED';
  const unknown: ActivityOperation = 'UNKNOWN';
  const source: 'PRODUCT' | 'PARTNER_CENTER_AUDIT' = a.sourceEnum;
  // @ts-expect-error DateTime is a string, not any
  const notNumber: number = e.at;
  // @ts-expect-error WorkflowEventType is a union of the emitted types, not string
  const never: WorkflowEventType = 'STEP_STARTED';
  // @ts-expect-error UserErrorCode is a union, not string
  const alsoNever: UserErrorCode = 'NO_SUCH_CODE';
  return [at, expires, type, code, failure, op, kind, started, unknown, source, notNumber, never, alsoNever];
}
`;

const TSCONFIG = {
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
};

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
    await writeFile(join(OUT, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, include: ['*.ts'] }));
    const tsc = require.resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(OUT, 'tsconfig.json')]).catch(
      (error: { stdout?: string; stderr?: string }) => error,
    );
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
  }, 120_000);

  it("runs the README's codegen.ts: enums are unions, DateTime is string", async () => {
    await rm(README_PROJECT, { recursive: true, force: true });
    await mkdir(join(README_PROJECT, 'src'), { recursive: true });
    await copyFile('schema/schema.graphql', join(README_PROJECT, 'schema.graphql'));
    for (const file of await readdir('test/codegen/operations')) {
      await copyFile(join('test/codegen/operations', file), join(README_PROJECT, 'src', file));
    }
    await writeFile(
      join(README_PROJECT, 'codegen.ts'),
      readmeCodegenConfig(await readFile('README.md', 'utf8')),
    );
    const config = (
      (await import(join(README_PROJECT, 'codegen.ts'))) as { default: CodegenConfig }
    ).default;
    await generate({ ...config, cwd: README_PROJECT, silent: true, errorsOnly: true }, true);

    const generated = await readFile(join(README_PROJECT, 'src/gql/graphql.ts'), 'utf8');
    expect(generated).toMatch(/DateTime: \{ input: string; output: string; \}/);
    for (const name of [
      'WorkflowEventType',
      'UserErrorCode',
      'BlockerCode',
      'ActivityOperation',
      'ActivitySource',
      'PartnerTenantKind',
      'WorkflowStatus',
    ]) {
      expect(generated, name).toMatch(
        new RegExp(`export type ${name} =\\s*(?:/\\*\\*[^\\n]*\\*/\\s*)?\\| '[A-Z]`),
      );
    }
    await writeFile(join(README_PROJECT, 'consumer.ts'), README_CONSUMER);
    await writeFile(
      join(README_PROJECT, 'tsconfig.json'),
      JSON.stringify({ ...TSCONFIG, include: ['consumer.ts', 'src/**/*.ts'] }),
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [
      tsc,
      '-p',
      join(README_PROJECT, 'tsconfig.json'),
    ]).catch((error: { stdout?: string; stderr?: string }) => error);
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
  }, 120_000);
});

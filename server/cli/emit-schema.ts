import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildAppSchema, printSortedSchema } from '../app/build-schema.js';
import { createAppPubSub } from '../app/pubsub.js';
import { ERROR_CODES_DOC } from '../shared/error-codes.js';
import { renderErrorCodesDoc } from '../shared/error-codes-doc.js';

// `npm run schema:emit` writes the sorted SDL to schema/schema.graphql and the code list to
// docs/error-codes.md; `npm run schema:check` (`--check`) fails when the code and a committed file
// differ.

export const SCHEMA_FILE = 'schema/schema.graphql';

export async function currentSchemaSdl(): Promise<string> {
  return printSortedSchema(await buildAppSchema({ pubSub: createAppPubSub() }));
}

async function emit(name: string, content: string, check: boolean): Promise<void> {
  const file = resolve(process.cwd(), name);
  if (!check) {
    await writeFile(file, content, 'utf8');
    process.stdout.write(`wrote ${name}\n`);
    return;
  }
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed !== content) {
    process.stderr.write(
      `${name} is out of date with the code: run \`npm run schema:emit\` and commit it.\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${name} is up to date\n`);
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  await emit(SCHEMA_FILE, await currentSchemaSdl(), check);
  await emit(ERROR_CODES_DOC, renderErrorCodesDoc(), check);
}

await main();

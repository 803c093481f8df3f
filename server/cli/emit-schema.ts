import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildAppSchema, printSortedSchema } from '../app/build-schema.js';
import { createAppPubSub } from '../app/pubsub.js';

// `npm run schema:emit` writes the sorted SDL to schema/schema.graphql;
// `npm run schema:check` (`--check`) fails when the code and the committed file differ.

export const SCHEMA_FILE = 'schema/schema.graphql';

export async function currentSchemaSdl(): Promise<string> {
  return printSortedSchema(await buildAppSchema({ pubSub: createAppPubSub() }));
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const file = resolve(process.cwd(), SCHEMA_FILE);
  const sdl = await currentSchemaSdl();
  if (!check) {
    await writeFile(file, sdl, 'utf8');
    process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
    return;
  }
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed !== sdl) {
    process.stderr.write(
      `${SCHEMA_FILE} is out of date with the code: run \`npm run schema:emit\` and commit it.\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${SCHEMA_FILE} is up to date\n`);
}

await main();

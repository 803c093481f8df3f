import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildAppSchema, printSortedSchema } from '../../server/app/build-schema.js';
import { createAppPubSub } from '../../server/app/pubsub.js';

describe('schema artefact', () => {
  it('schema/schema.graphql matches the schema built from the code (run `npm run schema:emit`)', async () => {
    const sdl = printSortedSchema(await buildAppSchema({ pubSub: createAppPubSub() }));
    const committed = await readFile('schema/schema.graphql', 'utf8');
    expect(sdl).toBe(committed);
  });
});

import { type NonEmptyArray } from 'type-graphql';
import { type NodeDefinition } from '../modules/node/node-registry.js';

/**
 * A feature module: its resolver classes, the node types it can fetch by global id, and object
 * types that no field references directly (e.g. interface implementations).
 */
export interface AppModule {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers?: Function[];
  nodes?: NodeDefinition[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function collectResolvers(modules: readonly AppModule[]): NonEmptyArray<Function> {
  const resolvers = modules.flatMap((m) => m.resolvers ?? []);
  if (resolvers.length === 0) {
    throw new Error('no resolvers');
  }
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  return resolvers as NonEmptyArray<Function>;
}

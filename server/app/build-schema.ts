import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { DateTimeScalar } from '../shared/scalars.js';
import { authChecker } from './auth.js';
import { collectResolvers, type AppModule } from './module.js';
import { appModules } from './modules.js';

/** Builds the executable schema from the modules (type-graphql, explicit type functions everywhere). */
export async function buildAppSchema(options: {
  pubSub: PubSub;
  modules?: readonly AppModule[];
}): Promise<GraphQLSchema> {
  const modules = options.modules ?? appModules;
  return buildSchema({
    resolvers: collectResolvers(modules),
    orphanedTypes: modules.flatMap((m) => m.orphanedTypes ?? []),
    authChecker,
    authMode: 'error',
    pubSub: options.pubSub,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    emitSchemaFile: false,
  });
}

/** The schema as sorted SDL, exactly as committed in schema/schema.graphql. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

import { azurePlanModule } from '../procedures/azure-plan/index.js';
import { channelMoveModule } from '../procedures/channel-move/index.js';
import { consolidationModule } from '../procedures/consolidation/index.js';
import { type ProcedureModule } from '../procedures/procedure-module.js';
import { transferModule } from '../procedures/transfer/index.js';

/**
 * Every procedure of the product. The engine's definitions, the services, the GraphQL mapper,
 * node types and schema, the start/cancel guards, the viewers and the HTTP routes are built from
 * this list: a new procedure is its folder under `server/procedures/` plus one line here.
 */
export const procedureModules = [
  consolidationModule,
  transferModule,
  azurePlanModule,
  channelMoveModule,
] as const satisfies readonly ProcedureModule[];

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;

/** The services every procedure adds to the request context (`consolidations`, `transfers`, …). */
export type ProcedureServices = UnionToIntersection<
  ReturnType<(typeof procedureModules)[number]['services']>
>;

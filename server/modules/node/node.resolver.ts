import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { BadUserInputError } from '../../shared/errors.js';
import { Node } from '../common/common.type.js';

/** Most ids `nodes` accepts at once. */
export const MAX_NODES = 100;

@Resolver()
export class NodeResolver {
  @Authorized()
  @Query(() => Node, {
    nullable: true,
    description:
      "Fetches any object by global id; null for unknown ids and for other organizations' objects.",
  })
  async node(
    @Arg('id', () => ID, { description: 'Global id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<object | null> {
    return ctx.services.nodes.resolve(ctx, id);
  }

  @Authorized()
  @Query(() => [Node], {
    nullable: 'items',
    description: `Fetches up to ${MAX_NODES} objects by global id, in order; null entries as for \`node\`.`,
  })
  async nodes(
    @Arg('ids', () => [ID], { description: 'Global ids.' }) ids: string[],
    @Ctx() ctx: ApiContext,
  ): Promise<Array<object | null>> {
    if (ids.length > MAX_NODES) {
      throw new BadUserInputError(`"ids" accepts at most ${MAX_NODES} ids.`, 'ids');
    }
    return Promise.all(ids.map((id) => ctx.services.nodes.resolve(ctx, id)));
  }
}

import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { type ApiContext } from '../../modules/api-context.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { type ConsolidationServices } from './consolidation.service.js';
import { TenantConsolidation } from './consolidation.type.js';
import { ConsolidationTransferWave } from './consolidation-paths.type.js';

type Context = ApiContext<ConsolidationServices>;

/** Transfer waves of a consolidation (issue 15: 300 subscriptions per source tenant, §11). */
@Resolver(() => TenantConsolidation)
export class ConsolidationPathsResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @FieldResolver(() => [ConsolidationTransferWave], {
    description:
      'Waves of source tenants with more than 300 subscriptions to transfer (Microsoft allows 300 per tenant in one consolidation); empty when none needs them. Plan each with options.wave.',
  })
  async transferWaves(
    @Root() wf: TenantConsolidation,
    @Ctx() ctx: Context,
  ): Promise<ConsolidationTransferWave[]> {
    const data = ctx.services.consolidationViews.data(wf.row);
    const chosen = data.options?.wave ?? null;
    const waves = new Map<string, ConsolidationTransferWave>();
    const customers = new Map<string, Set<string>>();
    for (const item of await ctx.services.consolidationViews.items(wf.row)) {
      if (!item.parentItemId) {
        continue;
      }
      const wave = (JSON.parse(item.dataJson) as { wave?: number }).wave;
      if (!wave) {
        continue;
      }
      const key = `${item.partnerTenantId ?? ''}/${wave}`;
      const row =
        waves.get(key) ??
        Object.assign(new ConsolidationTransferWave(), {
          sourceTenantId: item.partnerTenantId ?? '',
          wave,
          customers: 0,
          subscriptions: 0,
          planned: chosen === wave,
        });
      row.subscriptions += 1;
      const seen = customers.get(key) ?? new Set();
      seen.add(item.parentItemId);
      customers.set(key, seen);
      row.customers = seen.size;
      waves.set(key, row);
    }
    return [...waves.values()].sort((a, b) =>
      a.sourceTenantId === b.sourceTenantId
        ? a.wave - b.wave
        : a.sourceTenantId.localeCompare(b.sourceTenantId),
    );
  }
}

import { Ctx, FieldResolver, Resolver, Root, registerEnumType } from 'type-graphql';
import { type ApiContext } from '../../modules/api-context.js';
import { transferData } from './transfer.model.js';
import { type TransferServices } from './transfer.service.js';
import { SubscriptionTransfer } from './transfer.type.js';

type Context = ApiContext<TransferServices>;

export enum SubscriptionTransferPath {
  SUPPORT_TICKET = 'SUPPORT_TICKET',
  PARTNER_TRANSFER = 'PARTNER_TRANSFER',
  INCOMING_PARTNER_TRANSFER = 'INCOMING_PARTNER_TRANSFER',
}
registerEnumType(SubscriptionTransferPath, {
  name: 'SubscriptionTransferPath',
  description: 'How the subscription changes partner (docs/consolidation-paths.md).',
  valuesConfig: {
    SUPPORT_TICKET: {
      description:
        'Legacy Azure (MS-AZR-0145P): support ticket and three-party signed form (R-TRF-3..7).',
    },
    PARTNER_TRANSFER: {
      description:
        'Azure plan: a partner-to-partner transfer the new partner creates and the current partner accepts (partner-center-api.md §11), then the R-TRF-8 clean-up.',
    },
    INCOMING_PARTNER_TRANSFER: {
      description:
        'Azure plan coming to us: we are the new partner and create the transfer, the current partner (not served here) accepts it (§11), then our R-TRF-8 clean-up.',
    },
  },
});

/** The path field of a subscription transfer (issue 15 item 3/4). */
@Resolver(() => SubscriptionTransfer)
export class SubscriptionTransferPathResolver {
  @FieldResolver(() => SubscriptionTransferPath, {
    description: 'The path this transfer takes, chosen from the subscription at planning.',
  })
  path(@Root() wf: SubscriptionTransfer, @Ctx() _ctx: Context): SubscriptionTransferPath {
    const path = (transferData(wf.row) as { path?: string }).path;
    return path === 'PARTNER_TRANSFER'
      ? SubscriptionTransferPath.PARTNER_TRANSFER
      : path === 'INCOMING_PARTNER_TRANSFER'
        ? SubscriptionTransferPath.INCOMING_PARTNER_TRANSFER
        : SubscriptionTransferPath.SUPPORT_TICKET;
  }
}

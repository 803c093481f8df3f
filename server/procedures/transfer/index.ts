import { randomBytes } from 'node:crypto';
import { type ProcedureModule } from '../procedure-module.js';
import { GdapPlanner } from '../shared/gdap/gdap-planner.js';
import { adminAgentsGroupLookup } from './admin-agents.js';
import { SubscriptionTransferResolver } from './transfer.resolver.js';
import { SubscriptionTransferPathResolver } from './transfer-path.resolver.js';
import { transferFormPdfRoute, transferSigningRoutes } from './transfer.route.js';
import {
  TransferService,
  transferCancelGuard,
  transferStartGuard,
  type TransferServices,
} from './transfer.service.js';
import { SubscriptionTransfer } from './transfer.type.js';
import { TransferLinks } from './transfer-links.js';
import { INCOMING_TRANSFER } from './transfer.model.js';
import { TransferSigningService } from './transfer-signing.service.js';
import { TransferViewService } from './transfer-view.service.js';
import { TransferNewPartnerResolver } from './transfer-new-partner.resolver.js';
import { TransferNewPartnerService } from './transfer-new-partner.service.js';
import { transferDefinition } from './steps/transfer.steps.js';

/** Azure subscription transfer to another partner (R-TRF-*). */
export const transferModule: ProcedureModule<TransferServices> = {
  kind: 'SUBSCRIPTION_TRANSFER',
  definition: ({ db, clients, arm, graph, publicUrl, directory, transfer }) =>
    transferDefinition({
      db,
      clients,
      arm,
      graph,
      publicUrl,
      adminAgentsGroupOf: adminAgentsGroupLookup(directory),
      ...(transfer?.calendar ? { calendar: transfer.calendar } : {}),
    }),
  services: (deps) => {
    const links = new TransferLinks({
      db: deps.db,
      clock: deps.clock,
      publicUrl: deps.publicUrl,
      // Without a configured key, links last as long as the process (they cannot be shown again).
      signingSecret: deps.signingSecret ?? randomBytes(32),
      ...(deps.transfer?.signingLinkTtlMs
        ? { signingLinkTtlMs: deps.transfer.signingLinkTtlMs }
        : {}),
    });
    const { db, clock, notifier, kick } = deps;
    const transferViews = new TransferViewService({ db, clock, links });
    return {
      transfers: new TransferService({
        db,
        clock,
        organizations: deps.organizations,
        workflows: deps.workflows,
        clients: deps.clients,
        links,
        views: transferViews,
        notifier,
        kick,
        gdap: new GdapPlanner({
          db,
          graph: deps.graph,
          mode: deps.gdap.mode,
          directory: deps.directory,
        }),
      }),
      transferViews,
      transferNewPartner: new TransferNewPartnerService({
        db,
        clock,
        clients: deps.clients,
        views: transferViews,
        notifier,
      }),
      transferSigning: new TransferSigningService({
        db,
        clock,
        views: transferViews,
        notifier,
        kick,
      }),
    };
  },
  graphql: {
    typeName: 'SubscriptionTransfer',
    create: () => new SubscriptionTransfer(),
    resolvers: [
      SubscriptionTransferResolver,
      TransferNewPartnerResolver,
      SubscriptionTransferPathResolver,
    ],
    types: [SubscriptionTransfer],
  },
  routes: ({ services, auth }) => [
    ...transferSigningRoutes({ signing: services.transferSigning }),
    transferFormPdfRoute({ auth, views: services.transferViews }),
  ],
  guards: {
    start: ({ db }) => transferStartGuard(db),
    cancel: ({ db, clients, clock }) => transferCancelGuard(db, clients, clock),
  },
  // The new partner's organization reads an incoming transfer (and is told of its changes).
  viewerRoles: [INCOMING_TRANSFER],
};

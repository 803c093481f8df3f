import { type ProcedureModule } from '../procedure-module.js';
import { GdapPlanner } from '../shared/gdap/gdap-planner.js';
import { ChannelMoveExportService } from './channel-move-export.service.js';
import { ChannelMoveViewService } from './channel-move-view.service.js';
import { ChannelMoveResolver } from './channel-move.resolver.js';
import {
  ChannelMoveService,
  channelMoveStartGuard,
  type ChannelMoveServices,
} from './channel-move.service.js';
import { ChannelMove } from './channel-move.type.js';
import { channelMoveInvitationSpec } from './channel-move-invitations.js';
import { channelMoveDefinition } from './steps/channel-move.steps.js';

/** Channel move: license customers brought over from another channel (R-CHN-*). */
export const channelMoveModule: ProcedureModule<ChannelMoveServices> = {
  kind: 'CHANNEL_MOVE',
  definition: ({ db, clients, graph, invitations }) =>
    channelMoveDefinition({ db, clients, graph, ...(invitations ? { invitations } : {}) }),
  services: ({
    db,
    clock,
    clients,
    organizations,
    workflows,
    publicUrl,
    graph,
    gdap,
    directory,
  }) => {
    const channelMoveViews = new ChannelMoveViewService({ db });
    return {
      channelMoves: new ChannelMoveService({
        db,
        clock,
        organizations,
        workflows,
        clients,
        gdap: new GdapPlanner({ db, graph, mode: gdap.mode, directory }),
      }),
      channelMoveViews,
      channelMoveExports: new ChannelMoveExportService({
        db,
        clock,
        views: channelMoveViews,
        publicUrl,
      }),
    };
  },
  graphql: {
    typeName: 'ChannelMove',
    create: () => new ChannelMove(),
    resolvers: [ChannelMoveResolver],
    types: [ChannelMove],
  },
  invitations: channelMoveInvitationSpec,
  guards: { start: ({ db }) => channelMoveStartGuard(db) },
};

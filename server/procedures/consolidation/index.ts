import { type ProcedureModule } from '../procedure-module.js';
import { GdapPlanner } from '../shared/gdap/gdap-planner.js';
import { ConsolidationExportService } from './consolidation-export.service.js';
import { ConsolidationViewService } from './consolidation-view.service.js';
import { TenantConsolidationResolver } from './consolidation.resolver.js';
import {
  ConsolidationService,
  consolidationStartGuard,
  type ConsolidationServices,
} from './consolidation.service.js';
import { TenantConsolidation } from './consolidation.type.js';
import { consolidationInvitationSpec } from './consolidation-invitations.js';
import { ConsolidationPathsResolver } from './consolidation-paths.resolver.js';
import { ConsolidationTransferWave } from './consolidation-paths.type.js';
import { consolidationDefinition } from './steps/consolidation.steps.js';

/** Regional tenant consolidation (R-CON-*). */
export const consolidationModule: ProcedureModule<ConsolidationServices> = {
  kind: 'TENANT_CONSOLIDATION',
  definition: ({ db, clients, graph, invitations, consolidation, transferWatch }) =>
    consolidationDefinition({
      db,
      clients,
      graph,
      ...(invitations ? { invitations } : {}),
      ...(consolidation?.transferFirstCheckMs !== undefined
        ? { transferFirstCheckMs: consolidation.transferFirstCheckMs }
        : {}),
      ...(transferWatch ? { transferWatch } : {}),
    }),
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
  }) => ({
    consolidations: new ConsolidationService({
      db,
      organizations,
      workflows,
      clients,
      clock,
      gdap: new GdapPlanner({ db, graph, mode: gdap.mode, directory }),
      sourceGdap: { graph, mode: gdap.mode },
    }),
    consolidationViews: new ConsolidationViewService({ db, clock }),
    consolidationExports: new ConsolidationExportService({ db, clock, publicUrl }),
  }),
  graphql: {
    typeName: 'TenantConsolidation',
    create: () => new TenantConsolidation(),
    resolvers: [TenantConsolidationResolver, ConsolidationPathsResolver],
    types: [TenantConsolidation, ConsolidationTransferWave],
  },
  invitations: consolidationInvitationSpec,
  guards: { start: ({ db }) => consolidationStartGuard(db) },
};

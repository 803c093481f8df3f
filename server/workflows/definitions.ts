import { type PartnerCenterClientFactory } from '../partner-center/client-factory.js';
import { type Clock } from '../shared/clock.js';
import { consolidationDefinition } from './consolidation/consolidation.steps.js';
import { azurePlanDefinition } from './azure-plan/azure-plan.steps.js';
import { channelMoveDefinition } from './channel-move/channel-move.steps.js';
import { type EngineDb } from './engine/db.types.js';
import { type WorkflowDefinition } from './engine/workflow-runner.js';
import { type TransferDeps, transferDefinition } from './transfer/transfer.steps.js';

export interface DefinitionDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  clock: Clock;
  /** Azure Resource Manager (transfer clean-up, R-TRF-8) and transfer options. */
  transfer?: Pick<TransferDeps, 'arm' | 'publicUrl' | 'calendar' | 'adminAgentsGroupOf'>;
}

/** Every procedure the runner can advance. A new procedure adds its definition here. */
export function workflowDefinitions(deps: DefinitionDeps): WorkflowDefinition[] {
  return [
    consolidationDefinition({ db: deps.db, clients: deps.clients }),
    ...(deps.transfer
      ? [transferDefinition({ db: deps.db, clients: deps.clients, ...deps.transfer })]
      : []),
    azurePlanDefinition({ db: deps.db, clients: deps.clients }),
    channelMoveDefinition({ db: deps.db, clients: deps.clients }),
  ];
}

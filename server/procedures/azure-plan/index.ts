import { type ProcedureModule } from '../procedure-module.js';
import { AzurePlanViewService } from './azure-plan-view.service.js';
import { AzurePlanTransitionResolver } from './azure-plan.resolver.js';
import { azurePlanStartGuard } from './azure-plan.guard.js';
import { AzurePlanService, type AzurePlanServices } from './azure-plan.service.js';
import { AzurePlanTransition } from './azure-plan.type.js';
import { AzureReconciliationResolver } from './azure-reconciliation.resolver.js';
import { AzureReconciliationService } from './azure-reconciliation.service.js';
import { azurePlanDefinition } from './steps/azure-plan.steps.js';

/** Legacy Azure (MS-AZR-0145P) to an Azure plan, and the reconciliation after it (R-AZP-*). */
export const azurePlanModule: ProcedureModule<AzurePlanServices> = {
  kind: 'AZURE_PLAN_TRANSITION',
  definition: ({ db, clients }) => azurePlanDefinition({ db, clients }),
  services: ({ db, clock, clients, organizations, workflows, publicUrl }) => ({
    azurePlans: new AzurePlanService({ db, clock, organizations, workflows, clients }),
    azurePlanViews: new AzurePlanViewService({ db }),
    azureReconciliation: new AzureReconciliationService({
      db,
      clock,
      organizations,
      clients,
      publicUrl,
    }),
  }),
  graphql: {
    typeName: 'AzurePlanTransition',
    create: () => new AzurePlanTransition(),
    resolvers: [AzurePlanTransitionResolver, AzureReconciliationResolver],
    types: [AzurePlanTransition],
  },
  guards: { start: ({ db }) => azurePlanStartGuard(db) },
};

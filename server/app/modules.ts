import { customersModule } from '../modules/customers/index.js';
import { gdapModule } from '../modules/gdap/index.js';
import { nodeModule } from '../modules/node/index.js';
import { organizationsModule } from '../modules/organizations/index.js';
import { subscriptionsModule } from '../modules/subscriptions/index.js';
import { workflowCoreModule } from '../modules/workflow-core/index.js';
import { createWorkflowsModule } from '../modules/workflows/index.js';
import { CustomerInvitationResolver } from '../procedures/shared/customer-invitations.resolver.js';
import { type AppModule } from './module.js';
import { procedureModules } from './procedures.js';

/** Every feature module of the API; add a module here to add its resolvers and node types. */
export const appModules: readonly AppModule[] = [
  nodeModule,
  organizationsModule,
  customersModule,
  subscriptionsModule,
  gdapModule,
  workflowCoreModule,
  createWorkflowsModule(procedureModules),
  // reinviteCustomer / excludeFromWorkflow, for the procedures that invite customers.
  { name: 'customer-invitations', resolvers: [CustomerInvitationResolver] },
];

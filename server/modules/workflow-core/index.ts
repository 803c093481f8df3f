import { type AppModule } from '../../app/module.js';
import { WorkflowUpdatedResolver } from './workflow-updated.resolver.js';
import { BasicUserError } from '../common/common.type.js';

export const workflowCoreModule: AppModule = {
  name: 'workflow-core',
  resolvers: [WorkflowUpdatedResolver],
  orphanedTypes: [BasicUserError],
};

import { createPubSub } from '@graphql-yoga/subscription';

/** Topic of `Subscription.workflowUpdated`. */
export const WORKFLOW_UPDATED_TOPIC = 'WORKFLOW_UPDATED';

/**
 * Published by the workflow engine whenever a workflow changes. `id` is the workflow's global id;
 * `organizationId` scopes delivery (subscribers of other organizations never see it). `workflow`
 * may carry the resolved object; without it the subscriber fetches the workflow through the node
 * registry (fresh loaders per event).
 */
export interface WorkflowUpdatedEvent {
  id: string;
  organizationId: string;
  workflow?: object;
}

export type AppPubSubTopics = {
  [WORKFLOW_UPDATED_TOPIC]: [WorkflowUpdatedEvent];
};

/** In-process pub/sub (EventTarget based); a PostgreSQL LISTEN/NOTIFY target can replace it. */
export function createAppPubSub() {
  return createPubSub<AppPubSubTopics>();
}
export type AppPubSub = ReturnType<typeof createAppPubSub>;

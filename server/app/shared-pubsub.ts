import { type Notifications } from '../db/client.js';
import { type Logger } from './logger.js';
import { type AppPubSub, WORKFLOW_UPDATED_TOPIC, type WorkflowUpdatedEvent } from './pubsub.js';

/**
 * Live updates across replicas (issue 10): `workflowUpdated` events go through PostgreSQL
 * LISTEN/NOTIFY, so a subscriber connected to replica A sees changes made by replica B. Publishing
 * sends a NOTIFY (only `id` and `organizationId` cross; subscribers load the workflow themselves);
 * every replica, the publishing one included, LISTENs on a dedicated connection that reconnects
 * after errors and republishes into its in-process pub/sub, where the subscriptions live.
 */
export async function createSharedPubSub(
  local: AppPubSub,
  notifications: Notifications,
  logger: Logger,
): Promise<AppPubSub> {
  const channel = notifications.channel('workflow_updated');
  await notifications.listen(channel, (payload) => {
    try {
      const event = JSON.parse(payload) as WorkflowUpdatedEvent;
      if (typeof event.id === 'string' && typeof event.organizationId === 'string') {
        local.publish(WORKFLOW_UPDATED_TOPIC, {
          id: event.id,
          organizationId: event.organizationId,
        });
      }
    } catch (error) {
      logger.warn({ err: error }, 'ignored a malformed workflow notification');
    }
  });
  const publish: AppPubSub['publish'] = (topic, ...args) => {
    const [event] = args as [WorkflowUpdatedEvent];
    if (topic !== WORKFLOW_UPDATED_TOPIC || !event) {
      local.publish(topic, ...args);
      return;
    }
    const payload = JSON.stringify({ id: event.id, organizationId: event.organizationId });
    notifications.notify(channel, payload).catch((error: unknown) => {
      // The database is unreachable: at least this replica's subscribers hear of it.
      logger.warn({ err: error }, 'workflow notification failed; delivered locally only');
      local.publish(topic, ...args);
    });
  };
  return { ...local, publish };
}

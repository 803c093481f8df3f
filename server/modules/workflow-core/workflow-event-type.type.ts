import { registerEnumType } from 'type-graphql';
import { WORKFLOW_EVENT_TYPES, type WorkflowEventType } from '../../shared/workflow-event-types.js';

// `WorkflowEvent.typeEnum`: the registered event types (server/shared/workflow-event-types.ts).

export const WorkflowEventTypeEnum = Object.fromEntries(
  Object.keys(WORKFLOW_EVENT_TYPES).map((t) => [t, t]),
) as Record<WorkflowEventType, WorkflowEventType>;

registerEnumType(WorkflowEventTypeEnum, {
  name: 'WorkflowEventType',
  description:
    'What a workflow event records. Procedures add types in later releases: treat an unknown value as a generic event and show its `message`.',
  valuesConfig: Object.fromEntries(
    Object.entries(WORKFLOW_EVENT_TYPES).map(([t, meaning]) => [t, { description: meaning }]),
  ),
});

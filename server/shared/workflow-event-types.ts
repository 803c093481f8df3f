// Every `WorkflowEvent.type` the engine and the procedures write (issue 19): the GraphQL enum
// `WorkflowEventType` and its value descriptions are made from it, and the `type` of a new event
// (`StepContext.emit`, the engine's inserts, the workflow_events column) is typed by it, so an
// unregistered type does not compile. Adding one is one line. Types are stable across releases:
// stored events keep theirs, so never rename or drop one.

// One line per type, whatever its length.
// prettier-ignore
export const WORKFLOW_EVENT_TYPES = {
  // ---- Engine (every procedure) ----
  PLANNED: 'The dry run made the plan (DRAFT).',
  WORKFLOW_STARTED: 'startWorkflow accepted the plan; steps run in the background.',
  WORKFLOW_RUNNING: 'The workflow runs again (e.g. after waiting, or after a retry).',
  WORKFLOW_WAITING: 'Every open item waits on people, Microsoft or the clock.',
  WORKFLOW_COMPLETED: 'Every item that was not blocked or excluded is done (see progress).',
  WORKFLOW_FAILED: 'Every item ended and at least one failed.',
  WORKFLOW_CANCELED: 'cancelWorkflow stopped the workflow.',
  STEP_RETRY: 'A step failed with a retryable error and will run again after a backoff.',
  STEP_FAILED: 'A step failed for good: its item is FAILED (retryWorkflow runs it again).',
  ITEMS_RETRIED: 'retryWorkflow put the failed items back to run their failed step.',
  BLOCKER: 'An item was blocked while running (the blocker is in `blockers`).',
  INVARIANT_CLEARED: "An invariant sweep found a condition it had raised a blocker for gone in Partner Center: that blocker is resolved.",
  // ---- Tenant consolidation ----
  CUSTOMER_INVITED: 'The target tenant sent the customer its reseller invitation (R-CON-2).',
  CUSTOMER_ACCEPTED: 'The customer accepted the reseller relationship with the target tenant.',
  TARGET_ORDERED: 'The replacement subscription was ordered in the target tenant (R-CON-3).',
  TARGET_ACTIVE: 'The replacement subscription is active.',
  SOURCE_SUSPENDED: 'The source subscription was suspended (R-CON-4).',
  AUDIT_UNAVAILABLE:
    "Partner Center's audit log could not be read for a suspension time: the overlap counts until the suspension was seen (R-CON-5).",
  SUPPORT_REQUESTED: 'A Partner Center support request moves the Azure subscriptions (R-CON-6).',
  AZURE_MIGRATED: 'Support moved the Azure subscription to the target tenant.',
  CUSTOMER_DONE: 'Every item of the customer is done.',
  // ---- GDAP step (consolidation R-CON-2, channel move R-CHN-1, transfer R-TRF-6/8; docs/gdap.md) ----
  GDAP_PLANNED: 'The plan counts what the GDAP step reuses, extends or creates with the template.',
  GDAP_REUSED: 'An active GDAP relationship that holds every role of the template is reused.',
  GDAP_REQUESTED: 'A GDAP relationship was created with the template and sent to the customer (its approval link).',
  GDAP_APPROVED: 'The customer approved the GDAP relationship.',
  GDAP_ACTIVE: 'GDAP access is active: the relationship and its access assignments.',
  SOURCE_GDAP_CHECKED: "The plan checked the source tenants' GDAP with the customers whose re-provisioned subscriptions it suspends (or Azure plan it upgrades); with GDAP=optional it lists those lacking it.",
  GDAP_WARNING: 'GDAP=optional: the customer rejected GDAP or let the request expire; the procedure goes on.',
  // ---- Customer invitations (consolidation, channel move) ----
  INVITATION_REMINDER: 'The customer has not accepted its reseller invitation: a reminder carrying the link (Partner Center has no resend; the partner mails it).',
  INVITATION_EXPIRED: 'The invitation went unanswered past its validity: the customer is a blocker (INVITATION_EXPIRED).',
  INVITATION_ACCEPTED_LATE: 'The customer accepted after its invitation had expired; the blocker is cleared.',
  CUSTOMER_REINVITED: 'reinviteCustomer issued a new invitation: reminders and validity count from now.',
  CUSTOMER_EXCLUDED: 'excludeFromWorkflow left the customer out (with the reason); its items are excluded.',
  TRANSFER_CREATED: 'The target (new partner) created a partner-to-partner transfer request (issue 15).',
  TRANSFER_ACCEPTED: 'The source (current partner) accepted the transfer with its line items.',
  TRANSFER_EXPIRED: 'An unaccepted transfer request expired; it is created once more.',
  TRANSFER_COMPLETED: 'Microsoft completed the transfer; its subscriptions are under the target.',
  SUBSCRIPTION_TRANSFERRED: 'A subscription moved by transfer and matches the inventory (no overlap).',
  UPGRADE_COMPLETED: "The customer's legacy Azure is on the Azure plan at the source; its transfer follows.",
  // ---- Subscription transfer ----
  PENDING_CHECK: 'A check could not be made in Partner Center at planning time (e.g. R-TRF-6 for a new partner not served here).',
  TICKET_OPENED: 'The Azure service ticket was opened in Partner Center (R-TRF-3).',
  FORM_OPENED: 'A signing page of the transfer form was opened.',
  FORM_SIGNED: 'A party signed the transfer form (R-TRF-4/5).',
  FORM_ATTACHED: 'The signed form was attached to the service ticket.',
  ROLE_ASSIGNMENTS_UNREADABLE: 'The Azure role assignments could not be read before the transfer.',
  SUPPORT_ANSWERED: 'Microsoft support answered on the service ticket.',
  SUPPORT_NEEDS_ATTENTION: "Microsoft support asks for something or refuses on the service ticket (transfer, consolidation's Azure migration).",
  NEW_PARTNER_UPDATED: "The new partner's details or the customer's agreement at the new partner changed (R-TRF-5).",
  OVERDUE: 'Support has not answered within the business hours it is due in.',
  TRANSFERRED: 'The subscription is under the new partner.',
  ACCESS_ADDED: "The new partner's Admin Agents group was made Owner of the Azure subscription (R-TRF-8).",
  CLEANED_UP: "The old partner's role assignments are removed (R-TRF-8).",
  CLEANUP_CONFIRMED: 'Someone confirmed the manual cleanup of role assignments.',
  TICKET_CLOSED: 'The service ticket was closed after the transfer.',
  TICKET_CLOSE_FAILED: 'The service ticket could not be closed; it is tried again.',
  // ---- Channel move ----
  CANCEL_WARNING: 'A line whose original subscription the customer cancels when the relationship is accepted.',
  RELATIONSHIP_REQUESTED: 'The reseller relationship was requested from the customer (R-CHN-1).',
  RELATIONSHIP_ACCEPTED: 'The customer accepted the reseller relationship.',
  COUNTRY_MISMATCH: "Partner Center shows the customer in another country than planned; orders follow Partner Center's (R-CHN-7).",
  CUTOVER: 'A line reached its cut-over date.',
  ORDERED: 'A line was ordered (R-CHN-2).',
  LINE_ACTIVE: "A line's subscription is active.",
  LICENSE_REASSIGNMENT_REQUIRED: 'The new offer differs from the old one: licenses must be reassigned (R-CHN-5/6).',
  MOVE_DONE: 'Every movable license of the customer is active.',
  // ---- Azure plan transition ----
  PLAN_PURCHASED: 'An Azure plan was bought for the customer (R-AZP-3).',
  UPGRADE_STARTED: 'The product upgrade (legacy Azure to Azure plan) was requested.',
  UPGRADE_RETRIED: 'The product upgrade is requested again for failed lines.',
  MAPPING_DONE: 'The product upgrade reports every line done.',
  ENTITLEMENT_MAPPED: 'An Azure subscription is mapped to its Azure plan (R-AZP-4/8).',
  LINE_FAILED: 'A line of the transition failed (R-AZP-9).',
  BUDGET_SET: "The customer's budget was set in its local currency (R-AZP-5).",
  BILLING_IMPACT: 'What the transition changes on the invoices (R-AZP-7).',
  AZURE_PORTAL_BUDGETS_REMINDER: 'Reminder: Azure portal budgets must be set again under the Azure plan.',
} as const;

export type WorkflowEventType = keyof typeof WORKFLOW_EVENT_TYPES;

export const isWorkflowEventType = (type: string): type is WorkflowEventType =>
  Object.hasOwn(WORKFLOW_EVENT_TYPES, type);

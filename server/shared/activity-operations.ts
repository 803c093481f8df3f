// The operations of the activity log (issue 19): ours (source PRODUCT) and the Partner Center audit
// operation types we know (source PARTNER_CENTER_AUDIT; reference §8, the SDK's OperationType enum,
// snake_case). Partner Center's set is open — its enum has 78 members and grows — so the GraphQL
// enum `ActivityOperation` has UNKNOWN for anything not listed, and `ActivityEntry.operation` keeps
// the raw string. Keys are the raw spelling; the GraphQL value is the key in capitals.
// Adding one is one line.

export type ActivityOrigin = 'product' | 'partnerCenter' | 'both';

// One line per operation, whatever its length.
// prettier-ignore
export const ACTIVITY_OPERATIONS = {
  // ---- Ours (source PRODUCT) ----
  start_workflow: ['product', 'startWorkflow started a workflow.'],
  cancel_workflow: ['product', 'cancelWorkflow canceled a workflow.'],
  invite_customer: ['product', 'A reseller invitation was sent to the customer (R-CON-2).'],
  customer_accepted_relationship: ['product', 'The customer accepted the reseller relationship.'],
  request_reseller_relationship: ['product', 'A reseller relationship was requested from the customer (R-CHN-1).'],
  suspend_subscription: ['product', 'A source subscription was suspended (R-CON-4).'],
  create_service_request: ['product', 'A Partner Center support request was opened.'],
  close_service_request: ['product', 'A Partner Center support request was closed.'],
  azure_subscription_migrated: ['product', 'Support moved an Azure subscription to the target tenant (R-CON-6).'],
  attach_transfer_form: ['product', 'The signed transfer form was attached to the support ticket.'],
  sign_transfer_form: ['product', 'A party signed the transfer form.'],
  reissue_signing_link: ['product', 'A new signing link of the transfer form was issued.'],
  subscription_transferred: ['product', 'The subscription moved to the new partner.'],
  transfer_support_overdue: ['product', 'Support did not answer the transfer ticket in time.'],
  create_role_assignment: ['product', "The new partner's Admin Agents group was made Owner of the Azure subscription (R-TRF-8)."],
  delete_role_assignment: ['product', "A role assignment of the old partner was removed (R-TRF-8)."],
  role_assignments_cleaned_up: ['product', "Every role assignment of the old partner is gone (R-TRF-8)."],
  confirm_transfer_cleanup: ['product', 'Someone confirmed the manual role-assignment cleanup.'],
  channel_move_cutover: ['product', 'A channel-move line reached its cut-over date.'],
  subscription_verified_active: ['product', 'A newly ordered subscription was seen active.'],
  license_reassignment_reminder: ['product', 'Licenses must be reassigned to the new offer (R-CHN-5/6).'],
  check_azure_plan_eligibility: ['product', 'Partner Center confirmed the customer may move to the Azure plan.'],
  create_product_upgrade: ['product', 'The product upgrade (legacy Azure to Azure plan) was requested.'],
  purchase_azure_plan: ['product', 'An Azure plan was bought (R-AZP-3).'],
  map_azure_subscription: ['product', 'An Azure subscription was mapped to its Azure plan (R-AZP-4).'],
  azure_plan_transition_completed: ['product', 'The Azure plan transition of the customer completed.'],
  // ---- Both: ours, and the same Partner Center audit operation type ----
  create_order: ['both', 'An order was placed (new subscriptions).'],
  update_customer_spending_budget: ['both', "The customer's spending budget was set (R-AZP-5)."],
  // ---- Partner Center audit operation types (source PARTNER_CENTER_AUDIT) ----
  update_subscription: ['partnerCenter', 'A subscription changed (quantity, status, name, …).'],
  upgrade_subscription: ['partnerCenter', 'A subscription was upgraded to another offer.'],
  convert_trial_subscription: ['partnerCenter', 'A trial subscription was converted to paid.'],
  update_order: ['partnerCenter', 'An order changed.'],
  create_new_commerce_migration: ['partnerCenter', 'A subscription was migrated to new commerce.'],
  manage_overage: ['partnerCenter', 'Azure overage was turned on or off.'],
  add_customer: ['partnerCenter', 'A customer was created.'],
  update_customer_qualification: ['partnerCenter', "The customer's qualification (education, government, …) changed."],
  update_customer_billing_profile: ['partnerCenter', "The customer's billing profile changed."],
  delete_customer: ['partnerCenter', 'A customer was deleted (sandbox only).'],
  remove_partner_customer_relationship: ['partnerCenter', 'The relationship with the customer was removed.'],
  update_company_info: ['partnerCenter', "The customer's company profile changed."],
  create_customer_user: ['partnerCenter', 'A user of the customer was created.'],
  update_customer_user: ['partnerCenter', 'A user of the customer changed.'],
  delete_customer_user: ['partnerCenter', 'A user of the customer was deleted.'],
  update_customer_user_licenses: ['partnerCenter', "A customer user's licenses changed."],
  create_partner_relationship: ['partnerCenter', 'A partner relationship (e.g. indirect provider–reseller) was created.'],
  remove_partner_relationship: ['partnerCenter', 'A partner relationship was removed.'],
  extend_relationship: ['partnerCenter', 'A relationship was extended.'],
  dap_admin_relationship_approved: ['partnerCenter', 'The customer approved delegated admin (DAP).'],
  dap_admin_relationship_terminated: ['partnerCenter', 'Delegated admin (DAP) was terminated.'],
  dap_admin_relationship_terminated_by_microsoft: ['partnerCenter', 'Microsoft terminated delegated admin (DAP).'],
  granular_admin_relationship_approved: ['partnerCenter', 'The customer approved a GDAP relationship.'],
  granular_admin_relationship_activated: ['partnerCenter', 'A GDAP relationship became active.'],
  granular_admin_relationship_termination_requested: ['partnerCenter', 'Termination of a GDAP relationship was requested.'],
  granular_admin_relationship_terminated: ['partnerCenter', 'A GDAP relationship was terminated.'],
  granular_admin_relationship_expired: ['partnerCenter', 'A GDAP relationship expired.'],
  granular_admin_relationship_cleaned_up: ['partnerCenter', 'An ended GDAP relationship was cleaned up.'],
  granular_admin_access_assignment_created: ['partnerCenter', 'A GDAP access assignment was created.'],
  granular_admin_access_assignment_updated: ['partnerCenter', 'A GDAP access assignment changed.'],
  granular_admin_access_assignment_deleted: ['partnerCenter', 'A GDAP access assignment was deleted.'],
  granular_admin_access_assignment_activated: ['partnerCenter', 'A GDAP access assignment became active.'],
  create_transfer: ['partnerCenter', 'A partner-to-partner transfer was created.'],
  update_transfer: ['partnerCenter', 'A partner-to-partner transfer changed.'],
  create_agreement: ['partnerCenter', 'An agreement (e.g. the Microsoft Customer Agreement) was accepted.'],
} as const satisfies Record<string, readonly [ActivityOrigin, string]>;

export type KnownActivityOperation = keyof typeof ACTIVITY_OPERATIONS;

/** What this product writes as `operation` (a compile error for an unregistered one). */
export type ProductOperation = {
  [K in KnownActivityOperation]: (typeof ACTIVITY_OPERATIONS)[K][0] extends 'partnerCenter'
    ? never
    : K;
}[KnownActivityOperation];

/** The GraphQL value of a raw operation: its capitals, or UNKNOWN when it is not listed. */
export function activityOperationValue(raw: string): string {
  return Object.hasOwn(ACTIVITY_OPERATIONS, raw) ? raw.toUpperCase() : 'UNKNOWN';
}

/** Where an entry comes from (activity_entries.source). */
export type ActivitySource = 'PRODUCT' | 'PARTNER_CENTER_AUDIT';

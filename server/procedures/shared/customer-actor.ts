/**
 * The activity log's actor for what a customer did itself (accepting a reseller relationship in its
 * own tenant): credited to the customer, never to the partner user who started the workflow.
 */
export function customerActor(companyName: string): string {
  return `${companyName} (customer)`;
}

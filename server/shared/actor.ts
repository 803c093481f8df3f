import { PartnerRole } from './enums.js';

/** The authenticated caller, from the bearer JWT's claims (`sub`, `name`, `org`, `roles`). */
export interface Actor {
  userId: string;
  name: string | null;
  organizationId: string;
  roles: PartnerRole[];
}

/** Verifies bearer tokens into actors (implemented by `app/auth.ts`). */
export interface AuthVerifier {
  /** Verifies a bearer token; throws `UNAUTHENTICATED` on anything wrong. */
  verify(token: string): Promise<Actor>;
  /** Verifies an `Authorization` header value (`Bearer …`); a missing one is `UNAUTHENTICATED`. */
  verifyHeader(header: string | null | undefined): Promise<Actor>;
}

/** Roles that may read customers and subscriptions. */
export const CUSTOMER_READ_ROLES = [
  PartnerRole.GLOBAL_ADMIN,
  PartnerRole.ADMIN_AGENT,
  PartnerRole.SALES_AGENT,
] as const;

const CUSTOMER_READERS: ReadonlySet<PartnerRole> = new Set(CUSTOMER_READ_ROLES);

/**
 * The one rule for customer and subscription data, on every surface that shows it (queries, plans,
 * workflows, exports and their downloads, `workflowUpdated`, PDFs): the roles `customers` needs.
 */
export function canReadCustomerData(actor: Actor): boolean {
  return actor.roles.some((role) => CUSTOMER_READERS.has(role));
}

/** Roles that may run workflows that change Partner Center (R-CON-10). */
export const WORKFLOW_WRITE_ROLES = [PartnerRole.GLOBAL_ADMIN, PartnerRole.ADMIN_AGENT] as const;

const WRITERS: ReadonlySet<PartnerRole> = new Set(WORKFLOW_WRITE_ROLES);

/** R-CON-10: only Global admins and Admin agents run procedures that change Partner Center. */
export function isWorkflowWriter(actor: Actor): boolean {
  return actor.roles.some((role) => WRITERS.has(role));
}

/** How an actor is named in journals and the activity log: `Name <user id>`, or the user id. */
export function actorLabel(actor: Actor): string {
  return actor.name ? `${actor.name} <${actor.userId}>` : actor.userId;
}

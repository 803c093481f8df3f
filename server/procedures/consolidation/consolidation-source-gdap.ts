import { type GdapClientFactory } from '../../graph/gdap.client.js';
import { type GdapRelationship, roleIdsOf } from '../../graph/gdap.contracts.js';
import { GDAP_ROLES } from '../../graph/gdap-role-template.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { type BlockerCode } from '../../shared/error-codes.js';
import { type NewEvent, type NewItem } from '../../workflows/engine/engine.types.js';
import { type GdapMode } from '../procedure-module.js';
import { LICENSE_REPROVISION, type TenantRef } from './consolidation.model.js';
import { AZURE_PLAN_UPGRADE } from './consolidation-paths.model.js';

// The source side's GDAP (issue 15 follow-up): a re-provisioned subscription is ordered at the
// target, an irreversible write, and then suspended at the SOURCE the same UTC day (R-CON-3/4).
// With GDAP required the suspension is a customer-scoped write of the source tenant: without an
// active relationship holding a commerce role, Partner Center refuses it (20002) after the order,
// and the customer is billed twice (OVERLAP_EXCEEDS_SAME_DAY). The Azure plan upgrade of the
// AZURE_PLAN_THEN_TRANSFER path is such a write as well. Accepting a transfer is not: it is a
// partner-level write of the Admin agent role (§11; CALLER_NOT_ADMIN_AGENT checks it), and the
// support path's writes are the target's (its service request). So only those two need it.

export const SOURCE_GDAP_MISSING = 'SOURCE_GDAP_MISSING' as const satisfies BlockerCode;

/**
 * Roles that let a partner change a customer's subscriptions under GDAP: the emulator's
 * `requireGdap` "commerce" roles (emulator/domain/gdap-lifecycle.ts, a guess there too: Partner
 * Center documents the Admin agent partner role, Entra what each role may do).
 */
export const SOURCE_WRITE_ROLES = [
  'License Administrator',
  'Billing Administrator',
  'Global Administrator',
] as const;
const SOURCE_WRITE_ROLE_IDS = new Set(
  SOURCE_WRITE_ROLES.map((name) => (GDAP_ROLES[name] as string).toLowerCase()),
);

/**
 * At plan time a relationship that does not auto-extend must last this long: the suspension runs
 * after the customer accepted the target's invitation, days or weeks later (the same 30 days as
 * the target's REUSE rule, gdap-desired-state.ts).
 */
export const PLAN_MIN_REMAINING_DAYS = 30;
/** Right before the first write: the suspension follows the order within the same UTC day. */
export const RUN_MIN_REMAINING_DAYS = 1;
/** Up to this many customers of a source are read one by one (`$filter`); more: one listing. */
export const PER_CUSTOMER_READS_UP_TO = 10;
const DAY_MS = 86_400_000;
const LIVE = new Set(['active', 'expiring']);

/** What the customer's items write at the source, in words; null when nothing needs its GDAP. */
export function sourceWritesOf(children: readonly NewItem[]): string | null {
  const suspensions = children.filter(
    (c) => c.kind === LICENSE_REPROVISION && c.status !== 'BLOCKED' && c.status !== 'SKIPPED',
  ).length;
  const upgrade = children.some((c) => c.kind === AZURE_PLAN_UPGRADE && c.status !== 'SKIPPED');
  const parts = [
    suspensions > 0 ? `suspend ${suspensions} re-provisioned subscription(s)` : null,
    upgrade ? 'start the Azure plan upgrade' : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' and ') : null;
}

/**
 * Why the source's relationships with one customer cannot carry its source-side writes until
 * `until` (null: one can: live, a commerce role, auto-extends or lasts).
 */
export function sourceGdapProblem(
  relationships: readonly GdapRelationship[],
  until: Date,
): string | null {
  const live = relationships.filter((r) => LIVE.has(r.status));
  const withRole = live.filter((r) =>
    roleIdsOf(r.accessDetails).some((id) => SOURCE_WRITE_ROLE_IDS.has(id)),
  );
  const lasting = withRole.find(
    (r) =>
      ((r.autoExtendDuration ?? 'PT0S').toUpperCase() === 'P180D' &&
        !roleIdsOf(r.accessDetails).includes(
          (GDAP_ROLES['Global Administrator'] as string).toLowerCase(),
        )) ||
      !r.endDateTime ||
      Date.parse(r.endDateTime) > until.getTime(),
  );
  if (lasting) {
    return null;
  }
  if (withRole.length > 0) {
    const r = withRole[0] as GdapRelationship;
    return `its GDAP relationship "${r.displayName}" ends on ${r.endDateTime ?? '?'} and does not auto-extend`;
  }
  if (live.length > 0) {
    return `its active GDAP relationship(s) ${live.map((r) => `"${r.displayName}"`).join(', ')} hold none of the roles ${SOURCE_WRITE_ROLES.join(', ')}`;
  }
  if (relationships.length > 0) {
    return `it has no active GDAP relationship (${relationships.map((r) => `"${r.displayName}" ${r.status}`).join(', ')})`;
  }
  return 'it has no GDAP relationship with the customer';
}

/** The blocker's text: which source, which customer, what would fail and what to do. */
export function sourceGdapMessage(args: {
  source: { name: string; tenantId: string };
  companyName: string;
  customerTenantId: string;
  writes: string;
  problem: string;
}): string {
  const { source, companyName, customerTenantId, writes, problem } = args;
  return `${source.name} (source tenant ${source.tenantId}) cannot ${writes} of ${companyName} (customer ${customerTenantId}): ${problem}. With GDAP required Partner Center refuses those writes (20002), after the target's order: double billing (R-CON-4). Nothing is ordered for ${companyName}. Have the customer approve a GDAP relationship of ${source.name} with one of ${SOURCE_WRITE_ROLES.join(', ')} (active, lasting at least ${PLAN_MIN_REMAINING_DAYS} days or auto-extending), then plan again.`;
}

/**
 * The plan-time check. One Graph read per source tenant (the whole listing, shared by its
 * customers) or, for a plan of a few customers of a source, one `$filter` read per customer that
 * needs it: at most max(PER_CUSTOMER_READS_UP_TO, ⌈relationships / 300⌉) calls per source.
 * `required` blocks the customer; `optional` only warns (the access the partner has may be DAP).
 */
export class SourceGdapPreflight {
  private readonly warnings: string[] = [];
  private checked = 0;

  constructor(private readonly deps: { graph: GdapClientFactory; mode: GdapMode; now: Date }) {}

  /** The checker of one source tenant's customers (`customers`: how many the plan covers). */
  forSource(source: TenantRef, customers: number) {
    const graph = this.deps.graph.forTenant(source.tenantId);
    let listing: Promise<Map<string, GdapRelationship[]>> | null = null;
    const relationshipsOf = async (customerTenantId: string) => {
      if (customers <= PER_CUSTOMER_READS_UP_TO) {
        return graph.listRelationships({ customerTenantId });
      }
      listing ??= graph.listRelationships({ top: 300 }).then((all) => {
        const byCustomer = new Map<string, GdapRelationship[]>();
        for (const r of all) {
          const key = r.customer?.tenantId.toLowerCase() ?? '';
          byCustomer.set(key, [...(byCustomer.get(key) ?? []), r]);
        }
        return byCustomer;
      });
      return (await listing).get(customerTenantId.toLowerCase()) ?? [];
    };
    return async (
      customer: PcCustomer,
      children: readonly NewItem[],
      block: (code: BlockerCode, message: string, subject?: string) => void,
    ): Promise<void> => {
      if (this.deps.mode === 'off') {
        return;
      }
      const writes = sourceWritesOf(children);
      if (!writes) {
        return;
      }
      this.checked += 1;
      const until = new Date(this.deps.now.getTime() + PLAN_MIN_REMAINING_DAYS * DAY_MS);
      const problem = sourceGdapProblem(await relationshipsOf(customer.id), until);
      if (!problem) {
        return;
      }
      const message = sourceGdapMessage({
        source,
        companyName: customer.companyProfile.companyName,
        customerTenantId: customer.id,
        writes,
        problem,
      });
      if (this.deps.mode === 'required') {
        block(SOURCE_GDAP_MISSING, message, source.tenantId);
      } else {
        this.warnings.push(message);
      }
    };
  }

  /** The plan's event: how many customers were checked; with `optional`, the warnings. */
  event(): NewEvent | null {
    if (this.checked === 0) {
      return null;
    }
    return {
      type: 'SOURCE_GDAP_CHECKED',
      message:
        this.warnings.length === 0
          ? `Source GDAP (${this.deps.mode}): ${this.checked} customer(s) with source-side writes checked.`
          : `Source GDAP (${this.deps.mode}): ${this.warnings.length} of ${this.checked} customer(s) checked lack it; GDAP is optional, so they are planned with the access the partner has. ${this.warnings.join(' ')}`,
      data: { checked: this.checked, warnings: this.warnings.length },
    };
  }
}

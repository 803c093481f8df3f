import { type BusinessCalendarOptions } from 'partner-center-emulator';
import { type ArmClientFactory } from '../azure-rm/arm.client.js';
import { type GdapClientFactory } from '../graph/gdap.client.js';
import { type DirectorySource } from '../modules/organizations/directory-source.js';
import { type OrganizationService } from '../modules/organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../partner-center/client-factory.js';
import { type AuthVerifier } from '../shared/actor.js';
import { type Clock } from '../shared/clock.js';
import { type HttpRoute } from '../shared/http-route.js';
import { type Result } from '../shared/result.js';
import { type EngineDb } from '../workflows/engine/db.types.js';
import { type WorkflowKind, type WorkflowRow } from '../workflows/engine/engine.types.js';
import { type WorkflowNotifier } from '../workflows/engine/workflow-notifier.js';
import { type WorkflowDefinition } from '../workflows/engine/workflow-runner.js';
import { type WorkflowService } from '../workflows/workflow.service.js';
import { type InvitationPolicy, type InvitationSpec } from './shared/invitation-follow-up.js';

export type GdapMode = 'required' | 'optional' | 'off';

/** What every procedure's factories receive (built once by the application). */
export interface ProcedureDeps {
  db: EngineDb;
  clock: Clock;
  clients: PartnerCenterClientFactory;
  /** Azure Resource Manager (the transfer's clean-up, R-TRF-8). */
  arm: ArmClientFactory;
  /** Microsoft Graph GDAP (the GDAP step of the procedures, issue 15 item 2). */
  graph: GdapClientFactory;
  /** GDAP=required|optional|off: whether the procedures run their GDAP step. */
  gdap: { mode: GdapMode };
  /** The partner directory (the transfer reads the Admin agents group from it). */
  directory: DirectorySource;
  /** Absolute base URL of the API (download and signing links). */
  publicUrl: string;
  /** Key of the signed links a procedure hands out; random per process when absent. */
  signingSecret?: string | Uint8Array;
  /** Customer invitations: reminder interval and count, validity (business clock; defaults in invitation-follow-up.ts). */
  invitations?: Partial<InvitationPolicy>;
  /** The consolidation's options: first completion check of a transfer (business ms). */
  consolidation?: { transferFirstCheckMs?: number };
  /** The consolidation's transfer-integrity sweep (CONSOLIDATION_TRANSFER_*; business-clock ms). */
  transferWatch?: { watchMs?: number; intervalMs?: number; overdueMs?: number };
  /** The transfer's options: signing-link lifetime, support's calendar of the 8-business-hour SLA (R-TRF-7). */
  transfer?: {
    signingLinkTtlMs?: number;
    calendar?: BusinessCalendarOptions;
  };
}

/** What a procedure's services factory receives besides `ProcedureDeps`. */
export interface ProcedureServiceDeps extends ProcedureDeps {
  organizations: OrganizationService;
  workflows: WorkflowService;
  /** Publishes a change to `workflowUpdated` subscribers. */
  notifier: WorkflowNotifier;
  /** Wakes the workflow runner. */
  kick: () => void;
}

/** A procedure-specific check right before a start or a cancel (state may have changed). */
export type WorkflowGuard = (row: WorkflowRow) => Promise<Result<void>>;

/**
 * One procedure, everything the application needs of it. `server/app/procedures.ts` lists the
 * modules; the engine's definitions, the services, the GraphQL mapper and the schema iterate over
 * that list (docs/workflows.md, "Adding a procedure").
 */
export interface ProcedureModule<S extends object = object> {
  kind: WorkflowKind;
  /** The engine's steps and sweep of the procedure. */
  definition(deps: ProcedureDeps): WorkflowDefinition;
  /** The procedure's services, merged into the request context's `services`. */
  services(deps: ProcedureServiceDeps): S;
  graphql: {
    /** Name of the workflow's GraphQL object type (also the type part of its global id). */
    typeName: string;
    /** A fresh instance of that object type (the mapper fills the common fields). */
    create(): object;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    resolvers: Function[];
    /** Object types that no field references directly (the workflow's own type, …). */
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    types: Function[];
  };
  /** Plain-HTTP routes of the procedure (the transfer's signing page and PDF). */
  routes?(deps: { services: S; auth: AuthVerifier }): HttpRoute[];
  guards?: {
    start?(deps: ProcedureDeps): WorkflowGuard;
    cancel?(deps: ProcedureDeps): WorkflowGuard;
  };
  /** The procedure invites customers: `reinviteCustomer` and `excludeFromWorkflow` work on it. */
  invitations?: InvitationSpec;
  /**
   * Who may view besides the owning organization: the viewer roles (`workflow_viewers.role`) under
   * which another organization reads this kind of workflow read-only. Default: none.
   */
  viewerRoles?: readonly string[];
}

import { z } from 'zod';
import type {
  GdapAccessAssignmentRecord,
  GdapOperationRecord,
  GdapRelationshipRecord,
} from '../core/gdap.model.js';
import { addDuration } from '../core/duration.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { graphErrors, GraphHttpError } from '../http/graph-responses.js';
import { auditGdap, isLive, scheduleStep } from './gdap-lifecycle.js';
import { rolesSchema, uniqueRoles } from './gdap.service.js';

/**
 * GDAP access assignments (Graph `.../accessAssignments`): a partner security group gets some of
 * the relationship's roles. Creation is pending until Graph applies it; role changes and removals
 * are long-running operations (`.../operations`).
 */
export const accessAssignmentSchema = z
  .object({
    accessContainer: z
      .object({
        accessContainerId: z.string().uuid(),
        accessContainerType: z.literal('securityGroup'),
      })
      .passthrough(),
    accessDetails: rolesSchema,
  })
  .passthrough();

export const accessAssignmentUpdateSchema = z.object({ accessDetails: rolesSchema }).passthrough();

export function createAccessAssignment(
  rt: EmulatorRuntime,
  actor: Actor,
  rel: GdapRelationshipRecord,
  body: z.output<typeof accessAssignmentSchema>,
): GdapAccessAssignmentRecord {
  if (!isLive(rel)) {
    throw graphErrors.badRequest(
      `Relationship ${rel.id} is ${rel.status}; access can be assigned only on an active relationship.`,
    );
  }
  const roles = checkSubset(rel, body.accessDetails);
  const gdap = rt.store.gdap;
  const groupId = body.accessContainer.accessContainerId.toLowerCase();
  const exists = [...gdap.accessAssignments.values()].some(
    (a) => a.relationshipId === rel.id && a.accessContainerId === groupId && a.status !== 'deleted',
  );
  if (exists) {
    throw graphErrors.conflict(
      `Security group ${groupId} already has an access assignment on relationship ${rel.id}.`,
    );
  }
  const now = rt.nowIso();
  const a: GdapAccessAssignmentRecord = {
    id: gdap.rng.uuid(),
    relationshipId: rel.id,
    accessContainerId: groupId,
    accessContainerType: 'securityGroup',
    roles,
    status: 'pending',
    createdDateTime: now,
    lastModifiedDateTime: now,
    etag: gdap.rng.uuid(),
  };
  gdap.accessAssignments.set(a.id, a);
  auditGdap(
    rt,
    actor,
    rel,
    'granular_admin_access_assignment_created',
    'granular_admin_access_assignment',
    { AccessAssignmentId: a.id, SecurityGroupId: groupId },
  );
  scheduleStep(rt, 'assignment', a.id, addDuration(rt.now(), gdap.settings.assignmentDelay));
  return a;
}

function checkSubset(rel: GdapRelationshipRecord, details: z.output<typeof rolesSchema>): string[] {
  const roles = uniqueRoles(details);
  const extra = roles.filter((r) => !rel.roles.includes(r));
  if (extra.length > 0) {
    throw graphErrors.badRequest(
      `The roles ${extra.join(', ')} are not part of relationship ${rel.id}'s access details.`,
    );
  }
  return roles;
}

export function findAccessAssignment(
  rt: EmulatorRuntime,
  rel: GdapRelationshipRecord,
  id: string,
): GdapAccessAssignmentRecord {
  const a = rt.store.gdap.accessAssignments.get(id.toLowerCase());
  if (!a || a.relationshipId !== rel.id) {
    throw graphErrors.notFound(`Access assignment ${id}`);
  }
  return a;
}

/** Role changes and removals are long-running: 202 + an operation (Graph `/operations`). */
export function updateAccessAssignment(
  rt: EmulatorRuntime,
  rel: GdapRelationshipRecord,
  a: GdapAccessAssignmentRecord,
  body: z.output<typeof accessAssignmentUpdateSchema>,
): GdapOperationRecord {
  if (a.status !== 'active' || !isLive(rel)) {
    throw graphErrors.badRequest(`Access assignment ${a.id} is ${a.status}; it cannot be updated.`);
  }
  const roles = checkSubset(rel, body.accessDetails);
  const gdap = rt.store.gdap;
  const now = rt.nowIso();
  const op: GdapOperationRecord = {
    id: gdap.rng.uuid(),
    relationshipId: rel.id,
    operationType: 'delegatedAdminAccessAssignmentUpdate',
    data: JSON.stringify({ accessAssignmentId: a.id, roles }),
    status: 'running',
    createdDateTime: now,
    lastModifiedDateTime: now,
  };
  gdap.operations.set(op.id, op);
  scheduleStep(rt, 'operation', op.id, addDuration(rt.now(), gdap.settings.assignmentDelay));
  return op;
}

export function deleteAccessAssignment(
  rt: EmulatorRuntime,
  actor: Actor,
  rel: GdapRelationshipRecord,
  a: GdapAccessAssignmentRecord,
): void {
  if (a.status === 'deleted' || a.status === 'deleting') {
    throw new GraphHttpError(404, 'ResourceNotFound', `Access assignment ${a.id} was deleted.`);
  }
  a.status = 'deleting';
  a.lastModifiedDateTime = rt.nowIso();
  auditGdap(
    rt,
    actor,
    rel,
    'granular_admin_access_assignment_deleted',
    'granular_admin_access_assignment',
    { AccessAssignmentId: a.id },
  );
  scheduleStep(
    rt,
    'assignment_delete',
    a.id,
    addDuration(rt.now(), rt.store.gdap.settings.assignmentDelay),
  );
}

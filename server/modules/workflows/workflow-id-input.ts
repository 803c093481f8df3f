import { err, ok, type DomainError, type Result } from '../../shared/result.js';

/**
 * Issue 16 item 10: a workflow id in an input is called `workflowId` everywhere (the export inputs'
 * name); the former names (`id` in WorkflowIdInput, `transferId` in the transfer's inputs) stay
 * accepted, deprecated. Both given and different is a mistake the caller must see, not a silent
 * pick.
 */
export interface PickedWorkflowId {
  /** The global workflow id the caller gave. */
  globalId: string;
  /** The input field it came in (`workflowId`, or the deprecated name), for userError fields. */
  field: string;
}

export function pickWorkflowId(
  input: { workflowId?: string | null },
  legacy: { name: string; value: string | null | undefined },
): Result<PickedWorkflowId> {
  // Ids are opaque: given means present (an empty string is a wrong id, not a missing one).
  const workflowId = input.workflowId ?? null;
  const old = legacy.value ?? null;
  if (workflowId !== null && old !== null && workflowId !== old) {
    return err({
      code: 'CONFLICTING_WORKFLOW_IDS',
      message: `workflowId and the deprecated ${legacy.name} name two different workflows; give workflowId only.`,
      field: ['input', 'workflowId'],
    });
  }
  if (workflowId !== null) {
    return ok({ globalId: workflowId, field: 'workflowId' });
  }
  if (old !== null) {
    return ok({ globalId: old, field: legacy.name });
  }
  return err({
    code: 'REQUIRED',
    message: 'Name the workflow: workflowId (its global id).',
    field: ['input', 'workflowId'],
  });
}

/**
 * The services' errors name the legacy field (`['input', 'id']`, `['input', 'transferId']`); a
 * caller who wrote `workflowId` gets its own field back.
 */
export function renameWorkflowIdField<E extends Pick<DomainError, 'field'>>(
  error: E,
  legacyName: string,
  used: string,
): E {
  const f = error.field;
  if (used === legacyName || !f || f[0] !== 'input' || f[1] !== legacyName) {
    return error;
  }
  return { ...error, field: ['input', used, ...f.slice(2)] };
}

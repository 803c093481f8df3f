import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { gdapSteps } from '../../shared/gdap/gdap-steps.js';

/**
 * R-CON-2 on today's Partner Center: right after the reseller invitation, the target asks the
 * customer for a GDAP relationship with the organization's template (`gdap_request`, the link is
 * shown beside the invitation), then waits for approval and assigns access (`gdap_await`) before
 * it looks at the acceptance and orders anything (orders need admin access at the target).
 */
export function consolidationGdapSteps(deps: {
  graph: GdapClientFactory;
}): Record<string, StepHandler> {
  return gdapSteps({ graph: deps.graph, blockedState: 'BLOCKED' });
}

/** The consolidation's GDAP route: invite → gdap_request → gdap_await → await_acceptance. */
export const CONSOLIDATION_GDAP_ROUTE = {
  afterRequest: 'gdap_await',
  afterActive: 'await_acceptance',
};

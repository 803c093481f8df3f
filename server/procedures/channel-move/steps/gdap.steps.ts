import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { gdapSteps } from '../../shared/gdap/gdap-steps.js';

/**
 * R-CHN-1 on today's Partner Center: with the reseller relationship request the partner asks for
 * a GDAP relationship with the organization's template (`gdap_request`), then waits for approval
 * and assigns access (`gdap_await`) before it looks at the acceptance and buys any line.
 */
export function channelMoveGdapSteps(deps: {
  graph: GdapClientFactory;
}): Record<string, StepHandler> {
  return gdapSteps({ graph: deps.graph });
}

/** The channel move's GDAP route: request → gdap_request → gdap_await → await_acceptance. */
export const CHANNEL_MOVE_GDAP_ROUTE = {
  afterRequest: 'gdap_await',
  afterActive: 'await_acceptance',
};

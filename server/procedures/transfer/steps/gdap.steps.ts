import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { gdapSteps } from '../../shared/gdap/gdap-steps.js';

/**
 * R-TRF-6/8 on today's Partner Center, when the new partner is served here: its GDAP request
 * goes to the customer first (`gdap_request`, before the ticket, so the customer approves while
 * support works), and its admin access is verified before the clean-up (`gdap_await`), which
 * needs it to act on the customer's Azure subscription.
 */
export function transferGdapSteps(deps: { graph: GdapClientFactory }): Record<string, StepHandler> {
  return gdapSteps({ graph: deps.graph });
}

/** The transfer's GDAP route: gdap_request → open_ticket … await_support → gdap_await → cleanup. */
export const TRANSFER_GDAP_ROUTE = { afterRequest: 'open_ticket', afterActive: 'cleanup' };

import type { PcRoute } from '../http/router.js';
import { customersHandlers } from './customers.handlers.js';
import { subscriptionsHandlers } from './subscriptions.handlers.js';

/** Every Partner Center and ARM route, specific paths before parameterised ones. */
export function partnerCenterRoutes(): PcRoute[] {
  return [...customersHandlers(), ...subscriptionsHandlers()];
}

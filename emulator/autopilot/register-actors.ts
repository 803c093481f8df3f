import type { EmulatorRuntime } from '../core/runtime.js';
import { runGdapStep } from '../domain/gdap-lifecycle.js';
import { completeOrder } from '../domain/orders.service.js';
import { completeUpgrade } from '../domain/product-upgrades.service.js';
import { registerCommerceActors } from './commerce-actors.js';
import { registerCustomerActors } from './customer-actors.js';
import { registerSupportActors } from './support-actors.js';

/** Wires every scheduled-action kind to its executor. */
export function registerActors(rt: EmulatorRuntime): void {
  registerCustomerActors(rt);
  registerSupportActors(rt);
  registerCommerceActors(rt);
  rt.executors.set('order.complete', (r, a) => completeOrder(r, a.target.orderId ?? ''));
  rt.executors.set('product_upgrade.complete', (r, a) =>
    completeUpgrade(r, a.target.upgradeId ?? ''),
  );
  rt.executors.set('gdap.step', (r, a) => runGdapStep(r, a.target));
}

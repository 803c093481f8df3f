import type { PcRoute } from '../http/router.js';
import { agreementsHandlers } from './agreements.handlers.js';
import { armHandlers } from './arm.handlers.js';
import { auditRecordsHandlers } from './audit-records.handlers.js';
import { customerDirectoryHandlers } from './customer-directory.handlers.js';
import { customersHandlers } from './customers.handlers.js';
import { graphGdapHandlers } from './graph-gdap.handlers.js';
import { invoicesHandlers } from './invoices.handlers.js';
import { migrationsHandlers } from './migrations.handlers.js';
import { offersHandlers } from './offers.handlers.js';
import { ordersHandlers } from './orders.handlers.js';
import { productUpgradesHandlers } from './product-upgrades.handlers.js';
import { profilesHandlers } from './profiles.handlers.js';
import { serviceRequestsHandlers } from './service-requests.handlers.js';
import { subscriptionsHandlers } from './subscriptions.handlers.js';
import { transfersHandlers } from './transfers.handlers.js';
import { usageBudgetHandlers } from './usage-budget.handlers.js';

/** Every Partner Center and ARM route. Literal paths come before parameterised siblings. */
export function partnerCenterRoutes(): PcRoute[] {
  return [
    ...customersHandlers(),
    ...subscriptionsHandlers(),
    ...agreementsHandlers(),
    ...offersHandlers(),
    ...ordersHandlers(),
    ...usageBudgetHandlers(),
    ...serviceRequestsHandlers(),
    ...auditRecordsHandlers(),
    ...productUpgradesHandlers(),
    ...transfersHandlers(),
    ...migrationsHandlers(),
    ...armHandlers(),
    ...graphGdapHandlers(),
    ...customerDirectoryHandlers(),
    ...invoicesHandlers(),
    ...profilesHandlers(),
  ];
}

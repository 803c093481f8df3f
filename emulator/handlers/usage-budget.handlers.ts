import { readableCustomer, transactableCustomer } from '../domain/access.js';
import { writeAudit } from '../domain/audit.js';
import { currencyOf } from '../domain/views.js';
import { ciObject, numeric } from '../http/body.js';
import { errors, json } from '../http/responses.js';
import type { PcRoute } from '../http/router.js';
import type { CustomerRecord } from '../core/model.js';

/**
 * Customer usage budget, `GET|PATCH /customers/{id}/usagebudget` (SpendingBudget). R-AZP-5: the
 * budget is in the customer's local currency; we add `currencyCode` so callers can show it.
 * The amount is stored as an exact decimal string and sent as a JSON number, as Microsoft's swagger
 * and docs type it (at most two decimals, so the number prints exactly); PATCH accepts both.
 */
const patchSchema = ciObject({ amount: numeric.nullable() });

function view(c: CustomerRecord): Record<string, unknown> {
  return {
    amount: c.usageBudget === null ? null : Number(c.usageBudget),
    currencyCode: currencyOf(c.country).code,
    attributes: { objectType: 'SpendingBudget' },
  };
}

export function usageBudgetHandlers(): PcRoute[] {
  const common = { family: 'customers' as const, customerParam: 'customerId' };
  return [
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId/usagebudget',
      ...common,
      handle: (req) =>
        json(view(readableCustomer(req.rt, req.tenant, req.params.customerId ?? '').customer)),
    },
    {
      method: 'PATCH',
      pattern: '/v1/customers/:customerId/usagebudget',
      ...common,
      handle: (req) => {
        const { customer } = transactableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
        const { amount } = req.body(patchSchema);
        if (amount !== null && (amount < 0 || !Number.isFinite(amount))) {
          throw errors.invalidInput('amount must be a non-negative number.');
        }
        const old = customer.usageBudget;
        customer.usageBudget = amount === null ? null : amount.toFixed(2);
        writeAudit(req.rt, {
          actor: req.actor,
          customer,
          resourceType: 'customer',
          operationType: 'update_customer_spending_budget',
          oldValue: { amount: old === null ? null : Number(old) },
          newValue: {
            amount: Number(customer.usageBudget),
            currencyCode: currencyOf(customer.country).code,
          },
        });
        return json(view(customer));
      },
    },
  ];
}

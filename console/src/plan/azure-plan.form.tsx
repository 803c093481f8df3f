import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { PlanAzurePlanMutation } from '../api/operations';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage } from '../ui/components';
import {
  PlanErrors,
  SubmitButton,
  TenantSelect,
  usePlanSubmit,
  useTenantCustomers,
} from './plan-shared';

export function AzurePlanForm() {
  const { t } = useI18n();
  const { token } = useSession();
  const [tenant, setTenant] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const { byTenant, error: loadError } = useTenantCustomers(tenant ? [tenant] : []);
  const { userErrors, error, busy, submit } = usePlanSubmit();
  // Customers with a legacy "Microsoft Azure" (0145P) subscription first.
  const customers = [...(byTenant[tenant] ?? [])].sort(
    (a, b) => Number(hasLegacy(b)) - Number(hasLegacy(a)),
  );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(async () => {
      const data = await request(token, PlanAzurePlanMutation, {
        input: {
          customerId,
          ...(amount.trim()
            ? { budget: { amount: amount.trim(), currency: currency.trim() } }
            : {}),
        },
      });
      return data.planAzurePlanTransition;
    });
  };

  return (
    <form onSubmit={onSubmit}>
      <p className="muted">R-AZP-1..9</p>
      <TenantSelect
        id="azure-tenant"
        label={t('plan.tenant')}
        value={tenant}
        onChange={(value) => {
          setTenant(value);
          setCustomerId('');
        }}
      />
      <ErrorMessage error={loadError} />
      <label htmlFor="azure-customer">{t('plan.customer')}</label>
      <select
        id="azure-customer"
        required
        value={customerId}
        onChange={(e) => setCustomerId(e.target.value)}
      >
        <option value="" disabled>
          {t('plan.chooseCustomer')}
        </option>
        {customers.map((c) => (
          <option key={c.id} value={c.id}>
            {c.companyName} ({c.domain}){hasLegacy(c) ? ' · MS-AZR-0145P' : ''}
          </option>
        ))}
      </select>
      <fieldset className="grid2">
        <legend>{t('plan.budget')}</legend>
        <label>
          {t('plan.amount')}
          <input
            inputMode="decimal"
            pattern="\d+(\.\d{1,2})?"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </label>
        <label>
          {t('plan.currency')}
          <input
            maxLength={3}
            pattern="[A-Za-z]{3}"
            value={currency}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
          />
        </label>
      </fieldset>
      <PlanErrors userErrors={userErrors} />
      <ErrorMessage error={error} />
      <SubmitButton busy={busy} />
    </form>
  );
}

const hasLegacy = (customer: {
  subscriptions: { edges: Array<{ node: { productFamily: string } }> };
}) => customer.subscriptions.edges.some((e) => e.node.productFamily === 'AZURE_LEGACY');

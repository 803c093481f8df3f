import { useMemo, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { PlanConsolidationMutation } from '../api/operations';
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

export function ConsolidationForm() {
  const { t } = useI18n();
  const { token, viewer } = useSession();
  const tenants = viewer.organization.partnerTenants;
  const [target, setTarget] = useState('');
  const [sources, setSources] = useState<string[]>([]);
  // Customers the user unticked (every customer of the chosen sources is in by default).
  const [excluded, setExcluded] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState('');
  const { byTenant, error: loadError, loading } = useTenantCustomers(sources);
  const { userErrors, error, busy, submit } = usePlanSubmit();

  const customers = useMemo(
    () =>
      sources.flatMap((id) =>
        (byTenant[id] ?? []).map((customer) => ({
          customer,
          tenant: tenants.find((x) => x.id === id)?.name ?? '',
        })),
      ),
    [sources, byTenant, tenants],
  );
  const visible = customers.filter(({ customer }) =>
    `${customer.companyName} ${customer.domain}`.toLowerCase().includes(search.toLowerCase()),
  );
  const selected = customers.filter(({ customer }) => !excluded.has(customer.id));

  const toggleSource = (id: string, on: boolean) =>
    setSources((current) => (on ? [...current, id] : current.filter((x) => x !== id)));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(async () => {
      const data = await request(token, PlanConsolidationMutation, {
        input: {
          sourcePartnerTenantIds: sources,
          targetPartnerTenantId: target,
          // Only a subset is named; all customers of the sources otherwise.
          ...(excluded.size > 0 ? { customerIds: selected.map((c) => c.customer.id) } : {}),
        },
      });
      return data.planTenantConsolidation;
    });
  };

  return (
    <form onSubmit={onSubmit} aria-describedby="consolidation-intro">
      <p id="consolidation-intro" className="muted">
        R-CON-1..10
      </p>
      <TenantSelect
        id="target"
        label={t('plan.target')}
        value={target}
        onChange={(value) => {
          setTarget(value);
          setSources((current) => current.filter((x) => x !== value));
        }}
      />
      <fieldset>
        <legend>{t('plan.sources')}</legend>
        {tenants
          .filter((tenant) => tenant.id !== target)
          .map((tenant) => (
            <label key={tenant.id} className="check">
              <input
                type="checkbox"
                name="source"
                value={tenant.id}
                checked={sources.includes(tenant.id)}
                onChange={(e) => toggleSource(tenant.id, e.target.checked)}
              />
              {tenant.name} ({tenant.country}
              {tenant.region ? `, ${tenant.region}` : ''})
            </label>
          ))}
      </fieldset>
      {sources.length > 0 ? (
        <fieldset className="customer-pick">
          <legend>
            {t('plan.customers')}{' '}
            <span className="muted" aria-live="polite">
              {t('plan.customersHint', { selected: selected.length, total: customers.length })}
            </span>
          </legend>
          <div className="row">
            <label>
              {t('common.search')}
              <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
            </label>
            <button type="button" className="button" onClick={() => setExcluded(new Set())}>
              {t('plan.selectAll')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => setExcluded(new Set(customers.map((c) => c.customer.id)))}
            >
              {t('plan.selectNone')}
            </button>
          </div>
          {loading ? <p role="status">{t('common.loading')}</p> : null}
          <ErrorMessage error={loadError} />
          <ul className="pick-list">
            {visible.map(({ customer, tenant }) => (
              <li key={customer.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    name="customer"
                    value={customer.id}
                    data-tenant-id={customer.tenantId}
                    checked={!excluded.has(customer.id)}
                    onChange={(e) =>
                      setExcluded((current) => {
                        const next = new Set(current);
                        if (e.target.checked) {
                          next.delete(customer.id);
                        } else {
                          next.add(customer.id);
                        }
                        return next;
                      })
                    }
                  />
                  <span>
                    {customer.companyName}{' '}
                    <span className="muted">
                      {customer.domain} · {customer.country} · {tenant} ·{' '}
                      {customer.subscriptions.edges.length}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      <PlanErrors userErrors={userErrors} />
      <ErrorMessage error={error} />
      <SubmitButton
        busy={busy}
        disabled={!target || sources.length === 0 || selected.length === 0}
      />
    </form>
  );
}

import { useEffect, useState } from 'react';
import { request } from '../api/client';
import { TenantCustomersQuery } from '../api/operations';
import { useSession } from '../auth/session';
import type { ConsoleTenantCustomersQuery } from '../gql/graphql';
import { useI18n } from '../i18n/i18n';
import { UserErrors, type UserErrorView } from '../ui/components';
import { navigate } from '../ui/router';

export type TenantCustomer = ConsoleTenantCustomersQuery['customers']['edges'][number]['node'];

// A partner tenant's customers, every page (100 at a time, up to 2,000), for the pickers.
const MAX_PAGES = 20;

export function useTenantCustomers(partnerTenantIds: readonly string[]) {
  const { token } = useSession();
  const [byTenant, setByTenant] = useState<Record<string, TenantCustomer[]>>({});
  const [error, setError] = useState<unknown>(null);
  const key = partnerTenantIds.join(',');

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const next: Record<string, TenantCustomer[]> = {};
        for (const partnerTenantId of key ? key.split(',') : []) {
          const customers: TenantCustomer[] = [];
          let after: string | null = null;
          for (let page = 0; page < MAX_PAGES; page++) {
            const data: ConsoleTenantCustomersQuery = await request(token, TenantCustomersQuery, {
              partnerTenantId,
              first: 100,
              after,
            });
            customers.push(...data.customers.edges.map((e) => e.node));
            if (!data.customers.pageInfo.hasNextPage) {
              break;
            }
            after = data.customers.pageInfo.endCursor ?? null;
          }
          next[partnerTenantId] = customers;
        }
        if (live) {
          setByTenant(next);
          setError(null);
        }
      } catch (e) {
        if (live) {
          setError(e);
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [token, key]);

  return { byTenant, error, loading: partnerTenantIds.some((id) => !(id in byTenant)) };
}

/** Runs a plan mutation; on success opens the draft, else shows its userErrors. */
export function usePlanSubmit() {
  const [userErrors, setUserErrors] = useState<readonly UserErrorView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (
    run: () => Promise<{
      userErrors: readonly UserErrorView[];
      workflow?: { id: string } | null;
    }>,
  ) => {
    setBusy(true);
    setError(null);
    setUserErrors([]);
    try {
      const payload = await run();
      if (payload.userErrors.length > 0 || !payload.workflow) {
        setUserErrors(payload.userErrors);
      } else {
        navigate(`/workflows/${encodeURIComponent(payload.workflow.id)}`);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { userErrors, error, busy, submit };
}

export function PlanErrors(props: { userErrors: readonly UserErrorView[] }) {
  const { t } = useI18n();
  return <UserErrors errors={props.userErrors} title={t('plan.userErrors')} />;
}

export function SubmitButton(props: { busy: boolean; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <button type="submit" className="button primary" disabled={props.busy || props.disabled}>
      {props.busy ? t('plan.planning') : t('plan.submit')}
    </button>
  );
}

export function TenantSelect(props: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
}) {
  const { viewer } = useSession();
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        name={props.id}
        required
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value="" disabled>
          —
        </option>
        {viewer.organization.partnerTenants.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.name} ({tenant.country})
          </option>
        ))}
      </select>
    </>
  );
}

import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { PlanTransferMutation } from '../api/operations';
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

interface Admin {
  name: string;
  email: string;
  phone: string;
}

const emptyAdmin = (): Admin => ({ name: '', email: '', phone: '' });

/** `datetime-local` is in the user's zone; the API takes UTC ISO-8601. */
const localToIso = (value: string): string => new Date(value).toISOString();

export function TransferForm() {
  const { t } = useI18n();
  const { token } = useSession();
  const [tenant, setTenant] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [subscriptionId, setSubscriptionId] = useState('');
  const [newPartnerTenantId, setNewPartnerTenantId] = useState('');
  const [newPartnerMpnId, setNewPartnerMpnId] = useState('');
  const [receivedAt, setReceivedAt] = useState('');
  const [reference, setReference] = useState('');
  const [admins, setAdmins] = useState<[Admin, Admin]>([emptyAdmin(), emptyAdmin()]);
  const [newPartnerContact, setNewPartnerContact] = useState<Admin>(emptyAdmin());
  const [agreementConfirmed, setAgreementConfirmed] = useState(false);
  const { byTenant, error: loadError } = useTenantCustomers(tenant ? [tenant] : []);
  const { userErrors, error, busy, submit } = usePlanSubmit();
  const customers = byTenant[tenant] ?? [];
  const customer = customers.find((c) => c.id === customerId);
  const azure = (customer?.subscriptions.edges ?? [])
    .map((e) => e.node)
    .filter((s) => s.billingType === 'USAGE');

  const setAdmin = (index: 0 | 1, field: keyof Admin, value: string) =>
    setAdmins((current) => {
      const next: [Admin, Admin] = [{ ...current[0] }, { ...current[1] }];
      next[index][field] = value;
      return next;
    });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(async () => {
      const data = await request(token, PlanTransferMutation, {
        input: {
          subscriptionId,
          newPartnerTenantId: newPartnerTenantId.trim(),
          newPartnerMpnId: newPartnerMpnId.trim(),
          customerRequestReceivedAt: localToIso(receivedAt),
          customerRequestReference: reference.trim() || null,
          partnerAdmins: admins.map((a) => ({
            name: a.name.trim(),
            email: a.email.trim(),
            phone: a.phone.trim() || null,
          })),
          // R-TRF-5: the new partner's contact on the form (optional here; the API validates it).
          newPartnerContact:
            newPartnerContact.name.trim() || newPartnerContact.email.trim()
              ? {
                  name: newPartnerContact.name.trim(),
                  email: newPartnerContact.email.trim(),
                  phone: newPartnerContact.phone.trim() || null,
                }
              : null,
          newPartnerAgreementConfirmed: agreementConfirmed,
        },
      });
      return data.planSubscriptionTransfer;
    });
  };

  return (
    <form onSubmit={onSubmit}>
      <TenantSelect
        id="transfer-tenant"
        label={t('plan.tenant')}
        value={tenant}
        onChange={(value) => {
          setTenant(value);
          setCustomerId('');
          setSubscriptionId('');
        }}
      />
      <ErrorMessage error={loadError} />
      <label htmlFor="transfer-customer">{t('plan.customer')}</label>
      <select
        id="transfer-customer"
        required
        value={customerId}
        onChange={(e) => {
          setCustomerId(e.target.value);
          setSubscriptionId('');
        }}
      >
        <option value="" disabled>
          {t('plan.chooseCustomer')}
        </option>
        {customers.map((c) => (
          <option key={c.id} value={c.id}>
            {c.companyName} ({c.domain})
          </option>
        ))}
      </select>
      <label htmlFor="transfer-subscription">{t('plan.subscription')}</label>
      <select
        id="transfer-subscription"
        required
        value={subscriptionId}
        onChange={(e) => setSubscriptionId(e.target.value)}
      >
        <option value="" disabled>
          {t('plan.chooseSubscription')}
        </option>
        {azure.map((s) => (
          <option key={s.id} value={s.id}>
            {s.offerName} · {s.subscriptionId} · {s.status}
          </option>
        ))}
      </select>
      <div className="grid2">
        <div>
          <label htmlFor="new-partner-tenant">{t('plan.newPartnerTenantId')}</label>
          <input
            id="new-partner-tenant"
            required
            value={newPartnerTenantId}
            onChange={(e) => setNewPartnerTenantId(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="new-partner-mpn">{t('plan.newPartnerMpnId')}</label>
          <input
            id="new-partner-mpn"
            required
            value={newPartnerMpnId}
            onChange={(e) => setNewPartnerMpnId(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="received-at">{t('plan.requestReceivedAt')}</label>
          <input
            id="received-at"
            type="datetime-local"
            required
            value={receivedAt}
            onChange={(e) => setReceivedAt(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="reference">{t('plan.requestReference')}</label>
          <input id="reference" value={reference} onChange={(e) => setReference(e.target.value)} />
        </div>
      </div>
      {([0, 1] as const).map((index) => (
        <fieldset key={index} className="grid3">
          <legend>{t('plan.admin', { n: index + 1 })}</legend>
          <label>
            {t('plan.name')}
            <input
              required
              value={admins[index].name}
              onChange={(e) => setAdmin(index, 'name', e.target.value)}
            />
          </label>
          <label>
            {t('plan.email')}
            <input
              type="email"
              required
              value={admins[index].email}
              onChange={(e) => setAdmin(index, 'email', e.target.value)}
            />
          </label>
          <label>
            {t('plan.phone')}
            <input
              type="tel"
              value={admins[index].phone}
              onChange={(e) => setAdmin(index, 'phone', e.target.value)}
            />
          </label>
        </fieldset>
      ))}
      <fieldset className="grid3">
        <legend>{t('plan.newPartnerContact')}</legend>
        <label>
          {t('plan.name')}
          <input
            value={newPartnerContact.name}
            onChange={(e) => setNewPartnerContact((c) => ({ ...c, name: e.target.value }))}
          />
        </label>
        <label>
          {t('plan.email')}
          <input
            type="email"
            value={newPartnerContact.email}
            onChange={(e) => setNewPartnerContact((c) => ({ ...c, email: e.target.value }))}
          />
        </label>
        <label>
          {t('plan.phone')}
          <input
            type="tel"
            value={newPartnerContact.phone}
            onChange={(e) => setNewPartnerContact((c) => ({ ...c, phone: e.target.value }))}
          />
        </label>
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          name="newPartnerAgreementConfirmed"
          checked={agreementConfirmed}
          onChange={(e) => setAgreementConfirmed(e.target.checked)}
        />
        {t('plan.newPartnerAgreementConfirmed')}
      </label>
      <PlanErrors userErrors={userErrors} />
      <ErrorMessage error={error} />
      <SubmitButton busy={busy} />
    </form>
  );
}

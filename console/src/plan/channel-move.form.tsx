import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { PlanChannelMoveMutation } from '../api/operations';
import { useSession } from '../auth/session';
import type { SourceChannel } from '../gql/graphql';
import { useI18n } from '../i18n/i18n';
import { ErrorMessage } from '../ui/components';
import { PlanErrors, SubmitButton, TenantSelect, usePlanSubmit } from './plan-shared';

const CHANNELS = [
  'WEB_DIRECT',
  'ENTERPRISE_AGREEMENT',
  'OPEN',
  'OTHER_PARTNER',
] as const satisfies readonly SourceChannel[];

const CSV_EXAMPLE = 'offerId,seats,expiresOn,action\n';

export function ChannelMoveForm() {
  const { t } = useI18n();
  const { token } = useSession();
  const [tenant, setTenant] = useState('');
  const [customerTenantId, setCustomerTenantId] = useState('');
  const [customerName, setCustomerName] = useState('');
  const [customerCountry, setCustomerCountry] = useState('');
  const [sourceChannel, setSourceChannel] = useState<SourceChannel>('WEB_DIRECT');
  const [leadDays, setLeadDays] = useState('1');
  const [csv, setCsv] = useState(CSV_EXAMPLE);
  const { userErrors, error, busy, submit } = usePlanSubmit();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(async () => {
      const data = await request(token, PlanChannelMoveMutation, {
        input: {
          partnerTenantId: tenant,
          customerTenantId: customerTenantId.trim(),
          customerName: customerName.trim() || null,
          customerCountry: customerCountry.trim().toUpperCase(),
          sourceChannel,
          cutoverLeadDays: Number(leadDays),
          licenses: [],
          csv,
        },
      });
      return data.planChannelMove;
    });
  };

  return (
    <form onSubmit={onSubmit}>
      <p className="muted">R-CHN-1..7</p>
      <TenantSelect
        id="channel-tenant"
        label={t('plan.tenant')}
        value={tenant}
        onChange={setTenant}
      />
      <div className="grid2">
        <div>
          <label htmlFor="customer-tenant-id">{t('plan.customerTenantId')}</label>
          <input
            id="customer-tenant-id"
            required
            spellCheck={false}
            value={customerTenantId}
            onChange={(e) => setCustomerTenantId(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="customer-name">{t('plan.customerName')}</label>
          <input
            id="customer-name"
            value={customerName}
            onChange={(e) => setCustomerName(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="customer-country">{t('plan.customerCountry')}</label>
          <input
            id="customer-country"
            required
            maxLength={2}
            pattern="[A-Za-z]{2}"
            value={customerCountry}
            onChange={(e) => setCustomerCountry(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="source-channel">{t('plan.sourceChannel')}</label>
          <select
            id="source-channel"
            value={sourceChannel}
            onChange={(e) => setSourceChannel(e.target.value as SourceChannel)}
          >
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="lead-days">{t('plan.cutoverLeadDays')}</label>
          <input
            id="lead-days"
            type="number"
            min={0}
            max={90}
            value={leadDays}
            onChange={(e) => setLeadDays(e.target.value)}
          />
        </div>
      </div>
      <label htmlFor="licenses-csv">{t('plan.csv')}</label>
      <textarea
        id="licenses-csv"
        rows={8}
        spellCheck={false}
        required
        value={csv}
        onChange={(e) => setCsv(e.target.value)}
      />
      <label htmlFor="licenses-file">{t('plan.csvUpload')}</label>
      <input
        id="licenses-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) {
            void file.text().then(setCsv);
          }
        }}
      />
      <PlanErrors userErrors={userErrors} />
      <ErrorMessage error={error} />
      <SubmitButton busy={busy} disabled={!tenant} />
    </form>
  );
}

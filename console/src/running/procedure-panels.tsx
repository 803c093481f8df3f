import { useI18n } from '../i18n/i18n';
import { Badge } from '../ui/components';
import { type AzurePlan, type ChannelMove } from './live-workflow';

/** The Azure plans bought (one per customer or per reseller, R-AZP-3) and the billing impact. */
export function AzurePlanPanel(props: { workflow: AzurePlan }) {
  const { t, dateTime } = useI18n();
  const w = props.workflow;
  return (
    <section className="card" aria-labelledby="azure-plans-title">
      <h2 id="azure-plans-title">{t('wf.plans')}</h2>
      <ul>
        {w.plans.map((plan, i) => (
          <li key={i}>
            <Badge tone={plan.state === 'PURCHASED' ? 'DONE' : plan.state}>{plan.state}</Badge>{' '}
            {plan.planSubscriptionId ?? '—'}
            {plan.resellerMpnId ? <span className="muted"> · MPN {plan.resellerMpnId}</span> : null}
          </li>
        ))}
      </ul>
      {w.billingImpact.length > 0 ? (
        <>
          <h3>{t('wf.billingImpact')}</h3>
          <ul>
            {w.billingImpact.map((b) => (
              <li key={b.azureSubscriptionId}>
                {b.azureSubscriptionId}: {dateTime(b.oldInvoiceUntil)}
                {b.planSubscriptionId ? ` → ${b.planSubscriptionId}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** The reseller relationship the channel move waits for, with the link to send the customer. */
export function ChannelMovePanel(props: { workflow: ChannelMove }) {
  const { t } = useI18n();
  const w = props.workflow;
  return (
    <section className="card" aria-labelledby="relationship-title">
      <h2 id="relationship-title">{t('wf.relationship')}</h2>
      <p>
        <Badge tone={w.relationshipAccepted ? 'DONE' : 'WAITING'}>
          {w.relationshipAccepted ? t('wf.accepted') : t('wf.notAccepted')}
        </Badge>{' '}
        {w.sourceChannel} · {w.customer.tenantId} · {w.customer.country} → {w.partnerTenant.name}
      </p>
      {w.invitationUrl ? (
        <p>
          <label htmlFor="channel-invitation">{t('wf.invitation')}</label>
          <input
            id="channel-invitation"
            readOnly
            value={w.invitationUrl}
            onFocus={(e) => e.target.select()}
          />
        </p>
      ) : null}
    </section>
  );
}

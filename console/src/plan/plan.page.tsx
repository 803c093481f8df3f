import { type WorkflowKind } from '../gql/graphql';
import { kindKey } from '../i18n/dictionary';
import { useI18n } from '../i18n/i18n';
import { Link } from '../ui/components';
import { AzurePlanForm } from './azure-plan.form';
import { ChannelMoveForm } from './channel-move.form';
import { ConsolidationForm } from './consolidation.form';
import { TransferForm } from './transfer.form';

const FORMS = [
  { slug: 'consolidation', kind: 'TENANT_CONSOLIDATION', Form: ConsolidationForm },
  { slug: 'transfer', kind: 'SUBSCRIPTION_TRANSFER', Form: TransferForm },
  { slug: 'channel-move', kind: 'CHANNEL_MOVE', Form: ChannelMoveForm },
  { slug: 'azure-plan', kind: 'AZURE_PLAN_TRANSITION', Form: AzurePlanForm },
] as const satisfies ReadonlyArray<{ slug: string; kind: WorkflowKind; Form: () => JSX.Element }>;

export function PlanPage(props: { kind: string | undefined }) {
  const { t } = useI18n();
  const current = FORMS.find((f) => f.slug === props.kind) ?? FORMS[0];
  return (
    <section aria-labelledby="plan-title">
      <h1 id="plan-title">{t('plan.title')}</h1>
      <p>{t('plan.intro')}</p>
      <nav className="tabs" aria-label={t('plan.title')}>
        {FORMS.map((f) => (
          <Link key={f.slug} to={`/plan/${f.slug}`} className={f === current ? 'current' : ''}>
            {t(kindKey(f.kind))}
          </Link>
        ))}
      </nav>
      <div className="card">
        <h2>{t(kindKey(current.kind))}</h2>
        <current.Form />
      </div>
    </section>
  );
}

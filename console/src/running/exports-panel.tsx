import { useState } from 'react';
import { downloadWithToken, request } from '../api/client';
import {
  ExportActivityLogMutation,
  ExportAzureReconciliationMutation,
  ExportChannelMoveMutation,
  ExportConsolidationMutation,
} from '../api/operations';
import { useSession, type Session } from '../auth/session';
import type { ExportFieldsFragment, ExportFormat } from '../gql/graphql';
import { type MessageKey } from '../i18n/dictionary';
import { useI18n } from '../i18n/i18n';
import { UserErrors } from '../ui/components';
import { type LiveWorkflow } from './live-workflow';

interface ExportKind {
  id: string;
  label: MessageKey;
  appliesTo(w: LiveWorkflow): boolean;
  run(session: Session, w: LiveWorkflow, format: ExportFormat): Promise<ExportFieldsFragment>;
}

const EXPORTS: readonly ExportKind[] = [
  {
    id: 'inventory',
    label: 'wf.exportInventory',
    appliesTo: (w) => w.__typename === 'TenantConsolidation',
    run: async (s, w, format) =>
      (await request(s.token, ExportConsolidationMutation, { id: w.id, format }))
        .exportConsolidationInventory,
  },
  {
    id: 'channel-plan',
    label: 'wf.exportChannelPlan',
    appliesTo: (w) => w.__typename === 'ChannelMove',
    run: async (s, w, format) =>
      (await request(s.token, ExportChannelMoveMutation, { id: w.id, format }))
        .exportChannelMovePlan,
  },
  {
    id: 'azure-reconciliation',
    label: 'wf.exportAzure',
    appliesTo: (w) => w.__typename === 'AzurePlanTransition',
    run: async (s, w, format) =>
      (
        await request(s.token, ExportAzureReconciliationMutation, {
          customerId: w.__typename === 'AzurePlanTransition' ? w.customer.id : '',
          format,
        })
      ).exportAzureReconciliation,
  },
  {
    id: 'activity',
    label: 'wf.exportActivity',
    appliesTo: () => true,
    run: async (s, w, format) =>
      (await request(s.token, ExportActivityLogMutation, { id: w.id, format })).exportActivityLog,
  },
];

/** Server-side exports (CSV or XLSX): the mutation makes the file, then it is fetched with the token. */
export function ExportsPanel(props: { workflow: LiveWorkflow }) {
  const { t } = useI18n();
  const session = useSession();
  const [format, setFormat] = useState<ExportFormat>('XLSX');
  const [result, setResult] = useState<ExportFieldsFragment | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const run = async (kind: ExportKind) => {
    setMessage(null);
    try {
      const payload = await kind.run(session, props.workflow, format);
      setResult(payload);
      if (payload.export) {
        await downloadWithToken(session.token, payload.export.url, payload.export.fileName);
        setMessage(
          t('wf.exported', { file: payload.export.fileName, rows: payload.export.rowCount }),
        );
      }
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="card" aria-labelledby="exports-title">
      <h2 id="exports-title">{t('wf.exports')}</h2>
      <div className="row">
        <label>
          {t('wf.exportFormat')}
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            <option value="XLSX">XLSX</option>
            <option value="CSV">CSV</option>
          </select>
        </label>
        {EXPORTS.filter((x) => x.appliesTo(props.workflow)).map((kind) => (
          <button
            key={kind.id}
            type="button"
            className="button"
            data-export={kind.id}
            onClick={() => void run(kind)}
          >
            {t(kind.label)}
          </button>
        ))}
      </div>
      {result ? <UserErrors errors={result.userErrors} title={t('wf.exports')} /> : null}
      {message ? (
        <p role="status" className="muted" data-testid="export-status">
          {message}
        </p>
      ) : null}
    </section>
  );
}

import { useState } from 'react';
import { downloadWithToken } from '../api/client';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { Badge, ErrorMessage } from '../ui/components';
import { type Transfer } from './live-workflow';

const PARTIES = ['CURRENT_PARTNER', 'CUSTOMER', 'NEW_PARTNER'] as const;

/** The CSP Subscription Transfer form: its three signatures, the signing links and the PDF. */
export function TransferPanel(props: { transfer: Transfer }) {
  const { t, dateTime } = useI18n();
  const { token } = useSession();
  const [error, setError] = useState<unknown>(null);
  const { transfer } = props;
  const { form } = transfer;
  return (
    <section className="card" aria-labelledby="transfer-form-title">
      <h2 id="transfer-form-title">{t('wf.transferForm')}</h2>
      <p>
        <Badge tone={form.complete ? 'COMPLETED' : 'WAITING'}>
          {form.complete ? t('wf.formComplete') : t('wf.formIncomplete')}
        </Badge>{' '}
        {form.attachedAt ? t('wf.formAttached', { at: dateTime(form.attachedAt) }) : null}
      </p>
      <table className="signatures" data-testid="signatures">
        <caption className="visually-hidden">{t('wf.signatures')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.party')}</th>
            <th scope="col">{t('wf.signatures')}</th>
            <th scope="col">{t('wf.signingLink')}</th>
          </tr>
        </thead>
        <tbody>
          {PARTIES.map((party) => {
            const signature = form.signatures.find((s) => s.party === party);
            const link = form.signingLinks.find((l) => l.party === party);
            return (
              <tr key={party} data-party={party} data-signed={signature ? 'yes' : 'no'}>
                <th scope="row">{t(`party.${party}`)}</th>
                <td>
                  {signature
                    ? t('wf.signedBy', {
                        name: signature.signerName,
                        at: dateTime(signature.signedAt),
                      })
                    : t('wf.notSigned')}
                </td>
                <td>
                  {link ? (
                    <>
                      <input
                        readOnly
                        aria-label={`${t('wf.signingLink')} ${t(`party.${party}`)}`}
                        value={link.url}
                        onFocus={(e) => e.target.select()}
                      />
                      <span className="muted">
                        {link.used
                          ? t('wf.linkUsed')
                          : t('wf.linkExpires', { at: dateTime(link.expiresAt) })}
                      </span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <button
          type="button"
          className="button"
          onClick={() =>
            void downloadWithToken(token, form.pdfUrl, 'csp-subscription-transfer-form.pdf').catch(
              setError,
            )
          }
        >
          {t('wf.pdf')}
        </button>
      </p>
      <ErrorMessage error={error} />
      <dl className="facts">
        <dt>{t('wf.state')}</dt>
        <dd>{transfer.state}</dd>
        {transfer.responseDueAt ? (
          <>
            <dt>{t('wf.responseDue', { at: dateTime(transfer.responseDueAt) })}</dt>
            <dd>{transfer.overdue ? <Badge tone="FAILED">{t('wf.overdue')}</Badge> : '✓'}</dd>
          </>
        ) : null}
        {transfer.serviceRequestId ? (
          <>
            <dt>{t('wf.serviceRequest')}</dt>
            <dd>{transfer.serviceRequestId}</dd>
          </>
        ) : null}
        {transfer.roleAssignmentsToRemove.length > 0 ? (
          <>
            <dt>{t('wf.rolesToRemove')}</dt>
            <dd>
              <ul>
                {transfer.roleAssignmentsToRemove.map((r) => (
                  <li key={r}>
                    <code>{r}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

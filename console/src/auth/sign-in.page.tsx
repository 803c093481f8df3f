import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { ViewerQuery } from '../api/operations';
import { rememberLocale, useI18n } from '../i18n/i18n';
import { LanguageSwitch } from '../ui/language-switch';
import { storeToken, type Viewer } from './session';

export function SignInPage(props: {
  devToken: string | undefined;
  initialError?: string | undefined;
  onSignedIn(token: string, viewer: Viewer): void;
}) {
  const { t, locale } = useI18n();
  const [token, setToken] = useState(props.devToken ?? '');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | undefined>(props.initialError);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    setBusy(true);
    setError(undefined);
    try {
      const data = await request(value, ViewerQuery);
      storeToken(value, remember);
      rememberLocale(locale, remember);
      props.onSignedIn(value, data.viewer);
    } catch (e) {
      setError(t('signIn.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-top">
        <h1>{t('app.title')}</h1>
        <LanguageSwitch />
      </div>
      <form onSubmit={(e) => void submit(e)} className="card" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t('signIn.title')}</h2>
        <p>{t('signIn.intro')}</p>
        <label htmlFor="token">{t('signIn.token')}</label>
        <textarea
          id="token"
          name="token"
          rows={4}
          required
          spellCheck={false}
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby={props.devToken ? 'dev-token-hint' : undefined}
        />
        {props.devToken ? (
          <p id="dev-token-hint" className="muted">
            {t('signIn.devToken')}
          </p>
        ) : null}
        <label className="check">
          <input
            type="checkbox"
            name="remember"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
          />
          {t('signIn.remember')}
        </label>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={busy || token.trim() === ''}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}

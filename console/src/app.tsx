import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, request } from './api/client';
import { ViewerQuery } from './api/operations';
import { SignInPage } from './auth/sign-in.page';
import {
  canOperate,
  forgetToken,
  loadConsoleConfig,
  SessionProvider,
  storedToken,
  type Session,
  type Viewer,
} from './auth/session';
import { useI18n } from './i18n/i18n';
import { PlanPage } from './plan/plan.page';
import { WorkflowPage } from './running/workflow.page';
import { Link } from './ui/components';
import { navigate, usePath } from './ui/router';
import { LanguageSwitch } from './ui/language-switch';
import { WorkflowListPage } from './workflows/workflow-list.page';

type Boot =
  | { phase: 'loading' }
  | {
      phase: 'signed-out';
      devToken?: string | undefined;
      demoClock: boolean;
      error?: string | undefined;
    }
  | { phase: 'signed-in'; token: string; viewer: Viewer; demoClock: boolean };

export function App() {
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });

  useEffect(() => {
    void (async () => {
      const config = await loadConsoleConfig();
      const token = storedToken();
      if (!token) {
        setBoot({
          phase: 'signed-out',
          devToken: config.devToken,
          demoClock: config.demoClock === true,
        });
        return;
      }
      try {
        const data = await request(token, ViewerQuery);
        setBoot({
          phase: 'signed-in',
          token,
          viewer: data.viewer,
          demoClock: config.demoClock === true,
        });
      } catch (error) {
        if (error instanceof ApiError && error.code !== 'NETWORK') {
          forgetToken();
        }
        setBoot({
          phase: 'signed-out',
          devToken: config.devToken,
          demoClock: config.demoClock === true,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    })();
  }, []);

  if (boot.phase === 'loading') {
    return <Loading />;
  }
  if (boot.phase === 'signed-out') {
    return (
      <SignInPage
        devToken={boot.devToken}
        initialError={boot.error}
        onSignedIn={(token, viewer) =>
          setBoot({ phase: 'signed-in', token, viewer, demoClock: boot.demoClock })
        }
      />
    );
  }
  return (
    <SignedIn
      token={boot.token}
      viewer={boot.viewer}
      demoClock={boot.demoClock}
      onSignOut={() => {
        forgetToken();
        void loadConsoleConfig().then((config) =>
          setBoot({
            phase: 'signed-out',
            devToken: config.devToken,
            demoClock: config.demoClock === true,
          }),
        );
        navigate('/');
      }}
    />
  );
}

function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

function SignedIn(props: { token: string; viewer: Viewer; demoClock: boolean; onSignOut(): void }) {
  const { t, timeZone } = useI18n();
  const path = usePath();
  const session = useMemo<Session>(
    () => ({
      token: props.token,
      viewer: props.viewer,
      canOperate: canOperate(props.viewer.roles),
      demoClock: props.demoClock,
      signOut: props.onSignOut,
    }),
    [props.token, props.viewer, props.demoClock, props.onSignOut],
  );
  const { viewer } = props;
  // A new page moves the focus to its content, so screen readers and keyboards start there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);
  const workflowMatch = /^\/workflows\/([^/]+)$/.exec(path);
  const planMatch = /^\/plan(?:\/([a-z-]+))?$/.exec(path);

  return (
    <SessionProvider session={session}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <Link to="/">{t('app.title')}</Link>
        </div>
        <nav aria-label={t('app.title')}>
          <Link to="/" className={planMatch || workflowMatch ? '' : 'current'}>
            {t('app.nav.workflows')}
          </Link>
          <Link to="/plan" className={planMatch ? 'current' : ''}>
            {t('app.nav.plan')}
          </Link>
        </nav>
        <div className="who">
          <span data-testid="organization">{viewer.organization.name}</span>
          <span className="muted">{viewer.name ?? viewer.userId}</span>
          <span>
            <span className="muted">{t('app.roles')}: </span>
            <span data-testid="roles">{viewer.roles.join(', ')}</span>
          </span>
          <LanguageSwitch />
          <button type="button" className="button link" onClick={props.onSignOut}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {workflowMatch?.[1] ? (
          <WorkflowPage key={workflowMatch[1]} id={decodeURIComponent(workflowMatch[1])} />
        ) : planMatch ? (
          <PlanPage kind={planMatch[1]} />
        ) : (
          <WorkflowListPage />
        )}
      </main>
      <footer className="foot">
        <span className="muted">{t('app.timeZone', { zone: timeZone })}</span>
      </footer>
    </SessionProvider>
  );
}

import { createContext, useContext, type ReactNode } from 'react';
import type { ConsoleViewerQuery, PartnerRole } from '../gql/graphql';

// The token lives in sessionStorage (gone when the tab closes); in localStorage only when the user
// ticks "remember".
const TOKEN_KEY = 'csp-console.token';

export const storedToken = (): string | null =>
  sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);

export function storeToken(token: string, remember: boolean): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  if (remember) {
    localStorage.setItem(TOKEN_KEY, token);
  } else {
    localStorage.removeItem(TOKEN_KEY);
  }
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
}

export interface ConsoleConfig {
  /** The API's development token (emulator mode only). */
  devToken?: string;
  /** The API runs the in-process emulator, whose clock the console may move. */
  demoClock?: boolean;
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}config.json`, {
      headers: { accept: 'application/json' },
    });
    return response.ok ? ((await response.json()) as ConsoleConfig) : {};
  } catch {
    return {};
  }
}

export type Viewer = ConsoleViewerQuery['viewer'];

export interface Session {
  token: string;
  viewer: Viewer;
  /** R-CON-10: starting, cancelling, retrying and the transfer's actions change Partner Center. */
  canOperate: boolean;
  /** Whether /console/demo-clock is there (emulator mode). */
  demoClock: boolean;
  signOut(): void;
}

const OPERATOR_ROLES: readonly PartnerRole[] = ['GLOBAL_ADMIN', 'ADMIN_AGENT'];

export const canOperate = (roles: readonly PartnerRole[]): boolean =>
  roles.some((role) => OPERATOR_ROLES.includes(role));

const SessionContext = createContext<Session | null>(null);

export function SessionProvider(props: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) {
    throw new Error('useSession outside SessionProvider');
  }
  return value;
}

import { setupServer } from 'msw/node';
import {
  createEmulator,
  startEmulatorServer,
  type Emulator,
  type EmulatorOptions,
  type StandaloneServer,
} from 'partner-center-emulator';

/** The three ways to run the emulator; the conformance suite runs every case through each. */
export type Mode = 'msw' | 'fetch' | 'server';
export const MODES: Mode[] = ['msw', 'fetch', 'server'];

export interface Harness {
  emulator: Emulator;
  /** Partner Center call: `pc(tenantId, '/v1/customers')`. */
  pc(tenantId: string | null, path: string, init?: RequestInit): Promise<Response>;
  /** ARM call with the ARM path after `/subscriptions/...`. */
  arm(tenantId: string, path: string, init?: RequestInit): Promise<Response>;
  /** Microsoft Graph call with the path after `/v1.0` (graph.microsoft.com, or `/graph` standalone). */
  graph(tenantId: string | null, path: string, init?: RequestInit): Promise<Response>;
  /** Control API call (`/_emulator/...`). */
  control(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

const PC = 'https://api.partnercenter.microsoft.com';

export async function openHarness(mode: Mode, options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = createEmulator({ hangMs: 200, ...options });
  let server: ReturnType<typeof setupServer> | undefined;
  let standalone: StandaloneServer | undefined;
  let doFetch: (url: string, init?: RequestInit) => Promise<Response>;
  let pcBase = PC;
  let armBase = 'https://management.azure.com';
  let graphBase = 'https://graph.microsoft.com/v1.0';
  if (mode === 'msw') {
    const mswServer = setupServer(...emulator.handlers);
    mswServer.listen({ onUnhandledRequest: 'error' });
    server = mswServer;
    doFetch = (url, init) => fetch(url, init);
  } else if (mode === 'fetch') {
    doFetch = (url, init) => emulator.fetch(url, init);
  } else {
    standalone = await startEmulatorServer(emulator, { port: 0 });
    pcBase = standalone.url;
    armBase = `${standalone.url}/arm`;
    graphBase = `${standalone.url}/graph/v1.0`;
    doFetch = (url, init) => fetch(url, init);
  }
  const withAuth = (tenantId: string | null, init: RequestInit = {}): RequestInit => {
    const headers = new Headers(init.headers);
    if (tenantId) {
      headers.set('Authorization', `Bearer ${emulator.tokenFor(tenantId)}`);
    }
    if (init.body && !headers.has('Content-Type')) {
      headers.set('Content-Type', 'application/json');
    }
    return { ...init, headers };
  };
  return {
    emulator,
    pc: (tenantId, path, init) => doFetch(`${pcBase}${path}`, withAuth(tenantId, init)),
    arm: (tenantId, path, init) => doFetch(`${armBase}${path}`, withAuth(tenantId, init)),
    graph: (tenantId, path, init) => doFetch(`${graphBase}${path}`, withAuth(tenantId, init)),
    control: (path, init) => doFetch(`${pcBase}/_emulator${path}`, withAuth(null, init)),
    close: async () => {
      server?.close();
      await standalone?.close();
    },
  };
}

export async function body<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export interface Collection<T = Record<string, unknown>> {
  totalCount: number;
  items: T[];
  links: { next?: { uri: string; headers: { key: string; value: string }[] } };
  attributes: { objectType: string };
}

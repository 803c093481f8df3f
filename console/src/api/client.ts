import { createClient, type Client } from 'graphql-ws';
import { type TypedDocumentString } from '../gql/graphql';

// The console talks to the API it is served by: POST /graphql with the bearer token, graphql-ws on
// the same path with `connectionParams.authorization` (server/app/http-server.ts, onConnect).

export const GRAPHQL_PATH = '/graphql';

/** A top-level GraphQL error (FORBIDDEN, UNAUTHENTICATED, …) or a transport failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

interface GraphqlBody<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export async function request<TResult, TVariables>(
  token: string,
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch (error) {
    throw new ApiError(error instanceof Error ? error.message : 'Network error', 'NETWORK');
  }
  let body: GraphqlBody<TResult>;
  try {
    body = (await response.json()) as GraphqlBody<TResult>;
  } catch {
    throw new ApiError(`HTTP ${response.status}`, 'HTTP', response.status);
  }
  const first = body.errors?.[0];
  if (first) {
    throw new ApiError(first.message, first.extensions?.code ?? 'ERROR', response.status);
  }
  if (!body.data) {
    throw new ApiError(`HTTP ${response.status}`, 'HTTP', response.status);
  }
  return body.data;
}

const websocketUrl = (): string => {
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
};

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** One graphql-ws client per signed-in token; it reconnects with backoff after a drop. */
export function createLiveClient(token: string, onStatus: (status: LiveStatus) => void): Client {
  return createClient({
    url: websocketUrl(),
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // graphql-ws backs off exponentially without a cap (1 s, 2 s, 4 s … minutes): an operator
    // watching a migration should see it live again within seconds of the API coming back.
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(resolve, Math.min(500 * 2 ** retries, 5_000) * (0.5 + Math.random() / 2)),
      ),
    on: {
      connecting: () => onStatus('connecting'),
      connected: () => onStatus('live'),
      closed: () => onStatus('reconnecting'),
    },
  });
}

/** Subscribes to a typed subscription; returns the unsubscribe function. */
export function subscribe<TResult, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  handlers: { next(data: TResult): void; error(error: ApiError): void; complete?(): void },
): () => void {
  return client.subscribe<TResult>(
    { query: document.toString(), variables },
    {
      next: (result) => {
        const first = result.errors?.[0];
        if (first) {
          handlers.error(new ApiError(first.message, String(first.extensions?.code ?? 'ERROR')));
        } else if (result.data) {
          handlers.next(result.data);
        }
      },
      error: (error: unknown) =>
        handlers.error(
          new ApiError(error instanceof Error ? error.message : 'Subscription closed', 'WS'),
        ),
      // The server ends a subscription it could not start (an `errors` result, then complete) or
      // one whose source ended; the caller decides whether to take it up again.
      complete: () => handlers.complete?.(),
    },
  );
}

/**
 * Downloads a file the API serves to the bearer (exports, the transfer PDF): fetch with the token,
 * then a temporary blob link, as a plain link cannot carry the Authorization header.
 */
export async function downloadWithToken(
  token: string,
  url: string,
  fileName: string,
): Promise<void> {
  const target = new URL(url, window.location.href);
  // Links are absolute with the API's PUBLIC_URL; fetch them from this origin when they point here.
  const sameApi =
    target.pathname.startsWith('/exports/') || target.pathname.startsWith('/transfer-forms/');
  const href = sameApi ? `${target.pathname}${target.search}` : target.toString();
  const response = await fetch(href, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) {
    throw new ApiError(`HTTP ${response.status}`, 'HTTP', response.status);
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

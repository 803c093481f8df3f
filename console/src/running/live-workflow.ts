import { useEffect, useRef, useState } from 'react';
import { createLiveClient, request, subscribe, type LiveStatus } from '../api/client';
import { WorkflowQuery, WorkflowUpdatedSubscription } from '../api/workflow-operations';
import { useSession } from '../auth/session';
import type { WorkflowLiveFragment } from '../gql/graphql';

export type LiveWorkflow = WorkflowLiveFragment;
export type Consolidation = Extract<LiveWorkflow, { __typename: 'TenantConsolidation' }>;
export type Transfer = Extract<LiveWorkflow, { __typename: 'SubscriptionTransfer' }>;
export type ChannelMove = Extract<LiveWorkflow, { __typename: 'ChannelMove' }>;
export type AzurePlan = Extract<LiveWorkflow, { __typename: 'AzurePlanTransition' }>;

/** One point of the progress chart: the workflow's own clock (`updatedAt`), items done. */
export interface ProgressSample {
  at: number;
  completed: number;
  total: number;
}

const isWorkflow = (node: unknown): node is LiveWorkflow =>
  typeof node === 'object' && node !== null && 'kind' in node && 'progress' in node;

/**
 * The workflow as the API last described it: read once, then every `workflowUpdated` event
 * (graphql-ws) replaces it. Progress samples accumulate for the chart while the page is open.
 */
export function useLiveWorkflow(id: string) {
  const { token } = useSession();
  const [workflow, setWorkflow] = useState<LiveWorkflow | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveStatus>('connecting');
  const [samples, setSamples] = useState<ProgressSample[]>([]);
  const [version, setVersion] = useState(0);
  const latest = useRef<string>('');

  const accept = (next: LiveWorkflow) => {
    // Events can cross the initial read; keep the newest by the workflow's own clock.
    if (latest.current && next.updatedAt < latest.current) {
      return;
    }
    latest.current = next.updatedAt;
    setError(null);
    setWorkflow(next);
    setVersion((v) => v + 1);
    setSamples((current) => {
      const at = Date.parse(next.updatedAt);
      const sample = { at, completed: next.progress.completed, total: next.progress.total };
      const last = current[current.length - 1];
      if (last && last.at === at) {
        return [...current.slice(0, -1), sample];
      }
      return [...current, sample].slice(-500);
    });
  };

  const reload = async () => {
    try {
      const data = await request(token, WorkflowQuery, { id });
      if (isWorkflow(data.node)) {
        latest.current = '';
        accept(data.node);
      } else {
        setWorkflow(null);
      }
    } catch (e) {
      setError(e);
    }
  };

  useEffect(() => {
    void reload();
    let disposed = false;
    // Status events of a client this effect already disposed are dropped: its socket's late
    // `closed` arrived after the next client's `connected` and left the page on 'reconnecting'
    // while it was live (a full-suite run: the effect ran twice, two sockets, the first closed last).
    const client = createLiveClient(token, (status) => {
      if (!disposed) {
        setLive(status);
      }
    });
    let stop: () => void = () => undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // A subscription the server ends with an error (a storage hiccup, a replica going away) is
    // taken up again after a pause, and the workflow re-read: an operator's page keeps following.
    const again = () => {
      if (disposed) {
        return;
      }
      clearTimeout(retry);
      retry = setTimeout(() => {
        void reload();
        follow();
      }, 2_000);
    };
    const follow = () => {
      stop = subscribe(
        client,
        WorkflowUpdatedSubscription,
        { id },
        {
          next: (data) => accept(data.workflowUpdated),
          error: (e) => {
            setError(e);
            // A terminal error ('WS': the socket or the server ended the subscription) is
            // retried; an event carrying errors keeps the subscription open.
            if (e.code === 'WS') {
              again();
            }
          },
          // A subscription the server completed (it could not start it, or its source ended)
          // would leave the page on 'reconnecting' for good: the lazy client closes an idle
          // socket. Take it up again, as after an error.
          complete: again,
        },
      );
    };
    follow();
    return () => {
      disposed = true;
      clearTimeout(retry);
      stop();
      void client.dispose();
      setLive('closed');
    };
  }, [id, token]);

  return { workflow, error, live, samples, version, reload, replace: accept };
}

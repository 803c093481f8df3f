import { useEffect, useRef, useState } from 'react';
import { request } from '../api/client';
import { ConsolidationStatesQuery } from '../api/workflow-operations';
import { useSession } from '../auth/session';
import type { ConsoleConsolidationStatesQuery, ConsolidationCustomerState } from '../gql/graphql';
import { type Consolidation } from './live-workflow';

// The live selection carries the first 100 customers; a larger consolidation's board reads every
// customer's state (100 per page, state only) at most every few seconds while it changes.
const MIN_INTERVAL_MS = 5_000;
const MAX_PAGES = 100;

export function useAllCustomerStates(workflow: Consolidation): ConsolidationCustomerState[] | null {
  const { token } = useSession();
  const [states, setStates] = useState<ConsolidationCustomerState[] | null>(null);
  const lastRead = useRef(0);
  const partial = workflow.customers.totalCount > workflow.customers.edges.length;
  const { id, updatedAt } = workflow;

  useEffect(() => {
    if (!partial) {
      return;
    }
    let live = true;
    const wait = Math.max(0, lastRead.current + MIN_INTERVAL_MS - Date.now());
    const timer = setTimeout(() => {
      lastRead.current = Date.now();
      void (async () => {
        const all: ConsolidationCustomerState[] = [];
        let after: string | null = null;
        for (let page = 0; page < MAX_PAGES; page++) {
          const data: ConsoleConsolidationStatesQuery = await request(
            token,
            ConsolidationStatesQuery,
            { id, after },
          );
          const node = data.node;
          if (!node || !('customers' in node)) {
            return;
          }
          all.push(...node.customers.edges.map((e) => e.node.state));
          if (!node.customers.pageInfo.hasNextPage) {
            break;
          }
          after = node.customers.pageInfo.endCursor ?? null;
        }
        if (live) {
          setStates(all);
        }
      })().catch(() => undefined);
    }, wait);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [token, id, updatedAt, partial]);

  return partial ? states : null;
}

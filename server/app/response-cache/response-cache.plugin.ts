import { type ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  getArgumentValues,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { decodeId } from '../../shared/ids.js';
import { type ResponseDependencies } from '../../shared/response-dependencies.js';
import { type AppContext } from '../context.js';
import {
  type CachedResponse,
  type ResponseCacheStore,
  type ResponseStamp,
} from './response-cache.store.js';

/** One HTTP request that may be stored: filled by the plugin, stored by the handler. */
export interface ResponseCapture {
  key: string;
  dependencies: ResponseDependencies;
  stamp?: ResponseStamp;
  /** Set once the response turned out storable (headers and status come from the HTTP result). */
  response?: Omit<CachedResponse, 'status' | 'headers'> & { extensionsJson: string };
}

// A symbol-keyed property: Apollo shallow-copies the context per operation (own properties,
// symbols included), so a WeakMap keyed by the object the handler built would miss it.
const CAPTURE = Symbol('responseCapture');
type WithCapture = { [CAPTURE]?: ResponseCapture };
const captureOf = (context: AppContext | undefined): ResponseCapture | undefined =>
  (context as WithCapture | undefined)?.[CAPTURE];

/** Links a request's context to its capture (the context is built by the handler). */
export function attachCapture(context: AppContext, capture: ResponseCapture): void {
  (context as WithCapture)[CAPTURE] = capture;
}

/**
 * Root fields whose responses may be cached: everything they show is read through the Partner
 * Center read cache or from our database, scoped by organization and role. `viewer` (per user)
 * and everything else are never cached.
 */
const CACHEABLE_ROOTS: ReadonlySet<string> = new Set(['customers', 'node', 'nodes', 'workflows']);
/** Roots that show workflows: their responses also depend on the workflow engine's changes. */
const WORKFLOW_ROOTS: ReadonlySet<string> = new Set(['node', 'nodes', 'workflows']);
/** Node types (as encoded in ids) that `node`/`nodes` may serve from the cache. */
const PLAIN_NODE_TYPES: ReadonlySet<string> = new Set([
  'Customer',
  'CustomerSubscription',
  'PartnerTenant',
]);

type Decision = { ok: true; showsWorkflows: boolean } | { ok: false; reason: string };

function nodeTypeAllowed(schema: GraphQLSchema, id: unknown): boolean {
  const decoded = typeof id === 'string' ? decodeId(id) : null;
  if (!decoded) {
    return false;
  }
  if (PLAIN_NODE_TYPES.has(decoded.type)) {
    return true;
  }
  const type = schema.getType(decoded.type);
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Workflow');
}

/** Whether a resolved operation's response may be stored (the root fields and `node` ids). */
export function cacheableOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): Decision {
  if (operation.operation !== 'query') {
    return { ok: false, reason: operation.operation };
  }
  const queryType = schema.getQueryType();
  if (!queryType) {
    return { ok: false, reason: 'no query type' };
  }
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  let data = false;
  let showsWorkflows = false;
  const visit = (set: SelectionSetNode, seen: Set<string>): string | null => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const reason = visit(selection.selectionSet, seen);
        if (reason) {
          return reason;
        }
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(selection.name.value)) {
          return 'fragment';
        }
        const reason = visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
        if (reason) {
          return reason;
        }
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename') {
        continue;
      }
      if (!CACHEABLE_ROOTS.has(name)) {
        return `root ${name}`;
      }
      data = true;
      showsWorkflows ||= WORKFLOW_ROOTS.has(name);
      if (name === 'node' || name === 'nodes') {
        const field = queryType.getFields()[name];
        if (!field) {
          return `root ${name}`;
        }
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(field, selection, variables ?? {});
        } catch {
          return 'arguments';
        }
        const ids = name === 'node' ? [args.id] : ((args.ids as unknown[] | undefined) ?? []);
        if (!ids.every((id) => nodeTypeAllowed(schema, id))) {
          return 'node type';
        }
      }
    }
    return null;
  };
  const reason = visit(operation.selectionSet, new Set());
  if (reason) {
    return { ok: false, reason };
  }
  return data ? { ok: true, showsWorkflows } : { ok: false, reason: 'no data field' };
}

/**
 * Decides what may be stored and bumps the organization's generation after every mutation. Must
 * come after the query-limits plugin (it reads the settled `extensions.cost`).
 */
export function responseCachePlugin(store: ResponseCacheStore): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      let mutation = false;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (operation?.operation === 'mutation') {
            mutation = true;
          }
          const capture = captureOf(contextValue);
          if (!capture || !operation) {
            return;
          }
          const decision = cacheableOperation(schema, document, operation, request.variables);
          if (!decision.ok) {
            store.skip(decision.reason);
            return;
          }
          capture.stamp = store.stamp(contextValue.actor.organizationId, decision.showsWorkflows);
        },
        async willSendResponse({ response, contextValue }) {
          if (mutation && contextValue?.actor) {
            // After it ran (committed or not): what was built before it is not served again.
            // Workflows may be shared with other organizations: the engine generation too.
            store.organizationChanged(contextValue.actor.organizationId);
            store.engineChanged();
          }
          const capture = captureOf(contextValue);
          if (!capture?.stamp) {
            return;
          }
          const skip = (reason: string) => {
            store.skip(reason);
            capture.stamp = undefined;
          };
          if (response.body.kind !== 'single') {
            return skip('incremental');
          }
          const result = response.body.singleResult;
          const cost = result.extensions?.cost as
            { requested?: unknown; actual?: unknown } | undefined;
          if (result.errors?.length || !result.data) {
            return skip('errors');
          }
          if (capture.dependencies.uncacheable) {
            return skip(capture.dependencies.uncacheable);
          }
          if (typeof cost?.requested !== 'number' || typeof cost.actual !== 'number') {
            return skip('no cost');
          }
          const { cost: _cost, ...extensions } = result.extensions ?? {};
          capture.response = {
            dataJson: '',
            extensions,
            extensionsJson: JSON.stringify(result.extensions),
            requested: cost.requested,
            actual: cost.actual,
          };
        },
      };
    },
  };
}

import { type Server } from 'node:http';
import {
  type DocumentNode,
  execute,
  type ExecutionArgs,
  getOperationAST,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  type ValidationRule,
  validate,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type Actor } from './auth.js';
import { type ContextDeps, createContextForActor } from './context.js';
import { type createFormatError } from './format-error.js';
import { GRAPHQL_PATH, TIMED_OUT, timeoutError, withTimeout } from './http-io.js';
import { type CostBudget } from './limits/cost-budget.js';
import {
  admitDocument,
  admitOperation,
  type CostReport,
  isTokenLimitMessage,
  principalOf,
  type QueryLimits,
  settleOperation,
  tooManyTokensError,
} from './limits/operation-limits.js';
import { actualCost } from './limits/query-cost.js';

export interface WebSocketServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  contextDeps: ContextDeps;
  limits: QueryLimits;
  costBudget: CostBudget;
  validationRules: readonly ValidationRule[];
  formatError: ReturnType<typeof createFormatError>;
}

/**
 * graphql-ws on the GraphQL path. It bypasses Apollo's pipeline: auth, the introspection rule,
 * query limits, the cost budget, the timeout and error masking are wired here, the same as on HTTP.
 */
export function startWebSocketServer(options: WebSocketServerOptions): {
  wsServer: WebSocketServer;
  dispose: () => Promise<void>;
} {
  const { httpServer, limits, costBudget, validationRules, formatError } = options;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: GRAPHQL_PATH,
    maxPayload: limits.maxBodyBytes,
  });
  const actors = new WeakMap<object, Actor>();
  const wsCosts = new WeakMap<object, Map<string, CostReport>>();
  const cleanup = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      onSubscribe: (ctx, id, payload) => {
        const actor = actors.get(ctx);
        if (!actor) {
          return [
            new GraphQLError('Unauthenticated.', { extensions: { code: 'UNAUTHENTICATED' } }),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError && isTokenLimitMessage(error.message)) {
            return [tooManyTokensError(limits)];
          }
          return [
            new GraphQLError(error instanceof Error ? error.message : 'Syntax error.', {
              extensions: { code: 'GRAPHQL_PARSE_FAILED' },
            }),
          ];
        }
        try {
          admitDocument(document, limits);
        } catch (error) {
          if (error instanceof GraphQLError) {
            return [error];
          }
          throw error;
        }
        const errors = validate(options.schema, document, validationRules);
        if (errors.length > 0) {
          return errors.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes ?? null,
                extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [
            new GraphQLError('Unable to identify the operation.', {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        try {
          const report = admitOperation({
            schema: options.schema,
            document,
            operation,
            variables: payload.variables,
            limits,
            budget: costBudget,
            principal: principalOf(actor),
          });
          const costs = wsCosts.get(ctx) ?? new Map<string, CostReport>();
          costs.set(id, report);
          wsCosts.set(ctx, costs);
        } catch (error) {
          if (error instanceof GraphQLError) {
            return [error];
          }
          throw error;
        }
        const args: ExecutionArgs = {
          schema: options.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: createContextForActor(options.contextDeps, actor),
        };
        return args;
      },
      // Queries and mutations over the socket get the same per-operation time limit as HTTP.
      execute: (args) =>
        withTimeout(Promise.resolve(execute(args)), limits.timeoutMs).then((outcome) =>
          outcome === TIMED_OUT
            ? { errors: [timeoutError(limits.timeoutMs)] }
            : (outcome as Awaited<ReturnType<typeof execute>>),
        ),
      onComplete: (ctx, id) => {
        wsCosts.get(ctx)?.delete(id);
      },
      onConnect: async (ctx) => {
        const authorization =
          ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        try {
          const actor = await options.contextDeps.auth.verifyHeader(
            typeof authorization === 'string' ? authorization : undefined,
          );
          actors.set(ctx, actor);
          return true;
        } catch {
          return false; // closes with 4403 Forbidden
        }
      },
      context: (ctx) => {
        const actor = actors.get(ctx);
        if (!actor) {
          throw new Error('unauthenticated websocket');
        }
        return createContextForActor(options.contextDeps, actor) as unknown as Record<
          string,
          unknown
        >;
      },
      onNext: (ctx, id, _payload, _args, result) => {
        const actor = actors.get(ctx);
        const report = wsCosts.get(ctx)?.get(id);
        const cost =
          actor && report
            ? report.actual === null
              ? settleOperation(costBudget, principalOf(actor), report, actualCost(result.data))
              : report
            : undefined;
        if (cost) {
          // A subscription is charged once; later events repeat the settled report.
          wsCosts.get(ctx)?.set(id, cost);
        }
        return {
          ...result,
          ...(result.errors
            ? {
                errors: result.errors.map((e: GraphQLError) =>
                  formatError(e.toJSON() as GraphQLFormattedError, e),
                ),
              }
            : {}),
          ...(cost ? { extensions: { ...result.extensions, cost } } : {}),
        };
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((e) => formatError(e.toJSON() as GraphQLFormattedError, e)),
    },
    wsServer,
  );

  return { wsServer, dispose: async () => cleanup.dispose() };
}

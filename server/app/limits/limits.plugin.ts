import { type ApolloServerPlugin } from '@apollo/server';
import { type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../shared/errors.js';
import { type AppContext } from '../context.js';
import { type CostBudget } from './cost-budget.js';
import {
  admitOperation,
  type CostReport,
  isTokenLimitMessage,
  principalOf,
  type QueryLimits,
  settleOperation,
  ThrottledError,
  QueryLimitError,
} from './operation-limits.js';
import { actualCost } from './query-cost.js';

/** Depth, alias, token and cost limits plus the per-principal budget, on Apollo's HTTP pipeline. */
export function queryLimitsPlugin(options: {
  limits: QueryLimits;
  budget: CostBudget;
}): ApolloServerPlugin<AppContext> {
  const { limits, budget } = options;
  return {
    async requestDidStart() {
      let report: CostReport | undefined;
      return {
        // After validation, before execution: the only hook that sees the variables.
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) {
            return;
          }
          const principal = principalOf(contextValue.actor);
          try {
            report = admitOperation({
              schema,
              document,
              operation,
              variables: request.variables,
              limits,
              budget,
              principal,
            });
          } catch (error) {
            if (error instanceof ThrottledError) {
              report = { ...(error.extensions.cost as CostReport), actual: 0 };
            } else if (error instanceof QueryLimitError) {
              report = {
                requested: Number(error.extensions.measured),
                actual: 0,
                remaining: budget.available(principal),
                maximum: budget.capacity,
                restoreRate: budget.restorePerSecond,
              };
            }
            throw error;
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') {
            return;
          }
          const result = response.body.singleResult;
          if (result.errors) {
            result.errors = result.errors.map(withTokenLimitCode(limits));
          }
          if (!contextValue?.actor) {
            return;
          }
          const principal = principalOf(contextValue.actor);
          const cost: CostReport =
            report && report.actual === null
              ? settleOperation(budget, principal, report, actualCost(result.data))
              : (report ?? {
                  requested: 0,
                  actual: 0,
                  remaining: budget.available(principal),
                  maximum: budget.capacity,
                  restoreRate: budget.restorePerSecond,
                });
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}

/** graphql's parser aborts over `maxTokens` with a syntax error; give it its own code. */
const withTokenLimitCode =
  (limits: QueryLimits) =>
  (error: GraphQLFormattedError): GraphQLFormattedError =>
    error.extensions?.code === 'GRAPHQL_PARSE_FAILED' && isTokenLimitMessage(error.message)
      ? {
          message: `The document has more than ${limits.maxTokens} tokens.`,
          extensions: {
            code: ErrorCode.TOO_MANY_TOKENS,
            limit: 'tokens',
            max: limits.maxTokens,
          },
        }
      : error;

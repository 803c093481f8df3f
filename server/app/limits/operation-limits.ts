import { HeaderMap } from '@apollo/server';
import {
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { AppGraphQLError, ErrorCode } from '../../shared/errors.js';
import { type Actor } from '../auth.js';
import { type CostBudget } from './cost-budget.js';
import { measureDocument } from './field-count.js';
import { measureOperation } from './query-cost.js';

/**
 * Query limits (OWASP GraphQL cheat sheet; GitHub's node limit, Shopify's calculated cost and
 * graphql-armor's defaults), applied alike to HTTP and graphql-ws, before anything executes.
 */
export interface QueryLimits {
  /** Deepest field nesting. */
  maxDepth: number;
  /** Aliased fields per operation (aliases multiply a field, e.g. brute-forcing one mutation). */
  maxAliases: number;
  /** Lexical tokens per document (bounds parse and validation work). */
  maxTokens: number;
  /** Field selections per document, fragments expanded and repeats counted (`measureDocument`). */
  maxFields: number;
  /**
   * Same-name field comparisons validation would make (`measureDocument`): repeated selections
   * cost validation quadratically, and more with each repeated level.
   */
  maxFieldComparisons: number;
  /** Requested cost of one operation (see `measureOperation`). */
  maxCost: number;
  /** Per-operation wall-clock limit in milliseconds (HTTP and graphql-ws queries and mutations). */
  timeoutMs: number;
  /** Largest request body in bytes. */
  maxBodyBytes: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2_000,
  maxFields: 500,
  maxFieldComparisons: 10_000,
  maxCost: 25_000,
  timeoutMs: 30_000,
  maxBodyBytes: 1024 * 1024,
};

/** `extensions.cost` on every response (Shopify's shape, in our names). */
export interface CostReport {
  requested: number;
  actual: number | null;
  remaining: number;
  maximum: number;
  restoreRate: number;
}

/** Who pays: one budget per user of an organization. */
export const principalOf = (actor: Actor): string => `${actor.organizationId}:${actor.userId}`;

export class QueryLimitError extends AppGraphQLError {
  constructor(
    message: string,
    code: ErrorCode,
    details: { limit: string; max: number; measured: number },
  ) {
    super(message, code, { ...details, http: { status: 400, headers: new HeaderMap() } });
  }
}

export class ThrottledError extends AppGraphQLError {
  constructor(retryAfterSeconds: number, cost: CostReport) {
    super(
      `Throttled: this operation costs ${cost.requested} points and ${cost.remaining} are available; retry in ${retryAfterSeconds} s.`,
      ErrorCode.THROTTLED,
      {
        retryAfterSeconds,
        cost,
        http: {
          status: 429,
          headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]),
        },
      },
    );
  }
}

/** Refusal for a document over `maxTokens` (graphql's parser aborts with this message). */
export function tooManyTokensError(limits: QueryLimits): QueryLimitError {
  return new QueryLimitError(
    `The document has more than ${limits.maxTokens} tokens.`,
    ErrorCode.TOO_MANY_TOKENS,
    { limit: 'tokens', max: limits.maxTokens, measured: limits.maxTokens + 1 },
  );
}

/**
 * Checks a parsed document's size before validation (`TOO_MANY_FIELDS`): validation is the
 * expensive step for a document of repeated fields (`viewer { userId }` 400 times took 1.5 s of CPU
 * under load while costing 400 points), and it runs before the cost is known.
 */
export function admitDocument(document: DocumentNode, limits: QueryLimits): void {
  const measure = measureDocument(document, {
    maxFields: limits.maxFields,
    maxComparisons: limits.maxFieldComparisons,
  });
  if (measure.fields > limits.maxFields) {
    throw new QueryLimitError(
      `The document selects ${measure.fields} fields (fragments expanded, repeats counted); the limit is ${limits.maxFields}.`,
      ErrorCode.TOO_MANY_FIELDS,
      { limit: 'fields', max: limits.maxFields, measured: measure.fields },
    );
  }
  if (measure.comparisons > limits.maxFieldComparisons) {
    throw new QueryLimitError(
      `The document repeats fields too often (more than ${limits.maxFieldComparisons} same-name field comparisons to validate); select each field once per object.`,
      ErrorCode.TOO_MANY_FIELDS,
      {
        limit: 'fieldComparisons',
        max: limits.maxFieldComparisons,
        measured: measure.comparisons,
      },
    );
  }
}

/**
 * {@link admitDocument} on a request's query text, for the HTTP path (Apollo parses and validates
 * in one step, with no hook between them that can refuse a request): the refusal, or undefined
 * when the document is within the limits or does not parse (Apollo then reports the syntax
 * error). Parsing twice costs a typical operation well under a millisecond.
 */
export function refuseLargeDocument(
  query: string,
  limits: QueryLimits,
): QueryLimitError | undefined {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch {
    return undefined;
  }
  try {
    admitDocument(document, limits);
    return undefined;
  } catch (error) {
    if (error instanceof QueryLimitError) {
      return error;
    }
    throw error;
  }
}

export const isTokenLimitMessage = (message: string): boolean =>
  /Document contains more tha[nt] \d+ tokens/.test(message);

/**
 * Checks depth, aliases and cost, then charges the principal's budget. Throws a coded error
 * (`QUERY_TOO_DEEP`, `TOO_MANY_ALIASES`, `QUERY_TOO_COMPLEX`, `THROTTLED`) or returns the cost
 * charged, for `extensions.cost` and the refund once the result is known.
 */
export function admitOperation(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown> | null | undefined;
  limits: QueryLimits;
  budget: CostBudget;
  principal: string;
}): CostReport {
  const { limits, budget } = options;
  const measure = measureOperation(
    options.schema,
    options.document,
    options.operation,
    options.variables,
  );
  if (measure.depth > limits.maxDepth) {
    throw new QueryLimitError(
      `The query is ${measure.depth} levels deep; the limit is ${limits.maxDepth}.`,
      ErrorCode.QUERY_TOO_DEEP,
      { limit: 'depth', max: limits.maxDepth, measured: measure.depth },
    );
  }
  if (measure.aliases > limits.maxAliases) {
    throw new QueryLimitError(
      `The operation uses ${measure.aliases} aliases; the limit is ${limits.maxAliases}.`,
      ErrorCode.TOO_MANY_ALIASES,
      { limit: 'aliases', max: limits.maxAliases, measured: measure.aliases },
    );
  }
  const requested = Math.max(1, measure.cost);
  if (requested > limits.maxCost) {
    throw new QueryLimitError(
      `The operation may cost ${requested} points; the limit is ${limits.maxCost}. Ask for fewer items (first/last) or fewer nested connections.`,
      ErrorCode.QUERY_TOO_COMPLEX,
      { limit: 'cost', max: limits.maxCost, measured: requested },
    );
  }
  const decision = budget.take(options.principal, requested);
  const report: CostReport = {
    requested,
    actual: null,
    remaining: decision.remaining,
    maximum: budget.capacity,
    restoreRate: budget.restorePerSecond,
  };
  if (!decision.ok) {
    throw new ThrottledError(decision.retryAfterSeconds, report);
  }
  return report;
}

/** Settles a charged operation: refunds requested minus actual, and completes the report. */
export function settleOperation(
  budget: CostBudget,
  principal: string,
  report: CostReport,
  actual: number,
): CostReport {
  const remaining = budget.refund(principal, report.requested - actual);
  return { ...report, actual, remaining };
}

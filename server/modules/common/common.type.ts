import { Field, ID, Int, InterfaceType, ObjectType, type ClassType } from 'type-graphql';
import { type UserErrorCode } from '../../shared/error-codes.js';
import { CODES_DOC_REFERENCE, UserErrorCodeEnum } from './code-enums.type.js';

const USER_ERROR_CODE_DESCRIPTION = `Machine-readable code (e.g. NOT_FOUND, REQUIRED), stable across releases; the same value as \`codeEnum\`, as a string. ${CODES_DOC_REFERENCE}`;
const USER_ERROR_CODE_ENUM_DESCRIPTION = '`code` as the typed enum `UserErrorCode`.';

const typeNames = new WeakMap<object, string>();

/** Marks a plain object with its GraphQL object type name (for interfaces' `resolveType`). */
export function tagType<T extends object>(value: T, typeName: string): T {
  typeNames.set(value, typeName);
  return value;
}

/**
 * `resolveType` for every interface: a `__typename` property, a {@link tagType} mark, or the class
 * name (GraphQL object classes are named after their types).
 */
export function resolveTypeName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const explicit = (value as { __typename?: unknown }).__typename;
  if (typeof explicit === 'string') {
    return explicit;
  }
  return (
    typeNames.get(value) ?? (value.constructor !== Object ? value.constructor.name : undefined)
  );
}

@InterfaceType('Node', {
  description:
    'An object with a global, opaque id that `Query.node` can fetch again. Treat ids as opaque strings.',
  resolveType: resolveTypeName,
})
export abstract class Node {
  @Field(() => ID, { description: 'Global, opaque, versioned id.' })
  id!: string;
}

@ObjectType('PageInfo', { description: 'Relay page information of a connection.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow the last edge.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description: 'Whether items precede the first edge (a cursor was given).',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last edge; pass it as `after` for the next page.',
  })
  endCursor!: string | null;
}

@InterfaceType('UserError', {
  description:
    'A business failure reported in a mutation payload (`userErrors`), not as a top-level error.',
  resolveType: resolveTypeName,
})
export abstract class UserError {
  @Field(() => String, { description: USER_ERROR_CODE_DESCRIPTION })
  code!: string;

  @Field(() => UserErrorCodeEnum, { description: USER_ERROR_CODE_ENUM_DESCRIPTION })
  codeEnum!: UserErrorCode;

  @Field(() => String, { description: 'Human-readable explanation.' })
  message!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field at fault, if any.',
  })
  field!: string[] | null;
}

@ObjectType('BasicUserError', {
  implements: UserError,
  description: 'A user error with no extra data.',
})
export class BasicUserError implements UserError {
  @Field(() => String, { description: USER_ERROR_CODE_DESCRIPTION })
  code!: string;

  @Field(() => UserErrorCodeEnum, { description: USER_ERROR_CODE_ENUM_DESCRIPTION })
  codeEnum!: UserErrorCode;

  @Field(() => String, { description: 'Human-readable explanation.' })
  message!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field at fault, if any.',
  })
  field!: string[] | null;

  static from(error: {
    code: UserErrorCode;
    message: string;
    field?: string[] | null;
  }): BasicUserError {
    return Object.assign(new BasicUserError(), {
      code: error.code,
      codeEnum: error.code,
      message: error.message,
      field: error.field ?? null,
    });
  }
}

/** The shape every generated connection class has. */
export interface ConnectionShape<TNode> {
  edges: Array<{ cursor: string; node: TNode }>;
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Makes the `<Name>Connection` and `<Name>Edge` object types of a Relay connection whose nodes are
 * `nodeType()` (an object or interface class; a thunk so it may be declared later). Use it for every
 * list: `export const WorkflowConnection = createConnectionType('Workflow', () => Workflow);`.
 * Resolvers may return a plain {@link ConnectionShape} (e.g. from `paginateInMemory` or
 * `connectionFromSlice`).
 */
export function createConnectionType<TNode extends object>(
  name: string,
  nodeType: () => ClassType<TNode> | (abstract new (...args: never[]) => TNode),
  options: { description?: string; nodeDescription?: string } = {},
): ClassType<ConnectionShape<TNode>> {
  @ObjectType(`${name}Edge`, { description: `An edge of a ${name}Connection.` })
  class Edge {
    @Field(() => String, { description: 'Opaque cursor of this edge, for `after`.' })
    cursor!: string;

    @Field(nodeType, { description: options.nodeDescription ?? `The ${name} at this edge.` })
    node!: TNode;
  }

  @ObjectType(`${name}Connection`, {
    description: options.description ?? `A page of ${name} items (Relay connection).`,
  })
  class Connection {
    @Field(() => [Edge], { description: 'The items of this page with their cursors.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Paging information.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items across all pages (after filters).' })
    totalCount!: number;
  }

  return Connection;
}

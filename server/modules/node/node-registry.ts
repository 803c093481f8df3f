import { type ApiContext, type NodeResolution } from '../api-context.js';
import { decodeId } from '../../shared/ids.js';
import { tagType } from '../common/common.type.js';
import { type PartnerRole } from '../../shared/enums.js';

/**
 * How `node(id)` fetches one type: `resolve` receives the id's key parts and must return null for
 * anything the caller's organization may not see.
 */
export interface NodeDefinition {
  /** GraphQL object type name, as encoded in the id (`encodeId(typeName, ...parts)`). */
  typeName: string;
  /** Number of key parts in the id. */
  arity: number;
  /** Roles the caller needs (one of); without one the id reads as unknown, like another org's. */
  roles?: readonly PartnerRole[];
  resolve(ctx: ApiContext, keyParts: string[]): Promise<object | null>;
}

/** Registry of node resolvers by type name; modules contribute definitions (see app/modules.ts). */
export class NodeRegistry implements NodeResolution {
  private readonly definitions = new Map<string, NodeDefinition>();

  constructor(definitions: Iterable<NodeDefinition> = []) {
    for (const d of definitions) {
      this.register(d);
    }
  }

  register(definition: NodeDefinition): void {
    if (this.definitions.has(definition.typeName)) {
      throw new Error(`node type ${definition.typeName} registered twice`);
    }
    this.definitions.set(definition.typeName, definition);
  }

  /** Resolves a global id; null for malformed, unknown or other organizations' ids. */
  async resolve(ctx: ApiContext, id: string): Promise<object | null> {
    const decoded = decodeId(id);
    const definition = decoded ? this.definitions.get(decoded.type) : undefined;
    if (!decoded || !definition || decoded.parts.length !== definition.arity) {
      return null;
    }
    const roles = definition.roles;
    if (roles && !ctx.actor.roles.some((role) => roles.includes(role))) {
      return null;
    }
    const value = await definition.resolve(ctx, decoded.parts);
    return value ? tagType(value, definition.typeName) : null;
  }

  typeNames(): string[] {
    return [...this.definitions.keys()];
  }
}

import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workflows } from './workflow-tables.js';

/**
 * Single-use signing links of the CSP Subscription Transfer form (R-TRF-5): the customer and the
 * new partner sign through a link without an account. Only the SHA-256 of the link's token is
 * stored, so neither the database nor a log ever holds a usable link; `usedAt` makes it single use.
 */
export const transferSigningLinks = sqliteTable(
  'transfer_signing_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    workflowId: text('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    /** CUSTOMER or NEW_PARTNER. */
    party: text('party').notNull(),
    /**
     * Random per link; the token is an HMAC of it under the server's key, so an admin of the owning
     * organization can be shown the link again while the table alone never yields a token.
     */
    nonce: text('nonce').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [index('transfer_signing_links_workflow_idx').on(t.workflowId, t.party)],
);

/**
 * Organizations other than the owner that may read a workflow: the new partner's organization sees
 * an incoming transfer in its `workflows` when it is also served by this server (read-only).
 */
export const workflowViewers = sqliteTable(
  'workflow_viewers',
  {
    workflowId: text('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    organizationId: text('organization_id').notNull(),
    /** Why it may read it, e.g. INCOMING_TRANSFER. */
    role: text('role').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workflowId, t.organizationId] }),
    index('workflow_viewers_org_idx').on(t.organizationId),
  ],
);

import { eq } from 'drizzle-orm';
import { first, tablesOf, transaction } from '../../db/client.js';
import { type GdapRoleTemplate } from '../../graph/gdap-role-template.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';

export interface StoredGdapRoleTemplate {
  template: GdapRoleTemplate;
  updatedAt: string;
  updatedBy: string;
}

/** The organization's GDAP role template, or undefined (the default template applies). */
export async function findGdapRoleTemplate(
  db: EngineDb,
  organizationId: string,
): Promise<StoredGdapRoleTemplate | undefined> {
  const { gdapRoleTemplates } = tablesOf(db);
  const row = first(
    await db
      .select()
      .from(gdapRoleTemplates)
      .where(eq(gdapRoleTemplates.organizationId, organizationId))
      .limit(1),
  );
  return row
    ? {
        template: JSON.parse(row.templateJson) as GdapRoleTemplate,
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy,
      }
    : undefined;
}

/** Replaces the organization's template (one row per organization). */
export async function saveGdapRoleTemplate(
  db: EngineDb,
  organizationId: string,
  stored: StoredGdapRoleTemplate,
): Promise<void> {
  const { gdapRoleTemplates } = tablesOf(db);
  const values = {
    templateJson: JSON.stringify(stored.template),
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
  };
  await transaction(db, async (tx) => {
    await tx
      .insert(gdapRoleTemplates)
      .values({ organizationId, ...values })
      .onConflictDoUpdate({ target: gdapRoleTemplates.organizationId, set: values });
  });
}

CREATE TABLE "gdap_role_templates" (
	"organization_id" text PRIMARY KEY NOT NULL,
	"template_json" text NOT NULL,
	"updated_at" text NOT NULL,
	"updated_by" text NOT NULL
);

CREATE TABLE "readiness_probes" (
	"id" text PRIMARY KEY NOT NULL,
	"checked_at_ms" bigint NOT NULL
);

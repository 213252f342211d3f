-- Full-text search (package internal/search): GIN indexes over the Dutch
-- text search documents of offers, needs and trajectories. The expressions
-- must stay those of internal/search, or PostgreSQL no longer uses them.
CREATE INDEX IF NOT EXISTS "offers_search" ON "offers" USING GIN (to_tsvector('dutch', description || ' ' || COALESCE(topics::text, '')));
CREATE INDEX IF NOT EXISTS "needs_search" ON "needs" USING GIN (to_tsvector('dutch', description || ' ' || COALESCE(topics::text, '')));
CREATE INDEX IF NOT EXISTS "trajectories_search" ON "trajectories" USING GIN (to_tsvector('dutch', title || ' ' || description || ' ' || COALESCE(topics::text, '')));
CREATE INDEX IF NOT EXISTS "trajectories_search_texts" ON "trajectories" USING GIN (to_tsvector('dutch', COALESCE(action_plan, '') || ' ' || COALESCE(evaluation_report, '') || ' ' || COALESCE(decline_reason, '')));
-- Row counts (internal/db.RowCountsTable): the exact number of trajectories,
-- kept by statement triggers in the transaction of every insert and delete.
-- No insert slips between the recount below and the triggers: the lock is
-- held until the migration's transaction ends (a DO block, because a bare
-- LOCK TABLE fails where the file is replayed outside a transaction).
DO $$ BEGIN LOCK TABLE "trajectories" IN SHARE ROW EXCLUSIVE MODE; END $$;
CREATE TABLE IF NOT EXISTS "row_counts" ("table_name" text PRIMARY KEY, "n" bigint NOT NULL);
CREATE OR REPLACE FUNCTION row_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE row_counts SET n = n + (SELECT count(*) FROM new_rows) WHERE table_name = TG_TABLE_NAME;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE row_counts SET n = n - (SELECT count(*) FROM old_rows) WHERE table_name = TG_TABLE_NAME;
	ELSE
		UPDATE row_counts SET n = 0 WHERE table_name = TG_TABLE_NAME;
	END IF;
	RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER trajectories_count_insert AFTER INSERT ON trajectories
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_counts_apply();
CREATE OR REPLACE TRIGGER trajectories_count_delete AFTER DELETE ON trajectories
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_counts_apply();
CREATE OR REPLACE TRIGGER trajectories_count_truncate AFTER TRUNCATE ON trajectories
	FOR EACH STATEMENT EXECUTE FUNCTION row_counts_apply();
INSERT INTO row_counts (table_name, n) SELECT 'trajectories', count(*) FROM trajectories
	ON CONFLICT (table_name) DO UPDATE SET n = excluded.n;

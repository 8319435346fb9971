-- Every quick update has a fast path now (migrations/functions/progress.sql):
-- yk_progress_add runs yk_quick_begin, the change's own function and
-- yk_quick_commit, so yk_progress_item takes the group's element and
-- returns only what it changed.  Its old signature goes; CREATE OR REPLACE
-- cannot change what a function returns.
DROP FUNCTION IF EXISTS yk_progress_item(json, text, text, text, jsonb, bigint, bigint, bytea);

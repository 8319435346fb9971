-- A group's writes (yk_progress_add, functions/progress.sql) are recorded
-- by the documents' SHA-256, worked out as each is written, and a fast
-- path's end (yk_quick_commit) says itself what a daemon's built copy takes:
-- both functions change their arguments, so their old forms go.
DROP FUNCTION IF EXISTS yk_audit_append_version(json, text, bigint, json, json);
DROP FUNCTION IF EXISTS yk_quick_commit(json, text, bigint, bigint, json, json, text, bigint);
-- yk_doc_with (functions/document.sql) takes a second set of parts, the
-- new stamp: the old two-argument form would make every call ambiguous.
DROP FUNCTION IF EXISTS yk_doc_with(json, json);

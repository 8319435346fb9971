-- From here on every SQL function has one current definition, in
-- migrations/functions/; the daemon applies those files after the numbered
-- migrations whenever their checksum differs from the one recorded in
-- schema_functions.  Numbered migrations keep tables, types, indexes and the
-- changes of a function's signature, which CREATE OR REPLACE cannot make:
-- yk_progress_item now also returns what it added, as section 4's builders
-- made it.
DROP FUNCTION IF EXISTS yk_progress_item(json, text, text, text, jsonb, bigint, bigint, bytea);

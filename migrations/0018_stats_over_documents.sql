-- The city's figures are made from documents (the working copies, or the
-- approved versions a reader sees): yk_stats gains `approved`, and the
-- row-based yk_budget_required and yk_year_targets give way to their
-- document-based successors (functions/city.sql).
DROP FUNCTION IF EXISTS yk_stats(text, integer);
DROP FUNCTION IF EXISTS yk_budget_required(bigint);
DROP FUNCTION IF EXISTS yk_year_targets(integer);

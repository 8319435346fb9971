-- yk_stats gains the year of the evaluation's measures (연차별 목표달성):
-- its earlier signature goes; the current one is in functions/city.sql.
DROP FUNCTION IF EXISTS yk_stats(text);

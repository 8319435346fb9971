-- `--round R` on list means the versions approved in R (as on get, show and
-- export): yk_reader_list gains the round (functions/city.sql).
DROP FUNCTION IF EXISTS yk_reader_list(text, text, text, boolean, boolean, text, text);

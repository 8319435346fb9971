-- What a reader's list shows of an approved card, kept beside its snapshot
-- (yk_snapshot_summary, functions/city.sql): a public list of the city read
-- every approved snapshot whole (some 13 KB of JSON each, parsed per pledge
-- per list).  Filled on approval (yk_review) and, for rows approved before,
-- by functions/city.sql whenever that file is applied.
ALTER TABLE submissions ADD COLUMN summary jsonb;

-- A reader's list finds each pledge's approved versions by the pledge: with
-- one row per round and pledge, a city's list otherwise scanned every
-- submission once per pledge.
CREATE INDEX submissions_approved_by_pledge ON submissions (pledge_id) WHERE state = 'approved';

-- yk_reader_list reads the summaries and is PL/pgSQL now, its arguments
-- renamed so as not to be taken for its result's columns: dropped here,
-- made again from functions/city.sql.
DROP FUNCTION IF EXISTS yk_reader_list(text, text, text, boolean, boolean, text, text, text);

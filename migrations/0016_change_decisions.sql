-- Section 5 as decided: each entry may carry who approved it, the
-- committee's opinion and vote when there was a deliberation; the date is the
-- day it was decided (the approver's --effective, or the approval's).
-- yk_change_load returns the deliberation as well, so its earlier signature
-- goes; the current one is in functions/changes.sql.
ALTER TABLE changes ADD COLUMN decided_by yk_text, ADD COLUMN opinion yk_text,
    ADD COLUMN votes_for int CHECK (votes_for >= 0), ADD COLUMN votes_against int CHECK (votes_against >= 0),
    ADD COLUMN votes_abstain int CHECK (votes_abstain >= 0);
DROP FUNCTION IF EXISTS yk_change_load(bigint);

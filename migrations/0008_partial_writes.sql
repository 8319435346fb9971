-- Quick updates change one section: rewrite only the tables of the sections a
-- write names (all of them when it names none, as a whole-document apply
-- does), and take the "before" document from the stored current version
-- instead of assembling it again.  A write is otherwise as in 0004.

-- The forms of 0003 and 0004 without `sections` have no caller left (IF
-- EXISTS: a new database never had them).
DROP FUNCTION IF EXISTS yk_pledge_write_sections(bigint, json);
DROP FUNCTION IF EXISTS yk_pledge_apply(json, json, bigint, boolean, bigint, boolean);


-- Functions that tables, domains and triggers of the numbered migrations use
-- (a domain's CHECK, the audit trail's triggers).  They take and return
-- built-in types only, so this file is applied before the numbered
-- migrations; every other file of this folder is applied after them.

-- A date check without an exception block: each EXCEPTION block is a
-- subtransaction, paid once per date of every item written.
CREATE OR REPLACE FUNCTION yk_is_date(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN t ~ '^[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$'
                THEN substr(t, 9, 2)::int <= extract(day FROM make_date(substr(t, 1, 4)::int, substr(t, 6, 2)::int, 1)
                                                             + interval '1 month' - interval '1 day')
                ELSE false END
$$;

-- Append-only: the daemon's own role loses UPDATE, DELETE and TRUNCATE, and
-- triggers refuse them for anyone else who would try.
CREATE OR REPLACE FUNCTION yk_audit_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'YK451';
END $$;

-- A timestamp as every answer gives it: RFC 3339 in UTC with microseconds
-- (docs/protocol.md), so that one given back selects exactly the version it
-- came from.
-- STABLE, as to_char is: a SQL function declared more constant than its body
-- is never inlined, and its body is then parsed again at every call (once
-- per write).
CREATE OR REPLACE FUNCTION yk_utc(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

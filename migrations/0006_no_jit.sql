-- The json set-returning functions of the document functions are estimated at
-- 100 rows each, so four nested levels look like 10^8 rows and PostgreSQL
-- JIT-compiles the statement: 150 ms of compiling for a few rows.  These are
-- short transactional statements; JIT never pays for them.
ALTER FUNCTION yk_pledge_write_sections(bigint, json) SET jit = off;
ALTER FUNCTION yk_pledge_document(bigint) SET jit = off;
ALTER FUNCTION yk_pledge_apply(json, json, bigint, boolean, bigint, boolean) SET jit = off;
ALTER FUNCTION yk_round_status(text) SET jit = off;
ALTER FUNCTION yk_audit_verify() SET jit = off;

-- A date check without an exception block: each EXCEPTION block is a
-- subtransaction, paid once per date of every item written.
CREATE OR REPLACE FUNCTION yk_is_date(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN t ~ '^[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$'
                THEN substr(t, 9, 2)::int <= extract(day FROM make_date(substr(t, 1, 4)::int, substr(t, 6, 2)::int, 1)
                                                             + interval '1 month' - interval '1 day')
                ELSE false END
$$;

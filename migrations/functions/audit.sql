-- The audit trail: one hash-chained row per accepted or refused write, and
-- its verification.

-- The text a row's hash covers.  The documents' hashes (0015) come last, and
-- only when there are any, so that the rows from before hash as they did.
CREATE OR REPLACE FUNCTION yk_audit_text(a audit_log) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN (SELECT string_agg(coalesce(length(f)::text || ':' || f, '-'), '|' ORDER BY n)
            FROM unnest(ARRAY[a.id::text, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                              a.account_id::text, a.login, a.peer, a.request_id, a.op, a.pledge_code, a.outcome,
                              a.status, a.message, a.version::text, a.before::text, a.after::text]
                        || CASE WHEN a.before_sha256 IS NULL AND a.after_sha256 IS NULL THEN '{}'::text[]
                                ELSE ARRAY[encode(a.before_sha256, 'hex'), encode(a.after_sha256, 'hex')] END)
                 WITH ORDINALITY AS x(f, n));
END $$;

-- The SHA-256 of a stored document, as the audit trail records it (NULL
-- for none).  STABLE, as convert_to is: so declared, the planner puts the
-- body in place of the call; an IMMUTABLE function over a STABLE one is
-- called as a function, and called from a query in PL/pgSQL that means its
-- body parsed and planned again at every write.
CREATE OR REPLACE FUNCTION yk_doc_sha256(doc json) RETURNS bytea
LANGUAGE sql STABLE STRICT AS $$
    SELECT sha256(convert_to(doc::text, 'UTF8'))
$$;

-- Append one row, chained to the last.  The lock makes appends (and so the
-- chain) one at a time; it is held only from here to the commit.  The only
-- way in: the daemon's role has no INSERT on audit_log (server/io/migrate.c),
-- so it can neither add a row with an id of its choosing nor a link that
-- every later row would chain to; this function runs as the schema's owner
-- and assigns both.
CREATE OR REPLACE FUNCTION yk_audit_append(ctx json, code text, outcome text, status text, message text, version bigint,
                                before json, after json) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT yk_audit_add(ctx, code, outcome, status, message, version, before, after, NULL, NULL)
$$;

-- A new version of a pledge: the row records the two documents by their
-- SHA-256 (yk_doc_sha256 of pledge_versions' rows: `before_sha256` version
-- - 1's, NULL on creation, `after_sha256` this version's).  The caller
-- hashes them as it writes them: a group (yk_progress_add) keeps 32 bytes a
-- write until its audit rows go in, not two documents.
-- PL/pgSQL rather than SQL: a SQL function that cannot be inlined (this one
-- runs as the schema's owner) has its body parsed and planned again at every
-- call, and this one runs for every write.
CREATE OR REPLACE FUNCTION yk_audit_append_version(ctx json, code text, version bigint, before_sha256 bytea,
                                                   after_sha256 bytea)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN yk_audit_add(ctx, code, 'accepted', 'OK', NULL, version, NULL, NULL, before_sha256, after_sha256);
END $$;

CREATE OR REPLACE FUNCTION yk_audit_add(ctx json, code text, outcome text, status text, message text, version bigint,
                             before json, after json, before_sha256 bytea, after_sha256 bytea) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    prev bytea;
    r audit_log;
BEGIN
    PERFORM pg_advisory_xact_lock(7450002);
    SELECT a.hash INTO prev FROM audit_log a ORDER BY a.id DESC LIMIT 1;
    r.id := nextval('audit_log_id_seq');
    r.at := clock_timestamp();
    r.account_id := (ctx ->> 'account_id')::bigint;
    r.login := ctx ->> 'login';
    r.peer := ctx ->> 'peer';
    r.request_id := ctx ->> 'request_id';
    r.op := coalesce(ctx ->> 'op', 'unknown');
    r.pledge_code := code;
    r.outcome := outcome;
    r.status := status;
    r.message := message;
    r.version := version;
    r.before := before;
    r.after := after;
    r.before_sha256 := before_sha256;
    r.after_sha256 := after_sha256;
    r.prev_hash := coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    r.hash := sha256(r.prev_hash || convert_to(yk_audit_text(r), 'UTF8'));
    INSERT INTO audit_log SELECT r.*;
    RETURN r.id;
END $$;

-- Record a break of the chain an administrator has looked into (see
-- docs/operations.md, "When audit verify finds a break"): row `row_id` no
-- longer links to the row before it, because that row was removed.  Runs as
-- the caller -- the schema's owner; the daemon's role has no INSERT on
-- audit_repairs -- and refuses a row whose link holds.
CREATE OR REPLACE FUNCTION yk_audit_repair(row_id bigint, reason text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    prev bytea;
    r audit_log;
BEGIN
    SELECT * INTO r FROM audit_log a WHERE a.id = row_id;
    IF r.id IS NULL THEN
        RAISE EXCEPTION 'no audit row %', row_id;
    END IF;
    SELECT a.hash INTO prev FROM audit_log a WHERE a.id < row_id ORDER BY a.id DESC LIMIT 1;
    prev := coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    IF r.prev_hash = prev THEN
        RAISE EXCEPTION 'audit row %''s link to the row before holds: nothing to repair', row_id;
    END IF;
    INSERT INTO audit_repairs (row_id, link_from, reason) VALUES (row_id, prev, reason);
END $$;

-- Walk the chain; the first row whose link or content does not hold.  A
-- break an administrator recorded (audit_repairs, for exactly the chain as
-- it is now) is counted and passed, and the walk goes on.
CREATE OR REPLACE FUNCTION yk_audit_verify()
RETURNS TABLE (ok boolean, checked bigint, bad_id bigint, reason text, repaired bigint)
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
    prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    n bigint := 0;
    fixed bigint := 0;
    r audit_log;
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        IF r.prev_hash <> prev THEN
            IF NOT EXISTS (SELECT 1 FROM audit_repairs x WHERE x.row_id = r.id AND x.link_from = prev) THEN
                RETURN QUERY SELECT false, n, r.id,
                    'its link to the row before does not hold: that row was changed or removed'::text, fixed;
                RETURN;
            END IF;
            fixed := fixed + 1;
            prev := r.prev_hash;
        END IF;
        IF sha256(prev || convert_to(yk_audit_text(r), 'UTF8')) <> r.hash THEN
            RETURN QUERY SELECT false, n, r.id, 'its content does not match its hash: the row was edited'::text, fixed;
            RETURN;
        END IF;
        -- the version it records is the one stored
        IF r.after_sha256 IS NOT NULL AND r.after_sha256 IS DISTINCT FROM
           (SELECT yk_doc_sha256(v.document) FROM pledge_versions v JOIN pledges p ON p.id = v.pledge_id
            WHERE p.code = r.pledge_code AND v.version = r.version) THEN
            RETURN QUERY SELECT false, n, r.id,
                format('version %s of %s is not the document this row recorded: it was changed or removed',
                       r.version, r.pledge_code), fixed;
            RETURN;
        END IF;
        prev := r.hash;
        n := n + 1;
    END LOOP;
    RETURN QUERY SELECT true, n, NULL::bigint, NULL::text, fixed;
END $$;

-- Who did what: idempotency keys for safe retries, and an append-only audit
-- trail whose rows are chained by hash.
--
-- Every write function takes a `ctx` json from the daemon:
--   {"account_id", "login", "peer", "request_id", "idem_key", "idem_hash", "op"}

CREATE TABLE idempotency_keys (
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key           text NOT NULL CHECK (length(key) BETWEEN 8 AND 128),
    request_hash  text NOT NULL,
    op            text NOT NULL,
    result        json,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- A repeated key returns the first answer; the same key with another request
-- is refused.  Returns the stored result, or NULL when the request is new (the
-- key is then taken by this transaction: a concurrent twin waits on it).
CREATE FUNCTION yk_idem_begin(ctx json) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    k text := ctx ->> 'idem_key';
    r idempotency_keys;
BEGIN
    IF k IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO idempotency_keys (account_id, key, request_hash, op)
    VALUES ((ctx ->> 'account_id')::bigint, k, ctx ->> 'idem_hash', ctx ->> 'op')
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    SELECT * INTO r FROM idempotency_keys WHERE account_id = (ctx ->> 'account_id')::bigint AND key = k;
    IF r.request_hash <> ctx ->> 'idem_hash' OR r.op <> ctx ->> 'op' THEN
        RAISE EXCEPTION 'idempotency key % was already used for a different request', k USING ERRCODE = 'YK412';
    END IF;
    RETURN r.result;
END $$;

CREATE FUNCTION yk_idem_end(ctx json, result json) RETURNS void
LANGUAGE sql AS $$
    UPDATE idempotency_keys SET result = $2
    WHERE account_id = ($1 ->> 'account_id')::bigint AND key = $1 ->> 'idem_key'
$$;

CREATE SEQUENCE audit_log_id_seq;
CREATE TABLE audit_log (
    id           bigint PRIMARY KEY,
    at           timestamptz NOT NULL,
    account_id   bigint,
    login        text,
    peer         text,
    request_id   text,
    op           text NOT NULL,
    pledge_code  text,
    outcome      text NOT NULL CHECK (outcome IN ('accepted', 'refused')),
    status       text NOT NULL,
    message      text,
    version      bigint,
    before       json,
    after        json,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL
);
CREATE INDEX audit_log_pledge ON audit_log (pledge_code, id);

-- The bytes a row's hash covers: every field, each as length:value so that
-- no two different rows read the same.
CREATE FUNCTION yk_audit_text(a audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(coalesce(length(f)::text || ':' || f, '-'), '|' ORDER BY n)
    FROM unnest(ARRAY[a.id::text, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                      a.account_id::text, a.login, a.peer, a.request_id, a.op, a.pledge_code, a.outcome,
                      a.status, a.message, a.version::text, a.before::text, a.after::text])
         WITH ORDINALITY AS x(f, n)
$$;

-- Append one row, chained to the last.  The lock makes appends (and so the
-- chain) one at a time; it is held only from here to the commit.
CREATE FUNCTION yk_audit_append(ctx json, code text, outcome text, status text, message text, version bigint,
                                before json, after json) RETURNS bigint
LANGUAGE plpgsql AS $$
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
    r.prev_hash := coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    r.hash := sha256(r.prev_hash || convert_to(yk_audit_text(r), 'UTF8'));
    INSERT INTO audit_log SELECT r.*;
    RETURN r.id;
END $$;

-- Walk the chain; the first row whose link or content does not hold.
CREATE FUNCTION yk_audit_verify() RETURNS TABLE (ok boolean, checked bigint, bad_id bigint, reason text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    n bigint := 0;
    r audit_log;
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        IF r.prev_hash <> prev THEN
            RETURN QUERY SELECT false, n, r.id,
                'its link to the row before does not hold: that row was changed or removed'::text;
            RETURN;
        END IF;
        IF sha256(prev || convert_to(yk_audit_text(r), 'UTF8')) <> r.hash THEN
            RETURN QUERY SELECT false, n, r.id, 'its content does not match its hash: the row was edited'::text;
            RETURN;
        END IF;
        prev := r.hash;
        n := n + 1;
    END LOOP;
    RETURN QUERY SELECT true, n, NULL::bigint, NULL::text;
END $$;

-- Append-only: the daemon's own role loses UPDATE, DELETE and TRUNCATE, and
-- triggers refuse them for anyone else who would try.
CREATE FUNCTION yk_audit_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'YK451';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION yk_audit_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION yk_audit_refuse();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;

-- The apply of 0003, now with the request's context: idempotency, the
-- before/after audit row, a restriction to section 6 for evaluators.
DROP FUNCTION yk_pledge_apply(json, bigint, bigint, boolean, bigint);

CREATE FUNCTION yk_pledge_apply(ctx json, doc json, expected_version bigint, force boolean,
                                writer_department bigint, only_evaluations boolean)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    v_code text := doc ->> 'code';
    v_dept bigint;
    v_id bigint;
    v_cur bigint;
    v_cur_dept bigint;
    v_new bigint;
    v_created boolean := false;
    v_before json;
    v_after json;
    v_result json;
BEGIN
    v_result := yk_idem_begin(ctx);
    IF v_result IS NOT NULL THEN
        RETURN json_build_object('code', v_result -> 'code', 'version', v_result -> 'version',
                                 'created', v_result -> 'created', 'replayed', true);
    END IF;
    SELECT d.id INTO v_dept FROM departments d WHERE d.name = doc ->> 'department';
    IF v_dept IS NULL THEN
        RAISE EXCEPTION 'department "%" does not exist', doc ->> 'department'
            USING ERRCODE = 'YK422', COLUMN = 'department';
    END IF;
    IF doc ->> 'parent' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pledges p WHERE p.code = doc ->> 'parent' AND p.parent_code IS NULL) THEN
        RAISE EXCEPTION 'parent pledge "%" does not exist or is itself a sub-project', doc ->> 'parent'
            USING ERRCODE = 'YK422', COLUMN = 'parent';
    END IF;
    IF writer_department IS NOT NULL AND writer_department <> v_dept THEN
        RAISE EXCEPTION 'your account may only write pledges of its own department'
            USING ERRCODE = 'YK403', COLUMN = 'department';
    END IF;

    SELECT p.id, p.version, p.department_id INTO v_id, v_cur, v_cur_dept
    FROM pledges p WHERE p.code = v_code FOR UPDATE;

    IF v_id IS NULL THEN
        IF expected_version IS NOT NULL THEN
            RAISE EXCEPTION 'pledge % does not exist; leave out version to create it', v_code
                USING ERRCODE = 'YK404';
        END IF;
        IF only_evaluations THEN
            RAISE EXCEPTION 'your account may only add evaluation suggestions to existing pledges'
                USING ERRCODE = 'YK403';
        END IF;
        v_new := 1;
        v_created := true;
        INSERT INTO pledges (code, version, title, department_id, status, progress_pct, updated_by)
        VALUES (v_code, 1, doc ->> 'title', v_dept, doc ->> 'status', (doc ->> 'progress_pct')::numeric,
                (ctx ->> 'account_id')::bigint)
        RETURNING id INTO v_id;
    ELSE
        IF writer_department IS NOT NULL AND writer_department <> v_cur_dept THEN
            RAISE EXCEPTION 'pledge % belongs to another department', v_code USING ERRCODE = 'YK403';
        END IF;
        IF expected_version IS NULL AND NOT force THEN
            RAISE EXCEPTION 'pledge % already exists (version %); get it and apply with its version', v_code, v_cur
                USING ERRCODE = 'YK410', DETAIL = v_cur::text;
        END IF;
        IF expected_version IS NOT NULL AND expected_version <> v_cur THEN
            RAISE EXCEPTION 'pledge % is at version %, the document was based on version %',
                v_code, v_cur, expected_version
                USING ERRCODE = 'YK409', DETAIL = v_cur::text;
        END IF;
        v_before := yk_pledge_document(v_id);
        v_new := v_cur + 1;
        DELETE FROM pledge_contents WHERE pledge_id = v_id;
        DELETE FROM budget_sources WHERE pledge_id = v_id;
        DELETE FROM budget_periods WHERE pledge_id = v_id;
        DELETE FROM indicator_sets WHERE pledge_id = v_id;
        DELETE FROM progress_groups WHERE pledge_id = v_id;
        DELETE FROM changes WHERE pledge_id = v_id;
        DELETE FROM evaluations WHERE pledge_id = v_id;
        DELETE FROM problems WHERE pledge_id = v_id;
        DELETE FROM plans WHERE pledge_id = v_id;
        DELETE FROM officials WHERE pledge_id = v_id;
    END IF;

    UPDATE pledges p SET
        term = doc ->> 'term',
        title = doc ->> 'title',
        category = doc ->> 'category',
        area = doc ->> 'area',
        parent_code = doc ->> 'parent',
        department_id = v_dept,
        status = doc ->> 'status',
        progress_pct = (doc ->> 'progress_pct')::numeric,
        target_month = doc ->> 'target_month',
        remarks = doc ->> 'remarks',
        as_of = (doc ->> 'as_of')::date,
        reporting_from = doc ->> 'reporting_from',
        overview_start = doc -> 'overview' -> 'period' ->> 'start',
        overview_end = doc -> 'overview' -> 'period' ->> 'end',
        overview_end_null = coalesce(json_typeof(doc -> 'overview' -> 'period' -> 'end') = 'null', false),
        overview_target = doc -> 'overview' ->> 'target',
        budget_unit = doc -> 'budget' ->> 'unit',
        progress_from = doc -> 'progress' ->> 'from',
        progress_to = (doc -> 'progress' ->> 'to')::date,
        version = v_new,
        updated_at = now(),
        updated_by = (ctx ->> 'account_id')::bigint
    WHERE p.id = v_id;

    PERFORM yk_pledge_write_sections(v_id, doc);
    v_after := yk_pledge_document(v_id);
    IF only_evaluations AND (v_before::jsonb - 'evaluations' - 'version' - 'updated_at' - 'updated_by')
                         <> (v_after::jsonb - 'evaluations' - 'version' - 'updated_at' - 'updated_by') THEN
        RAISE EXCEPTION 'your account may only change evaluation suggestions (section 6)'
            USING ERRCODE = 'YK403';
    END IF;

    INSERT INTO pledge_versions (pledge_id, version, document, changed_by)
    VALUES (v_id, v_new, v_after, (ctx ->> 'account_id')::bigint);

    v_result := json_build_object('code', v_code, 'version', v_new, 'created', v_created);
    PERFORM yk_idem_end(ctx, v_result);
    PERFORM yk_audit_append(ctx, v_code, 'accepted', 'OK', NULL, v_new, v_before, v_after);
    RETURN v_result;
END $$;

-- Reporting rounds: the coordinator opens a round (2021-Q1, the date it
-- reports on, the date it is due), departments submit their pledges, the
-- coordinator returns or approves each submission; an approval freezes the
-- submitted version as the round's snapshot.

CREATE OR REPLACE FUNCTION yk_round_json(r rounds) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('name', r.name, 'as_of', to_char(r.as_of, 'YYYY-MM-DD'),
                             'due', to_char(r.due, 'YYYY-MM-DD'), 'state', r.state)
$$;

-- The date the open round reports on (the latest, should several be open);
-- NULL when none is open.  A department's writes date its card so.
-- PL/pgSQL, whose plan is kept: a SQL function with a FROM is not inlined,
-- and every department's write asks this.
CREATE OR REPLACE FUNCTION yk_open_round_as_of() RETURNS date
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT r.as_of FROM rounds r WHERE r.state = 'open' ORDER BY r.as_of DESC, r.id DESC LIMIT 1);
END $$;

-- The last closed round, whose reported figures and items stay as they were
-- (yk_pledge_write, the fast paths of functions/progress.sql)
CREATE OR REPLACE FUNCTION yk_closed_round(OUT as_of date, OUT name text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    SELECT r.as_of, r.name INTO as_of, name FROM rounds r WHERE r.state = 'closed'
    ORDER BY r.as_of DESC, r.id DESC LIMIT 1;
END $$;

CREATE OR REPLACE FUNCTION yk_round_open(ctx json, name text, as_of date, due date) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    r rounds;
    res json := yk_idem_begin(ctx);
BEGIN
    IF res IS NOT NULL THEN
        RETURN res;
    END IF;
    IF EXISTS (SELECT 1 FROM rounds WHERE rounds.name = $2) THEN
        RAISE EXCEPTION 'round % already exists', name USING ERRCODE = 'YK410';
    END IF;
    INSERT INTO rounds (name, as_of, due, opened_by) VALUES (name, as_of, due, (ctx ->> 'account_id')::bigint)
    RETURNING * INTO r;
    res := yk_round_json(r);
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, NULL, 'accepted', 'OK', 'round ' || name || ' opened', NULL, NULL, res);
    RETURN res;
END $$;

CREATE OR REPLACE FUNCTION yk_round_close(ctx json, name text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    r rounds;
    res json := yk_idem_begin(ctx);
BEGIN
    IF res IS NOT NULL THEN
        RETURN res;
    END IF;
    SELECT * INTO r FROM rounds WHERE rounds.name = $2 FOR UPDATE;
    IF r.id IS NULL THEN
        RAISE EXCEPTION 'no round %', name USING ERRCODE = 'YK404';
    END IF;
    IF r.state = 'closed' THEN
        RAISE EXCEPTION 'round % is already closed', name USING ERRCODE = 'YK411';
    END IF;
    UPDATE rounds SET state = 'closed', closed_at = now(), closed_by = (ctx ->> 'account_id')::bigint
    WHERE id = r.id RETURNING * INTO r;
    res := yk_round_json(r);
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, NULL, 'accepted', 'OK', 'round ' || name || ' closed', NULL, NULL, res);
    RETURN res;
END $$;

CREATE OR REPLACE FUNCTION yk_submission_json(s submissions, round_name text, code text) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('round', round_name, 'code', code, 'state', s.state, 'version', s.version,
                             'late', s.late, 'comment', s.comment)
$$;

-- A department submits its pledge for a round: draft (no row) or returned ->
-- submitted, recording the version it is submitting.
CREATE OR REPLACE FUNCTION yk_submit(ctx json, code text, round_name text, writer_department bigint) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    r rounds;
    p pledges;
    s submissions;
    res json := yk_idem_begin(ctx);
BEGIN
    IF res IS NOT NULL THEN
        RETURN res;
    END IF;
    SELECT * INTO r FROM rounds WHERE name = round_name;
    IF r.id IS NULL THEN
        RAISE EXCEPTION 'no round %', round_name USING ERRCODE = 'YK404';
    END IF;
    IF r.state <> 'open' THEN
        RAISE EXCEPTION 'round % is closed', round_name USING ERRCODE = 'YK411';
    END IF;
    SELECT * INTO p FROM pledges WHERE pledges.code = $2;
    IF p.id IS NULL THEN
        RAISE EXCEPTION 'no pledge has the code %', code USING ERRCODE = 'YK404';
    END IF;
    IF writer_department IS NOT NULL AND writer_department <> p.department_id THEN
        RAISE EXCEPTION 'pledge % belongs to another department', code USING ERRCODE = 'YK403';
    END IF;
    -- the card submitted for a round reports on the round's date
    IF p.as_of IS DISTINCT FROM r.as_of THEN
        RAISE EXCEPTION 'pledge %''s card reports on % but round % on %: update the card for this round (a department''s write, e.g. yaksok status set % --progress N, dates it; or set as_of: % and yaksok apply)',
            code, coalesce(to_char(p.as_of, 'YYYY-MM-DD'), 'no date'), round_name, to_char(r.as_of, 'YYYY-MM-DD'),
            code, to_char(r.as_of, 'YYYY-MM-DD')
            USING ERRCODE = 'YK411', COLUMN = 'as_of';
    END IF;
    SELECT * INTO s FROM submissions WHERE round_id = r.id AND pledge_id = p.id FOR UPDATE;
    IF s.state = 'submitted' THEN
        RAISE EXCEPTION 'pledge % is already submitted for % (version %)', code, round_name, s.version
            USING ERRCODE = 'YK411';
    ELSIF s.state = 'approved' THEN
        RAISE EXCEPTION 'pledge % is already approved for %', code, round_name USING ERRCODE = 'YK411';
    END IF;
    INSERT INTO submissions AS x (round_id, pledge_id, state, version, submitted_at, submitted_by, late)
    VALUES (r.id, p.id, 'submitted', p.version, now(), (ctx ->> 'account_id')::bigint,
            now() >= (r.due + 1)::timestamptz)
    ON CONFLICT (round_id, pledge_id) DO UPDATE SET
        state = 'submitted', version = EXCLUDED.version, submitted_at = EXCLUDED.submitted_at,
        submitted_by = EXCLUDED.submitted_by, late = EXCLUDED.late
    RETURNING * INTO s;
    res := yk_submission_json(s, round_name, code);
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, code, 'accepted', 'OK', 'submitted for ' || round_name, p.version, NULL, res);
    RETURN res;
END $$;

-- The coordinator returns a submission with a comment, or approves it: the
-- submitted version becomes the round's frozen snapshot.
CREATE OR REPLACE FUNCTION yk_review(ctx json, code text, round_name text, approve boolean, comment text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    r rounds;
    p pledges;
    s submissions;
    snap json;
    res json := yk_idem_begin(ctx);
BEGIN
    IF res IS NOT NULL THEN
        RETURN res;
    END IF;
    SELECT * INTO r FROM rounds WHERE name = round_name;
    IF r.id IS NULL THEN
        RAISE EXCEPTION 'no round %', round_name USING ERRCODE = 'YK404';
    END IF;
    SELECT * INTO p FROM pledges WHERE pledges.code = $2;
    IF p.id IS NULL THEN
        RAISE EXCEPTION 'no pledge has the code %', code USING ERRCODE = 'YK404';
    END IF;
    SELECT * INTO s FROM submissions WHERE round_id = r.id AND pledge_id = p.id FOR UPDATE;
    IF s.state IS DISTINCT FROM 'submitted' THEN
        RAISE EXCEPTION 'pledge % is not waiting for review in % (it is %)', code, round_name,
            coalesce(s.state, 'not submitted') USING ERRCODE = 'YK411';
    END IF;
    IF NOT approve AND coalesce(comment, '') = '' THEN
        RAISE EXCEPTION 'a returned submission needs a comment saying what to fix'
            USING ERRCODE = 'YK422', COLUMN = 'comment';
    END IF;
    IF approve THEN
        SELECT v.document INTO snap FROM pledge_versions v WHERE v.pledge_id = p.id AND v.version = s.version;
    END IF;
    UPDATE submissions SET
        state = CASE WHEN approve THEN 'approved' ELSE 'returned' END,
        reviewed_at = now(), reviewed_by = (ctx ->> 'account_id')::bigint, comment = $5,
        snapshot = snap, summary = CASE WHEN approve THEN yk_snapshot_summary(snap::jsonb) END
    WHERE round_id = r.id AND pledge_id = p.id
    RETURNING * INTO s;
    res := yk_submission_json(s, round_name, code);
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, code, 'accepted', 'OK',
        CASE WHEN approve THEN 'approved for ' ELSE 'returned for ' END || round_name, s.version, NULL, res);
    RETURN res;
END $$;

-- Per department and pledge, where each stands in a round.
CREATE OR REPLACE FUNCTION yk_round_status(round_name text)
RETURNS TABLE (department text, code text, title text, state text, version bigint, submitted_at text, late boolean,
               comment text)
LANGUAGE sql STABLE SET jit = off AS $$
    SELECT d.name, p.code, p.title, coalesce(s.state, 'missing'), s.version,
           yk_utc(s.submitted_at),
           coalesce(s.late, now() >= (r.due + 1)::timestamptz), s.comment
    FROM rounds r
    CROSS JOIN pledges p
    JOIN departments d ON d.id = p.department_id
    LEFT JOIN submissions s ON s.round_id = r.id AND s.pledge_id = p.id
    WHERE r.name = round_name
    ORDER BY d.name, p.code
$$;

-- 연차별 목표달성 by judgement: a coordinator (or admin) records whether pledge
-- `code` met year y's target, and why; judging the same year again replaces
-- the judgement (the audit trail keeps each).  yk_stats counts it in place of
-- what the indicators say.
CREATE OR REPLACE FUNCTION yk_target_judge(ctx json, code text, y int, met boolean, reason text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    p pledges;
    j target_judgements;
    res json := yk_idem_begin(ctx);
BEGIN
    IF res IS NOT NULL THEN
        RETURN res;
    END IF;
    SELECT * INTO p FROM pledges WHERE pledges.code = $2;
    IF p.id IS NULL THEN
        RAISE EXCEPTION 'no pledge has the code %', code USING ERRCODE = 'YK404';
    END IF;
    IF coalesce(btrim(reason), '') = '' THEN
        RAISE EXCEPTION 'a judgement of a year''s target needs its reason' USING ERRCODE = 'YK422', COLUMN = 'reason';
    END IF;
    INSERT INTO target_judgements AS t (pledge_id, year, met, reason, judged_by, judged_at)
    VALUES (p.id, y, met, reason, (ctx ->> 'account_id')::bigint, now())
    ON CONFLICT (pledge_id, year) DO UPDATE
        SET met = excluded.met, reason = excluded.reason, judged_by = excluded.judged_by, judged_at = excluded.judged_at
    RETURNING * INTO j;
    res := json_build_object('code', p.code, 'year', j.year, 'met', j.met, 'reason', j.reason,
                             'judged_by', ctx ->> 'login', 'judged_at', yk_utc(j.judged_at));
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, p.code, 'accepted', 'OK',
        format('%s target %s: %s', y, CASE WHEN met THEN 'met' ELSE 'not met' END, reason), NULL, NULL, res);
    RETURN res;
END $$;

-- Whole-document writes (apply, quick updates other than progress items):
-- idempotency keys, the guard on fields that only a change request may
-- change, and the write itself.  One function call is one statement, so a
-- write is one transaction and a reader never sees half of one.
--
-- Every write function takes a `ctx` json from the daemon:
--   {"account_id", "login", "peer", "request_id", "idem_key", "idem_hash", "op"}
-- Errors carry SQLSTATEs of their own (server/core/sqlstate.h lists them and
-- the protocol status each becomes).

-- A repeated key returns the first answer; the same key with another request
-- is refused.  Returns the stored result, or NULL when the request is new (the
-- key is then taken by this transaction: a concurrent twin waits on it).
CREATE OR REPLACE FUNCTION yk_idem_begin(ctx json) RETURNS json
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

-- Two helpers every write calls, likewise planned once per session; the
-- same statements, so the same results (and the same hashes).
CREATE OR REPLACE FUNCTION yk_idem_end(ctx json, result json) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE idempotency_keys SET result = yk_idem_end.result
    WHERE account_id = (ctx ->> 'account_id')::bigint AND key = ctx ->> 'idem_key';
END $$;

-- Guarded fields: what a department may change only through a request.  The
-- indicator plan is the sets without what a department reports each quarter
-- (actuals and current cumulative progress).
CREATE OR REPLACE FUNCTION yk_indicator_plan(doc jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_agg((s - 'indicators' - 'cumulative_progress') || jsonb_build_object(
               'indicators', (SELECT coalesce(jsonb_agg(i - 'actuals' ORDER BY io), '[]')
                              FROM jsonb_array_elements(coalesce(s -> 'indicators', '[]')) WITH ORDINALITY AS x(i, io)),
               -- a period with only a current figure (the quarter's actual,
               -- the department's to report) plans nothing
               'cumulative_targets', (SELECT coalesce(jsonb_object_agg(k, v -> 'target'), '{}')
                                      FROM jsonb_each(coalesce(s -> 'cumulative_progress', '{}')) AS y(k, v)
                                      WHERE v -> 'target' IS NOT NULL))
               ORDER BY so), '[]')
    FROM jsonb_array_elements(coalesce(doc -> 'indicator_sets', '[]')) WITH ORDINALITY AS z(s, so)
$$;

-- What a closed round has made the record: in `doc`, the figures of periods
-- that ended on or before `closed` (budget secured and executed, indicator
-- actuals, cumulative progress current) and the progress items dated on or
-- before it, each under a key of its own.  A department's write must leave
-- them as they are (yk_pledge_write).
CREATE OR REPLACE FUNCTION yk_closed_parts(doc jsonb, closed date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'budget', (SELECT coalesce(jsonb_agg(jsonb_build_array(s.key, a.key, a.value -> 'secured', a.value -> 'executed')
                                             ORDER BY s.key, a.key), '[]')
                   FROM jsonb_each(coalesce(doc -> 'budget' -> 'sources', '{}')) s,
                        jsonb_each(coalesce(s.value -> 'amounts', '{}')) a
                   WHERE yk_period_end(a.key) <= closed),
        'indicator_sets', (SELECT coalesce(jsonb_agg(x ORDER BY x::text), '[]') FROM (
                SELECT jsonb_build_array(i.value ->> 'name', v.key, v.value) AS x
                FROM jsonb_array_elements(coalesce(doc -> 'indicator_sets', '[]')) st,
                     jsonb_array_elements(coalesce(st -> 'indicators', '[]')) i,
                     jsonb_each(coalesce(i.value -> 'actuals', '{}')) v
                WHERE yk_period_end(v.key) <= closed
                UNION ALL
                SELECT jsonb_build_array('누적 추진율', c.key, c.value -> 'current')
                FROM jsonb_array_elements(coalesce(doc -> 'indicator_sets', '[]')) st,
                     jsonb_each(coalesce(st -> 'cumulative_progress', '{}')) c
                WHERE yk_period_end(c.key) <= closed AND c.value ? 'current') q),
        'progress', (SELECT coalesce(jsonb_agg(jsonb_build_array(g ->> 'indicator', act ->> 'title', it) ORDER BY
                                               g ->> 'indicator', act ->> 'title', it::text), '[]')
                     FROM jsonb_array_elements(coalesce(doc -> 'progress' -> 'by_indicator', '[]')) g,
                          jsonb_array_elements(coalesce(g -> 'activities', '[]')) act,
                          jsonb_array_elements(coalesce(act -> 'items', '[]')) it
                     WHERE coalesce(it ->> 'date', it -> 'dates' ->> 0) <= to_char(closed, 'YYYY-MM-DD')))
$$;

-- The first guarded field `after` changes from `before`, with what to do
-- instead; NULL when none.
CREATE OR REPLACE FUNCTION yk_guarded_change(code text, before jsonb, after jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN (before ->> 'status') IS DISTINCT FROM (after ->> 'status')
             AND (after ->> 'status') IN ('completed', 'completed_ongoing') THEN
            ARRAY['status', format('a department proposes completion and the coordinator confirms it: yaksok status set %s --status %s --reason TEXT', code, after ->> 'status')]
        WHEN (before ->> 'status') IS DISTINCT FROM (after ->> 'status')
             AND ((after ->> 'status') IN ('dropped', 'on_hold') OR (before ->> 'status') IN ('dropped', 'on_hold')) THEN
            ARRAY['status', format('status %s -> %s needs an approved change request: yaksok change propose %s -f FILE --reason TEXT',
                                   before ->> 'status', after ->> 'status', code)]
        WHEN (before -> 'target_month') IS DISTINCT FROM (after -> 'target_month') THEN
            ARRAY['target_month', format('the target month needs an approved change request: yaksok change propose %s -f FILE --reason TEXT', code)]
        WHEN (before -> 'overview' -> 'contents') IS DISTINCT FROM (after -> 'overview' -> 'contents') THEN
            ARRAY['overview.contents', format('the contents need an approved change request: yaksok change propose %s -f FILE --reason TEXT', code)]
        -- (the plan is worked out only when the sets changed at all)
        WHEN CASE WHEN (before -> 'indicator_sets') IS NOT DISTINCT FROM (after -> 'indicator_sets') THEN false
                  ELSE yk_indicator_plan(before) IS DISTINCT FROM yk_indicator_plan(after) END THEN
            ARRAY['indicator_sets', format('indicators, their periods and targets need an approved change request (a new set with basis: changed): yaksok change propose %s -f FILE --reason TEXT', code)]
        -- section 5 is the record of approved changes: written by approvals
        -- (and coordinators), never by the department whose pledge changed
        WHEN (before -> 'changes') IS DISTINCT FROM (after -> 'changes') THEN
            ARRAY['changes', format('section 5 (사업변경내역) records approved changes and is written when one is approved: yaksok change propose %s -f FILE --reason TEXT', code)]
    END
$$;

CREATE OR REPLACE FUNCTION yk_pledge_apply(ctx json, doc json, expected_version bigint, force boolean,
                                writer_department bigint, only_evaluations boolean, sections text[])
RETURNS json
LANGUAGE plpgsql SET jit = off AS $$
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
        SELECT v.document INTO v_before FROM pledge_versions v WHERE v.pledge_id = v_id AND v.version = v_cur;
        v_new := v_cur + 1;
        -- the sections' rows are made the document's by yk_pledge_write_sections
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
        -- while a round is open, a department's card reports on its date
        as_of = CASE WHEN writer_department IS NOT NULL THEN coalesce(yk_open_round_as_of(), (doc ->> 'as_of')::date)
                     ELSE (doc ->> 'as_of')::date END,
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

    PERFORM yk_pledge_write_sections(v_id, doc, CASE WHEN v_created THEN NULL ELSE sections END);
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
    -- in a group (yk_progress_add) the audit rows are appended after every
    -- write of the group, so that the chain's lock is taken last
    IF coalesce(ctx ->> 'audit', '') <> 'deferred' THEN
        PERFORM yk_audit_append_version(ctx, v_code, v_new, yk_doc_sha256(v_before), yk_doc_sha256(v_after));
    END IF;
    RETURN v_result;
END $$;

-- Writes of pledge documents by department accounts go through the guard;
-- the rest is yk_pledge_apply of 0008.  A refusal rolls the whole write back.
CREATE OR REPLACE FUNCTION yk_pledge_write(ctx json, doc json, expected_version bigint, force boolean,
                                writer_department bigint, only_evaluations boolean, sections text[])
RETURNS json
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    res json;
    v bigint;
    pid bigint;
    before jsonb;
    after jsonb;
    guard text[];
    closed date;
    closed_round text;
    was jsonb;
    now_ jsonb;
    part text;
    corrected text[];
BEGIN
    SELECT c.as_of, c.name INTO closed, closed_round FROM yk_closed_round() c;
    -- A coordinator or admin may correct what a closed round reported; the
    -- correction is a section 5 entry with its reason (ctx.reason).
    IF writer_department IS NULL AND closed IS NOT NULL THEN
        SELECT x.document::jsonb INTO before FROM pledges p JOIN pledge_versions x ON x.pledge_id = p.id AND x.version = p.version
        WHERE p.code = doc ->> 'code';
        IF before IS NOT NULL THEN
            was := yk_closed_parts(before, closed);
            now_ := yk_closed_parts(doc::jsonb, closed);
            SELECT array_agg(k) INTO corrected FROM unnest(ARRAY['budget', 'indicator_sets', 'progress']) k
            WHERE was -> k IS DISTINCT FROM now_ -> k;
        END IF;
        IF corrected IS NOT NULL THEN
            IF coalesce(ctx ->> 'reason', '') = '' THEN
                RAISE EXCEPTION '%: this corrects what round % reported (up to %): give the reason (--reason TEXT); it is recorded in section 5',
                    array_to_string(corrected, ', '), closed_round, to_char(closed, 'YYYY-MM-DD')
                    USING ERRCODE = 'YK422', COLUMN = 'reason';
            END IF;
            doc := jsonb_set(doc::jsonb, '{changes}', coalesce(doc::jsonb -> 'changes', '[]') || jsonb_build_array(
                       jsonb_build_object('date', to_char(current_date, 'YYYY-MM-DD'),
                                          'item', format('%s 마감 후 정정 (%s)', closed_round, array_to_string(
                                              ARRAY(SELECT CASE k WHEN 'budget' THEN '예산' WHEN 'indicator_sets' THEN '성과지표 실적'
                                                                  ELSE '추진현황' END FROM unnest(corrected) k), ', ')),
                                          'reason', ctx ->> 'reason', 'decided_by', ctx ->> 'login')))::json;
            IF sections IS NOT NULL THEN
                sections := sections || ARRAY['changes'];
            END IF;
        END IF;
    END IF;
    res := yk_pledge_apply(ctx, doc, expected_version, force, writer_department, only_evaluations, sections);
    v := (res ->> 'version')::bigint;
    IF writer_department IS NULL OR coalesce((res ->> 'replayed')::boolean, false) THEN
        RETURN res;
    END IF;
    -- A new pledge starts as a plan being carried out: it is not born
    -- finished, shelved or dropped, and has no approved changes yet.
    IF coalesce((res ->> 'created')::boolean, false) THEN
        IF doc ->> 'status' IN ('dropped', 'on_hold', 'completed', 'completed_ongoing') THEN
            RAISE EXCEPTION 'status: a department creates a pledge in_progress, partial, delayed or not_started; % is reached afterwards through yaksok %',
                doc ->> 'status',
                CASE WHEN doc ->> 'status' LIKE 'completed%' THEN format('status set %s --status %s --reason TEXT', res ->> 'code', doc ->> 'status')
                     ELSE format('change propose %s -f FILE --reason TEXT', res ->> 'code') END
                USING ERRCODE = 'YK428', COLUMN = 'status';
        END IF;
        IF json_typeof(doc -> 'changes') = 'array' AND json_array_length(doc -> 'changes') > 0 THEN
            RAISE EXCEPTION 'changes: section 5 (사업변경내역) records approved changes and is written when one is approved, not by a new pledge''s department'
                USING ERRCODE = 'YK428', COLUMN = 'changes';
        END IF;
        RETURN res;
    END IF;
    SELECT p.id INTO pid FROM pledges p WHERE p.code = res ->> 'code';
    SELECT x.document::jsonb INTO before FROM pledge_versions x WHERE x.pledge_id = pid AND x.version = v - 1;
    SELECT x.document::jsonb INTO after FROM pledge_versions x WHERE x.pledge_id = pid AND x.version = v;
    guard := yk_guarded_change(res ->> 'code', before, after);
    IF guard IS NOT NULL THEN
        RAISE EXCEPTION '%: %', guard[1], guard[2] USING ERRCODE = 'YK428', COLUMN = guard[1];
    END IF;
    -- section 6's suggestions are the committee's; a department answers them
    -- (worked out only when section 6 changed at all)
    IF (before -> 'evaluations') IS DISTINCT FROM (after -> 'evaluations')
       AND (SELECT coalesce(jsonb_agg(e - 'actions'), '[]') FROM jsonb_array_elements(coalesce(before -> 'evaluations', '[]')) e)
           IS DISTINCT FROM
           (SELECT coalesce(jsonb_agg(e - 'actions'), '[]') FROM jsonb_array_elements(coalesce(after -> 'evaluations', '[]')) e) THEN
        RAISE EXCEPTION 'evaluations: the suggestions of section 6 are the evaluation committee''s; a department answers them (yaksok evaluation answer %)', res ->> 'code'
            USING ERRCODE = 'YK403', COLUMN = 'evaluations';
    END IF;
    -- a closed round's figures and items stay as they were reported (only
    -- a section that changed at all can have changed them: most writes
    -- leave all three as they were, and the parts cost a walk of each)
    IF closed IS NOT NULL AND ((before -> 'budget') IS DISTINCT FROM (after -> 'budget')
                               OR (before -> 'indicator_sets') IS DISTINCT FROM (after -> 'indicator_sets')
                               OR (before -> 'progress') IS DISTINCT FROM (after -> 'progress')) THEN
        was := yk_closed_parts(before, closed);
        now_ := yk_closed_parts(after, closed);
        FOREACH part IN ARRAY ARRAY['budget', 'indicator_sets', 'progress'] LOOP
            IF was -> part IS DISTINCT FROM now_ -> part THEN
                PERFORM yk_closed_correction(ctx, res ->> 'code', writer_department, part, NULL,
                                             to_char(closed, 'YYYY-MM-DD'));
            END IF;
        END LOOP;
    END IF;
    RETURN res;
END $$;

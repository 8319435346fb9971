-- The quick updates' fast paths (a progress item, an indicator's or a
-- budget's cell, the status, section 6), and the group that writes them and
-- whole cards together (server/core/gcommit.c).

-- What every fast path shares.  A quick update on one of them changes a row
-- or two and derives the new version's document from the previous one
-- (yk_doc_with: the sections it touched built again by their builders,
-- functions/document.sql), instead of reading, changing and rewriting the
-- whole card.  yk_progress_add runs each as yk_quick_begin, the change's own
-- function (yk_progress_item, yk_indicator_cell, yk_budget_cell,
-- yk_status_set, yk_evaluation_add: the rows, the guards that need the
-- stored pledge, and the sections that changed as `parts`), yk_quick_commit.
-- Each change function takes the group's element `q` (its arguments, as the
-- daemon checked them: server/handlers/h_update.c) and the pledge's id.
-- They run under yk_progress_add's `jit = off`; a SET clause of their own
-- would cost each call a save and a restore of the setting.

-- The start: the session (`session`, when given, is the token hash of a
-- session the daemon knows only from its cache, confirmed here), the
-- idempotency key (a repeat gets its first answer: `replay`), the pledge's
-- row lock, its department and version -- as yk_pledge_apply checks them.
-- The current version's document comes back in `before`.
CREATE OR REPLACE FUNCTION yk_quick_begin(ctx json, code text, expected_version bigint, writer_department bigint,
                                          session bytea, OUT replay json, OUT pid bigint, OUT cur bigint,
                                          OUT before json)
LANGUAGE plpgsql AS $$
DECLARE
    v_dept bigint;
BEGIN
    IF session IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.token_hash = session AND yk_session_live(s)) THEN
        RAISE EXCEPTION 'your session has expired or is unknown: log in again (yaksok login)' USING ERRCODE = 'YK401';
    END IF;
    replay := yk_idem_begin(ctx);
    IF replay IS NOT NULL THEN
        replay := (replay::jsonb || '{"replayed": true}')::json;
        RETURN;
    END IF;
    SELECT p.id, p.version, p.department_id INTO pid, cur, v_dept
    FROM pledges p WHERE p.code = yk_quick_begin.code FOR UPDATE;
    IF pid IS NULL THEN
        RAISE EXCEPTION 'no pledge has the code %', code USING ERRCODE = 'YK404';
    END IF;
    IF writer_department IS NOT NULL AND writer_department <> v_dept THEN
        RAISE EXCEPTION 'pledge % belongs to another department', code USING ERRCODE = 'YK403';
    END IF;
    IF expected_version IS NOT NULL AND expected_version <> cur THEN
        RAISE EXCEPTION 'pledge % is at version %, not %', code, cur, expected_version
            USING ERRCODE = 'YK409', DETAIL = cur::text;
    END IF;
    SELECT v.document INTO before FROM pledge_versions v WHERE v.pledge_id = pid AND v.version = cur;
END $$;

-- A change to what the last closed round reported, in `part` of the card,
-- when `period_end` (the end of the changed figure's period, or an item's
-- date) is on or before the round's date: a department is sent to a change
-- request; a coordinator's correction needs a reason and is recorded in
-- section 5 with the item returned here ("2021-Q2 마감 후 정정 (what)").
-- NULL when no closed round reported it.  yk_pledge_write says the same of
-- a whole card.
CREATE OR REPLACE FUNCTION yk_closed_correction(ctx json, code text, writer_department bigint, part text, what text,
                                                period_end text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    c := yk_closed_round();
    IF c.as_of IS NULL OR period_end IS NULL OR period_end > to_char(c.as_of, 'YYYY-MM-DD') THEN
        RETURN NULL;
    END IF;
    IF writer_department IS NOT NULL THEN
        RAISE EXCEPTION '%: what was reported up to % (round %, closed) changes only through a change request: yaksok change propose % -f FILE --reason TEXT',
            part, to_char(c.as_of, 'YYYY-MM-DD'), c.name, code
            USING ERRCODE = 'YK428', COLUMN = part;
    END IF;
    IF coalesce(ctx ->> 'reason', '') = '' THEN
        RAISE EXCEPTION '%: this corrects what round % reported (up to %): give the reason (--reason TEXT); it is recorded in section 5',
            part, c.name, to_char(c.as_of, 'YYYY-MM-DD')
            USING ERRCODE = 'YK422', COLUMN = 'reason';
    END IF;
    RETURN format('%s 마감 후 정정 (%s)', c.name, what);
END $$;

-- The end: the new version of pledge `pid` (at `cur`, `before` its
-- document) with `parts` -- the top-level keys that changed, as their
-- builders made them -- plus section 5's entry of a correction (its item,
-- or NULL), a department's card dated for the open round, and the stamp.
-- Returns the answer, the new version, its document, and what a daemon
-- holding the previous version built puts in place (`built`): `piece`, the
-- change function's own description of what it added, when nothing but
-- that and the stamp changed; else every key that changed ({"kind":
-- "parts", "json": ...}).  The audit row is the caller's (yk_progress_add).
CREATE OR REPLACE FUNCTION yk_quick_commit(ctx json, code text, pid bigint, cur bigint, before json, parts json,
                                           correction text, writer_department bigint, piece json,
                                           OUT result json, OUT new_version bigint, OUT after json, OUT built json)
LANGUAGE plpgsql AS $$
DECLARE
    v_as_of date;
    v_at text := yk_utc(now());
    v_by text;
    v_stamp json;
BEGIN
    new_version := cur + 1;
    UPDATE pledges p SET version = new_version, updated_at = now(), updated_by = (ctx ->> 'account_id')::bigint
    WHERE p.id = pid;
    IF correction IS NOT NULL THEN
        INSERT INTO changes (pledge_id, seq, date, item, reason, decided_by)
        SELECT pid, coalesce(max(c.seq), 0) + 1, current_date, correction, ctx ->> 'reason', ctx ->> 'login'
        FROM changes c WHERE c.pledge_id = pid;
        parts := yk_doc_with(parts, json_build_object('changes', json_strip_nulls(yk_doc_changes(pid))));
        piece := NULL;
    END IF;
    -- while a round is open, a department's card reports on its date
    IF writer_department IS NOT NULL THEN
        v_as_of := yk_open_round_as_of();
        IF v_as_of IS NOT NULL AND (SELECT p.as_of IS DISTINCT FROM v_as_of FROM pledges p WHERE p.id = pid) THEN
            UPDATE pledges p SET as_of = v_as_of WHERE p.id = pid;
            parts := yk_doc_with(parts, json_build_object('as_of', to_char(v_as_of, 'YYYY-MM-DD')));
            piece := NULL;
        END IF;
    END IF;
    SELECT ac.login INTO v_by FROM accounts ac WHERE ac.id = (ctx ->> 'account_id')::bigint;
    v_stamp := json_build_object('version', new_version, 'updated_at', v_at, 'updated_by', v_by);
    after := yk_doc_with(before, parts, v_stamp);
    INSERT INTO pledge_versions (pledge_id, version, document, changed_by)
    VALUES (pid, new_version, after, (ctx ->> 'account_id')::bigint);
    built := coalesce(piece, json_build_object('kind', 'parts', 'json', yk_doc_with(parts, v_stamp)));
    result := json_build_object('version', new_version, 'updated_at', v_at, 'updated_by', v_by, 'code', code,
                                'created', false);
    PERFORM yk_idem_end(ctx, result);
END $$;

-- One item (q.item) added to section 4 under the heading q.indicator and
-- the activity q.activity (created when missing; none: the heading's last
-- activity); progress is no guarded field, but a closed round's items are.
-- The new section 4 is the previous one (in `before`) with what was added
-- put in place, built by the builders of section 4's levels
-- (functions/document.sql): the item (yk_item_json), or the new activity
-- with it (yk_doc_activity), or the new heading with both (yk_doc_group).
-- That piece comes back in `piece` ({kind, group, activity, json}, 1-based
-- positions), so that a daemon holding the previous version built can put
-- it in place too.
CREATE OR REPLACE FUNCTION yk_progress_item(q json, pid bigint, before json,
                                            OUT parts json, OUT correction text, OUT piece json)
LANGUAGE plpgsql AS $$
DECLARE
    v_indicator text := q ->> 'indicator';
    v_activity text := q ->> 'activity';
    v_item jsonb := (q -> 'item')::jsonb;
    v_progress jsonb;
    v_piece json;
    v_kind text;
    v_path text[];
    g int;
    a int;
    n int;
BEGIN
    correction := yk_closed_correction(q -> 'ctx', q ->> 'code', (q ->> 'writer_department')::bigint, 'progress',
                                       '추진현황', coalesce(v_item ->> 'date', v_item -> 'dates' ->> 0));
    -- the last heading of that name, the last activity of that title (as the
    -- daemon's whole-document edit picks them)
    SELECT max(pg.seq) INTO g FROM progress_groups pg WHERE pg.pledge_id = pid AND pg.indicator = v_indicator;
    IF v_activity IS NULL THEN
        -- no heading yet (g NULL) has no activities either
        SELECT max(x.seq) INTO a FROM activities x WHERE x.pledge_id = pid AND x.group_seq = g;
        IF a IS NULL THEN
            RAISE EXCEPTION 'the heading "%" has no activity yet: name one', v_indicator
                USING ERRCODE = 'YK422', COLUMN = 'activity';
        END IF;
    END IF;
    v_kind := 'item';
    IF g IS NULL THEN
        SELECT coalesce(max(pg.seq), 0) + 1 INTO g FROM progress_groups pg WHERE pg.pledge_id = pid;
        INSERT INTO progress_groups (pledge_id, seq, indicator) VALUES (pid, g, v_indicator);
        v_kind := 'group';
    END IF;
    IF v_activity IS NOT NULL THEN
        SELECT max(x.seq) INTO a FROM activities x WHERE x.pledge_id = pid AND x.group_seq = g AND x.title = v_activity;
    END IF;
    IF a IS NULL THEN
        SELECT coalesce(max(x.seq), 0) + 1 INTO a FROM activities x WHERE x.pledge_id = pid AND x.group_seq = g;
        INSERT INTO activities (pledge_id, group_seq, seq, title) VALUES (pid, g, a, v_activity);
        IF v_kind = 'item' THEN
            v_kind := 'activity';
        END IF;
    END IF;
    SELECT coalesce(max(i.seq), 0) + 1 INTO n FROM activity_items i
    WHERE i.pledge_id = pid AND i.group_seq = g AND i.act_seq = a AND i.sub_seq = 0;
    INSERT INTO activity_items (pledge_id, group_seq, act_seq, seq, sub_seq, label, text, date, until, dates, note)
    VALUES (pid, g, a, n, 0, v_item ->> 'label', v_item ->> 'text', v_item ->> 'date', v_item ->> 'until', NULL,
            v_item ->> 'note');
    -- the piece added, by its level's builder, and where it goes (section 4
    -- holds no map whose keys have an order, so jsonb may change it)
    v_progress := coalesce((before -> 'progress')::jsonb, '{}');
    IF v_kind = 'group' THEN
        v_piece := yk_doc_group(pid, g);
        v_path := ARRAY['by_indicator'];
    ELSIF v_kind = 'activity' THEN
        v_piece := yk_doc_activity(pid, g, a);
        v_path := ARRAY['by_indicator', (g - 1)::text, 'activities'];
    ELSE
        v_piece := yk_item_json(v_item ->> 'label', v_item ->> 'text', v_item ->> 'date', v_item ->> 'until', NULL,
                                v_item ->> 'note', NULL);
        v_path := ARRAY['by_indicator', (g - 1)::text, 'activities', (a - 1)::text, 'items'];
    END IF;
    v_progress := jsonb_set(v_progress, v_path,
                            coalesce(v_progress #> v_path, '[]') || jsonb_build_array(jsonb_strip_nulls(v_piece::jsonb)));
    parts := json_build_object('progress', v_progress);
    piece := json_build_object('kind', v_kind, 'group', g, 'activity', a, 'json', json_strip_nulls(v_piece));
END $$;

-- One cell of section 3 set: the q.value_kind (target or actual) of the
-- indicator q.indicator for q.period, to q.value (a number or a short text)
-- -- in the last indicator set that has the period and an indicator of that
-- name, its last such indicator (as the daemon's whole-document edit picks
-- it).  What yk_pledge_write's guards say of a whole card, said of this
-- cell: a department changes a target only through a change request, and
-- what a closed round reported only through one too.  Section 3 is built
-- again (yk_doc_indicator_sets).
CREATE OR REPLACE FUNCTION yk_indicator_cell(q json, pid bigint, OUT parts json, OUT correction text)
LANGUAGE plpgsql AS $$
DECLARE
    v_period text := q ->> 'period';
    v_kind text := q ->> 'value_kind';
    v_value jsonb := (q -> 'value')::jsonb;
    v_set int;
    v_ind int;
BEGIN
    SELECT i.set_seq, i.seq INTO v_set, v_ind FROM indicators i
    WHERE i.pledge_id = pid AND i.name = q ->> 'indicator'
      AND EXISTS (SELECT 1 FROM indicator_set_periods sp
                  WHERE sp.pledge_id = pid AND sp.set_seq = i.set_seq AND sp.period = v_period)
    ORDER BY i.set_seq DESC, i.seq DESC LIMIT 1;
    IF v_set IS NULL THEN
        RAISE EXCEPTION 'no indicator "%" in an indicator set with the period %', q ->> 'indicator', v_period
            USING ERRCODE = 'YK404';
    END IF;
    IF (SELECT coalesce(to_jsonb(v.num), to_jsonb(v.txt)) FROM indicator_values v
        WHERE v.pledge_id = pid AND v.set_seq = v_set AND v.ind_seq = v_ind AND v.kind = v_kind AND v.period = v_period)
       IS DISTINCT FROM v_value THEN
        IF v_kind = 'target' AND q ->> 'writer_department' IS NOT NULL THEN
            RAISE EXCEPTION 'indicator_sets: indicators, their periods and targets need an approved change request (a new set with basis: changed): yaksok change propose % -f FILE --reason TEXT', q ->> 'code'
                USING ERRCODE = 'YK428', COLUMN = 'indicator_sets';
        END IF;
        IF v_kind = 'actual' THEN
            correction := yk_closed_correction(q -> 'ctx', q ->> 'code', (q ->> 'writer_department')::bigint,
                                               'indicator_sets', '성과지표 실적',
                                               to_char(yk_period_end(v_period), 'YYYY-MM-DD'));
        END IF;
    END IF;
    UPDATE indicator_values v SET num = yk_value_num(v_value::json), txt = yk_value_txt(v_value::json)
    WHERE v.pledge_id = pid AND v.set_seq = v_set AND v.ind_seq = v_ind AND v.kind = v_kind AND v.period = v_period;
    IF NOT FOUND THEN
        INSERT INTO indicator_values (pledge_id, set_seq, ind_seq, kind, period, seq, num, txt)
        SELECT pid, v_set, v_ind, v_kind, v_period, coalesce(max(v.seq), 0) + 1, yk_value_num(v_value::json),
               yk_value_txt(v_value::json)
        FROM indicator_values v WHERE v.pledge_id = pid AND v.set_seq = v_set AND v.ind_seq = v_ind AND v.kind = v_kind;
    END IF;
    parts := json_build_object('indicator_sets', json_strip_nulls(yk_doc_indicator_sets(pid)));
END $$;

-- One cell of section 2 set: the amounts given in q.cell ({secured,
-- executed, planned}, any of them) of q.source for q.period, the others
-- kept; a source new to the card comes after the others, a period new to the
-- source likewise.  What the whole-card rules say of a cell, said of this
-- one: the period is one of budget.periods, no more executed than secured,
-- and a closed round's secured and executed figures change only through a
-- change request.  Section 2 is built again (yk_doc_budget).
CREATE OR REPLACE FUNCTION yk_budget_cell(q json, pid bigint, OUT parts json, OUT correction text)
LANGUAGE plpgsql AS $$
DECLARE
    v_source text := q ->> 'source';
    v_period text := q ->> 'period';
    v_cell json := q -> 'cell';
    v_path text := format('budget.sources.%s.amounts.%s', q ->> 'source', q ->> 'period');
    v_was budget_amounts;
    v_sec numeric;
    v_exe numeric;
    v_pla numeric;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM budget_periods bp WHERE bp.pledge_id = pid AND bp.period = v_period) THEN
        RAISE EXCEPTION '% is not one of budget.periods', v_period USING ERRCODE = 'YK422', COLUMN = v_path;
    END IF;
    SELECT * INTO v_was FROM budget_amounts a WHERE a.pledge_id = pid AND a.source = v_source AND a.period = v_period;
    v_sec := CASE WHEN v_cell -> 'secured' IS NULL THEN v_was.secured ELSE (v_cell ->> 'secured')::numeric END;
    v_exe := CASE WHEN v_cell -> 'executed' IS NULL THEN v_was.executed ELSE (v_cell ->> 'executed')::numeric END;
    v_pla := CASE WHEN v_cell -> 'planned' IS NULL THEN v_was.planned ELSE (v_cell ->> 'planned')::numeric END;
    IF v_exe > coalesce(v_sec, 0) THEN
        RAISE EXCEPTION '% exceeds secured %', trim_scale(v_exe), trim_scale(coalesce(v_sec, 0))
            USING ERRCODE = 'YK422', COLUMN = v_path || '.executed';
    END IF;
    IF v_sec IS DISTINCT FROM v_was.secured OR v_exe IS DISTINCT FROM v_was.executed THEN
        correction := yk_closed_correction(q -> 'ctx', q ->> 'code', (q ->> 'writer_department')::bigint, 'budget',
                                           '예산', to_char(yk_period_end(v_period), 'YYYY-MM-DD'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM budget_sources s WHERE s.pledge_id = pid AND s.source = v_source) THEN
        INSERT INTO budget_sources (pledge_id, source, seq)
        SELECT pid, v_source, coalesce(max(s.seq), 0) + 1 FROM budget_sources s WHERE s.pledge_id = pid;
    END IF;
    IF v_was.pledge_id IS NULL THEN
        INSERT INTO budget_amounts (pledge_id, source, period, seq, secured, executed, planned)
        SELECT pid, v_source, v_period, coalesce(max(a.seq), 0) + 1, v_sec, v_exe, v_pla
        FROM budget_amounts a WHERE a.pledge_id = pid AND a.source = v_source;
    ELSE
        UPDATE budget_amounts a SET secured = v_sec, executed = v_exe, planned = v_pla
        WHERE a.pledge_id = pid AND a.source = v_source AND a.period = v_period;
    END IF;
    parts := json_build_object('budget', json_strip_nulls(yk_doc_budget(pid)));
END $$;

-- The status and the overall progress (q.status, q.progress_pct; either may
-- be missing: kept).  A department changes the status to or from dropped or
-- on_hold only through a change request (yk_guarded_change, the one
-- statement of those guards; a department's completion is proposed by the
-- daemon, never sent here).
CREATE OR REPLACE FUNCTION yk_status_set(q json, pid bigint, OUT parts json, OUT correction text)
LANGUAGE plpgsql AS $$
DECLARE
    v_was text;
    v_status text;
    v_pct numeric;
    v_guard text[];
BEGIN
    SELECT p.status, coalesce(q ->> 'status', p.status), coalesce((q ->> 'progress_pct')::numeric, p.progress_pct)
    INTO v_was, v_status, v_pct FROM pledges p WHERE p.id = pid;
    IF q ->> 'writer_department' IS NOT NULL THEN
        v_guard := yk_guarded_change(q ->> 'code', jsonb_build_object('status', v_was),
                                     jsonb_build_object('status', v_status));
        IF v_guard IS NOT NULL THEN
            RAISE EXCEPTION '%: %', v_guard[1], v_guard[2] USING ERRCODE = 'YK428', COLUMN = v_guard[1];
        END IF;
    END IF;
    UPDATE pledges p SET status = v_status, progress_pct = v_pct WHERE p.id = pid;
    parts := json_build_object('status', v_status, 'progress_pct', v_pct);
END $$;

-- Section 6: a suggestion of the evaluation committee added (q.suggestion:
-- {round, committee, suggestion}), or a department's answer q.text to
-- suggestion number q.answer_to (1-based).  Section 6 is built again
-- (yk_doc_evaluations).
CREATE OR REPLACE FUNCTION yk_evaluation_add(q json, pid bigint, OUT parts json, OUT correction text)
LANGUAGE plpgsql AS $$
DECLARE
    v_to bigint := (q ->> 'answer_to')::bigint;  -- up to 2^32: an index no pledge has
BEGIN
    IF q -> 'suggestion' IS NOT NULL THEN
        INSERT INTO evaluations (pledge_id, seq, round, committee, suggestion)
        SELECT pid, coalesce(max(e.seq), 0) + 1, q -> 'suggestion' ->> 'round', q -> 'suggestion' ->> 'committee',
               q -> 'suggestion' ->> 'suggestion'
        FROM evaluations e WHERE e.pledge_id = pid;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.pledge_id = pid AND e.seq = v_to) THEN
            RAISE EXCEPTION 'the pledge has no evaluation suggestion number %', v_to USING ERRCODE = 'YK404';
        END IF;
        INSERT INTO evaluation_actions (pledge_id, eval_seq, seq, text)
        SELECT pid, v_to, coalesce(max(a.seq), 0) + 1, q ->> 'text'
        FROM evaluation_actions a WHERE a.pledge_id = pid AND a.eval_seq = v_to;
    END IF;
    parts := json_build_object('evaluations', json_strip_nulls(yk_doc_evaluations(pid)));
END $$;

-- Group commit: the writes that reached the daemon while the pool was busy,
-- in one transaction.  Each in its own subtransaction, so each succeeds or
-- fails on its own (reqs: an array of objects sorted by code so that
-- concurrent groups lock pledges in one order).  A quick update is
-- {"kind": "indicator" | "budget" | "status" | "evaluation" | none (a
-- progress item), ctx, code, expected_version, writer_department, session,
-- and its change's own arguments}, run on its fast path (above); a whole
-- card {"kind": "write", ctx, doc, expected_version, force,
-- writer_department, sections}, written by yk_pledge_write of those sections
-- (null: all); {"kind": "refusal", ctx, code, status, message} a refused
-- write's audit row, appended with the others.  The audit rows of those that
-- succeeded are appended last, so the chain's lock is taken once, by a
-- transaction that waits for no row after it.  Returns, in order,
-- {"result": ..., "built": what a fast path changed (null for a whole
-- card)} or {"error": {state, message, column, constraint, datatype}} for
-- each.  The daemon acknowledges none before the commit.
CREATE OR REPLACE FUNCTION yk_progress_add(reqs json) RETURNS json
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    q json;
    -- q's own fields, read in one pass (each `q ->> key` of a json parses
    -- all of q again, and a whole card's q holds the card)
    e record;
    res json;
    piece json;
    built json;
    ver bigint;
    bsha bytea;
    asha bytea;
    qb record;
    -- a fast path's change, then its end
    c record;
    outs json[] := '{}';
    -- the writes applied, for their audit rows: the documents by their
    -- SHA-256, worked out as each is written
    ctxs json[] := '{}';
    codes text[] := '{}';
    versions bigint[] := '{}';
    befores bytea[] := '{}';
    afters bytea[] := '{}';
    -- the refusals to record, and where their answers go
    refusals json[] := '{}';
    refusal_at int[] := '{}';
    st text;
    msg text;
    col text;
    con text;
    typ text;
BEGIN
    -- json, not jsonb: a card's maps (budget sources, periods) keep the
    -- card's order, which jsonb would sort
    FOR q IN SELECT x FROM json_array_elements(reqs) AS x LOOP
        BEGIN
            -- (in the subtransaction: an element whose field is not of its
            -- type fails alone)
            SELECT * INTO e FROM json_to_record(q) AS r(kind text, ctx json, code text, expected_version bigint,
                                                         writer_department bigint, session text, doc json,
                                                         force boolean, sections json);
            IF e.kind = 'refusal' THEN
                refusals := refusals || q;
                outs := outs || NULL::json;
                refusal_at := refusal_at || array_length(outs, 1);
                CONTINUE;
            END IF;
            ver := NULL;
            built := NULL;
            IF e.kind = 'write' THEN
                -- a whole card: the sections that changed, or none (null:
                -- every section is written)
                res := yk_pledge_write((e.ctx::jsonb || '{"audit": "deferred"}')::json, e.doc, e.expected_version,
                                       coalesce(e.force, false), e.writer_department,
                                       -- (an evaluator's suggestion takes its fast path;
                                       -- no whole card is limited to section 6)
                                       false,
                                       CASE WHEN json_typeof(e.sections) = 'array'
                                            THEN ARRAY(SELECT json_array_elements_text(e.sections)) END);
                IF NOT coalesce((res ->> 'replayed')::boolean, false) THEN
                    ver := (res ->> 'version')::bigint;
                    SELECT yk_doc_sha256(b.document), yk_doc_sha256(a.document)
                    INTO bsha, asha
                    FROM pledges p
                         JOIN pledge_versions a ON a.pledge_id = p.id AND a.version = ver
                         LEFT JOIN pledge_versions b ON b.pledge_id = p.id AND b.version = ver - 1
                    WHERE p.code = res ->> 'code';
                END IF;
            ELSE
                -- a quick update on its fast path (each step called as an
                -- expression, not as a query: PL/pgSQL runs an expression
                -- without starting an executor, and each query has one)
                qb := yk_quick_begin(e.ctx, e.code, e.expected_version, e.writer_department, decode(e.session, 'hex'));
                res := qb.replay;
                IF res IS NULL THEN
                    piece := NULL;
                    CASE e.kind
                    WHEN 'indicator' THEN c := yk_indicator_cell(q, qb.pid);
                    WHEN 'budget' THEN c := yk_budget_cell(q, qb.pid);
                    WHEN 'status' THEN c := yk_status_set(q, qb.pid);
                    WHEN 'evaluation' THEN c := yk_evaluation_add(q, qb.pid);
                    ELSE c := yk_progress_item(q, qb.pid, qb.before);
                         piece := c.piece;
                    END CASE;
                    c := yk_quick_commit(e.ctx, e.code, qb.pid, qb.cur, qb.before, c.parts, c.correction,
                                         e.writer_department, piece);
                    res := c.result;
                    ver := c.new_version;
                    built := c.built;
                    bsha := yk_doc_sha256(qb.before);
                    asha := yk_doc_sha256(c.after);
                END IF;
            END IF;
            outs := outs || json_build_object('result', res, 'built', built);
            IF ver IS NOT NULL THEN
                ctxs := ctxs || e.ctx;
                codes := codes || coalesce(e.code, res ->> 'code');
                versions := versions || ver;
                befores := befores || bsha;
                afters := afters || asha;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, col = COLUMN_NAME,
                                    con = CONSTRAINT_NAME, typ = PG_DATATYPE_NAME;
            outs := outs || json_build_object('error', json_build_object(
                'state', st, 'message', msg, 'column', col, 'constraint', con, 'datatype', typ));
        END;
    END LOOP;
    FOR n IN 1 .. coalesce(array_length(codes, 1), 0) LOOP
        PERFORM yk_audit_append_version(ctxs[n], codes[n], versions[n], befores[n], afters[n]);
    END LOOP;
    -- each refusal on its own: one that cannot be recorded fails alone
    FOR n IN 1 .. coalesce(array_length(refusals, 1), 0) LOOP
        BEGIN
            outs[refusal_at[n]] := json_build_object('result', json_build_object('id',
                yk_audit_append((refusals[n] -> 'ctx')::json, refusals[n] ->> 'code', 'refused', refusals[n] ->> 'status',
                                refusals[n] ->> 'message', NULL, NULL, NULL)));
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            outs[refusal_at[n]] := json_build_object('error', json_build_object('state', st, 'message', msg));
        END;
    END LOOP;
    RETURN array_to_json(outs);
END $$;

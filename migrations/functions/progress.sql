-- The fast path of the commonest quick update: a progress item written as one
-- row, in groups (server/core/gcommit.c).

-- One item added to section 4 under the heading `indicator` and the activity
-- `activity` (created when missing; NULL: the heading's last activity), as
-- the daemon checked it.  Same locks, version check and idempotency as
-- yk_pledge_apply; progress is no guarded field.  `session`, when given, is
-- the token hash of a session the daemon knows only from its cache, confirmed
-- here; a repeated idempotency key gets its first answer here.  The audit
-- row is left to the caller (yk_progress_add), with the new version and the
-- two documents returned here (NULL for a replay).  The new version's
-- document is the previous one with what was added put in place, built by
-- the builders of section 4's levels (functions/document.sql): the item
-- (yk_item_json), or the new activity with it (yk_doc_activity), or the new
-- heading with both (yk_doc_group).  That piece comes back in `built`
-- ({kind, group, activity, json}, 1-based positions), so that a daemon
-- holding the previous version built can put it in place too.
CREATE OR REPLACE FUNCTION yk_progress_item(ctx json, code text, indicator text, activity text, item jsonb,
                                            expected_version bigint, writer_department bigint, session bytea,
                                            OUT result json, OUT new_version bigint, OUT doc_before json,
                                            OUT doc_after json, OUT built json)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    v_result json;
    v_id bigint;
    v_cur bigint;
    v_dept bigint;
    v_new bigint;
    v_before_json json;
    v_after_json json;
    v_after jsonb;
    v_piece json;
    v_kind text;
    v_path text[];
    v_stamp jsonb;
    v_round_as_of date;
    v_closed date;
    v_closed_round text;
    v_correction boolean;
    g int;
    a int;
    n int;
BEGIN
    IF session IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.token_hash = session AND yk_session_live(s)) THEN
        RAISE EXCEPTION 'your session has expired or is unknown: log in again (yaksok login)' USING ERRCODE = 'YK401';
    END IF;
    v_result := yk_idem_begin(ctx);
    IF v_result IS NOT NULL THEN
        result := (v_result::jsonb || '{"replayed": true}')::json;
        RETURN;
    END IF;
    SELECT p.id, p.version, p.department_id INTO v_id, v_cur, v_dept
    FROM pledges p WHERE p.code = yk_progress_item.code FOR UPDATE;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'no pledge has the code %', code USING ERRCODE = 'YK404';
    END IF;
    IF writer_department IS NOT NULL AND writer_department <> v_dept THEN
        RAISE EXCEPTION 'pledge % belongs to another department', code USING ERRCODE = 'YK403';
    END IF;
    IF expected_version IS NOT NULL AND expected_version <> v_cur THEN
        RAISE EXCEPTION 'pledge % is at version %, not %', code, v_cur, expected_version
            USING ERRCODE = 'YK409', DETAIL = v_cur::text;
    END IF;
    SELECT v.document INTO v_before_json FROM pledge_versions v WHERE v.pledge_id = v_id AND v.version = v_cur;
    -- a closed round's items stay as they were reported (yk_pledge_write):
    -- a department proposes a change; a coordinator's correction needs a
    -- reason and is recorded in section 5 (below)
    SELECT r.as_of, r.name INTO v_closed, v_closed_round FROM rounds r WHERE r.state = 'closed'
    ORDER BY r.as_of DESC, r.id DESC LIMIT 1;
    v_correction := v_closed IS NOT NULL AND coalesce(item ->> 'date', item -> 'dates' ->> 0) <= to_char(v_closed, 'YYYY-MM-DD');
    IF v_correction AND writer_department IS NOT NULL THEN
        RAISE EXCEPTION 'progress: what was reported up to % (round %, closed) changes only through a change request: yaksok change propose % -f FILE --reason TEXT',
            to_char(v_closed, 'YYYY-MM-DD'), v_closed_round, code
            USING ERRCODE = 'YK428', COLUMN = 'progress';
    END IF;
    IF v_correction AND coalesce(ctx ->> 'reason', '') = '' THEN
        RAISE EXCEPTION 'progress: this corrects what round % reported (up to %): give the reason (--reason TEXT); it is recorded in section 5',
            v_closed_round, to_char(v_closed, 'YYYY-MM-DD')
            USING ERRCODE = 'YK422', COLUMN = 'reason';
    END IF;

    -- the last heading of that name, the last activity of that title (as the
    -- daemon's whole-document edit picks them)
    SELECT max(pg.seq) INTO g FROM progress_groups pg WHERE pg.pledge_id = v_id AND pg.indicator = yk_progress_item.indicator;
    IF activity IS NULL THEN
        -- no heading yet (g NULL) has no activities either
        SELECT max(x.seq) INTO a FROM activities x WHERE x.pledge_id = v_id AND x.group_seq = g;
        IF a IS NULL THEN
            RAISE EXCEPTION 'the heading "%" has no activity yet: name one', indicator
                USING ERRCODE = 'YK422', COLUMN = 'activity';
        END IF;
    END IF;
    v_kind := 'item';
    IF g IS NULL THEN
        SELECT coalesce(max(pg.seq), 0) + 1 INTO g FROM progress_groups pg WHERE pg.pledge_id = v_id;
        INSERT INTO progress_groups (pledge_id, seq, indicator) VALUES (v_id, g, indicator);
        v_kind := 'group';
    END IF;
    IF activity IS NOT NULL THEN
        SELECT max(x.seq) INTO a FROM activities x WHERE x.pledge_id = v_id AND x.group_seq = g AND x.title = activity;
    END IF;
    IF a IS NULL THEN
        SELECT coalesce(max(x.seq), 0) + 1 INTO a FROM activities x WHERE x.pledge_id = v_id AND x.group_seq = g;
        INSERT INTO activities (pledge_id, group_seq, seq, title) VALUES (v_id, g, a, activity);
        IF v_kind = 'item' THEN
            v_kind := 'activity';
        END IF;
    END IF;
    SELECT coalesce(max(i.seq), 0) + 1 INTO n FROM activity_items i
    WHERE i.pledge_id = v_id AND i.group_seq = g AND i.act_seq = a AND i.sub_seq = 0;
    INSERT INTO activity_items (pledge_id, group_seq, act_seq, seq, sub_seq, label, text, date, until, dates, note)
    VALUES (v_id, g, a, n, 0, item ->> 'label', item ->> 'text', item ->> 'date', item ->> 'until', NULL,
            item ->> 'note');
    -- the piece added, by its level's builder, and where it goes
    v_after := v_before_json::jsonb;
    IF v_kind = 'group' THEN
        v_piece := yk_doc_group(v_id, g);
        v_path := ARRAY['progress', 'by_indicator'];
        v_after := jsonb_set(v_after, '{progress}', coalesce(v_after -> 'progress', '{}'));
    ELSIF v_kind = 'activity' THEN
        v_piece := yk_doc_activity(v_id, g, a);
        v_path := ARRAY['progress', 'by_indicator', (g - 1)::text, 'activities'];
    ELSE
        v_piece := yk_item_json(item ->> 'label', item ->> 'text', item ->> 'date', item ->> 'until', NULL,
                                item ->> 'note', NULL);
        v_path := ARRAY['progress', 'by_indicator', (g - 1)::text, 'activities', (a - 1)::text, 'items'];
    END IF;
    v_after := jsonb_set(v_after, v_path,
                         coalesce(v_after #> v_path, '[]') || jsonb_build_array(jsonb_strip_nulls(v_piece::jsonb)));

    v_new := v_cur + 1;
    UPDATE pledges p SET version = v_new, updated_at = now(), updated_by = (ctx ->> 'account_id')::bigint
    WHERE p.id = v_id;
    -- a coordinator's correction of a closed round's items: a section 5 entry
    IF v_correction THEN
        INSERT INTO changes (pledge_id, seq, date, item, reason, decided_by)
        SELECT v_id, coalesce(max(c.seq), 0) + 1, current_date, format('%s 마감 후 정정 (추진현황)', v_closed_round),
               ctx ->> 'reason', ctx ->> 'login'
        FROM changes c WHERE c.pledge_id = v_id;
        v_after := jsonb_set(v_after, '{changes}', coalesce(v_after -> 'changes', '[]') || jsonb_build_array(
                       jsonb_build_object('date', to_char(current_date, 'YYYY-MM-DD'),
                                          'item', format('%s 마감 후 정정 (추진현황)', v_closed_round),
                                          'reason', ctx ->> 'reason', 'decided_by', ctx ->> 'login')));
        v_kind := NULL;
    END IF;
    -- while a round is open, a department's card reports on its date; the
    -- piece alone no longer makes the new version, so no `built`: a daemon
    -- builds that version afresh on its next read
    IF writer_department IS NOT NULL THEN
        v_round_as_of := yk_open_round_as_of();
        IF v_round_as_of IS NOT NULL
           AND (SELECT p.as_of IS DISTINCT FROM v_round_as_of FROM pledges p WHERE p.id = v_id) THEN
            UPDATE pledges p SET as_of = v_round_as_of WHERE p.id = v_id;
            v_after := jsonb_set(v_after, '{as_of}', to_jsonb(to_char(v_round_as_of, 'YYYY-MM-DD')));
            v_kind := NULL;
        END IF;
    END IF;
    v_stamp := jsonb_build_object(
        'version', v_new,
        'updated_at', yk_utc(now()),
        'updated_by', (SELECT ac.login FROM accounts ac WHERE ac.id = (ctx ->> 'account_id')::bigint));
    v_after := v_after || v_stamp;
    v_after_json := v_after::json;
    INSERT INTO pledge_versions (pledge_id, version, document, changed_by)
    VALUES (v_id, v_new, v_after_json, (ctx ->> 'account_id')::bigint);

    v_result := (v_stamp || jsonb_build_object('code', code, 'created', false))::json;
    PERFORM yk_idem_end(ctx, v_result);
    result := v_result;
    new_version := v_new;
    doc_before := v_before_json;
    doc_after := v_after_json;
    built := CASE WHEN v_kind IS NOT NULL
                  THEN json_build_object('kind', v_kind, 'group', g, 'activity', a, 'json', json_strip_nulls(v_piece)) END;
END $$;

-- Group commit: the quick updates that reached the daemon while the pool was
-- busy, in one transaction.  Each in its own subtransaction, so each
-- succeeds or fails on its own (reqs: an array of objects sorted by code so
-- that concurrent groups lock pledges in one order): a progress item as
-- yk_progress_item's arguments, or {"kind": "write", ctx, doc,
-- expected_version, force, writer_department, only_evaluations, sections}
-- -- a whole card applied, or an indicator, budget, status or evaluation
-- update the daemon made on the document, written by yk_pledge_write of
-- those sections (null: all) -- or {"kind": "refusal", ctx, code, status,
-- message}: a refused write's audit row, appended with the others.  The
-- audit rows of those that succeeded are appended last, so the chain's lock
-- is taken once, by a transaction that waits for no row after it.  Returns, in order, {"result": ..., "built": what was added and where
-- (a progress item's; null otherwise)} or {"error": {state, message,
-- column, constraint, datatype}} for each.  The daemon acknowledges none
-- before the commit.
CREATE OR REPLACE FUNCTION yk_progress_add(reqs json) RETURNS json
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    q jsonb;
    res json;
    piece json;
    ver bigint;
    b json;
    a json;
    outs json[] := '{}';
    -- the items applied, for their audit rows
    ctxs json[] := '{}';
    codes text[] := '{}';
    versions bigint[] := '{}';
    befores json[] := '{}';
    afters json[] := '{}';
    -- the refusals to record, and where their answers go
    refusals jsonb[] := '{}';
    refusal_at int[] := '{}';
    st text;
    msg text;
    col text;
    con text;
    typ text;
BEGIN
    FOR q IN SELECT x FROM jsonb_array_elements(reqs::jsonb) AS x LOOP
        IF q ->> 'kind' = 'refusal' THEN
            refusals := refusals || q;
            outs := outs || NULL::json;
            refusal_at := refusal_at || array_length(outs, 1);
            CONTINUE;
        END IF;
        BEGIN
            IF q ->> 'kind' = 'write' THEN
                -- a quick update names its sections; a whole card those that
                -- changed, or none (null: every section is written)
                res := yk_pledge_write(((q -> 'ctx') || '{"audit": "deferred"}')::json, (q -> 'doc')::json,
                                       (q ->> 'expected_version')::bigint, coalesce((q ->> 'force')::boolean, false),
                                       (q ->> 'writer_department')::bigint,
                                       coalesce((q ->> 'only_evaluations')::boolean, false),
                                       CASE WHEN jsonb_typeof(q -> 'sections') = 'array'
                                            THEN ARRAY(SELECT jsonb_array_elements_text(q -> 'sections')) END);
                ver := NULL;
                b := NULL;
                a := NULL;
                piece := NULL;
                IF NOT coalesce((res ->> 'replayed')::boolean, false) THEN
                    ver := (res ->> 'version')::bigint;
                    SELECT max(v.document::text) FILTER (WHERE v.version = ver - 1)::json,
                           max(v.document::text) FILTER (WHERE v.version = ver)::json INTO b, a
                    FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version IN (ver - 1, ver)
                    WHERE p.code = res ->> 'code';
                END IF;
            ELSE
                SELECT i.result, i.new_version, i.doc_before, i.doc_after, i.built INTO res, ver, b, a, piece
                FROM yk_progress_item((q -> 'ctx')::json, q ->> 'code', q ->> 'indicator', q ->> 'activity', q -> 'item',
                                      (q ->> 'expected_version')::bigint, (q ->> 'writer_department')::bigint,
                                      decode(q ->> 'session', 'hex')) AS i;
            END IF;
            outs := outs || json_build_object('result', res, 'built', piece);
            IF ver IS NOT NULL THEN
                ctxs := ctxs || (q -> 'ctx')::json;
                codes := codes || coalesce(q ->> 'code', res ->> 'code');
                versions := versions || ver;
                befores := befores || b;
                afters := afters || a;
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

-- Quick writes.  A whole-document write replaces the rows of the sections it
-- touches and assembles the new version's document from all of them again;
-- on a full card (5 indicators over 12 quarters, 20 activities) that was
-- about ten milliseconds of PostgreSQL per write.  The commonest quick update
-- -- a department adding what it did to section 4 -- now writes one row, and
-- the new version's document is the previous one with that item added
-- (docs/performance.md).

-- Planned once per session instead of on every call (a SQL function that
-- cannot be inlined is planned again for each query that calls it); and an
-- item is built inline, without a call of its own.  Same documents.
CREATE OR REPLACE FUNCTION yk_item_json(label text, txt text, dt text, until text, dates date[], note text, sub json)
RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_strip_nulls(json_build_object(
        'label', label, 'text', txt, 'date', dt, 'until', until,
        'dates', to_json(nullif(dates, '{}')),
        'note', note, 'items', sub))
$$;

CREATE OR REPLACE FUNCTION yk_pledge_document(pid bigint) RETURNS json
LANGUAGE plpgsql STABLE SET jit = off AS $f$
BEGIN
RETURN (
SELECT json_strip_nulls(json_build_object(
    'schema', 'yaksok/pledge/v1',
    'code', p.code,
    'term', p.term,
    'title', p.title,
    'category', p.category,
    'area', p.area,
    'parent', p.parent_code,
    'department', d.name,
    'status', p.status,
    'progress_pct', p.progress_pct,
    'target_month', p.target_month,
    'remarks', p.remarks,
    'as_of', to_char(p.as_of, 'YYYY-MM-DD'),
    'reporting_from', p.reporting_from,
    'version', p.version,
    'updated_at', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'updated_by', (SELECT login FROM accounts WHERE id = p.updated_by),
    'overview', json_build_object(
        'period', json_build_object('start', p.overview_start, 'end', p.overview_end,
                                    'end_null', CASE WHEN p.overview_end_null THEN true END),
        'target', p.overview_target,
        'contents', (SELECT json_agg(text ORDER BY seq) FROM pledge_contents WHERE pledge_id = p.id)),
    'budget', json_build_object(
        'unit', p.budget_unit,
        'periods', (SELECT json_agg(period ORDER BY seq) FROM budget_periods WHERE pledge_id = p.id),
        'sources', (SELECT json_object_agg(s.source, json_build_object(
                        'prior', s.prior,
                        'amounts', (SELECT json_object_agg(a.period, json_build_object(
                                        'secured', a.secured, 'executed', a.executed, 'planned', a.planned)
                                        ORDER BY a.seq)
                                    FROM budget_amounts a WHERE a.pledge_id = p.id AND a.source = s.source))
                        ORDER BY s.seq)
                    FROM budget_sources s WHERE s.pledge_id = p.id)),
    'indicator_sets', (SELECT json_agg(json_build_object(
            'periods', (SELECT json_agg(period ORDER BY seq) FROM indicator_set_periods sp
                        WHERE sp.pledge_id = p.id AND sp.set_seq = s.seq),
            'basis', s.basis,
            'change_reason', s.change_reason,
            'indicators', (SELECT json_agg(json_build_object(
                    'name', i.name, 'unit', i.unit,
                    'targets', (SELECT json_object_agg(v.period, coalesce(to_json(v.num), to_json(v.txt)) ORDER BY v.seq)
                                FROM indicator_values v WHERE v.pledge_id = p.id AND v.set_seq = s.seq
                                AND v.ind_seq = i.seq AND v.kind = 'target'),
                    'actuals', (SELECT json_object_agg(v.period, coalesce(to_json(v.num), to_json(v.txt)) ORDER BY v.seq)
                                FROM indicator_values v WHERE v.pledge_id = p.id AND v.set_seq = s.seq
                                AND v.ind_seq = i.seq AND v.kind = 'actual')) ORDER BY i.seq)
                FROM indicators i WHERE i.pledge_id = p.id AND i.set_seq = s.seq),
            'cumulative_progress', (SELECT json_object_agg(c.period, json_build_object(
                    'target', c.target, 'current', c.current) ORDER BY c.seq)
                FROM cumulative_progress c WHERE c.pledge_id = p.id AND c.set_seq = s.seq)) ORDER BY s.seq)
        FROM indicator_sets s WHERE s.pledge_id = p.id),
    'progress', json_build_object(
        'from', p.progress_from,
        'to', to_char(p.progress_to, 'YYYY-MM-DD'),
        'by_indicator', (SELECT json_agg(json_build_object(
                'indicator', g.indicator,
                'activities', (SELECT json_agg(json_build_object(
                        'title', a.title,
                        'items', (SELECT json_agg(yk_item_json(it.label, it.text, it.date, it.until, it.dates, it.note,
                                    (SELECT json_agg(yk_item_json(su.label, su.text, su.date, su.until, su.dates,
                                                                  su.note, NULL) ORDER BY su.sub_seq)
                                     FROM activity_items su WHERE su.pledge_id = p.id AND su.group_seq = g.seq
                                     AND su.act_seq = a.seq AND su.seq = it.seq AND su.sub_seq > 0)) ORDER BY it.seq)
                                  FROM activity_items it WHERE it.pledge_id = p.id AND it.group_seq = g.seq
                                  AND it.act_seq = a.seq AND it.sub_seq = 0)) ORDER BY a.seq)
                    FROM activities a WHERE a.pledge_id = p.id AND a.group_seq = g.seq)) ORDER BY g.seq)
            FROM progress_groups g WHERE g.pledge_id = p.id)),
    'changes', (SELECT json_agg(json_build_object('date', to_char(date, 'YYYY-MM-DD'), 'item', item,
                                                  'before', before, 'after', after, 'reason', reason) ORDER BY seq)
                FROM changes WHERE pledge_id = p.id),
    'evaluations', (SELECT json_agg(json_build_object(
            'round', e.round, 'committee', e.committee, 'suggestion', e.suggestion,
            'actions', (SELECT json_agg(json_build_object(
                    'text', a.text,
                    'items', (SELECT json_agg(yk_item_json(it.label, it.text, it.date, it.until, it.dates, it.note,
                                (SELECT json_agg(yk_item_json(su.label, su.text, su.date, su.until, su.dates,
                                                              su.note, NULL) ORDER BY su.sub_seq)
                                 FROM evaluation_action_items su WHERE su.pledge_id = p.id AND su.eval_seq = e.seq
                                 AND su.act_seq = a.seq AND su.seq = it.seq AND su.sub_seq > 0)) ORDER BY it.seq)
                              FROM evaluation_action_items it WHERE it.pledge_id = p.id AND it.eval_seq = e.seq
                              AND it.act_seq = a.seq AND it.sub_seq = 0)) ORDER BY a.seq)
                FROM evaluation_actions a WHERE a.pledge_id = p.id AND a.eval_seq = e.seq)) ORDER BY e.seq)
        FROM evaluations e WHERE e.pledge_id = p.id),
    'problems', (SELECT json_agg(json_build_object('problem', problem, 'countermeasure', countermeasure) ORDER BY seq)
                 FROM problems WHERE pledge_id = p.id),
    'plans', (SELECT json_agg(json_build_object('text', text, 'from', from_month, 'to', to_month, 'done', done)
                              ORDER BY seq)
              FROM plans WHERE pledge_id = p.id),
    'officials', (SELECT json_agg(json_build_object('department', department, 'position', position, 'name', name,
                                                    'phone', phone) ORDER BY seq)
                  FROM officials WHERE pledge_id = p.id)))
FROM pledges p JOIN departments d ON d.id = p.department_id
WHERE p.id = pid
);
END $f$;

-- Two helpers every write calls, likewise planned once per session; the
-- same statements, so the same results (and the same hashes).
CREATE OR REPLACE FUNCTION yk_idem_end(ctx json, result json) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE idempotency_keys SET result = yk_idem_end.result
    WHERE account_id = (ctx ->> 'account_id')::bigint AND key = ctx ->> 'idem_key';
END $$;

CREATE OR REPLACE FUNCTION yk_audit_text(a audit_log) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN (SELECT string_agg(coalesce(length(f)::text || ':' || f, '-'), '|' ORDER BY n)
            FROM unnest(ARRAY[a.id::text, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                              a.account_id::text, a.login, a.peer, a.request_id, a.op, a.pledge_code, a.outcome,
                              a.status, a.message, a.version::text, a.before::text, a.after::text])
                 WITH ORDINALITY AS x(f, n));
END $$;

-- One item added to section 4 under the heading `indicator` and the activity
-- `activity` (created when missing; NULL: the heading's last activity), as
-- the daemon checked it.  Same locks, version check and idempotency as
-- yk_pledge_apply; progress is no guarded field.  `session`, when given, is
-- the token hash of a session the daemon knows only from its cache, confirmed
-- here; a repeated idempotency key gets its first answer here.  The audit
-- row is left to the caller (yk_progress_add), with the new version and the
-- two documents returned here (NULL for a replay).
CREATE FUNCTION yk_progress_item(ctx json, code text, indicator text, activity text, item jsonb,
                                 expected_version bigint, writer_department bigint, session bytea,
                                 OUT result json, OUT new_version bigint, OUT doc_before json,
                                 OUT doc_after json)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    v_result json;
    v_id bigint;
    v_cur bigint;
    v_dept bigint;
    v_new bigint;
    v_before_json json;
    v_after_json json;
    v_before jsonb;
    v_after jsonb;
    v_stamp jsonb;
    g int;
    a int;
    n int;
    path text[];
BEGIN
    IF session IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.token_hash = session AND s.expires_at > now()) THEN
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
    v_before := v_before_json::jsonb;
    v_after := v_before;

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
    IF g IS NULL THEN
        SELECT coalesce(max(pg.seq), 0) + 1 INTO g FROM progress_groups pg WHERE pg.pledge_id = v_id;
        INSERT INTO progress_groups (pledge_id, seq, indicator) VALUES (v_id, g, indicator);
        v_after := jsonb_set(v_after, '{progress}', coalesce(v_after -> 'progress', '{}') || jsonb_build_object(
            'by_indicator', coalesce(v_after #> '{progress,by_indicator}', '[]') || jsonb_build_array(
                jsonb_build_object('indicator', indicator))));
    END IF;
    path := ARRAY['progress', 'by_indicator', (g - 1)::text, 'activities'];
    IF activity IS NOT NULL THEN
        SELECT max(x.seq) INTO a FROM activities x WHERE x.pledge_id = v_id AND x.group_seq = g AND x.title = activity;
    END IF;
    IF a IS NULL THEN
        SELECT coalesce(max(x.seq), 0) + 1 INTO a FROM activities x WHERE x.pledge_id = v_id AND x.group_seq = g;
        INSERT INTO activities (pledge_id, group_seq, seq, title) VALUES (v_id, g, a, activity);
        v_after := jsonb_set(v_after, path, coalesce(v_after #> path, '[]') || jsonb_build_array(
            jsonb_build_object('title', activity)));
    END IF;
    SELECT coalesce(max(i.seq), 0) + 1 INTO n FROM activity_items i
    WHERE i.pledge_id = v_id AND i.group_seq = g AND i.act_seq = a AND i.sub_seq = 0;
    INSERT INTO activity_items (pledge_id, group_seq, act_seq, seq, sub_seq, label, text, date, until, dates, note)
    VALUES (v_id, g, a, n, 0, item ->> 'label', item ->> 'text', item ->> 'date', item ->> 'until', NULL,
            item ->> 'note');
    path := path || ARRAY[(a - 1)::text, 'items'];
    v_after := jsonb_set(v_after, path, coalesce(v_after #> path, '[]') || jsonb_build_array(
        jsonb_strip_nulls(jsonb_build_object('label', item ->> 'label', 'text', item ->> 'text',
                                             'date', item ->> 'date', 'until', item ->> 'until',
                                             'note', item ->> 'note'))));

    v_new := v_cur + 1;
    UPDATE pledges p SET version = v_new, updated_at = now(), updated_by = (ctx ->> 'account_id')::bigint
    WHERE p.id = v_id;
    v_stamp := jsonb_build_object(
        'version', v_new,
        'updated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'updated_by', (SELECT ac.login FROM accounts ac WHERE ac.id = (ctx ->> 'account_id')::bigint));
    v_after := v_after || v_stamp;
    v_after_json := v_after::json;
    INSERT INTO pledge_versions (pledge_id, version, document, changed_by)
    VALUES (v_id, v_new, v_after_json, (ctx ->> 'account_id')::bigint);

    -- where the item went and the new stamp, so that a daemon holding the
    -- previous version built can add the item to it instead of building again
    v_result := (v_stamp || jsonb_build_object('code', code, 'created', false, 'group', g, 'activity', a))::json;
    PERFORM yk_idem_end(ctx, v_result);
    result := v_result;
    new_version := v_new;
    doc_before := v_before_json;
    doc_after := v_after_json;
END $$;

-- Group commit: the progress items that reached the daemon while the pool was
-- busy, in one transaction.  Each item in its own subtransaction, so each
-- succeeds or fails on its own (reqs: an array of yk_progress_item's
-- arguments as objects, sorted by code so that concurrent groups lock pledges
-- in one order); the audit rows of those that succeeded are appended last,
-- so the chain's lock is taken once, by a transaction that waits for no row
-- after it.  Returns, in order, {"result": ...} or {"error": {state, message,
-- column, constraint, datatype}} for each.  The daemon acknowledges none
-- before the commit.
CREATE FUNCTION yk_progress_add(reqs json) RETURNS json
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    q jsonb;
    res json;
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
    st text;
    msg text;
    col text;
    con text;
    typ text;
BEGIN
    FOR q IN SELECT x FROM jsonb_array_elements(reqs::jsonb) AS x LOOP
        BEGIN
            SELECT i.result, i.new_version, i.doc_before, i.doc_after INTO res, ver, b, a
            FROM yk_progress_item((q -> 'ctx')::json, q ->> 'code', q ->> 'indicator', q ->> 'activity', q -> 'item',
                                  (q ->> 'expected_version')::bigint, (q ->> 'writer_department')::bigint,
                                  decode(q ->> 'session', 'hex')) AS i;
            outs := outs || json_build_object('result', res);
            IF ver IS NOT NULL THEN
                ctxs := ctxs || (q -> 'ctx')::json;
                codes := codes || (q ->> 'code');
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
        PERFORM yk_audit_append(ctxs[n], codes[n], 'accepted', 'OK', NULL, versions[n], befores[n], afters[n]);
    END LOOP;
    RETURN array_to_json(outs);
END $$;

-- Every write stores the new version's document and the audit row's two
-- documents; pglz compressing them was the largest single cost of a write in
-- PostgreSQL.  lz4 does it several times faster (new values only; where the
-- server was built without lz4, pglz stays).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE pledge_versions ALTER COLUMN document SET COMPRESSION lz4;
        ALTER TABLE audit_log ALTER COLUMN before SET COMPRESSION lz4, ALTER COLUMN after SET COMPRESSION lz4;
    END IF;
END $$;

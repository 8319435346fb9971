-- Writing and reading a whole pledge document.  The daemon sends the document
-- as json (json, not jsonb: it keeps the order of map keys) and gets it back the
-- same way; one function call is one statement, so a write is one transaction
-- and a read sees one snapshot: no reader ever sees half of an apply.
--
-- Errors raised here carry their own SQLSTATEs, which the daemon maps to
-- protocol statuses (server/sqlerr.c):
--   YK404  pledge to update does not exist        -> NOT_FOUND
--   YK409  stored version differs                 -> FAILED_PRECONDITION
--   YK410  code exists and no version was given   -> ALREADY_EXISTS
--   YK422  a reference (department, parent) is unknown -> INVALID_ARGUMENT
--   YK403  the account may not write this pledge  -> PERMISSION_DENIED

CREATE FUNCTION yk_value_num(v json) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN json_typeof(v) = 'number' THEN (v #>> '{}')::numeric END
$$;

CREATE FUNCTION yk_value_txt(v json) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN json_typeof(v) = 'string' THEN v #>> '{}' END
$$;

CREATE FUNCTION yk_json_dates(v json) RETURNS date[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN NULL
                ELSE ARRAY(SELECT d::date FROM json_array_elements_text(v) AS x(d)) END
$$;

-- Write the rows of every section of `doc` for pledge `pid` (which has none).
CREATE FUNCTION yk_pledge_write_sections(pid bigint, doc json) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pledge_contents (pledge_id, seq, text)
    SELECT pid, o, t FROM json_array_elements_text(doc -> 'overview' -> 'contents') WITH ORDINALITY AS x(t, o);

    INSERT INTO budget_periods (pledge_id, seq, period)
    SELECT pid, o, p FROM json_array_elements_text(doc -> 'budget' -> 'periods') WITH ORDINALITY AS x(p, o);

    INSERT INTO budget_sources (pledge_id, source, seq, prior)
    SELECT pid, s.key, s.o, (s.value ->> 'prior')::numeric
    FROM json_each(doc -> 'budget' -> 'sources') WITH ORDINALITY AS s(key, value, o);

    INSERT INTO budget_amounts (pledge_id, source, period, seq, secured, executed, planned)
    SELECT pid, s.key, a.key, a.o, (a.value ->> 'secured')::numeric, (a.value ->> 'executed')::numeric,
           (a.value ->> 'planned')::numeric
    FROM json_each(doc -> 'budget' -> 'sources') AS s(key, value),
         json_each(s.value -> 'amounts') WITH ORDINALITY AS a(key, value, o);

    INSERT INTO indicator_sets (pledge_id, seq, basis, change_reason)
    SELECT pid, o, v ->> 'basis', v ->> 'change_reason'
    FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS x(v, o);

    INSERT INTO indicator_set_periods (pledge_id, set_seq, seq, period)
    SELECT pid, s.o, p.o, p.p
    FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
         json_array_elements_text(s.v -> 'periods') WITH ORDINALITY AS p(p, o);

    INSERT INTO indicators (pledge_id, set_seq, seq, name, unit)
    SELECT pid, s.o, i.o, i.v ->> 'name', i.v ->> 'unit'
    FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
         json_array_elements(s.v -> 'indicators') WITH ORDINALITY AS i(v, o);

    INSERT INTO indicator_values (pledge_id, set_seq, ind_seq, kind, period, seq, num, txt)
    SELECT pid, s.o, i.o, k.kind, c.key, c.o, yk_value_num(c.value), yk_value_txt(c.value)
    FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
         json_array_elements(s.v -> 'indicators') WITH ORDINALITY AS i(v, o),
         (VALUES ('target', 'targets'), ('actual', 'actuals')) AS k(kind, field),
         json_each(i.v -> k.field) WITH ORDINALITY AS c(key, value, o);

    INSERT INTO cumulative_progress (pledge_id, set_seq, period, seq, target, current)
    SELECT pid, s.o, c.key, c.o, (c.value ->> 'target')::numeric, (c.value ->> 'current')::numeric
    FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
         json_each(s.v -> 'cumulative_progress') WITH ORDINALITY AS c(key, value, o);

    INSERT INTO progress_groups (pledge_id, seq, indicator)
    SELECT pid, o, v ->> 'indicator'
    FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS x(v, o);

    INSERT INTO activities (pledge_id, group_seq, seq, title)
    SELECT pid, g.o, a.o, a.v ->> 'title'
    FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
         json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o);

    INSERT INTO activity_items (pledge_id, group_seq, act_seq, seq, sub_seq, label, text, date, until, dates, note)
    SELECT pid, g.o, a.o, i.o, 0, i.v ->> 'label', i.v ->> 'text', i.v ->> 'date', i.v ->> 'until',
           yk_json_dates(i.v -> 'dates'), i.v ->> 'note'
    FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
         json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o),
         json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o);

    INSERT INTO activity_items (pledge_id, group_seq, act_seq, seq, sub_seq, label, text, date, until, dates, note)
    SELECT pid, g.o, a.o, i.o, s.o, s.v ->> 'label', s.v ->> 'text', s.v ->> 'date', s.v ->> 'until',
           yk_json_dates(s.v -> 'dates'), s.v ->> 'note'
    FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
         json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o),
         json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o),
         json_array_elements(i.v -> 'items') WITH ORDINALITY AS s(v, o);

    INSERT INTO changes (pledge_id, seq, date, item, before, after, reason)
    SELECT pid, o, (v ->> 'date')::date, v ->> 'item', v ->> 'before', v ->> 'after', v ->> 'reason'
    FROM json_array_elements(doc -> 'changes') WITH ORDINALITY AS x(v, o);

    INSERT INTO evaluations (pledge_id, seq, round, committee, suggestion)
    SELECT pid, o, v ->> 'round', v ->> 'committee', v ->> 'suggestion'
    FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS x(v, o);

    INSERT INTO evaluation_actions (pledge_id, eval_seq, seq, text)
    SELECT pid, e.o, a.o, a.v ->> 'text'
    FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
         json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o);

    INSERT INTO evaluation_action_items (pledge_id, eval_seq, act_seq, seq, sub_seq, label, text, date, until,
                                         dates, note)
    SELECT pid, e.o, a.o, i.o, 0, i.v ->> 'label', i.v ->> 'text', i.v ->> 'date', i.v ->> 'until',
           yk_json_dates(i.v -> 'dates'), i.v ->> 'note'
    FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
         json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o),
         json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o);

    INSERT INTO evaluation_action_items (pledge_id, eval_seq, act_seq, seq, sub_seq, label, text, date, until,
                                         dates, note)
    SELECT pid, e.o, a.o, i.o, s.o, s.v ->> 'label', s.v ->> 'text', s.v ->> 'date', s.v ->> 'until',
           yk_json_dates(s.v -> 'dates'), s.v ->> 'note'
    FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
         json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o),
         json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o),
         json_array_elements(i.v -> 'items') WITH ORDINALITY AS s(v, o);

    INSERT INTO problems (pledge_id, seq, problem, countermeasure)
    SELECT pid, o, v ->> 'problem', v ->> 'countermeasure'
    FROM json_array_elements(doc -> 'problems') WITH ORDINALITY AS x(v, o);

    INSERT INTO plans (pledge_id, seq, text, from_month, to_month, done)
    SELECT pid, o, v ->> 'text', v ->> 'from', v ->> 'to', (v ->> 'done')::boolean
    FROM json_array_elements(doc -> 'plans') WITH ORDINALITY AS x(v, o);

    INSERT INTO officials (pledge_id, seq, department, position, name, phone)
    SELECT pid, o, v ->> 'department', v ->> 'position', v ->> 'name', v ->> 'phone'
    FROM json_array_elements(doc -> 'officials') WITH ORDINALITY AS x(v, o);
END $$;

CREATE FUNCTION yk_item_json(label text, txt text, dt text, until text, dates date[], note text, sub json)
RETURNS json LANGUAGE sql IMMUTABLE AS $$
    SELECT json_strip_nulls(json_build_object(
        'label', label, 'text', txt, 'date', dt, 'until', until,
        'dates', (SELECT json_agg(to_char(d, 'YYYY-MM-DD') ORDER BY o) FROM unnest(dates) WITH ORDINALITY AS x(d, o)),
        'note', note, 'items', sub))
$$;

-- The whole document of one pledge, read-only fields included, keys in the
-- spec's order.  Absent values are left out (json_strip_nulls).
CREATE FUNCTION yk_pledge_document(pid bigint) RETURNS json
LANGUAGE sql STABLE AS $$
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
$$;

-- Create or replace one pledge from its document, in one transaction.
--   expected_version: NULL to create (or to overwrite when `force`)
--   writer_department: NULL when the account may write any department's
--     pledges; otherwise the only department it may write (old and new).
CREATE FUNCTION yk_pledge_apply(doc json, actor bigint, expected_version bigint, force boolean,
                                writer_department bigint)
RETURNS TABLE (code text, version bigint, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_code text := doc ->> 'code';
    v_dept bigint;
    v_id bigint;
    v_cur bigint;
    v_cur_dept bigint;
    v_new bigint;
    v_created boolean := false;
BEGIN
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
        v_new := 1;
        v_created := true;
        INSERT INTO pledges (code, version, title, department_id, status, progress_pct, updated_by)
        VALUES (v_code, 1, doc ->> 'title', v_dept, doc ->> 'status', (doc ->> 'progress_pct')::numeric, actor)
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
        updated_by = actor
    WHERE p.id = v_id;

    PERFORM yk_pledge_write_sections(v_id, doc);

    INSERT INTO pledge_versions (pledge_id, version, document, changed_by)
    VALUES (v_id, v_new, yk_pledge_document(v_id), actor);

    RETURN QUERY SELECT v_code, v_new, v_created;
END $$;

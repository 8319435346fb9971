-- Quick updates change one section: rewrite only the tables of the sections a
-- write names (all of them when it names none, as a whole-document apply
-- does), and take the "before" document from the stored current version
-- instead of assembling it again.  A write is otherwise as in 0004.

-- Write the rows of the listed sections (all when NULL) of `doc` for pledge
-- `pid`, which has none of them.
CREATE FUNCTION yk_pledge_write_sections(pid bigint, doc json, sections text[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF sections IS NULL OR 'overview' = ANY (sections) THEN
        INSERT INTO pledge_contents (pledge_id, seq, text)
            SELECT pid, o, t FROM json_array_elements_text(doc -> 'overview' -> 'contents') WITH ORDINALITY AS x(t, o);
    END IF;

    IF sections IS NULL OR 'budget' = ANY (sections) THEN
        INSERT INTO budget_periods (pledge_id, seq, period)
            SELECT pid, o, p FROM json_array_elements_text(doc -> 'budget' -> 'periods') WITH ORDINALITY AS x(p, o);
    END IF;

    IF sections IS NULL OR 'budget' = ANY (sections) THEN
        INSERT INTO budget_sources (pledge_id, source, seq, prior)
            SELECT pid, s.key, s.o, (s.value ->> 'prior')::numeric
            FROM json_each(doc -> 'budget' -> 'sources') WITH ORDINALITY AS s(key, value, o);
    END IF;

    IF sections IS NULL OR 'budget' = ANY (sections) THEN
        INSERT INTO budget_amounts (pledge_id, source, period, seq, secured, executed, planned)
            SELECT pid, s.key, a.key, a.o, (a.value ->> 'secured')::numeric, (a.value ->> 'executed')::numeric,
                   (a.value ->> 'planned')::numeric
            FROM json_each(doc -> 'budget' -> 'sources') AS s(key, value),
                 json_each(s.value -> 'amounts') WITH ORDINALITY AS a(key, value, o);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        INSERT INTO indicator_sets (pledge_id, seq, basis, change_reason)
            SELECT pid, o, v ->> 'basis', v ->> 'change_reason'
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS x(v, o);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        INSERT INTO indicator_set_periods (pledge_id, set_seq, seq, period)
            SELECT pid, s.o, p.o, p.p
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
                 json_array_elements_text(s.v -> 'periods') WITH ORDINALITY AS p(p, o);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        INSERT INTO indicators (pledge_id, set_seq, seq, name, unit)
            SELECT pid, s.o, i.o, i.v ->> 'name', i.v ->> 'unit'
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
                 json_array_elements(s.v -> 'indicators') WITH ORDINALITY AS i(v, o);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        INSERT INTO indicator_values (pledge_id, set_seq, ind_seq, kind, period, seq, num, txt)
            SELECT pid, s.o, i.o, k.kind, c.key, c.o, yk_value_num(c.value), yk_value_txt(c.value)
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
                 json_array_elements(s.v -> 'indicators') WITH ORDINALITY AS i(v, o),
                 (VALUES ('target', 'targets'), ('actual', 'actuals')) AS k(kind, field),
                 json_each(i.v -> k.field) WITH ORDINALITY AS c(key, value, o);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        INSERT INTO cumulative_progress (pledge_id, set_seq, period, seq, target, current)
            SELECT pid, s.o, c.key, c.o, (c.value ->> 'target')::numeric, (c.value ->> 'current')::numeric
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
                 json_each(s.v -> 'cumulative_progress') WITH ORDINALITY AS c(key, value, o);
    END IF;

    IF sections IS NULL OR 'progress' = ANY (sections) THEN
        INSERT INTO progress_groups (pledge_id, seq, indicator)
            SELECT pid, o, v ->> 'indicator'
            FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS x(v, o);
    END IF;

    IF sections IS NULL OR 'progress' = ANY (sections) THEN
        INSERT INTO activities (pledge_id, group_seq, seq, title)
            SELECT pid, g.o, a.o, a.v ->> 'title'
            FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
                 json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o);
    END IF;

    IF sections IS NULL OR 'progress' = ANY (sections) THEN
        INSERT INTO activity_items (pledge_id, group_seq, act_seq, seq, sub_seq, label, text, date, until, dates, note)
            SELECT pid, g.o, a.o, i.o, 0, i.v ->> 'label', i.v ->> 'text', i.v ->> 'date', i.v ->> 'until',
                   yk_json_dates(i.v -> 'dates'), i.v ->> 'note'
            FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
                 json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o),
                 json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o);
    END IF;

    IF sections IS NULL OR 'progress' = ANY (sections) THEN
        INSERT INTO activity_items (pledge_id, group_seq, act_seq, seq, sub_seq, label, text, date, until, dates, note)
            SELECT pid, g.o, a.o, i.o, s.o, s.v ->> 'label', s.v ->> 'text', s.v ->> 'date', s.v ->> 'until',
                   yk_json_dates(s.v -> 'dates'), s.v ->> 'note'
            FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
                 json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o),
                 json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o),
                 json_array_elements(i.v -> 'items') WITH ORDINALITY AS s(v, o);
    END IF;

    IF sections IS NULL OR 'changes' = ANY (sections) THEN
        INSERT INTO changes (pledge_id, seq, date, item, before, after, reason)
            SELECT pid, o, (v ->> 'date')::date, v ->> 'item', v ->> 'before', v ->> 'after', v ->> 'reason'
            FROM json_array_elements(doc -> 'changes') WITH ORDINALITY AS x(v, o);
    END IF;

    IF sections IS NULL OR 'evaluations' = ANY (sections) THEN
        INSERT INTO evaluations (pledge_id, seq, round, committee, suggestion)
            SELECT pid, o, v ->> 'round', v ->> 'committee', v ->> 'suggestion'
            FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS x(v, o);
    END IF;

    IF sections IS NULL OR 'evaluations' = ANY (sections) THEN
        INSERT INTO evaluation_actions (pledge_id, eval_seq, seq, text)
            SELECT pid, e.o, a.o, a.v ->> 'text'
            FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
                 json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o);
    END IF;

    IF sections IS NULL OR 'evaluations' = ANY (sections) THEN
        INSERT INTO evaluation_action_items (pledge_id, eval_seq, act_seq, seq, sub_seq, label, text, date, until,
                                                 dates, note)
            SELECT pid, e.o, a.o, i.o, 0, i.v ->> 'label', i.v ->> 'text', i.v ->> 'date', i.v ->> 'until',
                   yk_json_dates(i.v -> 'dates'), i.v ->> 'note'
            FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
                 json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o),
                 json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o);
    END IF;

    IF sections IS NULL OR 'evaluations' = ANY (sections) THEN
        INSERT INTO evaluation_action_items (pledge_id, eval_seq, act_seq, seq, sub_seq, label, text, date, until,
                                                 dates, note)
            SELECT pid, e.o, a.o, i.o, s.o, s.v ->> 'label', s.v ->> 'text', s.v ->> 'date', s.v ->> 'until',
                   yk_json_dates(s.v -> 'dates'), s.v ->> 'note'
            FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
                 json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o),
                 json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o),
                 json_array_elements(i.v -> 'items') WITH ORDINALITY AS s(v, o);
    END IF;

    IF sections IS NULL OR 'problems' = ANY (sections) THEN
        INSERT INTO problems (pledge_id, seq, problem, countermeasure)
            SELECT pid, o, v ->> 'problem', v ->> 'countermeasure'
            FROM json_array_elements(doc -> 'problems') WITH ORDINALITY AS x(v, o);
    END IF;

    IF sections IS NULL OR 'plans' = ANY (sections) THEN
        INSERT INTO plans (pledge_id, seq, text, from_month, to_month, done)
            SELECT pid, o, v ->> 'text', v ->> 'from', v ->> 'to', (v ->> 'done')::boolean
            FROM json_array_elements(doc -> 'plans') WITH ORDINALITY AS x(v, o);
    END IF;

    IF sections IS NULL OR 'officials' = ANY (sections) THEN
        INSERT INTO officials (pledge_id, seq, department, position, name, phone)
            SELECT pid, o, v ->> 'department', v ->> 'position', v ->> 'name', v ->> 'phone'
            FROM json_array_elements(doc -> 'officials') WITH ORDINALITY AS x(v, o);
    END IF;
END $$;

-- the two-argument form of 0003 has no caller left
DROP FUNCTION yk_pledge_write_sections(bigint, json);
DROP FUNCTION yk_pledge_apply(json, json, bigint, boolean, bigint, boolean);

CREATE FUNCTION yk_pledge_apply(ctx json, doc json, expected_version bigint, force boolean,
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
        IF sections IS NULL OR 'overview' = ANY (sections) THEN
            DELETE FROM pledge_contents WHERE pledge_id = v_id;
        END IF;
        IF sections IS NULL OR 'budget' = ANY (sections) THEN
            DELETE FROM budget_sources WHERE pledge_id = v_id;
            DELETE FROM budget_periods WHERE pledge_id = v_id;
        END IF;
        IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
            DELETE FROM indicator_sets WHERE pledge_id = v_id;
        END IF;
        IF sections IS NULL OR 'progress' = ANY (sections) THEN
            DELETE FROM progress_groups WHERE pledge_id = v_id;
        END IF;
        IF sections IS NULL OR 'changes' = ANY (sections) THEN
            DELETE FROM changes WHERE pledge_id = v_id;
        END IF;
        IF sections IS NULL OR 'evaluations' = ANY (sections) THEN
            DELETE FROM evaluations WHERE pledge_id = v_id;
        END IF;
        IF sections IS NULL OR 'problems' = ANY (sections) THEN
            DELETE FROM problems WHERE pledge_id = v_id;
        END IF;
        IF sections IS NULL OR 'plans' = ANY (sections) THEN
            DELETE FROM plans WHERE pledge_id = v_id;
        END IF;
        IF sections IS NULL OR 'officials' = ANY (sections) THEN
            DELETE FROM officials WHERE pledge_id = v_id;
        END IF;
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
    PERFORM yk_audit_append(ctx, v_code, 'accepted', 'OK', NULL, v_new, v_before, v_after);
    RETURN v_result;
END $$;

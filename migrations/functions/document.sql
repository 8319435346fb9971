-- The pledge document's shape, in one place: rows -> JSON
-- (yk_pledge_document; section 4 level by level with yk_doc_progress,
-- yk_doc_group, yk_doc_activity and yk_item_json, which the progress fast path
-- uses too) and JSON -> rows (yk_pledge_write_sections).
-- The daemon sends documents as json (not jsonb: it keeps the order of map
-- keys) and gets them back the same way.

CREATE OR REPLACE FUNCTION yk_value_num(v json) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN json_typeof(v) = 'number' THEN (v #>> '{}')::numeric END
$$;

CREATE OR REPLACE FUNCTION yk_value_txt(v json) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN json_typeof(v) = 'string' THEN v #>> '{}' END
$$;

CREATE OR REPLACE FUNCTION yk_json_dates(v json) RETURNS date[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN NULL
                ELSE ARRAY(SELECT d::date FROM json_array_elements_text(v) AS x(d)) END
$$;

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
    'updated_at', yk_utc(p.updated_at),
    'updated_by', (SELECT login FROM accounts WHERE id = p.updated_by),
    'overview', json_build_object(
        'period', json_build_object('start', p.overview_start, 'end', p.overview_end,
                                    'end_null', CASE WHEN p.overview_end_null THEN true END),
        'target', p.overview_target,
        'contents', (SELECT json_agg(text ORDER BY seq) FROM pledge_contents WHERE pledge_id = p.id)),
    'budget', yk_doc_budget(p.id),
    'indicator_sets', yk_doc_indicator_sets(p.id),
    'progress', yk_doc_progress(p.id),
    'changes', yk_doc_changes(p.id),
    'evaluations', yk_doc_evaluations(p.id),
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

-- `doc` with the top-level keys of `parts` put in: each in its place, a new
-- one at the end, one whose value is null taken out.  In json, not jsonb:
-- every other section keeps its text, and so its maps their order (budget
-- sources and periods are in the card's order; jsonb would sort them).  The
-- quick updates' fast paths (functions/progress.sql) make a new version
-- with it from the previous one and the sections they built again.
-- PL/pgSQL, so that its query is planned once per session, not at each call.
CREATE OR REPLACE FUNCTION yk_doc_with(doc json, parts json) RETURNS json
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN (SELECT json_object_agg(x.k, x.v ORDER BY x.o)
            FROM (SELECT coalesce(d.k, p.k) AS k, CASE WHEN p.k IS NULL THEN d.v ELSE p.v END AS v,
                         coalesce(d.o, 1000000 + p.o) AS o
                  FROM json_each(doc) WITH ORDINALITY AS d(k, v, o)
                       FULL JOIN json_each(parts) WITH ORDINALITY AS p(k, v, o) ON p.k = d.k) x
            WHERE json_typeof(x.v) <> 'null');
END $$;

-- The sections' builders below run under their callers' `jit = off`
-- (yk_pledge_document, yk_progress_add), without a SET clause of their own.

-- Section 3 (성과지표), every set of pledge `pid`, as it appears in the
-- document: yk_pledge_document builds it with this, and a quick update of one
-- cell (functions/progress.sql) builds the section again with it instead of
-- the whole document.
CREATE OR REPLACE FUNCTION yk_doc_indicator_sets(pid bigint) RETURNS json
LANGUAGE plpgsql STABLE AS $f$
BEGIN
RETURN (SELECT json_agg(json_build_object(
        'periods', (SELECT json_agg(period ORDER BY seq) FROM indicator_set_periods sp
                    WHERE sp.pledge_id = pid AND sp.set_seq = s.seq),
        'basis', s.basis,
        'change_reason', s.change_reason,
        'indicators', (SELECT json_agg(json_build_object(
                'name', i.name, 'unit', i.unit,
                'targets', (SELECT json_object_agg(v.period, coalesce(to_json(v.num), to_json(v.txt)) ORDER BY v.seq)
                            FROM indicator_values v WHERE v.pledge_id = pid AND v.set_seq = s.seq
                            AND v.ind_seq = i.seq AND v.kind = 'target'),
                'actuals', (SELECT json_object_agg(v.period, coalesce(to_json(v.num), to_json(v.txt)) ORDER BY v.seq)
                            FROM indicator_values v WHERE v.pledge_id = pid AND v.set_seq = s.seq
                            AND v.ind_seq = i.seq AND v.kind = 'actual')) ORDER BY i.seq)
            FROM indicators i WHERE i.pledge_id = pid AND i.set_seq = s.seq),
        'cumulative_progress', (SELECT json_object_agg(c.period, json_build_object(
                'target', c.target, 'current', c.current) ORDER BY c.seq)
            FROM cumulative_progress c WHERE c.pledge_id = pid AND c.set_seq = s.seq)) ORDER BY s.seq)
    FROM indicator_sets s WHERE s.pledge_id = pid);
END $f$;

-- Section 5 (사업변경내역) of pledge `pid`: yk_pledge_document builds it with
-- this, and a fast path that records a correction (functions/progress.sql).
CREATE OR REPLACE FUNCTION yk_doc_changes(pid bigint) RETURNS json
LANGUAGE plpgsql STABLE AS $f$
BEGIN
RETURN (SELECT json_agg(json_strip_nulls(json_build_object('date', to_char(date, 'YYYY-MM-DD'), 'item', item,
                                              'before', before, 'after', after, 'reason', reason,
                                              'decided_by', decided_by, 'opinion', opinion, 'votes_for', votes_for,
                                              'votes_against', votes_against, 'votes_abstain', votes_abstain))
                            ORDER BY seq)
            FROM changes WHERE pledge_id = pid);
END $f$;

-- Section 2 (예산) of pledge `pid`: yk_pledge_document builds it with this,
-- and a quick update of one cell (functions/progress.sql).
CREATE OR REPLACE FUNCTION yk_doc_budget(pid bigint) RETURNS json
LANGUAGE plpgsql STABLE AS $f$
BEGIN
RETURN (SELECT json_build_object(
    'unit', p.budget_unit,
    'periods', (SELECT json_agg(period ORDER BY seq) FROM budget_periods WHERE pledge_id = pid),
    'sources', (SELECT json_object_agg(s.source, json_build_object(
                    'prior', s.prior,
                    'amounts', (SELECT json_object_agg(a.period, json_build_object(
                                    'secured', a.secured, 'executed', a.executed, 'planned', a.planned)
                                    ORDER BY a.seq)
                                FROM budget_amounts a WHERE a.pledge_id = pid AND a.source = s.source))
                    ORDER BY s.seq)
                FROM budget_sources s WHERE s.pledge_id = pid))
    FROM pledges p WHERE p.id = pid);
END $f$;

-- Section 6 (평가 건의사항) of pledge `pid`: yk_pledge_document builds it
-- with this, and a suggestion or an answer added (functions/progress.sql).
CREATE OR REPLACE FUNCTION yk_doc_evaluations(pid bigint) RETURNS json
LANGUAGE plpgsql STABLE AS $f$
BEGIN
RETURN (SELECT json_agg(json_build_object(
        'round', e.round, 'committee', e.committee, 'suggestion', e.suggestion,
        'actions', (SELECT json_agg(json_build_object(
                'text', a.text,
                'items', (SELECT json_agg(yk_item_json(it.label, it.text, it.date, it.until, it.dates, it.note,
                            (SELECT json_agg(yk_item_json(su.label, su.text, su.date, su.until, su.dates,
                                                          su.note, NULL) ORDER BY su.sub_seq)
                             FROM evaluation_action_items su WHERE su.pledge_id = pid AND su.eval_seq = e.seq
                             AND su.act_seq = a.seq AND su.seq = it.seq AND su.sub_seq > 0)) ORDER BY it.seq)
                          FROM evaluation_action_items it WHERE it.pledge_id = pid AND it.eval_seq = e.seq
                          AND it.act_seq = a.seq AND it.sub_seq = 0)) ORDER BY a.seq)
            FROM evaluation_actions a WHERE a.pledge_id = pid AND a.eval_seq = e.seq)) ORDER BY e.seq)
    FROM evaluations e WHERE e.pledge_id = pid);
END $f$;

-- Section 4 (성과지표별 추진현황) of pledge `pid`, as it appears in the
-- document, built level by level: the section (yk_doc_progress), a heading
-- with its activities (yk_doc_group), an activity with its items
-- (yk_doc_activity), an item (yk_item_json).  yk_pledge_document builds the
-- section with them, and the progress fast path (functions/progress.sql)
-- builds with them just what it adds -- an item, or a new activity or heading
-- -- so each level's shape has one builder.  Nulls are stripped where a
-- document is finished (yk_pledge_document, the fast path), not here.
CREATE OR REPLACE FUNCTION yk_doc_activity(pid bigint, grp int, act int) RETURNS json
LANGUAGE plpgsql STABLE SET jit = off AS $f$
BEGIN
RETURN (
    SELECT json_build_object(
        'title', a.title,
        'items', (SELECT json_agg(yk_item_json(it.label, it.text, it.date, it.until, it.dates, it.note,
                                               (SELECT json_agg(yk_item_json(su.label, su.text, su.date, su.until,
                                                                             su.dates, su.note, NULL)
                                                                ORDER BY su.sub_seq)
                                                FROM activity_items su
                                                WHERE su.pledge_id = pid AND su.group_seq = grp
                                                AND su.act_seq = act AND su.seq = it.seq AND su.sub_seq > 0))
                                  ORDER BY it.seq)
                  FROM activity_items it
                  WHERE it.pledge_id = pid AND it.group_seq = grp AND it.act_seq = act AND it.sub_seq = 0))
    FROM activities a WHERE a.pledge_id = pid AND a.group_seq = grp AND a.seq = act
);
END $f$;

CREATE OR REPLACE FUNCTION yk_doc_group(pid bigint, grp int) RETURNS json
LANGUAGE plpgsql STABLE SET jit = off AS $f$
BEGIN
RETURN (
    SELECT json_build_object(
        'indicator', g.indicator,
        'activities', (SELECT json_agg(yk_doc_activity(pid, grp, a.seq) ORDER BY a.seq)
                       FROM activities a WHERE a.pledge_id = pid AND a.group_seq = grp))
    FROM progress_groups g WHERE g.pledge_id = pid AND g.seq = grp
);
END $f$;

CREATE OR REPLACE FUNCTION yk_doc_progress(pid bigint) RETURNS json
LANGUAGE plpgsql STABLE SET jit = off AS $f$
BEGIN
RETURN (
    SELECT json_build_object(
        'from', p.progress_from,
        'to', to_char(p.progress_to, 'YYYY-MM-DD'),
        'by_indicator', (SELECT json_agg(yk_doc_group(pid, g.seq) ORDER BY g.seq)
                         FROM progress_groups g WHERE g.pledge_id = pid))
    FROM pledges p WHERE p.id = pid
);
END $f$;

-- Write the rows of the listed sections (all when NULL) of `doc` for pledge
-- `pid`, which has none of them.
CREATE OR REPLACE FUNCTION yk_pledge_write_sections(pid bigint, doc json, sections text[]) RETURNS void
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
        INSERT INTO changes (pledge_id, seq, date, item, before, after, reason, decided_by, opinion,
                             votes_for, votes_against, votes_abstain)
            SELECT pid, o, (v ->> 'date')::date, v ->> 'item', v ->> 'before', v ->> 'after', v ->> 'reason',
                   v ->> 'decided_by', v ->> 'opinion', (v ->> 'votes_for')::int, (v ->> 'votes_against')::int,
                   (v ->> 'votes_abstain')::int
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

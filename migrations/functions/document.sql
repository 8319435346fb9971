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

-- `doc` with the top-level keys of `parts`, then of `more`, put in: each in
-- its place, a new one at the end, one whose value is null taken out (a key
-- in both takes `more`'s value).  In json, not jsonb: every other section
-- keeps its text, and so its maps their order (budget sources and periods
-- are in the card's order; jsonb would sort them).  The quick updates' fast
-- paths (functions/progress.sql) make a new version with it from the
-- previous one, the sections they built again and the new stamp.  `more`
-- saves them a merge of their own: each merge parses what it is given,
-- and a section built again is most of a card.
-- PL/pgSQL, so that its query is planned once per session, not at each call.
CREATE OR REPLACE FUNCTION yk_doc_with(doc json, parts json, more json DEFAULT NULL) RETURNS json
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN (SELECT json_object_agg(x.k, x.v ORDER BY x.o)
            FROM (SELECT coalesce(d.k, p.k, m.k) AS k,
                         CASE WHEN m.k IS NOT NULL THEN m.v WHEN p.k IS NOT NULL THEN p.v ELSE d.v END AS v,
                         coalesce(d.o, 1000000 + p.o, 2000000 + m.o) AS o
                  FROM json_each(doc) WITH ORDINALITY AS d(k, v, o)
                       FULL JOIN json_each(parts) WITH ORDINALITY AS p(k, v, o) ON p.k = d.k
                       FULL JOIN json_each(more) WITH ORDINALITY AS m(k, v, o) ON m.k = coalesce(d.k, p.k)) x
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

-- Make the rows of the listed sections (all when NULL) of pledge `pid` the
-- ones `doc` gives them: each table's rows are worked out from the document
-- (r_*), those that differ from every one of them are deleted (with what
-- hangs from them) and those not there yet inserted, so that an applied card
-- with one figure changed writes one row, not its section's hundred.  Rows
-- compare as their text, so that 1.5 and 1.50 differ as the document does.
-- Parents come before their children: a child deleted with a changed parent
-- is inserted again with its own table.  Each table's pair of statements is
-- written out, not made by one EXECUTE for every table: static statements
-- are planned once per session, and a card has nineteen tables.
CREATE OR REPLACE FUNCTION yk_pledge_write_sections(pid bigint, doc json, sections text[]) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    r_pledge_contents pledge_contents[];
    r_budget_periods budget_periods[];
    r_budget_sources budget_sources[];
    r_budget_amounts budget_amounts[];
    r_indicator_sets indicator_sets[];
    r_indicator_set_periods indicator_set_periods[];
    r_indicators indicators[];
    r_indicator_values indicator_values[];
    r_cumulative_progress cumulative_progress[];
    r_progress_groups progress_groups[];
    r_activities activities[];
    r_activity_items activity_items[];
    r_changes changes[];
    r_evaluations evaluations[];
    r_evaluation_actions evaluation_actions[];
    r_evaluation_action_items evaluation_action_items[];
    r_problems problems[];
    r_plans plans[];
    r_officials officials[];
BEGIN
    IF sections IS NULL OR 'overview' = ANY (sections) THEN
        r_pledge_contents := ARRAY(SELECT ROW(pid, o,
            t)::pledge_contents FROM json_array_elements_text(doc -> 'overview' -> 'contents') WITH ORDINALITY AS x(t, o));
        DELETE FROM pledge_contents t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_pledge_contents) x);
        INSERT INTO pledge_contents (pledge_id, seq, text)
            SELECT x.pledge_id, x.seq, x.text
            FROM unnest(r_pledge_contents) x
            WHERE NOT EXISTS (SELECT 1 FROM pledge_contents t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'budget' = ANY (sections) THEN
        r_budget_periods := ARRAY(SELECT ROW(pid, o,
            p)::budget_periods FROM json_array_elements_text(doc -> 'budget' -> 'periods') WITH ORDINALITY AS x(p,
            o));
        DELETE FROM budget_periods t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_budget_periods) x);
        INSERT INTO budget_periods (pledge_id, seq, period)
            SELECT x.pledge_id, x.seq, x.period
            FROM unnest(r_budget_periods) x
            WHERE NOT EXISTS (SELECT 1 FROM budget_periods t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'budget' = ANY (sections) THEN
        r_budget_sources := ARRAY(SELECT ROW(pid, s.key, s.o, (s.value ->> 'prior')::numeric)::budget_sources
            FROM json_each(doc -> 'budget' -> 'sources') WITH ORDINALITY AS s(key, value, o));
        DELETE FROM budget_sources t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_budget_sources) x);
        INSERT INTO budget_sources (pledge_id, source, seq, prior)
            SELECT x.pledge_id, x.source, x.seq, x.prior
            FROM unnest(r_budget_sources) x
            WHERE NOT EXISTS (SELECT 1 FROM budget_sources t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'budget' = ANY (sections) THEN
        r_budget_amounts := ARRAY(SELECT ROW(pid, s.key, a.key, a.o, (a.value ->> 'secured')::numeric,
            (a.value ->> 'executed')::numeric,
                   (a.value ->> 'planned')::numeric)::budget_amounts
            FROM json_each(doc -> 'budget' -> 'sources') AS s(key, value),
                 json_each(s.value -> 'amounts') WITH ORDINALITY AS a(key, value, o));
        DELETE FROM budget_amounts t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_budget_amounts) x);
        INSERT INTO budget_amounts (pledge_id, source, period, seq, secured, executed, planned)
            SELECT x.pledge_id, x.source, x.period, x.seq, x.secured, x.executed, x.planned
            FROM unnest(r_budget_amounts) x
            WHERE NOT EXISTS (SELECT 1 FROM budget_amounts t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        r_indicator_sets := ARRAY(SELECT ROW(pid, o, v ->> 'basis', v ->> 'change_reason')::indicator_sets
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS x(v, o));
        DELETE FROM indicator_sets t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_indicator_sets) x);
        INSERT INTO indicator_sets (pledge_id, seq, basis, change_reason)
            SELECT x.pledge_id, x.seq, x.basis, x.change_reason
            FROM unnest(r_indicator_sets) x
            WHERE NOT EXISTS (SELECT 1 FROM indicator_sets t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        r_indicator_set_periods := ARRAY(SELECT ROW(pid, s.o, p.o, p.p)::indicator_set_periods
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
                 json_array_elements_text(s.v -> 'periods') WITH ORDINALITY AS p(p, o));
        DELETE FROM indicator_set_periods t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_indicator_set_periods) x);
        INSERT INTO indicator_set_periods (pledge_id, set_seq, seq, period)
            SELECT x.pledge_id, x.set_seq, x.seq, x.period
            FROM unnest(r_indicator_set_periods) x
            WHERE NOT EXISTS (SELECT 1 FROM indicator_set_periods t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        r_indicators := ARRAY(SELECT ROW(pid, s.o, i.o, i.v ->> 'name', i.v ->> 'unit')::indicators
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
                 json_array_elements(s.v -> 'indicators') WITH ORDINALITY AS i(v, o));
        DELETE FROM indicators t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_indicators) x);
        INSERT INTO indicators (pledge_id, set_seq, seq, name, unit)
            SELECT x.pledge_id, x.set_seq, x.seq, x.name, x.unit
            FROM unnest(r_indicators) x
            WHERE NOT EXISTS (SELECT 1 FROM indicators t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        r_indicator_values := ARRAY(SELECT ROW(pid, s.o, i.o, k.kind, c.key, c.o, yk_value_num(c.value),
            yk_value_txt(c.value))::indicator_values
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
                 json_array_elements(s.v -> 'indicators') WITH ORDINALITY AS i(v, o),
                 (VALUES ('target', 'targets'), ('actual', 'actuals')) AS k(kind, field),
                 json_each(i.v -> k.field) WITH ORDINALITY AS c(key, value, o));
        DELETE FROM indicator_values t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_indicator_values) x);
        INSERT INTO indicator_values (pledge_id, set_seq, ind_seq, kind, period, seq, num, txt)
            SELECT x.pledge_id, x.set_seq, x.ind_seq, x.kind, x.period, x.seq, x.num, x.txt
            FROM unnest(r_indicator_values) x
            WHERE NOT EXISTS (SELECT 1 FROM indicator_values t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'indicator_sets' = ANY (sections) THEN
        r_cumulative_progress := ARRAY(SELECT ROW(pid, s.o, c.key, c.o, (c.value ->> 'target')::numeric,
            (c.value ->> 'current')::numeric)::cumulative_progress
            FROM json_array_elements(doc -> 'indicator_sets') WITH ORDINALITY AS s(v, o),
                 json_each(s.v -> 'cumulative_progress') WITH ORDINALITY AS c(key, value, o));
        DELETE FROM cumulative_progress t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_cumulative_progress) x);
        INSERT INTO cumulative_progress (pledge_id, set_seq, period, seq, target, current)
            SELECT x.pledge_id, x.set_seq, x.period, x.seq, x.target, x.current
            FROM unnest(r_cumulative_progress) x
            WHERE NOT EXISTS (SELECT 1 FROM cumulative_progress t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'progress' = ANY (sections) THEN
        r_progress_groups := ARRAY(SELECT ROW(pid, o, v ->> 'indicator')::progress_groups
            FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS x(v, o));
        DELETE FROM progress_groups t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_progress_groups) x);
        INSERT INTO progress_groups (pledge_id, seq, indicator)
            SELECT x.pledge_id, x.seq, x.indicator
            FROM unnest(r_progress_groups) x
            WHERE NOT EXISTS (SELECT 1 FROM progress_groups t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'progress' = ANY (sections) THEN
        r_activities := ARRAY(SELECT ROW(pid, g.o, a.o, a.v ->> 'title')::activities
            FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
                 json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o));
        DELETE FROM activities t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_activities) x);
        INSERT INTO activities (pledge_id, group_seq, seq, title)
            SELECT x.pledge_id, x.group_seq, x.seq, x.title
            FROM unnest(r_activities) x
            WHERE NOT EXISTS (SELECT 1 FROM activities t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'progress' = ANY (sections) THEN
        r_activity_items := ARRAY(SELECT ROW(pid, g.o, a.o, i.o, 0, NULL, i.v ->> 'label', i.v ->> 'text',
            i.v ->> 'date', i.v ->> 'until',
                   yk_json_dates(i.v -> 'dates'), i.v ->> 'note')::activity_items
            FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
                 json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o),
                 json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o)
            UNION ALL
            SELECT ROW(pid, g.o, a.o, i.o, s.o, 0, s.v ->> 'label', s.v ->> 'text', s.v ->> 'date', s.v ->> 'until',
                   yk_json_dates(s.v -> 'dates'), s.v ->> 'note')::activity_items
            FROM json_array_elements(doc -> 'progress' -> 'by_indicator') WITH ORDINALITY AS g(v, o),
                 json_array_elements(g.v -> 'activities') WITH ORDINALITY AS a(v, o),
                 json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o),
                 json_array_elements(i.v -> 'items') WITH ORDINALITY AS s(v, o));
        DELETE FROM activity_items t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_activity_items) x);
        INSERT INTO activity_items (pledge_id, group_seq, act_seq, seq, sub_seq, label, text, date, until, dates,
            note)
            SELECT x.pledge_id, x.group_seq, x.act_seq, x.seq, x.sub_seq, x.label, x.text, x.date, x.until,
                x.dates, x.note
            FROM unnest(r_activity_items) x
            WHERE NOT EXISTS (SELECT 1 FROM activity_items t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'changes' = ANY (sections) THEN
        r_changes := ARRAY(SELECT ROW(pid, o, (v ->> 'date')::date, v ->> 'item', v ->> 'before', v ->> 'after',
            v ->> 'reason',
                   v ->> 'decided_by', v ->> 'opinion', (v ->> 'votes_for')::int, (v ->> 'votes_against')::int,
                   (v ->> 'votes_abstain')::int)::changes
            FROM json_array_elements(doc -> 'changes') WITH ORDINALITY AS x(v, o));
        DELETE FROM changes t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_changes) x);
        INSERT INTO changes (pledge_id, seq, date, item, before, after, reason, decided_by, opinion, votes_for,
            votes_against, votes_abstain)
            SELECT x.pledge_id, x.seq, x.date, x.item, x.before, x.after, x.reason, x.decided_by, x.opinion,
                x.votes_for, x.votes_against, x.votes_abstain
            FROM unnest(r_changes) x
            WHERE NOT EXISTS (SELECT 1 FROM changes t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'evaluations' = ANY (sections) THEN
        r_evaluations := ARRAY(SELECT ROW(pid, o, v ->> 'round', v ->> 'committee', v ->> 'suggestion')::evaluations
            FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS x(v, o));
        DELETE FROM evaluations t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_evaluations) x);
        INSERT INTO evaluations (pledge_id, seq, round, committee, suggestion)
            SELECT x.pledge_id, x.seq, x.round, x.committee, x.suggestion
            FROM unnest(r_evaluations) x
            WHERE NOT EXISTS (SELECT 1 FROM evaluations t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'evaluations' = ANY (sections) THEN
        r_evaluation_actions := ARRAY(SELECT ROW(pid, e.o, a.o, a.v ->> 'text')::evaluation_actions
            FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
                 json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o));
        DELETE FROM evaluation_actions t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_evaluation_actions) x);
        INSERT INTO evaluation_actions (pledge_id, eval_seq, seq, text)
            SELECT x.pledge_id, x.eval_seq, x.seq, x.text
            FROM unnest(r_evaluation_actions) x
            WHERE NOT EXISTS (SELECT 1 FROM evaluation_actions t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'evaluations' = ANY (sections) THEN
        r_evaluation_action_items := ARRAY(SELECT ROW(pid, e.o, a.o, i.o, 0, NULL, i.v ->> 'label', i.v ->> 'text',
            i.v ->> 'date', i.v ->> 'until',
                   yk_json_dates(i.v -> 'dates'), i.v ->> 'note')::evaluation_action_items
            FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
                 json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o),
                 json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o)
            UNION ALL
            SELECT ROW(pid, e.o, a.o, i.o, s.o, 0, s.v ->> 'label', s.v ->> 'text', s.v ->> 'date', s.v ->> 'until',
                   yk_json_dates(s.v -> 'dates'), s.v ->> 'note')::evaluation_action_items
            FROM json_array_elements(doc -> 'evaluations') WITH ORDINALITY AS e(v, o),
                 json_array_elements(e.v -> 'actions') WITH ORDINALITY AS a(v, o),
                 json_array_elements(a.v -> 'items') WITH ORDINALITY AS i(v, o),
                 json_array_elements(i.v -> 'items') WITH ORDINALITY AS s(v, o));
        DELETE FROM evaluation_action_items t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_evaluation_action_items) x);
        INSERT INTO evaluation_action_items (pledge_id, eval_seq, act_seq, seq, sub_seq, label, text, date, until,
            dates, note)
            SELECT x.pledge_id, x.eval_seq, x.act_seq, x.seq, x.sub_seq, x.label, x.text, x.date, x.until, x.dates,
                x.note
            FROM unnest(r_evaluation_action_items) x
            WHERE NOT EXISTS (SELECT 1 FROM evaluation_action_items t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'problems' = ANY (sections) THEN
        r_problems := ARRAY(SELECT ROW(pid, o, v ->> 'problem', v ->> 'countermeasure')::problems
            FROM json_array_elements(doc -> 'problems') WITH ORDINALITY AS x(v, o));
        DELETE FROM problems t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_problems) x);
        INSERT INTO problems (pledge_id, seq, problem, countermeasure)
            SELECT x.pledge_id, x.seq, x.problem, x.countermeasure
            FROM unnest(r_problems) x
            WHERE NOT EXISTS (SELECT 1 FROM problems t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'plans' = ANY (sections) THEN
        r_plans := ARRAY(SELECT ROW(pid, o, v ->> 'text', v ->> 'from', v ->> 'to', (v ->> 'done')::boolean)::plans
            FROM json_array_elements(doc -> 'plans') WITH ORDINALITY AS x(v, o));
        DELETE FROM plans t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_plans) x);
        INSERT INTO plans (pledge_id, seq, text, from_month, to_month, done)
            SELECT x.pledge_id, x.seq, x.text, x.from_month, x.to_month, x.done
            FROM unnest(r_plans) x
            WHERE NOT EXISTS (SELECT 1 FROM plans t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;

    IF sections IS NULL OR 'officials' = ANY (sections) THEN
        r_officials := ARRAY(SELECT ROW(pid, o, v ->> 'department', v ->> 'position', v ->> 'name',
            v ->> 'phone')::officials
            FROM json_array_elements(doc -> 'officials') WITH ORDINALITY AS x(v, o));
        DELETE FROM officials t
            WHERE t.pledge_id = pid AND t::text NOT IN (SELECT x::text FROM unnest(r_officials) x);
        INSERT INTO officials (pledge_id, seq, department, position, name, phone)
            SELECT x.pledge_id, x.seq, x.department, x.position, x.name, x.phone
            FROM unnest(r_officials) x
            WHERE NOT EXISTS (SELECT 1 FROM officials t WHERE t.pledge_id = pid AND t::text = x::text);
    END IF;
END $$;

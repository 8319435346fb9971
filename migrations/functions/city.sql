-- The city-wide view: which pledges are overdue or lagging, filters over all
-- pledges, and the figures of `yaksok stats`.

-- First day of a period (2019, 2018-H2, 2021-Q3, 2022-07+); NULL for a year
-- PostgreSQL's dates cannot hold (0000, from before the daemon refused it):
-- one such row must not break a city-wide view.  Periods are checked when
-- they are written (server/rules), so their form is told by a character,
-- not a regular expression: stats calls this for every cell of every card.
-- Not STRICT, so that the planner inlines it (a NULL still gives NULL); a
-- call of a function it cannot inline costs some 20 µs.
CREATE OR REPLACE FUNCTION yk_period_start(p text) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN substr(p, 1, 4)::int >= 1 THEN make_date(substr(p, 1, 4)::int,
                     CASE WHEN length(p) = 4 THEN 1
                          WHEN substr(p, 6, 1) = 'H' THEN (substr(p, 7, 1)::int - 1) * 6 + 1
                          WHEN substr(p, 6, 1) = 'Q' THEN (substr(p, 7, 1)::int - 1) * 3 + 1
                          ELSE substr(p, 6, 2)::int END,
                     1) END
$$;

-- Last day of a period; 'infinity' for an open-ended one (2022-07+), which
-- never becomes past; NULL where yk_period_start is.
CREATE OR REPLACE FUNCTION yk_period_end(p text) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN right(p, 1) = '+' THEN 'infinity'::date
                ELSE (yk_period_start(p) + CASE WHEN length(p) = 4 THEN interval '1 year'
                                                WHEN substr(p, 6, 1) = 'H' THEN interval '6 months'
                                                WHEN substr(p, 6, 1) = 'Q' THEN interval '3 months'
                                                ELSE interval '1 month' END - interval '1 day')::date END
$$;

-- The spec's overdue (as in the daemon's derived figures): the month after
-- target_month has begun by as_of (today without one) and the pledge is not
-- completed or dropped.
CREATE OR REPLACE FUNCTION yk_pledge_overdue(p pledges) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p.target_month IS NOT NULL AND substr(p.target_month, 1, 4)::int >= 1
       AND (make_date(substr(p.target_month, 1, 4)::int, substr(p.target_month, 6, 2)::int, 1) + interval '1 month')::date
           <= coalesce(p.as_of, current_date)
       AND p.status NOT IN ('completed', 'completed_ongoing', 'dropped')
$$;

-- Lagging: in the latest period whose cumulative progress has both a target
-- and a current figure, current is below target.  The reason, or NULL.  A
-- completed pledge is never lagging, whatever its last figures said.
CREATE OR REPLACE FUNCTION yk_pledge_lagging(pid bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN c.current < c.target
                THEN format('누적 추진율 %s%% < 목표 %s%% (%s)', c.current, c.target, c.period) END
    FROM cumulative_progress c
    WHERE c.pledge_id = pid AND c.target IS NOT NULL AND c.current IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM pledges p WHERE p.id = pid AND p.status IN ('completed', 'completed_ongoing'))
    ORDER BY yk_period_start(c.period) DESC, c.set_seq DESC
    LIMIT 1
$$;

-- A round's id by its name (NULL for NULL); NOT_FOUND for a name no round has.
CREATE OR REPLACE FUNCTION yk_round_id(round_name text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    rid bigint;
BEGIN
    IF round_name IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT r.id INTO rid FROM rounds r WHERE r.name = round_name;
    IF rid IS NULL THEN
        RAISE EXCEPTION 'no round %', round_name USING ERRCODE = 'YK404';
    END IF;
    RETURN rid;
END $$;

-- What a reader's list shows of an approved card, with what its filters
-- and search need: kept in submissions.summary when the card is approved
-- (yk_review), so that a list reads some 300 bytes per pledge instead of
-- the whole snapshot.  It depends on yk_doc_lagging, here: the statement at
-- the end of this file brings every stored summary to this definition
-- whenever the file is applied (that is, whenever it changed).
CREATE OR REPLACE FUNCTION yk_snapshot_summary(doc jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('code', doc -> 'code', 'title', doc -> 'title', 'department', doc -> 'department',
                              'status', doc -> 'status', 'progress_pct', doc -> 'progress_pct',
                              'target_month', doc -> 'target_month', 'version', doc -> 'version',
                              'updated_at', doc -> 'updated_at', 'area', doc -> 'area', 'as_of', doc -> 'as_of',
                              'lagging', yk_doc_lagging(doc), 'target', doc -> 'overview' -> 'target',
                              'contents', doc -> 'overview' -> 'contents')
$$;

-- What a reader (the viewer role, and what is published) lists: each
-- pledge's latest approved version (or the one approved in the round), the
-- figures of list taken from its summary (overdue by yk_doc_overdue).
-- PL/pgSQL, whose plan a session keeps: as a SQL function it was planned
-- again at every call (2.5 of its 7 ms for a city of 300).
CREATE OR REPLACE FUNCTION yk_reader_list(want_dept text, want_status text, want_area text, want_overdue boolean,
                                          want_lagging boolean, want_search text, sort_by text, round_name text)
RETURNS TABLE (code text, title text, department text, status text, progress_pct numeric, target_month text,
               version bigint, updated_at text, area text, overdue boolean, lagging text, submission text)
LANGUAGE plpgsql STABLE SET jit = off AS $$
#variable_conflict use_column
DECLARE
    rid bigint := yk_round_id(round_name);
BEGIN
    RETURN QUERY
    WITH docs AS (
        -- the version approved in the round, or the latest approved
        SELECT p.code, a.doc
        FROM pledges p
        CROSS JOIN LATERAL (SELECT coalesce(s.summary, yk_snapshot_summary(s.snapshot::jsonb)) AS doc
                            FROM submissions s JOIN rounds r ON r.id = s.round_id
                            WHERE s.pledge_id = p.id AND s.state = 'approved' AND (rid IS NULL OR s.round_id = rid)
                            ORDER BY r.as_of DESC, s.reviewed_at DESC LIMIT 1) a
    ), rows AS (
        SELECT d.code, d.doc ->> 'title' AS title, d.doc ->> 'department' AS department, d.doc ->> 'status' AS status,
               (d.doc ->> 'progress_pct')::numeric AS progress_pct, d.doc ->> 'target_month' AS target_month,
               (d.doc ->> 'version')::bigint AS version, d.doc ->> 'updated_at' AS updated_at, d.doc ->> 'area' AS area,
               yk_doc_overdue(d.doc) AS overdue, d.doc ->> 'lagging' AS lagging,
               d.doc
        FROM docs d
    )
    SELECT r.code, r.title, r.department, r.status, r.progress_pct, r.target_month, r.version, r.updated_at, r.area,
           r.overdue, r.lagging, CASE WHEN round_name IS NOT NULL THEN 'approved' END
    FROM rows r
    WHERE (want_dept IS NULL OR r.department = want_dept)
      AND (want_status IS NULL OR r.status = want_status)
      AND (want_area IS NULL OR r.area = want_area)
      AND (NOT coalesce(want_overdue, false) OR r.overdue)
      AND (NOT coalesce(want_lagging, false) OR r.lagging IS NOT NULL)
      AND (want_search IS NULL
           OR strpos(lower(r.title), lower(want_search)) > 0
           OR strpos(lower(coalesce(r.doc ->> 'target', '')), lower(want_search)) > 0
           OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(r.doc -> 'contents', '[]')) t
                      WHERE strpos(lower(t), lower(want_search)) > 0))
    ORDER BY CASE sort_by WHEN 'title' THEN r.title WHEN 'department' THEN r.department WHEN 'status' THEN r.status
                          WHEN 'target' THEN coalesce(r.target_month, '9999') END,
             CASE WHEN sort_by = 'progress' THEN r.progress_pct END DESC,
             CASE WHEN sort_by = 'updated' THEN r.updated_at END DESC, r.code;
END $$;

-- The pledges a list or export asks for; every argument NULL = no filter.
CREATE OR REPLACE FUNCTION yk_pledge_filter(dept text, status text, area text, overdue boolean, lagging boolean, search text,
                                 round_name text, submission text)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
    rid bigint;
BEGIN
    rid := yk_round_id(round_name);
    RETURN QUERY
    SELECT p.id
    FROM pledges p
    JOIN departments d ON d.id = p.department_id
    LEFT JOIN submissions s ON s.round_id = rid AND s.pledge_id = p.id
    WHERE (dept IS NULL OR d.name = dept)
      AND (yk_pledge_filter.status IS NULL OR p.status = yk_pledge_filter.status)
      AND (yk_pledge_filter.area IS NULL OR p.area = yk_pledge_filter.area)
      AND (NOT coalesce(overdue, false) OR yk_pledge_overdue(p))
      AND (NOT coalesce(lagging, false) OR yk_pledge_lagging(p.id) IS NOT NULL)
      AND (search IS NULL
           OR strpos(lower(p.title), lower(search)) > 0
           OR strpos(lower(coalesce(p.overview_target, '')), lower(search)) > 0
           OR EXISTS (SELECT 1 FROM pledge_contents c WHERE c.pledge_id = p.id AND strpos(lower(c.text), lower(search)) > 0))
      AND (submission IS NULL OR coalesce(s.state, 'missing') = submission);
END $$;

CREATE OR REPLACE FUNCTION yk_pct(num numeric, den numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN den > 0 THEN round(num * 100 / den, 2) END
$$;

-- Why a stored pledge's figures cannot be used city-wide (a stored row from
-- before the daemon refused such values), or NULL: a year PostgreSQL's dates
-- cannot hold, an amount past the document format's bound.
CREATE OR REPLACE FUNCTION yk_pledge_unsummarisable(pid bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT format('target_month %s is not a month from year 1000', p.target_month) FROM pledges p
         WHERE p.id = pid AND p.target_month IS NOT NULL AND substr(p.target_month, 1, 4)::int < 1000),
        (SELECT format('budget.sources.%s.amounts.%s holds %s, past the bound of 10000000000', a.source, a.period,
                       greatest(a.secured, a.executed, a.planned))
         FROM budget_amounts a WHERE a.pledge_id = pid
           AND greatest(a.secured, a.executed, a.planned) >= 10000000000 ORDER BY a.source, a.period LIMIT 1))
$$;

-- 소요예산 (the card's a~g 합계) and what is secured, per source of a
-- pledge's document: required = prior + each period's executed if past,
-- secured (or planned when nothing is secured) if current, planned if
-- future -- the card's definition, as server/rules/derived.c computes it
-- (test_bad_rows compares the two); secured = prior + every period's
-- secured.  Over a document, so that the working copy and an approved
-- version are figured alike.
CREATE OR REPLACE FUNCTION yk_doc_budget_required(doc jsonb)
RETURNS TABLE (source text, required numeric, secured numeric)
LANGUAGE sql STABLE AS $$
    SELECT s.key,
           coalesce((s.value ->> 'prior')::numeric, 0)
           + coalesce(sum(CASE WHEN yk_period_end(a.key) < d.as_of THEN coalesce((a.value ->> 'executed')::numeric, 0)
                               WHEN yk_period_start(a.key) <= d.as_of
                                   THEN CASE WHEN jsonb_typeof(a.value -> 'secured') = 'number'
                                             THEN (a.value ->> 'secured')::numeric
                                             ELSE coalesce((a.value ->> 'planned')::numeric, 0) END
                               ELSE coalesce((a.value ->> 'planned')::numeric, 0) END), 0),
           coalesce((s.value ->> 'prior')::numeric, 0) + coalesce(sum(coalesce((a.value ->> 'secured')::numeric, 0)), 0)
    FROM jsonb_each(coalesce(doc -> 'budget' -> 'sources', '{}')) s
    CROSS JOIN (SELECT coalesce((doc ->> 'as_of')::date, current_date) AS as_of) d
    LEFT JOIN LATERAL jsonb_each(coalesce(s.value -> 'amounts', '{}')) a ON true
    GROUP BY s.key, s.value
$$;

-- 연차별 목표달성 of year y in a document, per indicator: each indicator
-- with a numeric target in a period of that year, and whether every such
-- target is reached by the actual of its period.
CREATE OR REPLACE FUNCTION yk_doc_year_targets(doc jsonb, y int)
RETURNS TABLE (indicator text, met boolean, shortfall text)
LANGUAGE sql STABLE AS $$
    SELECT i.v ->> 'name',
           bool_and(coalesce(jsonb_typeof(i.v -> 'actuals' -> t.key) = 'number'
                             AND (i.v -> 'actuals' ->> t.key)::numeric >= (t.value #>> '{}')::numeric, false)),
           string_agg(CASE WHEN NOT coalesce(jsonb_typeof(i.v -> 'actuals' -> t.key) = 'number'
                                             AND (i.v -> 'actuals' ->> t.key)::numeric >= (t.value #>> '{}')::numeric, false)
                           THEN format('%s %s: 목표 %s, 실적 %s', i.v ->> 'name', t.key, t.value #>> '{}',
                                       coalesce(i.v -> 'actuals' ->> t.key, '없음')) END,
                      '; ' ORDER BY t.key)
    FROM jsonb_array_elements(coalesce(doc -> 'indicator_sets', '[]')) WITH ORDINALITY AS st(v, so),
         jsonb_array_elements(coalesce(st.v -> 'indicators', '[]')) WITH ORDINALITY AS i(v, io),
         jsonb_each(coalesce(i.v -> 'targets', '{}')) t
    -- a period of year y begins with it; only an open-ended one (2022-07+)
    -- runs past its year
    WHERE jsonb_typeof(t.value) = 'number' AND right(t.key, 1) <> '+' AND left(t.key, 4) = y::text
      -- a table's 당초 rows give way to its 변경 rows, the set after them
      -- over the same periods (common/derived.c, derived_set_changes)
      AND NOT coalesce(coalesce(st.v ->> 'basis', 'original') = 'original'
                       AND doc -> 'indicator_sets' -> (st.so::int) ->> 'basis' = 'changed'
                       AND doc -> 'indicator_sets' -> (st.so::int) -> 'periods' = st.v -> 'periods', false)
    GROUP BY st.so, i.io, i.v ->> 'name'
$$;

-- The spec's overdue and lagging read off a document (as yk_pledge_overdue
-- and yk_pledge_lagging read them off the rows, which list uses; test_city
-- compares stats' counts with list's, test_rounds a reader's list with the
-- working one).
CREATE OR REPLACE FUNCTION yk_doc_overdue(doc jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((doc ->> 'target_month') ~ '^\d{4}-\d{2}$' AND substr(doc ->> 'target_month', 1, 4)::int >= 1
        AND (make_date(substr(doc ->> 'target_month', 1, 4)::int, substr(doc ->> 'target_month', 6, 2)::int, 1)
             + interval '1 month')::date <= coalesce((doc ->> 'as_of')::date, current_date)
        AND doc ->> 'status' NOT IN ('completed', 'completed_ongoing', 'dropped'), false)
$$;

CREATE OR REPLACE FUNCTION yk_doc_lagging(doc jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN (c.value ->> 'current')::numeric < (c.value ->> 'target')::numeric
                THEN format('누적 추진율 %s%% < 목표 %s%% (%s)', c.value ->> 'current', c.value ->> 'target', c.key) END
    FROM jsonb_array_elements(coalesce(doc -> 'indicator_sets', '[]')) WITH ORDINALITY AS st(v, so),
         jsonb_each(coalesce(st.v -> 'cumulative_progress', '{}')) c
    WHERE jsonb_typeof(c.value -> 'target') = 'number' AND jsonb_typeof(c.value -> 'current') = 'number'
      AND doc ->> 'status' NOT IN ('completed', 'completed_ongoing')
    ORDER BY yk_period_start(c.key) DESC, st.so DESC LIMIT 1
$$;

-- 공약일치도: what of a pledge's plan its latest approved version changed
-- since its first (target month, contents, indicators, planned budget,
-- dropped), with the reasons of the approved changes; NULL for a pledge
-- approved fewer than twice or not changed.
CREATE OR REPLACE FUNCTION yk_pledge_consistency(pid bigint)
RETURNS TABLE (target_month boolean, contents boolean, indicators boolean, budget boolean, dropped boolean,
               reasons text)
LANGUAGE sql STABLE AS $$
    WITH snaps AS (
        SELECT s.snapshot::jsonb AS doc, row_number() OVER (ORDER BY r.as_of, s.reviewed_at) AS first_n,
               row_number() OVER (ORDER BY r.as_of DESC, s.reviewed_at DESC) AS last_n
        FROM submissions s JOIN rounds r ON r.id = s.round_id
        WHERE s.pledge_id = pid AND s.state = 'approved'
    ), f AS (SELECT doc FROM snaps WHERE first_n = 1), l AS (SELECT doc FROM snaps WHERE last_n = 1),
    plan AS (
        SELECT (SELECT jsonb_object_agg(src.key, (SELECT jsonb_object_agg(a.key, a.value -> 'planned')
                                                  FROM jsonb_each(coalesce(src.value -> 'amounts', '{}')) a))
                FROM jsonb_each(coalesce(f.doc -> 'budget' -> 'sources', '{}')) src) AS first_plan,
               (SELECT jsonb_object_agg(src.key, (SELECT jsonb_object_agg(a.key, a.value -> 'planned')
                                                  FROM jsonb_each(coalesce(src.value -> 'amounts', '{}')) a))
                FROM jsonb_each(coalesce(l.doc -> 'budget' -> 'sources', '{}')) src) AS last_plan
        FROM f, l
    )
    SELECT (f.doc -> 'target_month') IS DISTINCT FROM (l.doc -> 'target_month'),
           (f.doc -> 'overview' -> 'contents') IS DISTINCT FROM (l.doc -> 'overview' -> 'contents'),
           yk_indicator_plan(f.doc) IS DISTINCT FROM yk_indicator_plan(l.doc),
           plan.first_plan IS DISTINCT FROM plan.last_plan,
           coalesce(l.doc ->> 'status', '') = 'dropped',
           (SELECT string_agg(c.reason, '; ' ORDER BY c.id) FROM change_requests c
            WHERE c.pledge_id = pid AND c.kind = 'change' AND c.state = 'approved')
    FROM f, l, plan
$$;

-- Everything `yaksok stats` shows, as one json.  `y`: the year of the
-- evaluation's 연차별 목표달성 (NULL: the current one).  Every figure is taken
-- from documents: the working copies, or with `approved` each pledge's latest
-- approved version (what a reader sees; pledges never approved are left out).
CREATE OR REPLACE FUNCTION yk_stats(round_name text, y int, approved boolean) RETURNS json
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
    rid bigint;
    res json;
    yr int := coalesce(y, extract(year FROM current_date)::int);
BEGIN
    rid := yk_round_id(round_name);
    -- Each document is read once: the figures that need its whole tree
    -- (money, 재원, targets) come from it in one pass each, and everything
    -- else counts the small rows of pl, scanned many times.
    WITH docs AS MATERIALIZED (
        SELECT p.id,
               -- a round: the versions approved in it (as get, show, list and
               -- export read --round); else the latest approved, or the
               -- working copies
               CASE WHEN rid IS NOT NULL
                    THEN (SELECT s.snapshot::jsonb FROM submissions s
                          WHERE s.round_id = rid AND s.pledge_id = p.id AND s.state = 'approved')
                    WHEN approved
                    THEN (SELECT s.snapshot::jsonb FROM submissions s JOIN rounds r ON r.id = s.round_id
                          WHERE s.pledge_id = p.id AND s.state = 'approved'
                          ORDER BY r.as_of DESC, s.reviewed_at DESC LIMIT 1)
                    ELSE (SELECT v.document::jsonb FROM pledge_versions v WHERE v.pledge_id = p.id AND v.version = p.version)
               END AS doc
        FROM pledges p
    ), pl AS MATERIALIZED (
        SELECT d.id, d.doc ->> 'code' AS code, d.doc ->> 'title' AS title, d.doc ->> 'department' AS department,
               d.doc ->> 'status' AS status, (d.doc ->> 'progress_pct')::numeric AS progress_pct,
               d.doc ->> 'target_month' AS target_month, (d.doc ->> 'as_of')::date AS as_of, d.doc ->> 'area' AS area,
               yk_doc_overdue(d.doc) AS is_overdue, yk_doc_lagging(d.doc) AS lag_reason
        FROM docs d WHERE d.doc IS NOT NULL
    ), cells AS (
        -- past: the period ended before the pledge's as_of (today without
        -- one), as in each card's 집행률 (server/rules/derived.c)
        SELECT src.key AS source, (a.value ->> 'secured')::numeric AS secured,
               (a.value ->> 'executed')::numeric AS executed, (a.value ->> 'planned')::numeric AS planned,
               yk_period_end(a.key) < coalesce((pl.doc ->> 'as_of')::date, current_date) AS past
        FROM docs pl, jsonb_each(coalesce(pl.doc -> 'budget' -> 'sources', '{}')) src,
             jsonb_each(coalesce(src.value -> 'amounts', '{}')) a
        WHERE pl.doc IS NOT NULL
    ), money AS (
        SELECT c.source, sum(c.secured) AS secured, sum(c.executed) AS executed, sum(c.planned) AS planned,
               sum(c.secured) FILTER (WHERE c.past) AS secured_past,
               sum(c.executed) FILTER (WHERE c.past) AS executed_past
        FROM cells c GROUP BY c.source
    ), fin_rows AS MATERIALIZED (
        SELECT b.source, b.required, b.secured FROM docs d, yk_doc_budget_required(d.doc) b WHERE d.doc IS NOT NULL
    ), yt_rows AS MATERIALIZED (
        SELECT d.id, yt.indicator, yt.met, yt.shortfall
        FROM docs d, yk_doc_year_targets(d.doc, yr) yt WHERE d.doc IS NOT NULL
    ), cons AS MATERIALIZED (
        SELECT pl.code, pl.title, pl.department, c.target_month AS ch_target_month, c.contents AS ch_contents,
               c.indicators AS ch_indicators, c.budget AS ch_budget, c.dropped AS ch_dropped, c.reasons
        FROM pl, yk_pledge_consistency(pl.id) c
    ), year_pl AS (
        -- each pledge with a numeric target in the year or a judgement of
        -- it: met or not, and why
        SELECT pl.code, pl.title, pl.department, coalesce(j.met, n.all_met) AS met, j.met IS NOT NULL AS judged,
               n.shortfall,
               CASE WHEN j.met IS NOT NULL
                    THEN format('%s (판단: %s, %s)', j.reason, CASE WHEN j.met THEN '달성' ELSE '미달성' END, a.login) END
                    AS judgement
        FROM pl
        LEFT JOIN (SELECT yt.id, bool_and(yt.met) AS all_met,
                          string_agg(yt.shortfall, '; ' ORDER BY yt.indicator) AS shortfall
                   FROM yt_rows yt GROUP BY yt.id) n ON n.id = pl.id
        LEFT JOIN target_judgements j ON j.pledge_id = pl.id AND j.year = yr
        LEFT JOIN accounts a ON a.id = j.judged_by
        WHERE n.id IS NOT NULL OR j.met IS NOT NULL
    )
    SELECT json_build_object(
        'round', round_name,
        'pledges', (SELECT count(*) FROM pl),
        'not_approved', CASE WHEN rid IS NOT NULL THEN (SELECT count(*) FROM docs WHERE docs.doc IS NULL) END,
        'by_status', (SELECT json_object_agg(s, (SELECT count(*) FROM pl WHERE pl.status = s) ORDER BY o)
                      FROM unnest(ARRAY['in_progress', 'completed', 'completed_ongoing', 'partial', 'delayed',
                                        'on_hold', 'dropped', 'not_started']) WITH ORDINALITY AS x(s, o)),
        'completion_rate_pct', (SELECT yk_pct(count(*) FILTER (WHERE status IN ('completed', 'completed_ongoing')),
                                              count(*) FILTER (WHERE status <> 'dropped')) FROM pl),
        'average_progress_pct', (SELECT round(avg(progress_pct), 2) FROM pl WHERE status <> 'dropped'),
        'evaluation_completion_rate_pct', (SELECT yk_pct(count(*) FILTER (WHERE status IN ('completed', 'completed_ongoing')),
                                                         count(*)) FROM pl),
        'areas', (SELECT coalesce(json_agg(json_build_object(
                'area', a.area, 'pledges', a.n, 'completed', a.done, 'completion_rate_pct', yk_pct(a.done, a.n),
                'average_progress_pct', a.avg_progress) ORDER BY a.area), '[]')
            FROM (SELECT coalesce(pl.area, '') AS area, count(*) AS n,
                         count(*) FILTER (WHERE pl.status IN ('completed', 'completed_ongoing')) AS done,
                         round(avg(pl.progress_pct) FILTER (WHERE pl.status <> 'dropped'), 2) AS avg_progress
                  FROM pl GROUP BY coalesce(pl.area, '')) a),
        'overdue', (SELECT count(*) FROM pl WHERE is_overdue),
        'lagging', (SELECT count(*) FROM pl WHERE lag_reason IS NOT NULL),
        'departments', (SELECT coalesce(json_agg(json_build_object(
                'department', dn,
                'pledges', (SELECT count(*) FROM pl WHERE pl.department = dn),
                'completed', (SELECT count(*) FROM pl WHERE pl.department = dn
                              AND pl.status IN ('completed', 'completed_ongoing')),
                'lagging', (SELECT count(*) FROM pl WHERE pl.department = dn AND pl.lag_reason IS NOT NULL),
                'overdue', (SELECT count(*) FROM pl WHERE pl.department = dn AND pl.is_overdue),
                -- submitted or approved in the round, of the department's
                -- pledges as they are now (the approved versions are
                -- the figures; this is the round's progress)
                'reported', CASE WHEN rid IS NOT NULL
                                 THEN (SELECT count(*) FROM submissions s JOIN pledges p ON p.id = s.pledge_id
                                       JOIN departments d ON d.id = p.department_id
                                       WHERE s.round_id = rid AND d.name = dn
                                         AND s.state IN ('submitted', 'approved')) END,
                'average_progress_pct', (SELECT round(avg(progress_pct), 2) FROM pl WHERE pl.department = dn
                                         AND status <> 'dropped'))
                ORDER BY dn), '[]')
            FROM (SELECT pl.department AS dn FROM pl
                  UNION SELECT d.name FROM submissions s JOIN pledges p ON p.id = s.pledge_id
                        JOIN departments d ON d.id = p.department_id WHERE s.round_id = rid) dd),
        -- sums as text: a city's totals may pass the 15 digits a JSON
        -- number keeps exactly (the daemon reads them as decimals)
        'budget', (SELECT coalesce(json_agg(json_build_object(
                'source', s, 'secured', coalesce(m.secured, 0)::text, 'executed', coalesce(m.executed, 0)::text,
                'planned', coalesce(m.planned, 0)::text,
                'execution_rate_pct', yk_pct(m.executed_past, m.secured_past)) ORDER BY o), '[]')
            FROM unnest(ARRAY['national', 'provincial', 'city', 'private', 'other']) WITH ORDINALITY AS x(s, o)
            LEFT JOIN money m ON m.source = x.s),
        'budget_all', (SELECT json_build_object('secured', coalesce(sum(secured), 0)::text,
                                                'executed', coalesce(sum(executed), 0)::text,
                                                'planned', coalesce(sum(planned), 0)::text,
                                                'execution_rate_pct', yk_pct(sum(executed_past), sum(secured_past)))
                       FROM money),
        -- 재원 확보율: secured of what the cards require, per source and in all
        'finance', (SELECT coalesce(json_agg(json_build_object('source', x.s, 'required', coalesce(fin.required, 0)::text,
                                                               'secured', coalesce(fin.secured, 0)::text,
                                                               'secured_rate_pct', yk_pct(fin.secured, fin.required))
                                             ORDER BY x.o), '[]')
                    FROM unnest(ARRAY['national', 'provincial', 'city', 'private', 'other']) WITH ORDINALITY AS x(s, o)
                    LEFT JOIN (SELECT b.source, sum(b.required) AS required, sum(b.secured) AS secured
                               FROM fin_rows b GROUP BY b.source) fin ON fin.source = x.s),
        'finance_all', (SELECT json_build_object('source', 'all', 'required', coalesce(sum(b.required), 0)::text,
                                                 'secured', coalesce(sum(b.secured), 0)::text,
                                                 'secured_rate_pct', yk_pct(sum(b.secured), sum(b.required)))
                        FROM fin_rows b),
        -- 연차별 목표달성: pledges whose every numeric target of the year
        -- is reached, or that a coordinator judged met (a judgement stands
        -- in place of the numbers); indicators by their numbers alone
        'year_targets', (SELECT json_build_object(
                'year', yr, 'pledges', count(*), 'pledges_met', count(*) FILTER (WHERE y.met),
                'pledges_met_pct', yk_pct(count(*) FILTER (WHERE y.met), count(*)),
                'judged', count(*) FILTER (WHERE y.judged),
                'indicators', (SELECT count(*) FROM yt_rows),
                'indicators_met', (SELECT count(*) FROM yt_rows yt WHERE yt.met),
                'indicators_met_pct', (SELECT yk_pct(count(*) FILTER (WHERE yt.met), count(*)) FROM yt_rows yt))
            FROM year_pl y),
        'year_unmet', (SELECT coalesce(json_agg(json_build_object('code', y.code, 'title', y.title,
                                                                  'department', y.department,
                                                                  'reason', coalesce(y.judgement, y.shortfall))
                                                ORDER BY y.code), '[]')
                       FROM year_pl y WHERE NOT y.met),
        'year_judged', (SELECT coalesce(json_agg(json_build_object('code', y.code, 'title', y.title,
                                                                   'department', y.department, 'reason', y.judgement)
                                                 ORDER BY y.code), '[]')
                        FROM year_pl y WHERE y.judged),
        -- 공약일치도: the plan's changes since each pledge's first approval
        'consistency', (SELECT json_build_object(
                'pledges', count(*), 'unchanged', count(*) FILTER (WHERE NOT (c.ch_target_month OR c.ch_contents
                                                                          OR c.ch_indicators OR c.ch_budget OR c.ch_dropped)),
                'target_month', count(*) FILTER (WHERE c.ch_target_month),
                'contents', count(*) FILTER (WHERE c.ch_contents),
                'indicators', count(*) FILTER (WHERE c.ch_indicators), 'budget', count(*) FILTER (WHERE c.ch_budget),
                'dropped', count(*) FILTER (WHERE c.ch_dropped))
            FROM cons c),
        'consistency_changed', (SELECT coalesce(json_agg(json_build_object('code', c.code, 'title', c.title,
                'department', c.department,
                'reason', concat_ws(', ', CASE WHEN c.ch_target_month THEN '목표연월' END,
                                    CASE WHEN c.ch_contents THEN '사업내용' END, CASE WHEN c.ch_indicators THEN '성과지표' END,
                                    CASE WHEN c.ch_budget THEN '예산' END, CASE WHEN c.ch_dropped THEN '폐기' END)
                          || coalesce(' — ' || c.reasons, '')) ORDER BY c.code), '[]')
            FROM cons c
            WHERE c.ch_target_month OR c.ch_contents OR c.ch_indicators OR c.ch_budget OR c.ch_dropped),
        'lagging_list', (SELECT coalesce(json_agg(json_build_object('code', code, 'title', title, 'department', department,
                                                                    'reason', lag_reason) ORDER BY code), '[]')
                         FROM pl WHERE lag_reason IS NOT NULL),
        'overdue_list', (SELECT coalesce(json_agg(json_build_object('code', code, 'title', title, 'department', department,
                                                                    'target_month', target_month) ORDER BY code), '[]')
                         FROM pl WHERE is_overdue),
        'unsummarised', (SELECT coalesce(json_agg(json_build_object('code', code, 'title', title, 'department', department,
                                                                    'reason', why) ORDER BY code), '[]')
                         FROM (SELECT pl.code, pl.title, pl.department, yk_pledge_unsummarisable(pl.id) AS why FROM pl) u
                         WHERE why IS NOT NULL))
    INTO res;
    RETURN res;
END $$;

-- Every approved card's summary as yk_snapshot_summary now makes it (see
-- there): a row approved before summaries were kept, or under an earlier
-- definition, is brought up to date; an unchanged one is not written.
UPDATE submissions s SET summary = x.summary
FROM (SELECT round_id, pledge_id, yk_snapshot_summary(snapshot::jsonb) AS summary
      FROM submissions WHERE snapshot IS NOT NULL) x
WHERE s.round_id = x.round_id AND s.pledge_id = x.pledge_id AND s.summary IS DISTINCT FROM x.summary;

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
    SELECT yk_overdue_on(yk_overdue_from(p.target_month, p.status), p.as_of)
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

-- The pledges whose stored figures cannot be used city-wide (a stored row
-- from before the daemon refused such values), each with the first reason:
-- a year PostgreSQL's dates cannot hold, an amount past the document
-- format's bound.  One pass over the rows for the whole city.
CREATE OR REPLACE FUNCTION yk_unsummarisable()
RETURNS TABLE (pledge_id bigint, why text)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (x.pledge_id) x.pledge_id, x.why
    FROM (SELECT p.id AS pledge_id, 0 AS o, '' AS source, '' AS period,
                 format('target_month %s is not a month from year 1000', p.target_month) AS why
          FROM pledges p WHERE p.target_month IS NOT NULL AND substr(p.target_month, 1, 4)::int < 1000
          UNION ALL
          SELECT a.pledge_id, 1, a.source, a.period,
                 format('budget.sources.%s.amounts.%s holds %s, past the bound of 10000000000', a.source, a.period,
                        greatest(a.secured, a.executed, a.planned))
          FROM budget_amounts a WHERE greatest(a.secured, a.executed, a.planned) >= 10000000000) x
    ORDER BY x.pledge_id, x.o, x.source, x.period
$$;

-- A document's budget as rows: per source one row of its prior amount
-- (period NULL), and one per period's amounts with the period's first and
-- last day.  secured only where it is a number: 소요예산 takes planned in
-- its place (yk_doc_money).  Over a document, so that the working copy and
-- an approved version are figured alike.
CREATE OR REPLACE FUNCTION yk_doc_cells(doc jsonb)
RETURNS TABLE (source text, period text, period_start date, period_end date, prior numeric, secured numeric,
               executed numeric, planned numeric)
LANGUAGE sql STABLE AS $$
    SELECT s.key, NULL, NULL, NULL, (s.value ->> 'prior')::numeric, NULL, NULL, NULL
    FROM jsonb_each(coalesce(doc -> 'budget' -> 'sources', '{}')) s
    UNION ALL
    SELECT s.key, a.key, yk_period_start(a.key), yk_period_end(a.key), NULL,
           CASE WHEN jsonb_typeof(a.value -> 'secured') = 'number' THEN (a.value ->> 'secured')::numeric END,
           (a.value ->> 'executed')::numeric, (a.value ->> 'planned')::numeric
    FROM jsonb_each(coalesce(doc -> 'budget' -> 'sources', '{}')) s,
         jsonb_each(coalesce(s.value -> 'amounts', '{}')) a
$$;

-- A document's budget figures per source as of a day (its as_of, or today
-- for a card without one): the sums; what of them is past (the period ended
-- before that day), as in each card's 집행률 (server/rules/derived.c);
-- 소요예산 (the card's a~g 합계): prior + each period's executed if past,
-- secured (planned when nothing is secured) if begun, planned if future --
-- the card's definition, as derived.c computes it (test_bad_rows compares
-- the two); and what is secured of it: prior + every period's secured.
-- Kept per dated version in version_money.
CREATE OR REPLACE FUNCTION yk_doc_money(doc jsonb, on_day date)
RETURNS TABLE (source text, secured numeric, executed numeric, planned numeric, secured_past numeric,
               executed_past numeric, required numeric, secured_all numeric)
LANGUAGE sql STABLE AS $$
    SELECT c.source, sum(c.secured), sum(c.executed), sum(c.planned),
           sum(c.secured) FILTER (WHERE c.period_end < on_day), sum(c.executed) FILTER (WHERE c.period_end < on_day),
           coalesce(sum(c.prior), 0)
           + coalesce(sum(CASE WHEN c.period IS NULL THEN NULL
                               WHEN c.period_end < on_day THEN coalesce(c.executed, 0)
                               WHEN c.period_start <= on_day THEN coalesce(c.secured, c.planned, 0)
                               ELSE coalesce(c.planned, 0) END), 0),
           coalesce(sum(c.prior), 0) + coalesce(sum(c.secured), 0)
    FROM yk_doc_cells(doc) c
    GROUP BY c.source
$$;

-- 연차별 목표달성 in a document, per year and indicator: each indicator
-- with a numeric target in a period of the year, and whether every such
-- target is reached by the actual of its period.  Kept per version in
-- version_targets.
CREATE OR REPLACE FUNCTION yk_doc_targets(doc jsonb)
RETURNS TABLE (year text, indicator text, met boolean, shortfall text)
LANGUAGE sql STABLE AS $$
    SELECT left(t.key, 4), i.v ->> 'name',
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
    -- a period of a year begins with it; only an open-ended one (2022-07+)
    -- runs past its year
    WHERE jsonb_typeof(t.value) = 'number' AND right(t.key, 1) <> '+'
      -- a table's 당초 rows give way to its 변경 rows, the set after them
      -- over the same periods (common/derived.c, derived_set_changes)
      AND NOT coalesce(coalesce(st.v ->> 'basis', 'original') = 'original'
                       AND doc -> 'indicator_sets' -> (st.so::int) ->> 'basis' = 'changed'
                       AND doc -> 'indicator_sets' -> (st.so::int) -> 'periods' = st.v -> 'periods', false)
    GROUP BY left(t.key, 4), st.so, i.io, i.v ->> 'name'
$$;

-- The spec's overdue and lagging read off a document (as yk_pledge_overdue
-- and yk_pledge_lagging read them off the rows, which list uses; test_city
-- compares stats' counts with list's, test_rounds a reader's list with the
-- working one).  Overdue depends on the day (without an as_of), so stats
-- compares the day each version becomes overdue (kept in version_figures)
-- with the day at each call.
CREATE OR REPLACE FUNCTION yk_overdue_from(target_month text, status text) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN target_month ~ '^\d{4}-\d{2}$' AND substr(target_month, 1, 4)::int >= 1
                     AND status NOT IN ('completed', 'completed_ongoing', 'dropped')
                THEN (make_date(substr(target_month, 1, 4)::int, substr(target_month, 6, 2)::int, 1)
                      + interval '1 month')::date END
$$;

-- Overdue by as_of (today without one), the day it becomes so given.
CREATE OR REPLACE FUNCTION yk_overdue_on(overdue_from date, as_of date) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(overdue_from <= coalesce(as_of, current_date), false)
$$;

CREATE OR REPLACE FUNCTION yk_doc_overdue(doc jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT yk_overdue_on(yk_overdue_from(doc ->> 'target_month', doc ->> 'status'), (doc ->> 'as_of')::date)
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

-- A document's own fields as stats counts them, kept per version in
-- version_figures (whether it is overdue depends on the day: the day it
-- becomes so is kept).
CREATE OR REPLACE FUNCTION yk_doc_figure(doc jsonb)
RETURNS TABLE (code text, title text, department text, status text, progress_pct numeric, target_month text,
               as_of date, area text, lag_reason text, overdue_from date)
LANGUAGE sql STABLE AS $$
    SELECT doc ->> 'code', doc ->> 'title', doc ->> 'department', doc ->> 'status', (doc ->> 'progress_pct')::numeric,
           doc ->> 'target_month', (doc ->> 'as_of')::date, doc ->> 'area', yk_doc_lagging(doc),
           yk_overdue_from(doc ->> 'target_month', doc ->> 'status')
$$;

-- Keeps one version's figures (yk_figures_refresh).
CREATE OR REPLACE FUNCTION yk_figures_make(pid bigint, ver bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    doc jsonb;
BEGIN
    SELECT v.document::jsonb INTO doc FROM pledge_versions v WHERE v.pledge_id = pid AND v.version = ver;
    INSERT INTO version_figures SELECT pid, ver, x.* FROM yk_doc_figure(doc) x;
    INSERT INTO version_money SELECT pid, ver, x.* FROM yk_doc_money(doc, (doc ->> 'as_of')::date) x
    WHERE doc ->> 'as_of' IS NOT NULL;
    INSERT INTO version_targets SELECT pid, ver, x.* FROM yk_doc_targets(doc) x;
END $$;

-- Figures for the versions stats counts (each pledge's current version and
-- every approved one) that have none yet, at most `batch` of them; those of
-- versions nobody counts any more go.  A current version is figured once it
-- has been current for `settled`: a pledge being written version after
-- version (a department at work, a bulk of progress items) would otherwise
-- have each version figured only for the next write to drop it, a
-- statement of PostgreSQL's time per write for nothing.  An approved version
-- does not change, so it is figured at once.  The daemon runs it in the
-- background every --figures-interval seconds with that interval as
-- `settled`, again at once while it finds a whole batch to do.  Returns how
-- many versions it figured.  A document that cannot be figured (a stored
-- row from before a rule) is passed over with a warning: stats works out
-- what is missing from the document itself.
CREATE OR REPLACE FUNCTION yk_figures_refresh(batch int, settled interval) RETURNS int
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    pids bigint[];
    vers bigint[];
    n int := 0;
BEGIN
    -- one at a time: several daemons may share the database
    IF NOT pg_try_advisory_xact_lock(hashtext('yk_figures_refresh')) THEN
        RETURN 0;
    END IF;
    DELETE FROM version_figures f
    WHERE NOT EXISTS (SELECT 1 FROM pledges p WHERE p.id = f.pledge_id AND p.version = f.version)
      AND NOT EXISTS (SELECT 1 FROM submissions s
                      WHERE s.pledge_id = f.pledge_id AND s.version = f.version AND s.state = 'approved');
    SELECT array_agg(x.pledge_id ORDER BY x.pledge_id, x.version), array_agg(x.version ORDER BY x.pledge_id, x.version)
    INTO pids, vers
    FROM (SELECT w.pledge_id, w.version
          FROM (SELECT p.id AS pledge_id, p.version FROM pledges p
                JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version
                WHERE v.changed_at <= now() - settled
                UNION SELECT s.pledge_id, s.version FROM submissions s WHERE s.state = 'approved') w
          WHERE NOT EXISTS (SELECT 1 FROM version_figures f WHERE f.pledge_id = w.pledge_id AND f.version = w.version)
          ORDER BY w.pledge_id, w.version
          LIMIT batch) x;
    -- the whole batch in one subtransaction; only when a document fails,
    -- one each (a subtransaction per version would be dozens at a time,
    -- which every other session's snapshots would pay for)
    BEGIN
        FOR i IN 1 .. coalesce(array_length(pids, 1), 0) LOOP
            PERFORM yk_figures_make(pids[i], vers[i]);
            n := n + 1;
        END LOOP;
    EXCEPTION WHEN OTHERS THEN
        n := 0;
        FOR i IN 1 .. coalesce(array_length(pids, 1), 0) LOOP
            BEGIN
                PERFORM yk_figures_make(pids[i], vers[i]);
                n := n + 1;
            EXCEPTION WHEN OTHERS THEN
                RAISE WARNING 'pledge % version %: no figures kept (%)', pids[i], vers[i], SQLERRM;
            END;
        END LOOP;
    END;
    RETURN n;
END $$;

-- 공약일치도: what of a pledge's plan its latest approved version changed
-- since its first (target month, contents, indicators, planned budget,
-- dropped), with the reasons of the approved changes; NULL for a pledge
-- approved fewer than twice or not changed.
CREATE OR REPLACE FUNCTION yk_pledge_consistency(pid bigint)
RETURNS TABLE (target_month boolean, contents boolean, indicators boolean, budget boolean, dropped boolean,
               reasons text)
LANGUAGE sql STABLE AS $$
    -- only the first and the last snapshot are parsed
    WITH snaps AS (
        SELECT s.round_id, row_number() OVER (ORDER BY r.as_of, s.reviewed_at) AS first_n,
               row_number() OVER (ORDER BY r.as_of DESC, s.reviewed_at DESC) AS last_n
        FROM submissions s JOIN rounds r ON r.id = s.round_id
        WHERE s.pledge_id = pid AND s.state = 'approved'
    ), f AS (SELECT s.snapshot::jsonb AS doc FROM snaps n JOIN submissions s ON s.round_id = n.round_id AND s.pledge_id = pid
             WHERE n.first_n = 1),
    l AS (SELECT s.snapshot::jsonb AS doc FROM snaps n JOIN submissions s ON s.round_id = n.round_id AND s.pledge_id = pid
          WHERE n.last_n = 1),
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
-- approved version (what a reader sees; pledges never approved are left out)
-- -- through the figures kept per version (version_figures, version_money,
-- version_targets), and for a version not figured yet from its document by
-- the same functions.
CREATE OR REPLACE FUNCTION yk_stats(round_name text, y int, approved boolean) RETURNS json
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
    rid bigint;
    res json;
    yr int := coalesce(y, extract(year FROM current_date)::int);
BEGIN
    rid := yk_round_id(round_name);
    WITH sel AS MATERIALIZED (
        -- the version each pledge is counted by: a round's, the versions
        -- approved in it (as get, show, list and export read --round);
        -- else the latest approved, or the working copy's
        SELECT p.id,
               CASE WHEN rid IS NOT NULL
                    THEN (SELECT s.version FROM submissions s
                          WHERE s.round_id = rid AND s.pledge_id = p.id AND s.state = 'approved')
                    WHEN approved
                    THEN (SELECT s.version FROM submissions s JOIN rounds r ON r.id = s.round_id
                          WHERE s.pledge_id = p.id AND s.state = 'approved'
                          ORDER BY r.as_of DESC, s.reviewed_at DESC LIMIT 1)
                    ELSE p.version
               END AS version
        FROM pledges p
    ), kept AS MATERIALIZED (
        -- the figures kept of each (figured false: none yet)
        SELECT sel.id, sel.version, f.pledge_id IS NOT NULL AS figured, f.code, f.title, f.department, f.status,
               f.progress_pct, f.target_month, f.as_of, f.area, f.lag_reason, f.overdue_from
        FROM sel LEFT JOIN version_figures f ON f.pledge_id = sel.id AND f.version = sel.version
        WHERE sel.version IS NOT NULL
    ), docs AS MATERIALIZED (
        -- versions not figured yet, and the budgets of cards without an
        -- as_of (today decides what is past): read whole, once
        SELECT k.id, k.figured, v.document::jsonb AS doc
        FROM kept k JOIN pledge_versions v ON v.pledge_id = k.id AND v.version = k.version
        WHERE NOT k.figured OR k.as_of IS NULL
    ), pl AS MATERIALIZED (
        SELECT x.*, yk_overdue_on(x.overdue_from, x.as_of) AS is_overdue
        FROM (SELECT k.id, k.version, k.code, k.title, k.department, k.status, k.progress_pct, k.target_month,
                     k.as_of, k.area, k.lag_reason, k.overdue_from
              FROM kept k WHERE k.figured
              UNION ALL
              SELECT d.id, NULL, x.* FROM docs d, yk_doc_figure(d.doc) x WHERE NOT d.figured) x
    ), money AS MATERIALIZED (
        -- per source: each pledge's figures (yk_doc_money), kept or from
        -- its document
        SELECT m.source, sum(m.secured) AS secured, sum(m.executed) AS executed, sum(m.planned) AS planned,
               sum(m.secured_past) AS secured_past, sum(m.executed_past) AS executed_past,
               sum(m.required) AS required, sum(m.secured_all) AS secured_all
        FROM (SELECT vm.source, vm.secured, vm.executed, vm.planned, vm.secured_past, vm.executed_past, vm.required,
                     vm.secured_all
              FROM pl JOIN version_money vm ON vm.pledge_id = pl.id AND vm.version = pl.version
              UNION ALL
              SELECT x.*
              FROM docs d JOIN pl ON pl.id = d.id, yk_doc_money(d.doc, coalesce(pl.as_of, current_date)) x) m
        GROUP BY m.source
    ), yt_rows AS MATERIALIZED (
        SELECT pl.id, t.indicator, t.met, t.shortfall
        FROM pl JOIN version_targets t ON t.pledge_id = pl.id AND t.version = pl.version AND t.year = yr::text
        UNION ALL
        SELECT d.id, t.indicator, t.met, t.shortfall FROM docs d, yk_doc_targets(d.doc) t
        WHERE NOT d.figured AND t.year = yr::text
    ), cons AS MATERIALIZED (
        -- only pledges approved at least once have a first approved plan
        SELECT pl.code, pl.title, pl.department, c.target_month AS ch_target_month, c.contents AS ch_contents,
               c.indicators AS ch_indicators, c.budget AS ch_budget, c.dropped AS ch_dropped, c.reasons
        FROM pl, yk_pledge_consistency(pl.id) c
        WHERE EXISTS (SELECT 1 FROM submissions s WHERE s.pledge_id = pl.id AND s.state = 'approved')
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
        'not_approved', CASE WHEN rid IS NOT NULL THEN (SELECT count(*) FROM sel WHERE sel.version IS NULL) END,
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
                'department', dd.dn, 'pledges', coalesce(g.n, 0), 'completed', coalesce(g.done, 0),
                'lagging', coalesce(g.lagging, 0), 'overdue', coalesce(g.overdue, 0),
                -- submitted or approved in the round, of the department's
                -- pledges as they are now (the approved versions are
                -- the figures; this is the round's progress)
                'reported', CASE WHEN rid IS NOT NULL THEN coalesce(rep.n, 0) END,
                'average_progress_pct', g.avg_progress)
                ORDER BY dd.dn), '[]')
            FROM (SELECT pl.department AS dn FROM pl
                  UNION SELECT d.name FROM submissions s JOIN pledges p ON p.id = s.pledge_id
                        JOIN departments d ON d.id = p.department_id WHERE s.round_id = rid) dd
            LEFT JOIN (SELECT pl.department, count(*) AS n,
                              count(*) FILTER (WHERE pl.status IN ('completed', 'completed_ongoing')) AS done,
                              count(*) FILTER (WHERE pl.lag_reason IS NOT NULL) AS lagging,
                              count(*) FILTER (WHERE pl.is_overdue) AS overdue,
                              round(avg(pl.progress_pct) FILTER (WHERE pl.status <> 'dropped'), 2) AS avg_progress
                       FROM pl GROUP BY pl.department) g ON g.department = dd.dn
            LEFT JOIN (SELECT d.name, count(*) AS n FROM submissions s JOIN pledges p ON p.id = s.pledge_id
                       JOIN departments d ON d.id = p.department_id
                       WHERE s.round_id = rid AND s.state IN ('submitted', 'approved') GROUP BY d.name) rep
                ON rep.name = dd.dn),
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
        'finance', (SELECT coalesce(json_agg(json_build_object('source', x.s, 'required', coalesce(m.required, 0)::text,
                                                               'secured', coalesce(m.secured_all, 0)::text,
                                                               'secured_rate_pct', yk_pct(m.secured_all, m.required))
                                             ORDER BY x.o), '[]')
                    FROM unnest(ARRAY['national', 'provincial', 'city', 'private', 'other']) WITH ORDINALITY AS x(s, o)
                    LEFT JOIN money m ON m.source = x.s),
        'finance_all', (SELECT json_build_object('source', 'all', 'required', coalesce(sum(m.required), 0)::text,
                                                 'secured', coalesce(sum(m.secured_all), 0)::text,
                                                 'secured_rate_pct', yk_pct(sum(m.secured_all), sum(m.required)))
                        FROM money m),
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
                         FROM (SELECT pl.code, pl.title, pl.department, u.why FROM pl JOIN yk_unsummarisable() u ON u.pledge_id = pl.id) u))
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
